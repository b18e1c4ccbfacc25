"""Writes keep every byte they were not asked to change, and refuse to clobber edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidencebench.review import schema
from evidencebench.review.atomic import ConcurrentChangeError
from evidencebench.review.csvfile import read_csv, rewrite_records


def test_rewrite_one_record_keeps_other_bytes(valid_review: Path):
    path = valid_review / "evidence.csv"
    # quirky but valid formatting that a rewrite must keep
    path.write_bytes(
        b"claim,reference,stance,exposure,outcome_kind,outcome,source_location,finding\n"
        b'"c-01",gamma2019binding,supports,active compound,mechanism,binding,abstract,"Quoted, with comma."\n'
        b"c-02,alpha2020trial,supports,product,effect,sleep onset,abstract,Plain.\n"
    )
    before = path.read_bytes()
    f = read_csv(path, "evidence.csv", schema.EVIDENCE)
    rewrite_records(f, {1: {"finding": "Changed."}})
    after = path.read_bytes()
    assert after.startswith(before.split(b"c-02")[0])
    assert after.endswith(b"c-02,alpha2020trial,supports,product,effect,sleep onset,abstract,Changed.\n")


def test_multiline_field_round_trip(valid_review: Path):
    path = valid_review / "claims.csv"
    f = read_csv(path, "claims.csv", schema.CLAIMS)
    assert any("\n" in r.values["suffix"] for r in f.records)
    original = path.read_bytes()
    rewrite_records(f, {0: {"rationale": "New rationale."}})
    g = read_csv(path, "claims.csv", schema.CLAIMS)
    assert [r.values["suffix"] for r in g.records] == [r.values["suffix"] for r in f.records]
    assert g.records[0].values["rationale"] == "New rationale."
    assert path.read_bytes().split(b"\n", 1)[0] == original.split(b"\n", 1)[0]


def test_append_and_crlf_and_bom_are_kept(valid_review: Path):
    path = valid_review / "evidence.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    f = read_csv(path, "evidence.csv", schema.EVIDENCE)
    rewrite_records(f, {}, append=[{"claim": "c-01", "reference": "alpha2020trial", "stance": "indirect", "finding": "x"}])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"c-01,alpha2020trial,indirect,,,,,x\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_write_refused_when_file_changed_underneath(valid_review: Path):
    path = valid_review / "evidence.csv"
    f = read_csv(path, "evidence.csv", schema.EVIDENCE)
    path.write_text(path.read_text(encoding="utf-8") + "c-01,alpha2020trial,indirect,added by someone\n", encoding="utf-8")
    with pytest.raises(ConcurrentChangeError, match="changed on disk"):
        rewrite_records(f, {0: {"finding": "mine"}})
    assert "added by someone" in path.read_text(encoding="utf-8")
    assert not list(valid_review.glob(".evidence.csv.*"))


# -- the column-wise reader -----------------------------------------------------------------
import csv  # noqa: E402
import io  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from evidencebench.review import csvfile  # noqa: E402
from evidencebench.review.pause import cycle_collector_paused  # noqa: E402

CELL = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t;é')), max_size=12)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(CELL, min_size=8, max_size=8), max_size=8),
    newline=st.sampled_from(["\n", "\r\n"]),
    blanks=st.sets(st.integers(0, 8), max_size=3),
    chunk=st.sampled_from([1, 2, 3, 4096]),
)
def test_rows_lines_and_spans_match_the_text(tmp_path_factory, rows, newline, blanks, chunk) -> None:
    """Each record's values, its first physical line and its span agree with the file's own text,
    whatever quotes, commas and line breaks its cells hold, with blank lines between records, and
    however the reader splits the file into chunks."""
    header = schema.EVIDENCE.columns
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=newline)
    quoted = csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_ALL)  # the csv writer leaves a lone CR unquoted
    writer.writerow(header)
    kept = []
    for i, row in enumerate(rows):
        if i in blanks:
            buf.write(newline)  # a blank line is skipped, never a record
        if row == [""] * 8:
            continue  # an all-empty row is written as a line of commas: fine, but keep the oracle simple
        (quoted if any("\r" in cell for cell in row) else writer).writerow(row)
        kept.append(row)
    path = tmp_path_factory.mktemp("csv") / "evidence.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    saved, csvfile.CHUNK = csvfile.CHUNK, chunk
    try:
        f = read_csv(path, "evidence.csv", schema.EVIDENCE)
    finally:
        csvfile.CHUNK = saved
    assert f.rows == kept
    text = f.text
    for rec, row in zip(f.records, kept, strict=True):
        start, end = rec.span
        assert rec.values == dict(zip(header, row, strict=True))
        assert next(csv.reader(io.StringIO(text[start:end], newline=""))) == row  # the span is the record
        assert rec.line == len(text[:start].splitlines()) + 1  # and starts on that physical line
    for name in header:
        assert list(f.column(name)) == [r[header.index(name)] for r in kept]
    assert list(f.column("not-a-column")) == [""] * len(kept)


def test_the_cycle_collector_is_restored_as_it_was() -> None:
    import gc

    assert gc.isenabled()
    with cycle_collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()


@pytest.mark.parametrize("chunk", [1, 2, 4096])
def test_problems_in_a_later_chunk_are_found_on_their_line(tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "CHUNK", chunk)
    header = ",".join(schema.EVIDENCE.columns)
    good = "c-0{n},r{n},supports,product,effect,sleep,abstract,Fine."
    path = tmp_path / "evidence.csv"
    path.write_text(
        "\n".join([header, good.format(n=1), good.format(n=2), "", "c-03,r3,supports", good.format(n=4),
                   'c-05,r5,supports,product,effect,sleep,abstract,"never closed', good.format(n=6)]) + "\n",
        encoding="utf-8",
    )
    f = read_csv(path, "evidence.csv", schema.EVIDENCE)
    found = {(p.line, p.code) for p in f.problems}
    assert found == {(5, "csv-column-count"), (7, "csv-unbalanced-quote")}
    assert list(f.column("reference")) == ["r1", "r2", "r3", "r4"]  # what precedes the bad record is kept
    assert f.lines == [2, 3, 5, 6]
