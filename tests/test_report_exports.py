"""CSV exports: computed columns present, formulas neutralised."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_report_support import XSS, load_clean, write_hostile_review

from evidencebench.report import build_report
from evidencebench.report.exports import CLAIM_COLUMNS, EVIDENCE_COLUMNS, neutralise, to_csv


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_formula_starts(start: str) -> None:
    assert neutralise(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", ["plain", " =not first", "", "⊕⊕⊝⊝", "—", 3, None])
def test_neutralise_leaves_other_cells(value) -> None:
    assert neutralise(value) == ("" if value is None else str(value))


def test_to_csv_quotes_and_neutralises() -> None:
    text = to_csv(["a", "b"], [{"a": '=HYPERLINK("x")', "b": "line\nbreak, comma"}])
    rows = list(csv.reader(text.splitlines(keepends=True)))
    assert rows == [["a", "b"], ["'=HYPERLINK(\"x\")", "line\nbreak, comma"]]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_hostile_review(tmp_path_factory.mktemp("ex") / "review")
    build_report(load_clean(root), root / "reports", pdf=False)
    return root / "reports"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_claims_csv(out: Path) -> None:
    rows = _read(out / "claims.csv")
    assert list(rows[0]) == list(CLAIM_COLUMNS)
    first, none, against = rows
    assert first["certainty"] == "moderate" and first["certainty_symbols"] == "⊕⊕⊕⊝"
    assert first["verdict"] == "supported" and first["rating_value"] == "5"
    assert first["designs"] == "1 randomised trial" and first["rated_studies"] == "1"
    assert first["indirect_studies"] == "1"
    assert first["references"] == "[1] trial2020; [2] mice2019"
    assert first["imprecision_reason"].startswith("'=SUM(A1)")
    assert first["rationale"].startswith("'@risk")
    assert XSS in first["claim"]  # CSV is data, not HTML: kept verbatim
    assert none["certainty"] == "no rated evidence" and none["certainty_symbols"] == "—"
    assert against["verdict"] == "contradicted"
    assert first["report_url"] == "evidence-report.html#claim-x-01"


def test_evidence_csv(out: Path) -> None:
    rows = _read(out / "evidence.csv")
    assert list(rows[0]) == list(EVIDENCE_COLUMNS)
    assert [r["finding"][:2] for r in rows] == ["'=", "'+", "'-"]
    assert rows[0]["citation_number"] == "1" and rows[0]["rated"] == "yes"
    assert rows[1]["rated"] == "no"
    assert rows[0]["citation"].startswith("Doe, J., & Roe, R. (2020).")
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
