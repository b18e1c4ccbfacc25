"""References: refs/*.bib read with bibtexparser 2, problems collected, never raised."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model

from .files import FileTrouble, read_bytes
from .identity import DOI_RE as DOI_RE  # re-exported: check and older callers import them from here
from .identity import PMID_RE as PMID_RE
from .identity import normalise_doi
from .problems import Problem, problem

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

BIBTEX_MONTHS = {m: m for m in ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]}
_DELIMITERS = ("{", '"')
_CLOSING = {"{": "}", '"': '"'}
_BARE_VALUE = re.compile(r"^[A-Za-z][\w\-:.+]*$")


class Identifiers:
    """DOI and PMID as compared for deduplication; shared by stored and imported records."""

    fields: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        """A field's value ('' or `default` when absent)."""
        return self.fields.get(name, default)

    @property
    def doi(self) -> str:
        """The DOI normalised for comparison."""
        return normalise_doi(self.get("doi"))

    @property
    def pmid(self) -> str:
        """The PMID as written, trimmed."""
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


def normalise_title(title: str) -> str:
    """A title folded for comparison: ASCII, lower case, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def read_bib(path: Path, rel: str) -> BibFile:
    """One .bib file read into references and problems; never raises."""
    out = BibFile(path=path, rel=rel)
    try:
        raw = read_bytes(Path(path))
    except FileTrouble as trouble:
        out.problems.append(problem(rel, 1, "file-special" if trouble.kind == "special" else "file-unreadable", f"{rel} {trouble.reason}"))
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
    """Parse BibTeX text into `out`, recording a problem for every entry that cannot be used."""
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
            raw = f.value.strip()
            if len(raw) >= 2 and raw[0] in _DELIMITERS and raw[-1] == _CLOSING[raw[0]] and "#" not in raw:
                # one braced or quoted value, the usual case: its delimiters off, white space folded
                values[f.key.lower()] = " ".join(raw[1:-1].split())
            else:
                values[f.key.lower()] = _resolve(raw, strings, rel, line, key, f.key, out.problems)
        out.references.append(Reference(key, block.entry_type.lower(), values, rel, line))


def _resolve(raw: str, strings: dict[str, str], rel: str, line: int, key: str, name: str, problems: list[Problem]) -> str:
    """Expand @string macros in a raw field value; an undefined macro is a problem."""
    raw = raw.strip()
    if raw.startswith(("{", '"')) and "#" not in raw:
        return _unwrap(raw)
    parts = [p.strip() for p in _split_concat(raw)]
    out = []
    for part in parts:
        if part.startswith("{") or part.startswith('"'):
            out.append(_unwrap(part))
        elif part.isdigit():
            out.append(part)
        elif _BARE_VALUE.match(part):
            if part.lower() in strings:
                out.append(_unwrap(strings[part.lower()]))
            else:
                problems.append(
                    problem(rel, line, "bib-undefined-string", f"{key}: field {name!r} uses undefined @string {part!r}")
                )
                out.append(part)
        else:
            out.append(part)
    return " ".join("".join(out).split())


def _unwrap(value: str) -> str:
    """A value without its one pair of delimiters, as BibTeX reads it: `{{R Core Team}}` is the
    name "{R Core Team}", still braced, so it stays one (group) author on every later read."""
    value = value.strip()
    if len(value) >= 2 and (value[0], value[-1]) in (("{", "}"), ('"', '"')):
        value = value[1:-1]
    return " ".join(value.split())


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
