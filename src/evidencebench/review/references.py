"""References: refs/*.bib read with bibtexparser 2, problems collected, never raised."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model

from .problems import Problem, problem

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

BIBTEX_MONTHS = {m: m for m in ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]}
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
_BARE_VALUE = re.compile(r"^[A-Za-z][\w\-:.+]*$")


class Identifiers:
    """DOI and PMID as compared for deduplication; shared by stored and imported records."""

    fields: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def doi(self) -> str:
        return normalise_doi(self.get("doi"))

    @property
    def pmid(self) -> str:
        return self.get("pmid").strip()


@dataclass
class Reference(Identifiers):
    key: str
    entry_type: str
    fields: dict[str, str]
    file: str  # relative path of the .bib file
    line: int  # 1-based line of the entry


@dataclass
class BibFile:
    path: Path
    rel: str
    references: list[Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalise_doi(doi: str) -> str:
    doi = doi.strip()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
    return doi.lower()


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def clean_value(value: str) -> str:
    """Field text as a reader sees it: outer braces dropped, white space collapsed."""
    value = value.strip()
    while len(value) >= 2 and value[0] == "{" and value[-1] == "}" and _balanced(value[1:-1]):
        value = value[1:-1].strip()
    return re.sub(r"\s+", " ", value)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def read_bib(path: Path, rel: str) -> BibFile:
    out = BibFile(path=path, rel=rel)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        out.problems.append(problem(rel, 0, "file-unreadable", str(err)))
        return out
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        out.problems.append(problem(rel, line, "text-encoding", f"bytes {raw[err.start:err.start + 4]!r} are not UTF-8"))
        text = raw.decode("utf-8", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        text = text[1:]
    parse_and_collect(text, out)
    return out


def parse_and_collect(text: str, out: BibFile) -> None:
    rel = out.rel
    library = bibtexparser.parse_string(text, parse_stack=[])
    strings = dict(BIBTEX_MONTHS)
    for block in library.strings:
        strings[block.key.lower()] = block.value
    seen_case: dict[str, str] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock):
            out.problems.append(
                problem(rel, line, "bib-duplicate-key", f"entry key {block.key!r} is used twice")
            )
            continue
        if isinstance(block, model.ParsingFailedBlock):
            if re.match(r"@\w+\s*[{(]\s*(,|[\w-]+\s*=)", block.raw or ""):
                out.problems.append(problem(rel, line, "bib-missing-key", "entry has no citation key"))
                continue
            first = (block.raw or "").strip().splitlines()[0][:60] if block.raw else ""
            out.problems.append(problem(rel, line, "bib-parse", f"entry could not be parsed: {first!r}"))
            continue
        if not isinstance(block, model.Entry):
            continue
        key = block.key.strip()
        if not key or "=" in key:
            out.problems.append(problem(rel, line, "bib-missing-key", "entry has no citation key"))
            continue
        folded = key.lower()
        if folded in seen_case:
            out.problems.append(
                problem(rel, line, "bib-key-case", f"key {key!r} differs only in case from {seen_case[folded]!r}")
            )
            continue
        seen_case[folded] = key
        values: dict[str, str] = {}
        for f in block.fields:
            values[f.key.lower()] = _resolve(f.value, strings, rel, line, key, f.key, out.problems)
        out.references.append(Reference(key, block.entry_type.lower(), values, rel, line))


def _resolve(raw: str, strings: dict[str, str], rel: str, line: int, key: str, name: str, problems: list[Problem]) -> str:
    """Expand @string macros in a raw field value; an undefined macro is a problem."""
    raw = raw.strip()
    if raw.startswith(("{", '"')) and "#" not in raw:
        return clean_value(raw[1:-1] if raw.startswith('"') else raw)
    parts = [p.strip() for p in _split_concat(raw)]
    out = []
    for part in parts:
        if part.startswith("{") or part.startswith('"'):
            out.append(clean_value(part[1:-1]))
        elif part.isdigit():
            out.append(part)
        elif _BARE_VALUE.match(part):
            if part.lower() in strings:
                out.append(clean_value(strings[part.lower()].strip('"')))
            else:
                problems.append(
                    problem(rel, line, "bib-undefined-string", f"{key}: field {name!r} uses undefined @string {part!r}")
                )
                out.append(part)
        else:
            out.append(part)
    return clean_value("".join(out))


def _split_concat(raw: str) -> list[str]:
    parts, depth, quote, cur = [], 0, False, []
    for ch in raw:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quote = not quote
        if ch == "#" and depth == 0 and not quote:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts
