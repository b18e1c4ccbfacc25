"""One imported bibliographic record, its citation key and its BibTeX text.

Every import format (BibTeX, RIS, PubMed MEDLINE) is read into `ImportedRecord`, so
deduplication, keys and writing are written once. Keys follow the review's convention
(first author's family name + year + first significant title word, lower-case ASCII:
`garciaromeu2020kratom`) so an imported study gets the key a reviewer would have typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Malformed:
    """A place in an import file that cannot be read; reported as file:line: message."""

    file: str
    line: int
    message: str

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
        return f"{self.source}:{self.line}"


def strip_resolver(doi: str) -> str:
    """A DOI without https://doi.org/ or doi:, its case kept as published (matching folds case)."""
    return re.sub(r"^\s*(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits only: `{\\"u}` and `ü` both become `u`."""
    text = re.sub(r"\\[a-zA-Z]+\s*|\\.", lambda m: m.group(0)[1:] if m.group(0)[1:2].isalpha() else "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def split_authors(author: str) -> list[str]:
    return [a.strip() for a in re.split(r"\s+and\s+", author.strip()) if a.strip()]


def family_name(author: str) -> str:
    """Family name of the first author, as a key part: "Garcia-Romeu, Albert" -> garciaromeu."""
    names = split_authors(author)
    if not names:
        return ""
    first = names[0]
    if first.startswith("{") and first.endswith("}"):  # an organisation: its first real word
        words = [w for w in re.findall(r"[^\W\d_]+", first) if w.lower() not in _TITLE_STOPWORDS]
        return ascii_word(words[0]) if words else ""
    family = first.split(",")[0] if "," in first else (first.split() or [""])[-1]
    return ascii_word(family)


def title_word(title: str) -> str:
    for token in re.findall(r"[^\W_]+", re.sub(r"[{}\\]", "", title)):
        word = ascii_word(token)
        if word and not word.isdigit() and word not in _TITLE_STOPWORDS:
            return word
    return ""


def year_of(value: str) -> str:
    m = re.search(r"(1[5-9]|20)\d\d", value)
    return m.group(0) if m else ""


def base_key(fields: Mapping[str, str]) -> str:
    family = family_name(fields.get("author", "")) or title_word(fields.get("journal", "")) or "anon"
    return f"{family}{year_of(fields.get('year', '')) or 'nd'}{title_word(fields.get('title', ''))}"


def make_key(fields: Mapping[str, str], taken: Iterable[str]) -> str:
    """The conventional key; a, b, c ... appended while it clashes (ignoring case)."""
    used = {k.lower() for k in taken}
    base = base_key(fields)
    if base not in used:
        return base
    for n in range(26 * 27):
        suffix = chr(97 + n % 26) if n < 26 else chr(97 + n // 26 - 1) + chr(97 + n % 26)
        if base + suffix not in used:
            return base + suffix
    raise ValueError(f"no free key for {base}")


def _braced(value: str) -> str:
    """The value in braces; braces it cannot balance are dropped (they would break the file)."""
    depth = 0
    for ch in value:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            break
    if depth != 0:
        value = value.replace("{", "").replace("}", "")
    return "{" + " ".join(value.split()) + "}"


def format_entry(entry_type: str, key: str, fields: Mapping[str, str], newline: str = "\n") -> str:
    """An entry in the review's own layout (two-space indent, braces, trailing commas)."""
    names = [n for n in STANDARD_ORDER if fields.get(n)]
    names += [n for n in fields if n not in names and fields[n]]
    lines = [f"@{entry_type}{{{key},"]
    lines += [f"  {name} = {_braced(fields[name])}," for name in names]
    lines.append("}")
    return newline.join(lines)
