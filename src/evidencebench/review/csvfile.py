"""Reading review CSV files with line numbers, and rewriting single rows byte-for-byte.

pandas cannot say which physical line a record came from, and a reviewer needs exactly
that; so records are read with the standard `csv` module (one record may span lines)
and only then turned into typed frames. Writes replace whole records in the original
text, so rows that were not changed keep every byte.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import atomic_write_text, fingerprint
from .files import FileTrouble, read_bytes
from .problems import Problem, problem
from .schema import Table

csv.field_size_limit(2**31 - 1)  # a long quote or rationale is data, not an error


@dataclass
class Record:
    line: int  # 1-based physical line where the record starts
    values: dict[str, str]
    span: tuple[int, int]  # character span of the record's text, line terminator excluded


@dataclass
class CsvFile:
    path: Path
    rel: str  # path shown in messages, relative to the review root
    header: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""
    newline: str = "\n"
    bom: bool = False
    fingerprint: str = ""

    @property
    def readable(self) -> bool:
        """Whether the file could be read at all (no fatal problem)."""
        return not any(p.fatal for p in self.problems)


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
    if data.startswith(b"\xef\xbb\xbf"):
        out.problems.append(problem(rel, 1, "csv-bom", "the file starts with a UTF-8 byte-order mark"))
        data = data[3:]
        out.bom = True
    text = _decode(data, rel, out.problems)
    out.text = text
    if "\r\n" in text:
        out.newline = "\r\n"
        line = text[: text.index("\r\n")].count("\n") + 1
        out.problems.append(problem(rel, line, "csv-crlf", "lines end with CRLF (Windows line endings)"))
    lone_cr = text.replace("\r\n", "\n").find("\r")
    if lone_cr >= 0:
        line = text.replace("\r\n", "\n")[:lone_cr].count("\n") + 1
        out.problems.append(problem(rel, line, "csv-cr", "a line ends with a lone CR (old Mac line endings)"))
    if not text.strip():
        out.problems.append(problem(rel, 1, "csv-empty", "the file is empty"))
        return out
    _parse(text, out, table)
    return out


def _parse(text: str, out: CsvFile, table: Table) -> None:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln))
    pos = {"i": 0}

    def feed():
        while pos["i"] < len(lines):
            pos["i"] += 1
            yield lines[pos["i"] - 1]

    reader = csv.reader(feed(), strict=True)
    rel = out.rel
    first = True
    while True:
        start_index = pos["i"]
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            out.problems.append(
                problem(rel, start_index + 1, "csv-unbalanced-quote", f"the record starting here cannot be read ({err})")
            )
            return
        end_index = pos["i"]
        span_text_end = offsets[end_index]
        raw = text[offsets[start_index] : span_text_end]
        span_end = span_text_end - (len(raw) - len(raw.rstrip("\r\n")))
        span = (offsets[start_index], span_end)
        line_no = start_index + 1
        if first:
            first = False
            out.header = row
            _check_header(row, out, table)
            if not out.readable:
                return
            continue
        if not row or (all(v == "" for v in row) and len(row) <= 1):
            continue  # blank line
        if len(row) != len(out.header):
            out.problems.append(
                problem(
                    rel,
                    line_no,
                    "csv-column-count",
                    f"row has {len(row)} values, the header has {len(out.header)} columns",
                )
            )
            row = (row + [""] * len(out.header))[: len(out.header)]
        out.records.append(Record(line_no, dict(zip(out.header, row, strict=True)), span))


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
