"""One imported bibliographic record, its citation key and its BibTeX text.

Every import format (BibTeX, RIS, PubMed MEDLINE) is read into `ImportedRecord`, so cleaning,
deduplication, keys and writing are written once. Keys follow the review's convention (first
author's family name + year + first significant title word, lower-case ASCII:
`garciaromeu2020kratom`) so an imported study gets the key a reviewer would have typed.

Values are made *canonical* before anything compares them: white space collapsed, control
characters dropped, braces that cannot be balanced removed. That is exactly the text that is
written between the field's braces and that `read_bib` reads back, so an entry written by one
import is recognised by the next one, whatever the export looked like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..review.identity import (
    DOI_RE,
    bibtex_name,
    family_words,
    fold,
    is_group_name,
    pmid_key,
    split_names,
    strip_doi,
    year_of,
)
from ..review.problems import FORBIDDEN_CONTROL
from ..review.references import Identifiers

STANDARD_ORDER: tuple[str, ...] = (
    "author", "title", "journal", "booktitle", "publisher", "year", "volume", "number", "pages",
    "doi", "pmid", "pmcid",
)  # fmt: skip
IDENTIFIERS: tuple[str, ...] = ("doi", "pmid", "pmcid")

_TITLE_STOPWORDS = frozenset(
    {
        "a", "an", "the", "of", "on", "in", "and", "or", "for", "to", "with", "from", "by", "at", "as",
        "is", "are", "was", "were", "be", "its", "into", "via", "do", "does", "can", "how", "what",
        "why", "when", "who", "which", "whether", "toward", "towards", "about", "between", "among",
    }
)  # fmt: skip
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_\-:.+]*$")


@dataclass(frozen=True)
class Malformed:
    """A place in an import file that could not be taken as written, reported as file:line: message.

    `skipped` records were left out (unreadable); the others were imported with the part named
    in the message dropped or taken once. `--strict` refuses a file with either."""

    file: str
    line: int
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class ImportedRecord(Identifiers):
    """A record from an import file, with BibTeX field names."""

    source: str  # file as shown in messages
    line: int  # 1-based line where the record starts
    entry_type: str
    fields: dict[str, str] = field(default_factory=dict)
    key: str = ""  # the key the file gave, if any (BibTeX only)

    @property
    def where(self) -> str:
        """file:line of the record in the export, for messages that point at it."""
        return f"{self.source}:{self.line}"


def canonical(value: str) -> str:
    """A value as written and read back: one line, no control characters, braces balanced
    (when they cannot be, they are dropped: an unbalanced brace would break the file)."""
    if value.isprintable() and "  " not in value and "{" not in value and "}" not in value:
        value = value.strip()
        if not value.endswith("\\"):
            return value  # the common case, without the work below
    if FORBIDDEN_CONTROL.search(value):
        value = FORBIDDEN_CONTROL.sub(" ", value)
    if "{" in value or "}" in value:
        value = re.sub(r"\\+(?=[{}])", "", value)  # bibtexparser skips an escaped brace; BibTeX counts it
        depth = 0
        for ch in value:
            depth += (ch == "{") - (ch == "}")
            if depth < 0:
                break
        if depth != 0:
            value = value.replace("{", "").replace("}", "")
    value = " ".join(value.split())
    if value.endswith("\\"):
        value = value.rstrip("\\").rstrip()  # a final backslash would escape the closing brace
    return value


def finish(rec: ImportedRecord) -> list[Malformed]:
    """Make a record's values canonical and its identifiers those `check` accepts.

    A DOI loses its resolver URL or `doi:` label; a DOI, PMID or PMCID that is still not well
    formed is left out (with a note), so it neither reaches refs/ nor decides a duplicate."""
    notes: list[Malformed] = []
    fields: dict[str, str] = {}
    for name, value in rec.fields.items():
        name = name.strip().lower()
        value = canonical(value)
        if value and _FIELD_NAME.match(name):
            fields.setdefault(name, value)
    if "doi" in fields:
        doi = canonical(strip_doi(fields["doi"]))
        if DOI_RE.match(doi):
            fields["doi"] = doi
        else:
            notes.append(Malformed(rec.source, rec.line, f"doi {fields['doi'][:60]!r} is not a DOI; left out", False))
            del fields["doi"]
    if "pmid" in fields and not pmid_key(fields["pmid"]):
        notes.append(
            Malformed(rec.source, rec.line, f"pmid {fields['pmid'][:60]!r} is not a PMID (1 to 9 digits); left out", False)
        )
        del fields["pmid"]
    if "pmcid" in fields:
        m = re.fullmatch(r"(?i)(?:PMC)?(\d{1,9})", fields["pmcid"].replace(" ", ""))
        if m:
            fields["pmcid"] = f"PMC{m.group(1)}"
        else:
            notes.append(Malformed(rec.source, rec.line, f"pmcid {fields['pmcid'][:60]!r} is not a PMCID; left out", False))
            del fields["pmcid"]
    rec.fields = fields
    rec.entry_type = rec.entry_type.strip().lower() if _FIELD_NAME.match(rec.entry_type.strip().lower()) else "misc"
    return notes


# -- keys ---------------------------------------------------------------------------------------------
def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits only: `{\\"u}`, `\\c{c}` and `ü` fold to plain letters."""
    return fold(text).replace(" ", "")


def family_name(author: str) -> str:
    """Family name of the first author, as a key part: "Garcia-Romeu, Albert" -> garciaromeu,
    "Quintanilla-Dieck L." -> quintanilladieck, "{World Health Organization}" -> world."""
    names = split_names(author, limit=1)
    if not names:
        return ""
    first = names[0]
    if is_group_name(first):  # an organisation: its first real word
        words = [w for w in fold(first).split() if w not in _TITLE_STOPWORDS and len(w) > 1 and not w.isdigit()]
        return words[0] if words else ascii_word(first)
    return ascii_word(family_words(bibtex_name(first)))


def title_word(title: str) -> str:
    """The first significant title word, as a key part; one-letter words only when nothing else is left."""
    words = [w for w in fold(title).split() if not w.isdigit() and w not in _TITLE_STOPWORDS]
    return next((w for w in words if len(w) > 1), words[0] if words else "")  # "R: A Language" -> language


def base_key(fields: Mapping[str, str]) -> str:
    """The key stem a reviewer would type: family + year + title word (`anon`, `nd` when missing)."""
    family = family_name(fields.get("author", "")) or title_word(fields.get("journal", "")) or "anon"
    return f"{family}{year_of(fields.get('year', '')) or 'nd'}{title_word(fields.get('title', ''))}"


def _suffix(n: int) -> str:
    """a, b, …, z, aa, ab, …, zz, aaa, …: the n-th (0-based) of an endless sequence."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


class KeyAllocator:
    """Keys in use (compared ignoring case) and, per stem, where the suffix search stopped.

    Each new key costs constant time on average, so importing n records is linear in n, and
    there is no last suffix: after zz comes aaa."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.used: set[str] = {k.lower() for k in taken}
        self._next: dict[str, int] = {}

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self.used

    def take(self, key: str) -> str:
        """Reserve an existing key (case-insensitively, as citation tools compare them) and return it."""
        self.used.add(key.lower())
        return key

    def new(self, stem: str) -> str:
        """`stem`, or `stem` + the first free suffix."""
        if stem.lower() not in self.used:
            return self.take(stem)
        n = self._next.get(stem, 0)
        while (stem + _suffix(n)).lower() in self.used:
            n += 1
        self._next[stem] = n + 1
        return self.take(stem + _suffix(n))


def make_key(fields: Mapping[str, str], taken: Iterable[str]) -> str:
    """The conventional key; a, b, c … appended while it clashes (ignoring case)."""
    return KeyAllocator(taken).new(base_key(fields))


def format_entry(entry_type: str, key: str, fields: Mapping[str, str], newline: str = "\n") -> str:
    """An entry in the review's own layout (two-space indent, braces, trailing commas)."""
    names = [n for n in STANDARD_ORDER if fields.get(n)]
    names += [n for n in fields if n not in names and fields[n]]
    lines = [f"@{entry_type}{{{key},"]
    lines += [f"  {name} = {{{canonical(fields[name])}}}," for name in names]
    lines.append("}")
    return newline.join(lines)
