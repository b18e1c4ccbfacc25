"""`evidence refs import`: a search's export into the screening library, with the search recorded.

Records of a search are screened before any of them becomes a reference, so an export goes to the
screening library by default, `screening/<search>.bib`, each new record naming in its `search` field
the search it came from. The search itself becomes a row of searches.csv (or completes one): its
source, query and date, and the number of records its export held when none is recorded yet, so the
flow diagram's first box comes from data.

A record that the library or refs/ already holds is not added again: it is a duplicate. When the
library's copy does not name this search yet, the search is added to its `search` field, so the
flow diagram counts the record as found twice and kept once. Matching, keys and writing the new
entries are `importing.import_references`, with all its rules (tolerant reading, one duplicate rule,
importing the same file twice adds nothing); this module only adds the search around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import bibtexparser
from bibtexparser import model

from ..review import schema
from ..review.atomic import atomic_write_bytes, fingerprint
from ..review.csvfile import CsvFile, format_record, read_csv, rewrite_records
from ..review.errors import InputError
from ..review.identity import identity_of
from ..review.references import read_bib
from ..review.screening import FOLDER, SEPARATOR, searches_of
from .importing import ImportSummary, RefIndex, detect_format, import_references

SEARCHES_FILE = schema.SEARCHES.path
SCREENING_NOTE = (
    "Imported records wait in the screening library: screen them (`evidence screen next` / `decide`, or the "
    "notebook form); only records included at full text become references (`evidence screen promote`), "
    "which `check` then asks for url, design and population."
)
_DATABASE_LINE = re.compile(r"^(?:DB\s{1,2}-\s*|Database:\s*)(\S.*?)\s*$", re.M)


@dataclass
class SearchImport:
    """What importing one export did: the import itself, and the search it was recorded under."""

    summary: ImportSummary
    search: str
    created: bool  # the search is a new row of searches.csv
    records: int  # records the export held, read or not
    records_recorded: bool  # searches.csv's `records` was filled in from this export
    also_found: list[str] = field(default_factory=list)  # library records this search found again
    notes: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """A search id from a file name: lower-case letters, digits and '-'."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out if out and out[0].isalnum() else f"search-{out}".strip("-")


def detect_source(path: Path) -> str:
    """The database an export names (RIS `DB`, a ScienceDirect 'Database:' header), or PubMed for MEDLINE."""
    try:
        text = Path(path).read_bytes()[:200_000].decode("utf-8", errors="replace")
    except OSError:
        return ""
    found = _DATABASE_LINE.search(text)
    if found:
        return found.group(1)
    try:
        return "PubMed" if detect_format(text, Path(path)) == "medline" else ""
    except InputError:
        return ""


def _sheet(root: Path) -> CsvFile | None:
    path = root / SEARCHES_FILE
    if not path.exists():
        return None
    sheet = read_csv(path, SEARCHES_FILE, schema.SEARCHES)
    bad = [str(p) for p in sheet.problems if p.fatal or p.code in ("csv-unknown-column", "csv-column-count")]
    if bad:
        raise InputError("\n".join(bad))
    return sheet


def import_search(
    review: str | Path,
    file: str | Path,
    search: str | None = None,
    source: str | None = None,
    query: str | None = None,
    searched: str | None = None,
    into: str | Path | None = None,
    dry_run: bool = False,
    merge: bool = False,
    keep_keys: bool = False,
    strict: bool = False,
    today: date | None = None,
) -> SearchImport:
    """Import `file` into the screening library as the records of search `search` (see the module docstring).

    `search` defaults to the file's name; a search not in searches.csv yet is added with `source`
    (default: the database the export names), `query` and `searched` (the date it was run, default
    today). Cells already filled in searches.csv are never changed."""
    root = Path(review).resolve()
    day = today or date.today()
    ident = search.strip() if search else slug(Path(file).stem)
    if not re.fullmatch(schema.ID_PATTERN, ident):
        raise InputError(f"--search {ident!r}: a search id is lower-case letters, digits, '.', '_' or '-'")
    if searched and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", searched):
        raise InputError(f"--date {searched!r}: write the date the search was run as YYYY-MM-DD")
    sheet = _sheet(root)
    row_index = next(
        (i for i, r in enumerate(sheet.records if sheet else []) if (r.values.get("id") or "").strip() == ident), None
    )
    given_source = (source or "").strip() or detect_source(Path(file))
    if row_index is None and not given_source:
        raise InputError(
            f"{Path(file).name}: the export does not say which database it came from; name it with --source "
            "(e.g. --source Embase). Nothing was imported"
        )
    library = [ref for p in sorted((root / FOLDER).glob("*.bib")) if p.is_file() for ref in read_bib(p, f"{FOLDER}/{p.name}").references]
    target = into if into is not None else f"{FOLDER}/{ident}.bib"
    target_path = Path(target) if Path(target).is_absolute() else root / target
    if target_path.parent.resolve() != (root / FOLDER).resolve():
        raise InputError(f"--into {target}: a search's records go to a .bib file directly in {FOLDER}/ (refs/ only with --to-refs)")
    summary = import_references(
        root, file, target, dry_run=dry_run, merge=merge, keep_keys=keep_keys, today=day, strict=strict, fields={"search": ident}
    )
    held = len(summary.added) + len(summary.merged) + len(summary.skipped) + len(summary.unreadable)
    result = SearchImport(summary, ident, row_index is None, held, False)

    # a record the library already holds was found again by this search: name it there too
    index = RefIndex(library)
    again: dict[str, list[str]] = {}
    for rec, _why in summary.skipped:
        if not rec.get("title"):
            continue
        found = index.match(rec, identity_of(rec.fields))
        if found is None or ident in searches_of(found.reference):
            continue
        ref = found.reference
        if ref.key not in again.get(ref.file, []):
            again.setdefault(ref.file, []).append(ref.key)
            result.also_found.append(ref.key)
    if not dry_run:
        for rel, keys in again.items():
            _name_search(root / rel, rel, set(keys), ident)

    # the search as a row of searches.csv
    cells = {
        "id": ident,
        "source": given_source,
        "query": " ".join((query or "").split()),
        "date": searched or day.isoformat(),
        "records": str(held),
    }
    if row_index is None:
        result.records_recorded = True
        if not cells["query"]:
            result.notes.append(f"{SEARCHES_FILE}: search {ident} has no query recorded; add the query exactly as run")
        if not dry_run:
            _append_row(root, sheet, cells)
    else:
        assert sheet is not None
        stored = {k: (sheet.records[row_index].values.get(k) or "").strip() for k in schema.SEARCHES.columns}
        fill = {k: v for k, v in cells.items() if k != "id" and v and not stored.get(k)}
        if source or query or searched:
            given = {"source": (source or "").strip(), "query": cells["query"] if query else "", "date": searched or ""}
            for k, v in given.items():
                if v and stored.get(k) and stored[k] != v:
                    result.notes.append(f"{SEARCHES_FILE}: search {ident} keeps its {k} {stored[k]!r} (not {v!r})")
        if stored.get("records") and stored["records"] != str(held):
            result.notes.append(
                f"{SEARCHES_FILE}: search {ident} records {stored['records']} record(s); this export held {held} (not changed)"
            )
        result.records_recorded = "records" in fill
        if fill and not dry_run:
            rewrite_records(sheet, {row_index: fill})
    return result


def _append_row(root: Path, sheet: CsvFile | None, cells: dict[str, str]) -> None:
    """Add the search to searches.csv, creating the file with its header when the review has none."""
    if sheet is None:
        path = root / SEARCHES_FILE
        text = format_record(schema.SEARCHES.columns) + "\n" + format_record([cells.get(c, "") for c in schema.SEARCHES.columns]) + "\n"
        atomic_write_bytes(path, text.encode("utf-8"), expected=fingerprint(b""))
        return
    rewrite_records(sheet, {}, [cells])


def _name_search(path: Path, rel: str, keys: set[str], search: str) -> None:
    """Add `search` to the `search` field of the named entries, touching no other byte of the file."""
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{rel}: not UTF-8 (see `evidence check`); nothing was written") from None
    library = bibtexparser.parse_string(text, parse_stack=[])
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    pieces, done = [], 0
    entries = sorted((b for b in library.blocks if isinstance(b, model.Entry) and b.key in keys and b.raw), key=lambda b: b.start_line or 0)
    for entry in entries:
        at = text.find(entry.raw, line_starts[min(entry.start_line or 0, len(line_starts) - 1)])
        if at < done:
            raise InputError(f"{rel}: entry {entry.key!r} could not be located; nothing was written")
        pieces += [text[done:at], _with_search(entry.raw, search)]
        done = at + len(entry.raw)
    pieces.append(text[done:])
    atomic_write_bytes(path, (b"\xef\xbb\xbf" if bom else b"") + "".join(pieces).encode("utf-8"), expected=fingerprint(data))


def _with_search(raw: str, search: str) -> str:
    """An entry's text with `search` added to its `search` field (or the field added, holding it)."""
    field_re = re.compile(r"(\bsearch\s*=\s*)(\{([^{}]*)\}|\"([^\"]*)\")", re.I)
    m = field_re.search(raw)
    if m:
        value = m.group(3) if m.group(3) is not None else m.group(4)
        names = [n.strip() for n in value.split(SEPARATOR.strip()) if n.strip()]
        if search in names:
            return raw
        return raw[: m.start(2)] + "{" + SEPARATOR.join([*names, search]) + "}" + raw[m.end(2) :]
    close = raw.rstrip().rfind("}") if raw.rstrip().endswith("}") else raw.rstrip().rfind(")")
    body = raw[:close].rstrip()
    newline = "\r\n" if "\r\n" in raw else "\n"
    comma = "" if body.endswith((",", "{", "(")) else ","
    return f"{body}{comma}{newline}  search = {{{search}}},{newline}{raw[close:]}"
