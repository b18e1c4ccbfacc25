"""Reviewers and agreement in the methods: shown from ratings/, left out without it, and never
able to break the report."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from test_report_support import load_clean, write_hostile_review

from evidencebench.rating.sheets import RATINGS
from evidencebench.report import build_report
from evidencebench.report.agreement import agreement_summary
from evidencebench.review import vocab

DEFAULTS = {**{d: "not serious" for d in vocab.DOWNGRADE_DOMAINS}, **{u: "none" for u in vocab.UPGRADE_DOMAINS}}
FIRST = {"x-01": {"imprecision": "serious", "verdict": "supported"},
         "x-02": {"verdict": "insufficient evidence"},
         "x-03": {"verdict": "contradicted"}}
SECOND = {"x-01": {"imprecision": "serious", "verdict": "supported"},
          "x-02": {"verdict": "insufficient evidence"},
          "x-03": {"risk_of_bias": "serious", "verdict": "insufficient evidence"}}


def _sheet(ratings: dict[str, dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=RATINGS.columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for claim, values in ratings.items():
        writer.writerow({c: "" for c in RATINGS.columns} | {"claim": claim, **DEFAULTS, **values})
    return buf.getvalue()


def _page(root: Path) -> str:
    build_report(load_clean(root), root / "reports", pdf=False)
    return (root / "reports" / "evidence-report.html").read_text(encoding="utf-8")


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return write_hostile_review(tmp_path / "review")


def test_without_ratings_the_part_is_left_out(review: Path) -> None:
    assert agreement_summary(load_clean(review)) is None
    assert 'id="agreement"' not in _page(review)


def test_two_sheets_give_n_percent_and_kappa_per_scale(review: Path) -> None:
    (review / "ratings").mkdir()
    (review / "ratings" / "ana.csv").write_text(_sheet(FIRST), encoding="utf-8")
    (review / "ratings" / "ben.csv").write_text(_sheet(SECOND), encoding="utf-8")
    summary = agreement_summary(load_clean(review))
    assert summary.reviewers == ("ana", "ben") and summary.claims == 3 and summary.disagreements == 1
    assert summary.consensus is None and summary.note == ""
    scales = {s.label: s for s in summary.scales}
    assert (scales["Verdict"].n, scales["Verdict"].percent_text) == (3, "67 %")
    assert scales["Risk of bias"].kappa_text == "0.00"
    assert scales["Publication bias"].kappa_text == "not defined"  # one value throughout: no kappa
    part = re.search(r'<h3 id="agreement">.*?</table>', _page(review), re.S).group()
    assert "ana and ben rated 3 claims independently" in part and "They differed somewhere on 1 claim." in part
    assert '<th scope="row">Verdict</th><td class="num">3</td><td class="num">67 %</td>' in part
    assert '<th scope="row">Risk of bias*</th>' in part  # weighted kappa on an ordered scale
    assert 'role="region" aria-label="Agreement between the two reviewers" tabindex="0"' in _page(review)


def test_unreadable_ratings_never_break_the_report(review: Path) -> None:
    (review / "ratings").mkdir()
    (review / "ratings" / "ana.csv").write_text(_sheet(FIRST), encoding="utf-8")
    (review / "ratings" / "ben.csv").write_text("claim,verdict\nno-such-claim,maybe\n", encoding="utf-8")
    page = _page(review)
    note = re.search(r'<h3 id="agreement">.*?</p>', page, re.S).group()
    assert "could not be read" in note


def test_other_than_two_reviewers_is_said(review: Path) -> None:
    (review / "ratings").mkdir()
    (review / "ratings" / "ana.csv").write_text(_sheet(FIRST), encoding="utf-8")
    summary = agreement_summary(load_clean(review))
    assert summary.scales == () and "holds 1 reviewer sheet (ana); agreement is reported for two" in summary.note
