"""BibTeX entries as CSL-JSON, the input citeproc-py formats.

Values are turned into plain Unicode (LaTeX accents decoded, {Protected} words kept as
written) and HTML-escaped here, *before* citeproc sees them: citeproc-py's HTML output
does not escape field values itself. Numeric character references are used because they
survive citeproc's case changes.
"""

from __future__ import annotations

import html
import re

from ..review import vocab
from ..review.references import Reference

ET_AL = "et al."
NOCASE = '<span class="nocase">', "</span>"
_PARTICLES = {"van", "von", "de", "da", "del", "der", "di", "la", "le", "du", "dos", "das", "ten", "ter"}

CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "misc": "webpage",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
}


def escape(text: str) -> str:
    """HTML-escape with numeric references, which survive citeproc's case changes."""
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;").replace('"', "&#34;")


def delatex(value: str) -> str:
    """Decode LaTeX accents and escapes (\\"o, \\&); braces are kept for the caller."""
    if "\\" not in value:
        return value.replace("--", "–").replace("~", "\u00a0")
    from pylatexenc.latex2text import LatexNodes2Text

    protected = re.sub(r"(?<!\\)([%$#&_])", r"\\\1", value)
    return LatexNodes2Text(keep_braced_groups=True, math_mode="verbatim").latex_to_text(protected)


def _top_level_groups(text: str) -> list[tuple[bool, str]]:
    """Split into (braced?, text) pieces at brace depth 0; inner braces are dropped."""
    pieces: list[tuple[bool, str]] = []
    depth, cur = 0, []
    for ch in text:
        if ch == "{":
            if depth == 0 and cur:
                pieces.append((False, "".join(cur)))
                cur = []
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                pieces.append((True, "".join(cur)))
                cur = []
        elif ch != "}":
            cur.append(ch)
    if cur:
        pieces.append((depth > 0, "".join(cur)))
    return pieces


def csl_text(value: str, protect_case: bool = False) -> str:
    """A .bib value as escaped CSL text; {Braced} words keep their case when asked."""
    pieces = _top_level_groups(delatex(value))
    if not protect_case:
        return escape("".join(p for _, p in pieces))
    return "".join(
        f"{NOCASE[0]}{escape(p)}{NOCASE[1]}" if braced and p.strip() else escape(p) for braced, p in pieces
    )


def _split_depth0(text: str, pattern: re.Pattern[str]) -> list[str]:
    if "{" not in text:
        return [p.strip() for p in pattern.split(text)]
    out, depth, start = [], 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and (m := pattern.match(text, i)):
            out.append(text[start:i])
            start = i = m.end()
            continue
        i += 1
    out.append(text[start:])
    return [p.strip() for p in out]


_AND = re.compile(r"\s+and\s+", re.I)
_COMMA = re.compile(r"\s*,\s*")


def csl_names(value: str, entry_type: str = "article") -> list[dict[str, str]]:
    """BibTeX 'Family, Given and Given Family and others' as CSL-JSON names."""
    names: list[dict[str, str]] = []
    parts = [p for p in _split_depth0(value, _AND) if p]
    for part in parts:
        if part.lower() == "others":
            names.append({"literal": ET_AL})
            continue
        plain = csl_text(part)
        pieces = [csl_text(p) for p in _split_depth0(part, _COMMA)]
        if _is_organisation(part, pieces, sole=len(parts) == 1, entry_type=entry_type):
            names.append({"literal": plain})
        elif len(pieces) >= 3:
            names.append({"family": pieces[0], "suffix": pieces[1], "given": ", ".join(pieces[2:])})
        elif len(pieces) == 2:
            names.append({"family": pieces[0], "given": pieces[1]} if pieces[1] else {"family": pieces[0]})
        else:
            words = plain.split()
            cut = len(words) - 1
            while cut > 1 and words[cut - 1].lower() in _PARTICLES:
                cut -= 1
            given, family = " ".join(words[:cut]), " ".join(words[cut:])
            names.append({"family": family, "given": given} if given else {"family": family})
    return names


def _is_organisation(raw: str, pieces: list[str], sole: bool, entry_type: str) -> bool:
    """{Braced} names, and comma-less names that are long or the sole author of an agency page."""
    if raw.startswith("{") and raw.endswith("}") and len(_top_level_groups(raw)) == 1:
        return True
    if len(pieces) != 1:
        return False
    return (sole and entry_type in vocab.AGENCY_ENTRY_TYPES) or len(pieces[0].split()) > 3


def bare_doi(doi: str) -> str:
    """A DOI without resolver prefix or 'doi:', as CSL expects it."""
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)


def to_csl(ref: Reference) -> dict:
    """One reference as CSL-JSON (values escaped for HTML output)."""
    get = ref.get
    item: dict = {"id": ref.key, "type": CSL_TYPES.get(ref.entry_type, "article-journal")}
    if get("author"):
        item["author"] = csl_names(get("author"), ref.entry_type)
    if get("editor"):
        item["editor"] = csl_names(get("editor"), ref.entry_type)
    if get("title"):
        item["title"] = csl_text(get("title"), protect_case=True)
    container = get("journal") or get("journaltitle") or get("booktitle")
    if container:
        item["container-title"] = csl_text(container, protect_case=True)
    publisher = get("publisher") or get("institution") or get("organization")
    if publisher:
        item["publisher"] = csl_text(publisher)
    year = get("year")
    if year:
        digits = re.search(r"\d{4}", year)
        item["issued"] = {"date-parts": [[int(digits.group())]]} if digits else {"literal": escape(year)}
    for bib, csl in (("volume", "volume"), ("number", "issue"), ("edition", "edition")):
        if get(bib):
            item[csl] = csl_text(get(bib))
    if get("pages"):
        item["page"] = escape(get("pages").replace("--", "-").replace("–", "-"))
    if get("doi"):
        item["DOI"] = escape(bare_doi(get("doi")))
    if get("pmid"):
        item["PMID"] = escape(get("pmid"))
    if get("url"):
        item["URL"] = escape(get("url"))
    return item


def short_label(ref: Reference) -> str:
    """'Ahmad & Aziz 2012', 'Tanna et al. 2022': enough to recognise a study in a table."""
    names = csl_names(ref.get("author"), ref.entry_type) if ref.get("author") else []
    real = [n for n in names if n.get("literal") != ET_AL]
    year = ref.get("year")
    if not real:
        title = ref.get("title") or ref.key
        who = title if len(title) <= 40 else title[:39].rsplit(" ", 1)[0] + "…"
    else:
        first = html.unescape(real[0].get("family") or real[0].get("literal", ""))
        if len(real) == 2 and len(real) == len(names):
            who = f"{first} & {html.unescape(real[1].get('family') or real[1].get('literal', ''))}"
        else:
            who = first if len(names) == 1 else f"{first} et al."
    return f"{who} {year}".strip()


# -- formatting --------------------------------------------------------------------------------
