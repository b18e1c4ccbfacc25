"""`evidence refs import`: bring an export (BibTeX, RIS, PubMed MEDLINE) into refs/.

Real exports are imperfect, so the import is tolerant by default: a record that cannot be read
is skipped and reported with its file:line and why, and every other record is imported; a
value that could not be taken as written (a repeated field, a PMID that is not one) is noted
the same way. `strict=True` (`--strict`) refuses the whole file instead when anything in it was
skipped or noted, writing nothing.

Each record is matched against refs/*.bib with the one duplicate rule `check` uses too
(`review.identity`: DOI, then PMID, then title + year + first author); a match is skipped, or
with `merge` the identifiers it adds (DOI, PMID, PMCID) are written into the existing entry. A
differing identifier is never overwritten: it is reported as a conflict. New entries are
appended to one .bib file, keeping every byte already there, and a `crossref`/`xref` naming a
key of the file is rewritten to the key that entry actually has in refs/. Because values are
written exactly as they were compared (`bibentry.canonical`), importing the same file again
adds nothing. Everything is linear in the number of records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

import bibtexparser
from bibtexparser import model

from ..review.atomic import atomic_write_bytes, fingerprint
from ..review.errors import InputError
from ..review.identity import Identity, StudyIndex, doi_key, identity_of, normalise_doi, pmid_key
from ..review.references import Reference, read_bib
from ..review.screening import FOLDER as SCREENING_FOLDER
from . import bibimport, medline, risread
from .bibentry import IDENTIFIERS, ImportedRecord, KeyAllocator, Malformed, base_key, finish, format_entry

PARSERS = {"bibtex": bibimport.parse, "ris": risread.parse, "medline": medline.parse}
_EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".nbib": "medline", ".medline": "medline"}
KEY_RE = re.compile(r"^[A-Za-z0-9_:.\-+/]+$")
LINK_FIELDS = ("crossref", "xref")
Fills = dict[tuple[str, str], dict[str, str]]
"""(bib file, entry key) -> identifiers to add to that entry."""
VERIFY_NOTE = (
    "Imported entries have no url, design or population: `evidence check` flags them "
    "(reference-unverified, reference-field) until a reviewer checks each against its public page "
    "and fills them in."
)


@dataclass(frozen=True)
class Match:
    """An existing reference a record duplicates, and what the record would add to it."""

    reference: Reference
    by: str  # doi | pmid | title
    fill: dict[str, str]  # identifiers the record has and the entry lacks
    conflicts: dict[str, tuple[str, str]]  # identifier -> (existing, imported) when they differ
    identity: Identity


@dataclass
class ImportSummary:
    source: str
    format: str
    target: str
    dry_run: bool
    added: list[tuple[str, ImportedRecord]] = field(default_factory=list)  # (new key, record)
    merged: list[tuple[Match, ImportedRecord]] = field(default_factory=list)
    skipped: list[tuple[ImportedRecord, str]] = field(default_factory=list)  # (record, why)
    written: list[str] = field(default_factory=list)
    unreadable: list[Malformed] = field(default_factory=list)  # records left out: file:line and why
    notes: list[Malformed] = field(default_factory=list)  # records imported with something dropped

    @property
    def reported(self) -> list[Malformed]:
        """Everything in the file that was not taken as written, in file order."""
        return sorted([*self.unreadable, *self.notes], key=lambda m: m.line)


class Export(NamedTuple):
    """An import file as read: its format, the records that could be read, and the rest."""

    format: str
    records: list[ImportedRecord]
    problems: list[Malformed]


# -- reading ------------------------------------------------------------------------------
def decode(data: bytes, rel: str) -> str:
    """UTF-8 (a byte-order mark dropped); anything else is refused with the line it is on."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"{rel}:{line}: bytes {data[err.start : err.start + 4]!r} are not UTF-8; export the file as UTF-8"
        ) from None


def detect_format(text: str, path: Path) -> str:
    """By content: the first line that only one format would write decides; else the extension."""
    for line in text.splitlines()[:200]:
        if re.match(r"^\s*@\s*[A-Za-z]+\s*[{(]", line):
            return "bibtex"
        if re.match(r"^TY\s{1,2}-", line):
            return "ris"
        if re.match(r"^PMID\s*-", line):
            return "medline"
    if path.suffix.lower() in _EXTENSIONS:
        return _EXTENSIONS[path.suffix.lower()]
    raise InputError(f"{path.name}: not recognised as BibTeX (@article{{...), RIS (TY  - ) or PubMed MEDLINE (PMID- )")


def read_records(path: Path, rel: str, strict: bool = False) -> Export:
    """Format, readable records and unreadable places of an import file.

    With `strict`, any unreadable or noted place is an InputError listing every one of them."""
    if not Path(path).is_file():  # a FIFO or device would block the read forever
        raise InputError(f"{rel}: not a regular file; export the references to a file and import that")
    text = decode(Path(path).read_bytes(), rel)
    fmt = detect_format(text, Path(path))
    records, problems = PARSERS[fmt](text, rel)
    for rec in records:
        problems.extend(finish(rec))
    problems.sort(key=lambda m: m.line)
    if strict and problems:
        raise InputError(
            f"{rel}: {len(problems)} place(s) of this {fmt} file could not be read as written; "
            "nothing was imported (--strict):\n" + "\n".join(str(p) for p in problems)
        )
    return Export(fmt, records, problems)


# -- matching -------------------------------------------------------------------------------
def _pmcid(value: str) -> str:
    """PMCIDs compared without regard to case ("pmc123" is PMC123)."""
    return value.strip().upper()


_COMPARE = {"doi": lambda v: doi_key(v) or normalise_doi(v), "pmid": lambda v: pmid_key(v) or v.strip(), "pmcid": _pmcid}


class RefIndex:
    """Existing references, for matching (the duplicate rule of `review.identity`) and for keys."""

    def __init__(self, references: list[Reference]):
        self.studies: StudyIndex[Reference] = StudyIndex()
        self.keys = KeyAllocator(ref.key for ref in references)
        self.by_key: dict[str, Reference] = {}
        for ref in references:
            self.studies.add(identity_of(ref.fields), ref)
            self.by_key.setdefault(ref.key.lower(), ref)

    def add(self, ref: Reference, identity: Identity) -> None:
        """Index a stored reference by key and by study identity (DOI, PMID, title-year-author)."""
        self.keys.take(ref.key)
        self.by_key.setdefault(ref.key.lower(), ref)
        self.studies.add(identity, ref)

    def match(self, rec: ImportedRecord, identity: Identity | None = None) -> Match | None:
        """The stored reference that is the same study as `rec`, with the fields it could fill and those that
        conflict; None when new."""
        identity = identity or identity_of(rec.fields)
        found = self.studies.find(identity)
        if found is None:
            return None
        ref, by = found
        fill: dict[str, str] = {}
        conflicts: dict[str, tuple[str, str]] = {}
        for name in IDENTIFIERS:
            mine, theirs = rec.get(name).strip(), ref.get(name).strip()
            if not mine:
                continue
            if not theirs:
                fill[name] = mine
            elif _COMPARE[name](mine) != _COMPARE[name](theirs):
                conflicts[name] = (_COMPARE[name](theirs), _COMPARE[name](mine))
        return Match(ref, by, fill, conflicts, identity)


# -- writing ----------------------------------------------------------------------------------
@dataclass
class _BibText:
    """A .bib file as read, so that writes can be refused if it changed meanwhile."""

    path: Path
    data: bytes
    fingerprint: str

    @classmethod
    def read(cls, path: Path) -> _BibText:
        if path.exists() and not path.is_file():
            raise InputError(f"{path.name}: not a regular file; nothing was imported into it")
        data = path.read_bytes() if path.exists() else b""
        return cls(path, data, fingerprint(data))


def _insert_fields(text: str, additions: dict[str, dict[str, str]], rel: str) -> str:
    """Add fields at the end of each named entry, touching no other character of the file.

    The file is parsed once for all its entries and rebuilt once from its pieces, so merging
    many records costs one parse and one copy, not one of each per record."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    places: list[tuple[int, str, dict[str, str]]] = []
    entries = {b.key: b for b in library.blocks if isinstance(b, model.Entry)}
    for key, fields in additions.items():
        entry = entries.get(key)
        if entry is None or not entry.raw:
            raise InputError(f"{rel}: entry {key!r} not found when merging; nothing was written")
        at = text.find(entry.raw, line_starts[min(entry.start_line or 0, len(line_starts) - 1)])
        if at < 0:
            raise InputError(f"{rel}: entry {key!r} could not be located when merging; nothing was written")
        places.append((at, entry.raw, fields))
    pieces: list[str] = []
    done = 0
    for at, raw, fields in sorted(places, key=lambda p: p[0]):
        if at < done:
            raise InputError(f"{rel}: two merged entries overlap; nothing was written")
        close = len(raw) - 1
        body = raw[:close].rstrip()
        newline = "\r\n" if "\r\n" in raw else "\n"
        indent = next((m.group(1) for m in re.finditer(r"\n([ \t]+)\S", raw)), "  ")
        added = "".join(f"{newline}{indent}{name} = {{{value}}}," for name, value in fields.items())
        pieces += [text[done:at], body, "" if body.endswith((",", "{", "(")) else ",", added, raw[len(body) :]]
        done = at + len(raw)
    pieces.append(text[done:])
    return "".join(pieces)


def _split_bom(data: bytes, rel: str) -> tuple[bytes, str]:
    """A .bib file's byte-order mark (kept as it was) and its text; one that is not UTF-8 is
    left alone: rewriting it would change bytes nobody asked to change."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return (b"\xef\xbb\xbf" if bom else b""), data[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{rel}: not UTF-8 (see `evidence check`); nothing was written") from None


def import_references(
    review: str | Path,
    file: str | Path,
    into: str | Path = "refs/imported.bib",
    dry_run: bool = False,
    merge: bool = False,
    keep_keys: bool = False,
    today: date | None = None,
    strict: bool = False,
    fields: Mapping[str, str] | None = None,
) -> ImportSummary:
    """Import `file` into the review's refs/ (see the module docstring for the rules).

    `into` may also be a .bib file of the screening library (screening/), where records wait to be
    screened; records are matched against refs/ and the library alike. `fields` are written into
    every new entry (the screening library's `search`, naming the search the record came from)."""
    root = Path(review).resolve()
    path = Path(file)
    target = Path(into) if Path(into).is_absolute() else root / into
    folders = {(root / name).resolve(): name for name in ("refs", SCREENING_FOLDER)}
    if target.suffix != ".bib" or target.parent.resolve() not in folders:
        raise InputError(f"--into {into}: must be a .bib file directly in {root / 'refs'} (the review reads refs/*.bib)")
    target_rel = f"{folders[target.parent.resolve()]}/{target.name}"
    export = read_records(path, str(file), strict=strict)

    bibs = {p.resolve(): _BibText.read(p) for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.bib")) if p.is_file()}
    bibs.setdefault(target.resolve(), _BibText.read(target))
    existing = [ref for p in sorted(bibs) if bibs[p].data for ref in read_bib(p, str(p.relative_to(root))).references]
    index = RefIndex(existing)
    summary = ImportSummary(str(file), export.format, target_rel, dry_run)
    summary.unreadable = [p for p in export.problems if p.skipped]
    summary.notes = [p for p in export.problems if not p.skipped]
    fills: Fills = {}
    final_keys: dict[str, str] = {}  # key as written in the file (folded) -> key in refs/

    for rec in export.records:
        if not rec.get("title"):
            summary.skipped.append((rec, "no title: nothing to identify the study by"))
            continue
        identity = identity_of(rec.fields)
        found = index.match(rec, identity)
        if found is not None:
            _skip_or_merge(found, rec, merge, summary, fills)
            if rec.key:
                final_keys.setdefault(rec.key.lower(), found.reference.key)
            continue
        if keep_keys and rec.key and KEY_RE.match(rec.key) and rec.key not in index.keys:
            key = index.keys.take(rec.key)
        else:
            key = index.keys.new(base_key(rec.fields))
        rec.fields.update(fields or {})
        summary.added.append((key, rec))
        if rec.key:
            final_keys.setdefault(rec.key.lower(), key)
        index.add(Reference(key, rec.entry_type, rec.fields, target_rel, 0), identity)

    _link(summary, final_keys, index)
    if not dry_run and (summary.added or fills):
        summary.written = _write(root, target, bibs, summary, fills, today or date.today())
    return summary


def _link(summary: ImportSummary, final_keys: dict[str, str], index: RefIndex) -> None:
    """Point each added entry's crossref/xref at the key its target actually has in refs/."""
    for _, rec in summary.added:
        for name in LINK_FIELDS:
            value = rec.fields.get(name, "")
            if not value:
                continue
            targets = [v.strip() for v in value.split(",") if v.strip()]
            linked = []
            for target in targets:
                if target.lower() in final_keys:
                    linked.append(final_keys[target.lower()])
                elif target.lower() in index.by_key:
                    linked.append(index.by_key[target.lower()].key)
                else:
                    linked.append(target)
                    summary.notes.append(
                        Malformed(rec.source, rec.line, f"{name} {target!r} names no entry of this file or of refs/", False)
                    )
            rec.fields[name] = ",".join(linked)


def _skip_or_merge(found: Match, rec: ImportedRecord, merge: bool, summary: ImportSummary, fills: Fills) -> None:
    ref = found.reference
    what = {"doi": "same DOI", "pmid": "same PMID"}.get(found.by, "same title, year and first author")
    where = f"{ref.file}:{ref.line}" if ref.line else "added from this file"
    same = f"{what} as {ref.key} ({where})"
    if found.conflicts:
        diff = "; ".join(f"{k} {old} there, {new} here" for k, (old, new) in found.conflicts.items())
        summary.skipped.append((rec, f"{same}, but {diff}: check by hand, nothing was changed"))
    elif found.fill and merge and ref.line:
        fills.setdefault((ref.file, ref.key), {}).update(found.fill)
        summary.merged.append((found, rec))
    elif found.fill and ref.line:
        adds = ", ".join(f"{k} {v}" for k, v in found.fill.items())
        summary.skipped.append((rec, f"{same}; it lacks {adds} (run with --merge to add)"))
    else:
        summary.skipped.append((rec, f"duplicate: {same}"))


def _write(
    root: Path, target: Path, bibs: dict[Path, _BibText], summary: ImportSummary, fills: Fills, today: date
) -> list[str]:
    """Compute every changed file first, check none changed on disk, then write each atomically."""
    new_texts: dict[Path, bytes] = {}
    per_file: dict[str, dict[str, dict[str, str]]] = {}
    for (rel, key), fields in fills.items():
        per_file.setdefault(rel, {})[key] = fields
    for rel, additions in per_file.items():
        p = (root / rel).resolve()
        bom, text = _split_bom(bibs[p].data, rel)
        new_texts[p] = bom + _insert_fields(text, additions, rel).encode("utf-8")
    if summary.added:
        t = target.resolve()
        bom, text = _split_bom(new_texts.get(t, bibs[t].data), summary.target)
        newline = "\r\n" if "\r\n" in text else "\n"
        if text and not text.endswith("\n"):
            text += newline
        block = [
            f"% Imported by evidence refs import from {_comment(Path(summary.source).name)} on {today.isoformat()}.",
            "% Screen each record (evidence screen); included ones are copied to refs/ and verified there."
            if summary.target.startswith(f"{SCREENING_FOLDER}/")
            else "% Verify each entry against its public page, then add url, design and population.",
            "",
        ]
        for key, rec in summary.added:
            block += [format_entry(rec.entry_type, key, rec.fields, newline), ""]
        text += (newline if text else "") + newline.join(block)
        new_texts[t] = bom + text.encode("utf-8")
    for p in new_texts:
        if fingerprint(p.read_bytes() if p.exists() else b"") != bibs[p].fingerprint:
            raise InputError(f"{p.relative_to(root)}: the file changed on disk since it was read; nothing was written")
    for p, data in new_texts.items():
        p.parent.mkdir(parents=True, exist_ok=True)  # a new review may not have refs/ yet
        atomic_write_bytes(p, data, expected=bibs[p].fingerprint)
    return [str(p.relative_to(root.resolve())) for p in new_texts]


def _comment(text: str) -> str:
    """A file name safe inside a one-line `%` comment (no line break, no `@` to start an entry)."""
    return " ".join(text.replace("@", "(at)").split())
