"""Property-based tests of the review files: whatever damage a CSV or the BibTeX suffers, `check`
answers with problems (never a traceback or a hang), and a rewrite changes only what it was asked to.

Bounded (a few dozen examples each) so the test command stays fast; the seeds are the small valid
review under tests/data/valid.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import mutate
from typer.testing import CliRunner

from evidencebench.cli import app
from evidencebench.review import schema
from evidencebench.review.csvfile import read_csv, rewrite_records
from evidencebench.rules.review import load_review

VALID = Path(__file__).resolve().parent / "data" / "valid"
FILES = ["claims.csv", "evidence.csv", "documents/index.csv", "refs/refs.bib"]
SNIPPETS = [
    '"', ",", '""', "\n", "\r\n", "\r", "\x00", "\x1b", "\x0b", "\u2028", "\x85", "\ufeff", "\t", " ", "ü",
    "id", ",,,,", '"a\nb"', "ks-01", "supports", "not serious", "-1", "99999999999999999999", "2026-13-40",
    "{", "}", "@article{", "@string{x = {y}}", "#", "=",
]  # fmt: skip
SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file, bytes): one file of the valid review with one to four random mutations, sometimes not UTF-8."""
    rel = draw(st.sampled_from(FILES))
    text = mutate(draw, (VALID / rel).read_text(encoding="utf-8"), SNIPPETS, times=4, span=60)
    data = text.encode("utf-8")
    if draw(st.booleans()) and data:
        k = draw(st.integers(0, len(data)))
        data = data[:k] + draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3"])) + data[k:]  # Latin-1 bytes, a cut sequence
    return rel, data


@SETTINGS
@given(damaged())
def test_check_answers_any_damaged_file_with_problems(case: tuple[str, bytes]) -> None:
    rel, data = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "review"
        shutil.copytree(VALID, root)
        (root / rel).write_bytes(data)
        problems = load_review(root).check()  # must not raise
        for p in problems:
            assert p.line >= 1 and "\n" not in p.message and "\r" not in p.message, p
        result = CliRunner().invoke(app, ["check", str(root)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 1, 2)
        assert (result.exit_code == 0) == (not problems)


ROW = st.lists(st.text(alphabet=st.sampled_from(list('ab ,"\n;é')), max_size=10), min_size=8, max_size=8)


@SETTINGS
@given(
    rows=st.lists(ROW, min_size=1, max_size=6),
    newline=st.sampled_from(["\n", "\r\n"]),
    target=st.integers(0, 5),
    column=st.sampled_from(schema.EVIDENCE.columns),
    value=st.text(alphabet=st.sampled_from(list('xy ,"\n')), max_size=8),
    blank_after=st.booleans(),
)
def test_a_rewrite_changes_only_the_record_it_was_asked_to(rows, newline, target, column, value, blank_after) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(schema.EVIDENCE.columns)
    for row in rows:
        writer.writerow(row)
        if blank_after:
            buf.write(newline)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "evidence.csv"
        path.write_bytes(buf.getvalue().encode("utf-8"))
        before = read_csv(path, "evidence.csv", schema.EVIDENCE)
        index = target % len(before.records)
        start, end = before.records[index].span
        rewrite_records(before, {index: {column: value}})
        text = before.text
        after = path.read_bytes().decode("utf-8")
        assert after.startswith(text[:start]) and after.endswith(text[end:])  # every other byte kept
        again = read_csv(path, "evidence.csv", schema.EVIDENCE)
        expected = [dict(r.values) for r in before.records]
        expected[index][column] = value
        assert [r.values for r in again.records] == expected
