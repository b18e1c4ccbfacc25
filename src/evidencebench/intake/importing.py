"""`evidence refs import`: bring an export (BibTeX, RIS, PubMed MEDLINE) into refs/.

An import is one transaction. The whole file is read first; if any record is malformed
nothing is written and every bad line is reported, so the user fixes the export and runs
again (records already imported are then skipped as duplicates). Each record is matched
against refs/*.bib by DOI, PMID, then title + year + first author; a match is skipped,
or with `merge` the identifiers it adds (DOI, PMID, PMCID) are written into the existing
entry. A differing identifier is never overwritten: it is reported as a conflict. New
entries are appended to one .bib file, keeping every byte already there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import bibtexparser
from bibtexparser import model

from ..review.atomic import atomic_write_bytes, fingerprint
from ..review.errors import InputError
from ..review.references import Reference, normalise_title, read_bib
from . import bibimport, medline, risread
from .bibentry import IDENTIFIERS, ImportedRecord, family_name, format_entry, make_key, year_of

PARSERS = {"bibtex": bibimport.parse, "ris": risread.parse, "medline": medline.parse}
_EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".nbib": "medline", ".medline": "medline"}
KEY_RE = re.compile(r"^[A-Za-z0-9_:.\-+/]+$")
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


def read_records(path: Path, rel: str) -> tuple[str, list[ImportedRecord]]:
    """Format and records of an import file; InputError listing every malformed place."""
    text = decode(Path(path).read_bytes(), rel)
    fmt = detect_format(text, Path(path))
    records, errors = PARSERS[fmt](text, rel)
    if errors:
        raise InputError(
            f"{rel}: {len(errors)} malformed place(s) in this {fmt} file; nothing was imported:\n"
            + "\n".join(str(e) for e in sorted(errors, key=lambda e: e.line))
        )
    return fmt, records


# -- matching -------------------------------------------------------------------------------
def _title_key(title: str, year: str, author: str) -> tuple[str, str, str] | None:
    t = normalise_title(re.sub(r"[{}\\]", "", title))
    return (t, year_of(year), family_name(author)) if t else None


class RefIndex:
    """Existing references by DOI, PMID and title + year + first author, for matching."""

    def __init__(self, references: list[Reference]):
        self.by_doi: dict[str, Reference] = {}
        self.by_pmid: dict[str, Reference] = {}
        self.by_title: dict[tuple[str, str, str], Reference] = {}
        self.keys: set[str] = set()
        for ref in references:
            self.add(ref)

    def add(self, ref: Reference) -> None:
        self.keys.add(ref.key.lower())
        if ref.doi:
            self.by_doi.setdefault(ref.doi, ref)
        if ref.pmid:
            self.by_pmid.setdefault(ref.pmid, ref)
        tk = _title_key(ref.get("title"), ref.get("year"), ref.get("author"))
        if tk:
            self.by_title.setdefault(tk, ref)

    def match(self, rec: ImportedRecord) -> Match | None:
        found = None
        if rec.doi and rec.doi in self.by_doi:
            found = (self.by_doi[rec.doi], "doi")
        elif rec.pmid and rec.pmid in self.by_pmid:
            found = (self.by_pmid[rec.pmid], "pmid")
        else:
            tk = _title_key(rec.get("title"), rec.get("year"), rec.get("author"))
            if tk and tk in self.by_title:
                found = (self.by_title[tk], "title")
        if found is None:
            return None
        ref, by = found
        mine = {"doi": rec.doi, "pmid": rec.pmid, "pmcid": rec.get("pmcid").strip()}
        theirs = {"doi": ref.doi, "pmid": ref.pmid, "pmcid": ref.get("pmcid").strip()}
        fill = {k: rec.get(k).strip() for k in IDENTIFIERS if mine[k] and not theirs[k]}
        conflicts = {k: (theirs[k], mine[k]) for k in IDENTIFIERS if mine[k] and theirs[k] and mine[k] != theirs[k]}
        return Match(ref, by, fill, conflicts)


# -- writing ----------------------------------------------------------------------------------
@dataclass
class _BibText:
    """A .bib file as read, so that writes can be refused if it changed meanwhile."""

    path: Path
    data: bytes
    fingerprint: str

    @classmethod
    def read(cls, path: Path) -> _BibText:
        data = path.read_bytes() if path.exists() else b""
        return cls(path, data, fingerprint(data))


def _insert_fields(text: str, key: str, fields: dict[str, str], rel: str) -> str:
    """Add fields at the end of one entry, touching no other character of the file."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    entry = next((b for b in library.blocks if isinstance(b, model.Entry) and b.key == key), None)
    if entry is None or not entry.raw:
        raise InputError(f"{rel}: entry {key!r} not found when merging; nothing was written")
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    at = text.find(entry.raw, line_starts[entry.start_line or 0])
    if at < 0:
        raise InputError(f"{rel}: entry {key!r} could not be located when merging; nothing was written")
    raw = entry.raw
    close = len(raw) - 1
    body = raw[:close].rstrip()
    newline = "\r\n" if "\r\n" in raw else "\n"
    indent = next((m.group(1) for m in re.finditer(r"\n([ \t]+)\S", raw)), "  ")
    added = "".join(f"{newline}{indent}{name} = {{{value}}}," for name, value in fields.items())
    new_raw = body + ("" if body.endswith((",", "{", "(")) else ",") + added + raw[len(body) :]
    return text[:at] + new_raw + text[at + len(raw) :]


def _split_bom(data: bytes) -> tuple[bytes, str]:
    bom = data.startswith(b"\xef\xbb\xbf")
    return (b"\xef\xbb\xbf" if bom else b""), data[3 if bom else 0 :].decode("utf-8")


def import_references(
    review: str | Path,
    file: str | Path,
    into: str | Path = "refs/imported.bib",
    dry_run: bool = False,
    merge: bool = False,
    keep_keys: bool = False,
    today: date | None = None,
) -> ImportSummary:
    """Import `file` into the review's refs/ (see the module docstring for the rules)."""
    root = Path(review).resolve()
    path = Path(file)
    target = Path(into) if Path(into).is_absolute() else root / into
    if target.suffix != ".bib" or target.parent.resolve() != (root / "refs").resolve():
        raise InputError(f"--into {into}: must be a .bib file directly in {root / 'refs'} (the review reads refs/*.bib)")
    target_rel = f"refs/{target.name}"
    fmt, records = read_records(path, str(file))

    bibs = {p.resolve(): _BibText.read(p) for p in sorted((root / "refs").glob("*.bib"))}
    bibs.setdefault(target.resolve(), _BibText.read(target))
    existing = [ref for p in sorted(bibs) if bibs[p].data for ref in read_bib(p, str(p.relative_to(root))).references]
    index = RefIndex(existing)
    summary = ImportSummary(str(file), fmt, target_rel, dry_run)
    fills: Fills = {}

    for rec in records:
        if not rec.get("title"):
            summary.skipped.append((rec, "no title: nothing to identify the study by"))
            continue
        found = index.match(rec)
        if found is not None:
            _skip_or_merge(found, rec, merge, summary, fills)
            continue
        key = rec.key if keep_keys and rec.key and KEY_RE.match(rec.key) and rec.key.lower() not in index.keys else ""
        key = key or make_key(rec.fields, index.keys)
        summary.added.append((key, rec))
        index.add(Reference(key, rec.entry_type, dict(rec.fields), target_rel, 0))

    if not dry_run and (summary.added or fills):
        summary.written = _write(root, target, bibs, summary, fills, today or date.today())
    return summary


def _skip_or_merge(found: Match, rec: ImportedRecord, merge: bool, summary: ImportSummary, fills: Fills) -> None:
    ref = found.reference
    same = f"same {found.by.upper() if found.by != 'title' else 'title, year and first author'} as {ref.key} ({ref.file}:{ref.line})"
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
    for (rel, key), fields in fills.items():
        p = (root / rel).resolve()
        current = new_texts.get(p, bibs[p].data)
        bom, text = _split_bom(current)
        new_texts[p] = bom + _insert_fields(text, key, fields, rel).encode("utf-8")
    if summary.added:
        t = target.resolve()
        bom, text = _split_bom(new_texts.get(t, bibs[t].data))
        newline = "\r\n" if "\r\n" in text else "\n"
        if text and not text.endswith("\n"):
            text += newline
        block = [
            f"% Imported by evidence refs import from {Path(summary.source).name} on {today.isoformat()}.",
            "% Verify each entry against its public page, then add url, design and population.",
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
