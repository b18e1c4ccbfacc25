"""What makes two references the same study: one rule, asked by `refs import` and by `check`.

Import skips exactly the records that `check` would call duplicates, and keeps the ones `check`
would keep, because both ask `StudyIndex`. The rule, in order: the same DOI (resolver URLs and
`doi:` prefixes removed, case folded), the same PMID, or the same title, year and first author's
family name (accents, LaTeX, HTML markup, braces, punctuation and case folded away). An identifier
that is not well formed — as `check` judges it, with `DOI_RE` and `PMID_RE` — identifies nothing:
two entries that both say `doi = {n/a}` are not one study.

Names are read here too, because the first author's family name is part of the rule. Exports write
"Family Initials" (Embase, Scopus, MEDLINE's AU field: "Quintanilla-Dieck L.", "Smith JA"), which
BibTeX would read as the given name "Quintanilla-Dieck" and the family name "L."; `bibtex_name`
turns them into BibTeX's "Family, Given" and keeps group authors ("R Core Team") whole, in braces.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import unquote

T = TypeVar("T")

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")

_DOI_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:dx\.)?doi\.(?:org|acm\.org)/", re.I)
_DOI_LABEL = re.compile(r"^(?:info:doi/|doi\s*:\s*|doi\s+(?=10\.))", re.I)


def strip_doi(doi: str) -> str:
    """The DOI itself, its case as published: exports give it as a resolver URL
    (https://doi.org/…, http://dx.doi.org/…, http://doi.acm.org/…) or labelled `doi:`."""
    value = doi.strip()
    if value.startswith("10."):
        return value  # already bare (most stored DOIs): neither a resolver nor a label can match
    for _ in range(3):  # "doi: https://doi.org/10.…" has two layers
        m = _DOI_URL.match(value)
        if m:
            value = unquote(value[m.end() :]).strip()
            continue
        m = _DOI_LABEL.match(value)
        if not m:
            break
        value = value[m.end() :].strip()
    return value


def normalise_doi(doi: str) -> str:
    """A DOI as compared: without resolver or label, lower case (DOIs are case-insensitive)."""
    return strip_doi(doi).lower()


def doi_key(doi: str) -> str:
    """The DOI as an identity, or "" when it is not one (a malformed DOI identifies nothing)."""
    value = normalise_doi(doi)
    return value if DOI_RE.match(value) else ""


def pmid_key(pmid: str) -> str:
    """The PMID as an identity, or "" when `check` would call it malformed."""
    value = pmid.strip()
    return value if PMID_RE.match(value) else ""


_CENTURIES = frozenset({"15", "16", "17", "18", "19", "20"})


def year_of(value: str) -> str:
    """The first plausible year in a date as exports write it ("2021 Mar 4", "2021///", "2021-03")."""
    if len(value) == 4 and value.isascii() and value.isdigit() and value[:2] in _CENTURIES:
        return value  # the plain year most entries hold
    m = re.search(r"(?<!\d)(1[5-9]|20)\d\d(?!\d)", value)
    return m.group(0) if m else ""


# -- folding text for comparison ------------------------------------------------------------------
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_LETTER_COMMANDS = {"ss": "ss", "o": "o", "O": "O", "ae": "ae", "AE": "AE", "oe": "oe", "OE": "OE",
                    "aa": "a", "AA": "A", "l": "l", "L": "L", "i": "i", "j": "j"}  # fmt: skip
_COMMAND = re.compile(r"\\([A-Za-z]+|.)\s*")


def _command(m: re.Match[str]) -> str:
    name = m.group(1)
    return _LETTER_COMMANDS.get(name, "")  # accents (\" \' \c …) and markup (\emph, \textit) vanish


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: `M{\\"u}ller`, `Müller` and
    `<i>Müller</i>` all become "muller", so an export's markup never hides a duplicate."""
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "\\" in text:
        text = _COMMAND.sub(_command, text)
    if "{" in text or "}" in text:
        text = text.replace("{", "").replace("}", "")  # `{DNA}`, `{\\"u}`: protection, not word breaks
    if not text.isascii():  # accents off: "Müller" is "Muller"
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub(" ", text.lower()).strip()  # runs of anything else become one space


# -- names ------------------------------------------------------------------------------------
_AND = re.compile(r"\s+and\s+", re.I)
_GROUP_WORDS = frozenset(
    {
        "group", "groups", "team", "organization", "organisation", "committee", "association", "agency",
        "collaboration", "collaborative", "collaborators", "consortium", "institute", "institut", "society",
        "council", "network", "foundation", "ministry", "department", "centre", "center", "centers",
        "office", "board", "commission", "authority", "administration", "investigators", "programme",
        "program", "panel", "federation", "alliance", "coalition", "bureau", "taskforce", "force",
        "secretariat", "service", "services", "registry", "working", "writing",
    }
)  # fmt: skip
_INITIALS = re.compile(r"^[A-Z](?:\.?-?[A-Z]){0,3}\.?$")


def split_names(value: str, limit: int = 0) -> list[str]:
    """Names joined by `and` outside braces: "{Johnson and Johnson}" stays one name.

    With `limit`, stop after that many names (the first author is all a key or a match needs)."""
    if "{" not in value:
        names = _AND.split(value, maxsplit=limit)
    else:
        names, start, depth, seen = [], 0, 0, 0
        for m in _AND.finditer(value):
            depth += value.count("{", seen, m.start()) - value.count("}", seen, m.start())
            seen = m.start()
            if depth <= 0:
                names.append(value[start : m.start()])
                start = m.end()
                if limit and len(names) == limit:
                    break
        names.append(value[start:])
    names = [n.strip() for n in names if n.strip()]
    return names[:limit] if limit else names


def whole_braced(name: str) -> bool:
    """"{R Core Team}": one brace group around the whole name, which BibTeX keeps as it is."""
    if len(name) < 2 or name[0] != "{" or name[-1] != "}":
        return False
    depth = 0
    for i, ch in enumerate(name):
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and i < len(name) - 1:
            return False
    return depth == 0


def is_group_name(name: str) -> bool:
    """A braced name, or a comma-less name of several words one of which names a body
    ("R Core Team", "World Health Organization"): split into given and family it is nonsense."""
    name = name.strip()
    if whole_braced(name):
        return True
    if "," in name:
        return False
    words = re.findall(r"[^\W\d_]+", name.lower())
    return len(words) >= 2 and any(w in _GROUP_WORDS for w in words)


def _initials(token: str) -> str:
    """"JA", "J.A.", "J-P", "L." as BibTeX initials ("J. A.", "J.-P.", "L."); "" if not initials."""
    if not _INITIALS.match(token):
        return ""
    letters = re.findall(r"[A-Z]", token)
    if "." not in token and "-" not in token and len(letters) > 3:
        return ""
    out = ""
    for i, ch in enumerate(token):
        if ch.isalpha():
            out += ch + "."
            nxt = token[i + 1 : i + 3].lstrip(".")
            if nxt.startswith("-"):
                out += "-"
            elif any(c.isalpha() for c in token[i + 1 :]):
                out += " "
    return out


def bibtex_name(name: str) -> str:
    """One author of an export as BibTeX reads it best: "Quintanilla-Dieck L." and "Smith JA"
    become "Quintanilla-Dieck, L." and "Smith, J. A."; "Family, Given" is kept (its initials
    spelt out); a group author is braced whole; anything else ("Anna Müller") is kept."""
    name = " ".join(name.split()).strip(" ,;")
    if not name or whole_braced(name):
        return name
    if is_group_name(name):
        if not _balanced(name):
            name = name.replace("{", "").replace("}", "")
        return "{" + name + "}"
    if "," in name:
        family, _, given = name.partition(",")
        family, given = family.strip(), given.strip()
        tokens = given.split()
        expanded = [_initials(t) for t in tokens]
        if tokens and all(expanded):
            given = " ".join(expanded)
        return f"{family}, {given}" if given and family else family or given
    words = name.split(" ")
    cut = len(words)
    while cut > 1 and _initials(words[cut - 1]):
        cut -= 1
    if cut == len(words) or cut == 0 or _initials(words[0]):
        return name  # no trailing initials, or only initials ("J. A. Smith" is already BibTeX)
    return f"{' '.join(words[:cut])}, {' '.join(_initials(w) for w in words[cut:])}"


def bibtex_names(names: list[str]) -> str:
    """An export's author list as one BibTeX `author` value."""
    return " and ".join(n for n in (bibtex_name(a) for a in names) if n)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def family_words(name: str) -> str:
    """The family part of one BibTeX name, as written: before the comma, else the last word."""
    name = name.strip()
    if "," in name:
        return name.split(",")[0].strip()
    words = name.split()
    return words[-1] if words else ""


def first_family(author: str) -> str:
    """The first author's family name as compared: "van Beethoven, L." and "Ludwig van Beethoven"
    are both "beethoven"; a group author is its whole name ("rcoreteam"), braced or not."""
    names = split_names(author, limit=1)
    if not names:
        return ""
    first = names[0]
    if is_group_name(first):
        return fold(first).replace(" ", "")
    words = family_words(bibtex_name(first)).split()
    kept = [w for w in words if not w[:1].islower()] or words  # drop "van", "de", "von"
    return fold(" ".join(kept)).replace(" ", "")


# -- identity and the index ------------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    """What a reference is compared by; empty parts identify nothing."""

    doi: str
    pmid: str
    title: tuple[str, str, str] | None  # (folded title, year, first author's family)

    def shown(self, by: str) -> str:
        """The matching part in words, for messages."""
        if by == "doi":
            return f"same DOI {self.doi}"
        if by == "pmid":
            return f"same PMID {self.pmid}"
        return "same title, year and first author"


def identity_of(fields: Mapping[str, str]) -> Identity:
    """The identity of a study from its fields (DOI, PMID, folded title with year and first author), to find the
    same study under another key."""
    title = fold(fields.get("title", ""))
    year = year_of(fields.get("year", "") or fields.get("date", ""))
    return Identity(
        doi_key(fields.get("doi", "")),
        pmid_key(fields.get("pmid", "")),
        (title, year, first_family(fields.get("author", ""))) if title else None,
    )


class StudyIndex(Generic[T]):
    """References by DOI, PMID and title + year + first author; the first one added wins."""

    def __init__(self) -> None:
        self.by_doi: dict[str, T] = {}
        self.by_pmid: dict[str, T] = {}
        self.by_title: dict[tuple[str, str, str], T] = {}

    def add(self, identity: Identity, item: T) -> None:
        """Index an item under each identifier it has; the first item for an identifier wins."""
        if identity.doi:
            self.by_doi.setdefault(identity.doi, item)
        if identity.pmid:
            self.by_pmid.setdefault(identity.pmid, item)
        if identity.title:
            self.by_title.setdefault(identity.title, item)

    def find(self, identity: Identity) -> tuple[T, str] | None:
        """The study `identity` is already in the index as, and by what (doi, pmid or title)."""
        if identity.doi and identity.doi in self.by_doi:
            return self.by_doi[identity.doi], "doi"
        if identity.pmid and identity.pmid in self.by_pmid:
            return self.by_pmid[identity.pmid], "pmid"
        if identity.title and identity.title in self.by_title:
            return self.by_title[identity.title], "title"
        return None
