"""Reading review CSV files with line numbers, and rewriting single rows byte-for-byte.

pandas cannot say which physical line a record came from, and a reviewer needs exactly
that; so records are read with the standard `csv` module (one record may span lines)
and only then turned into typed frames. Writes replace whole records in the original
text, so rows that were not changed keep every byte.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, islice
from pathlib import Path

from .atomic import atomic_write_text, fingerprint
from .files import FileTrouble, read_bytes
from .problems import FORBIDDEN_CONTROL_BYTES, Problem, problem
from .schema import Table

csv.field_size_limit(2**31 - 1)  # a long quote or rationale is data, not an error

_NOT_CONTROL = bytes(b for b in range(256) if b not in FORBIDDEN_CONTROL_BYTES)
_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass
class Record:
    line: int  # 1-based physical line where the record starts
    values: dict[str, str]
    span: tuple[int, int]  # character span of the record's text, line terminator excluded


@dataclass
class CsvFile:
    """One review CSV as read: its values kept column by column, with the physical lines of each record.

    `check` reads whole columns (`column`, `lines`), which costs no object per row; `records`
    (one dict per row, with its character span for byte-preserving rewrites) is built on first
    use, for the tools that edit rows.
    """

    path: Path
    rel: str  # path shown in messages, relative to the review root
    header: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list, repr=False)
    """One list per header position: every record's value there (rows padded or cut to the header)."""
    lines: list[int] = field(default_factory=list, repr=False)
    """The 1-based physical line where each record starts."""
    ends: list[int] = field(default_factory=list, repr=False)
    """The number of physical lines read once each record ends (its last line)."""
    problems: list[Problem] = field(default_factory=list)
    text: str = field(default="", repr=False)
    newline: str = "\n"
    bom: bool = False
    fingerprint: str = ""
    has_control: bool = False
    """Whether the file holds a control character no cell may hold (`problems.FORBIDDEN_CONTROL`): when not,
    `check` need not look for one cell by cell."""
    _records: list[Record] | None = field(default=None, init=False, repr=False)

    @property
    def readable(self) -> bool:
        """Whether the file could be read at all (no fatal problem)."""
        return not any(p.fatal for p in self.problems)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def rows(self) -> list[list[str]]:
        """Each record's values in header order (built on demand from the columns)."""
        return [list(row) for row in zip(*self.cells, strict=True)] if self.cells else [[] for _ in self.lines]

    def column(self, name: str) -> Sequence[str]:
        """Every record's value in column `name`, in file order ('' for a column the file lacks).

        When a header repeats a name, the last such column counts, as in `records`.
        """
        header = self.header
        if name in header:
            return self.cells[len(header) - 1 - header[::-1].index(name)]
        return ("",) * len(self.lines)

    @property
    def records(self) -> list[Record]:
        """One `Record` per row: its line, its values by column name and its character span."""
        if self._records is None:
            self._records = self._build_records()
        return self._records

    def _build_records(self) -> list[Record]:
        if not self.lines:
            return []
        text = self.text
        offsets = [0, *accumulate(map(len, text.splitlines(keepends=True)))]
        header = self.header
        out = []
        for row, line, end in zip(self.rows, self.lines, self.ends, strict=True):
            start_offset, end_offset = offsets[line - 1], offsets[end]
            raw_end = text[start_offset:end_offset]
            span_end = end_offset - (len(raw_end) - len(raw_end.rstrip("\r\n")))
            out.append(Record(line, dict(zip(header, row, strict=True)), (start_offset, span_end)))
        return out


def file_problem(rel: str, trouble: FileTrouble, what: str) -> Problem:
    """The problem for a file that could not be read: missing, special (FIFO, device) or unreadable."""
    if trouble.kind == "missing":
        return problem(rel, 1, "file-missing", f"{what} is missing")
    code = "file-special" if trouble.kind == "special" else "file-unreadable"
    return problem(rel, 1, code, f"{rel} {trouble.reason}")


def _decode(data: bytes, rel: str, problems: list[Problem]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        bad = data[err.start : err.start + 4]
        problems.append(
            problem(rel, line, "csv-encoding", f"bytes {bad!r} are not UTF-8 (Latin-1 or Windows-1252?)")
        )
        return data.decode("utf-8", errors="replace")


def read_csv(path: Path, rel: str, table: Table) -> CsvFile:
    """Read one review CSV; every problem found is collected, nothing is raised."""
    out = CsvFile(path=path, rel=rel)
    try:
        data = read_bytes(path)
    except FileTrouble as trouble:
        out.problems.append(file_problem(rel, trouble, f"{table.title} file"))
        return out
    out.fingerprint = fingerprint(data)
    out.has_control = bool(data.translate(None, _NOT_CONTROL))  # what is left once the rest is deleted
    if data.startswith(b"\xef\xbb\xbf"):
        out.problems.append(problem(rel, 1, "csv-bom", "the file starts with a UTF-8 byte-order mark"))
        data = data[3:]
        out.bom = True
    text = _decode(data, rel, out.problems)
    out.text = text
    has_cr = b"\r" in data  # a byte scan: most files have no CR at all
    if has_cr and "\r\n" in text:
        out.newline = "\r\n"
        line = text[: text.index("\r\n")].count("\n") + 1
        out.problems.append(problem(rel, line, "csv-crlf", "lines end with CRLF (Windows line endings)"))
    lone_cr = _LONE_CR.search(text) if has_cr else None
    if lone_cr is not None:
        line = text[: lone_cr.start()].replace("\r\n", "\n").count("\n") + 1
        out.problems.append(problem(rel, line, "csv-cr", "a line ends with a lone CR (old Mac line endings)"))
    if not text or text.isspace():
        out.problems.append(problem(rel, 1, "csv-empty", "the file is empty"))
        return out
    _parse(text, out, table)
    return out


CHUNK = 4096
"""Records read before they are turned into columns: bounds the memory of rows in flight."""


def _shared_columns(table: Table) -> set[str]:
    """Columns whose values repeat (vocabularies, codes, numbers, keys of other tables): each distinct
    value is kept once, as pandas' reader does, so 100,000 claims hold one "not serious", not 500,000."""
    names = {f.name for f in table.fields if f.enum or f.enum_from_setting or f.pattern or f.type != "string"}
    names |= {column for column, _, _ in table.foreign_keys}
    if len(table.primary_key) > 1:
        names |= set(table.primary_key)
    return names - {f.name for f in table.fields if f.unique}


def _parse(text: str, out: CsvFile, table: Table) -> None:
    """Split `text` into records with the csv module, keeping each record's first and last line.

    Records are read in chunks by the csv module's C reader. A chunk whose records each took one
    line (the reader's line count says so) needs no per-record work: its line numbers are
    positions. Only a chunk holding a record that spans lines, a blank line, a row of the wrong
    width or an unreadable record is read again record by record, to say exactly where. Each chunk
    is then turned into columns, so per record only two line numbers stay (no dict, no list of
    values, no slice of the text).
    """
    physical = text.splitlines(keepends=True)
    reader = csv.reader(physical, strict=True)
    try:
        header = next(reader)
    except csv.Error as err:
        out.problems.append(problem(out.rel, 1, "csv-unbalanced-quote", f"the record starting here cannot be read ({err})"))
        return
    except StopIteration:
        return
    out.header = header
    out.cells = [[] for _ in header]
    _check_header(header, out, table)
    if not out.readable:
        return
    width = len(header)
    names = _shared_columns(table)
    shared = [{} if name in names else None for name in header]
    done = reader.line_num  # physical lines consumed so far
    while True:
        try:
            chunk = list(islice(reader, CHUNK))
        except csv.Error:  # somewhere in this chunk: read it again record by record to say where
            _parse_slowly(physical[done:], done, out, width, shared)
            return
        if not chunk:
            return
        end = reader.line_num
        if end - done == len(chunk) and all(len(row) == width for row in chunk) and (width > 1 or [""] not in chunk):
            out.lines.extend(range(done + 1, end + 1))  # one line each, no blank line
            out.ends.extend(range(done + 1, end + 1))
            _absorb(chunk, out.cells, shared)
        else:
            _parse_slowly(physical[done:end], done, out, width, shared)
        done = end


def _parse_slowly(physical: list[str], done: int, out: CsvFile, width: int, shared: list[dict[str, str] | None]) -> None:
    """Read the records of these physical lines (the first is line `done` + 1) one at a time,
    with each one's lines and problems."""
    reader = csv.reader(physical, strict=True)
    rel = out.rel
    chunk: list[list[str]] = []
    base = done
    try:
        for row in reader:
            end = base + reader.line_num
            if not row or (len(row) == 1 and row[0] == ""):
                done = end
                continue  # blank line
            if len(row) != width:
                out.problems.append(
                    problem(rel, done + 1, "csv-column-count", f"row has {len(row)} values, the header has {width} columns")
                )
                row = (row + [""] * width)[:width]
            chunk.append(row)
            out.lines.append(done + 1)
            out.ends.append(end)
            done = end
            if len(chunk) == CHUNK:
                _absorb(chunk, out.cells, shared)
                chunk = []
    except csv.Error as err:
        out.problems.append(
            problem(rel, done + 1, "csv-unbalanced-quote", f"the record starting here cannot be read ({err})")
        )
    if chunk:
        _absorb(chunk, out.cells, shared)


def _absorb(chunk: list[list[str]], cells: list[list[str]], shared: list[dict[str, str] | None]) -> None:
    """Append a chunk of rows to the columns, keeping one copy of each repeated value."""
    for column, values, canon in zip(cells, zip(*chunk, strict=True), shared, strict=True):
        column.extend(values if canon is None else map(canon.setdefault, values, values))


def _check_header(header: list[str], out: CsvFile, table: Table) -> None:
    rel = out.rel
    seen: set[str] = set()
    for name in header:
        if name in seen:
            out.problems.append(problem(rel, 1, "csv-duplicate-column", f"column {name!r} appears twice"))
        seen.add(name)
        if name not in table.columns:
            out.problems.append(problem(rel, 1, "csv-unknown-column", f"column {name!r} is not a {table.name} column"))
    for col in table.columns:
        if col not in seen:
            required = table.field(col).required
            if required:
                out.problems.append(problem(rel, 1, "csv-missing-column", f"required column {col!r} is missing"))
            else:  # an optional column added after the file was written: read as empty, and said
                out.problems.append(problem(rel, 1, "csv-missing-optional-column", f"optional column {col!r} is missing"))


def format_record(values: list[str]) -> str:
    """One CSV record without its line terminator (fields holding CR or LF are quoted)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()[:-2]


def rewrite_records(csvfile: CsvFile, changes: dict[int, dict[str, str]], append: list[dict[str, str]] = ()) -> None:
    """Change some cells of some records (by record index) and append rows, atomically.

    Records not named keep their exact bytes; the write is refused when the file changed
    on disk since it was read.
    """
    text = csvfile.text
    pieces: list[str] = []
    cursor = 0
    for index in sorted(changes):
        rec = csvfile.records[index]
        values = {**rec.values, **changes[index]}
        pieces.append(text[cursor : rec.span[0]])
        pieces.append(format_record([values.get(c, "") for c in csvfile.header]))
        cursor = rec.span[1]
    pieces.append(text[cursor:])
    new_text = "".join(pieces)
    if append:
        if new_text and not new_text.endswith(("\n", "\r")):
            new_text += csvfile.newline
        for row in append:
            new_text += format_record([row.get(c, "") for c in csvfile.header]) + csvfile.newline
    if csvfile.bom:
        new_text = "\ufeff" + new_text
    atomic_write_text(csvfile.path, new_text, expected=csvfile.fingerprint)
