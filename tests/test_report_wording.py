"""The reader's words: the bottom line, the verdict counts and every sentence that could be
misquoted say no more than the evidence does."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from test_report_support import load_clean, write_hostile_review

from evidencebench.report import build_report
from evidencebench.report.bottomline import bottom_line, bottom_lines
from evidencebench.report.buildinfo import BuildInfo
from evidencebench.report.html import _group_sentence, summary
from evidencebench.report.model import ReportModel, build_model
from evidencebench.rules.review import load_review

ROOT = Path(__file__).resolve().parents[1]
FIXED = BuildInfo(date="2026-01-01", data_version="test", commit=None, dirty=False)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_review(tmp_path_factory.mktemp("wording") / "review")


@pytest.fixture(scope="module")
def model(root: Path) -> ReportModel:
    return build_model(load_clean(root), FIXED)


@pytest.fixture(scope="module")
def page(root: Path) -> str:
    build_report(load_clean(root), root / "reports", pdf=False)
    return (root / "reports" / "evidence-report.html").read_text(encoding="utf-8")


def _claim(model: ReportModel, cid: str):
    return next(c for c in model.claims if c.id == cid)


def test_bottom_line_without_central_claims_says_so(model: ReportModel) -> None:
    (line,) = bottom_lines(model)
    assert line.central == () and line.headline is None
    assert line.sentences[0].startswith("No claim of this document is marked as central")


def test_bottom_line_sentences_follow_the_verdicts(model: ReportModel) -> None:
    central = [replace(c, central=True) for c in model.claims]
    line = bottom_line(model.documents[0], "doc", central)
    assert line.headline is None  # three different verdicts
    assert line.sentences == (
        "Of the document's 3 central claims, 1 is supported, 1 has insufficient evidence and 1 is contradicted by the evidence.",
        "For 1 of them no study was found that supports or contradicts the claim; for the other 2, the rated "
        "evidence (2 studies: 1 cross-sectional survey, 1 randomised trial) is of low to moderate certainty.",
        "Contradicted means the evidence goes against the claim with at least low certainty.",
    )
    only = bottom_line(model.documents[0], "doc", [replace(_claim(model, "x-02"), central=True)])
    assert only.headline == "insufficient evidence"
    assert only.sentences == (
        "The document's central claim has insufficient evidence.",
        "No study was found that supports or contradicts it.",
        "Insufficient evidence does not show a claim is false; it means the claim has not been shown to be true.",
    )


def test_repository_review_leads_with_its_central_claims() -> None:
    review = load_review(ROOT)
    model = build_model(review, FIXED)
    (line,) = bottom_lines(model)
    assert line.central, "claims.csv marks the article's central claims (`central` = yes)"
    assert all(c.is_health_claim for c in line.central)
    assert 2 <= len(line.sentences) <= 3
    assert not re.search(r"\bsupported\b", line.sentences[0]) or "partly" in line.sentences[0] or all(
        c.verdict == "supported" for c in line.central
    )


def test_counts_keep_health_claims_apart(model: ReportModel, page: str) -> None:
    s = summary(model)
    assert [g[:4] for g in s["groups"]] == [
        ("health", "health claims", "what the product does to people: efficacy, dosage and safety", 3),
        ("background", "background claims", "chemistry, mechanism, how common something is, and general facts", 0),
    ]
    assert s["counts"]["supported"] == {"health": 1, "background": 0}
    assert (
        "3 health claims (what the product does to people: efficacy, dosage and safety): 1 is supported; "
        "1 has insufficient evidence; 1 is contradicted by the evidence."
    ) in page
    assert "No background claims (" in page
    background = replace(_claim(model, "x-03"), claim_type="mechanism")
    assert _group_sentence("background claims", "…", [background]) == (
        "1 background claim (…): none is supported; 1 is contradicted by the evidence."
    )


def test_no_sentence_overstates(page: str) -> None:
    text = re.sub(r"<[^>]+>", " ", page)
    assert "(s)" not in text  # "1 document(s)"
    assert "cannot be settled yet" not in text  # used to count partly supported claims as unsettled
    assert "Direction of rated studies" not in text  # a bare "supports" beside "insufficient evidence"
    assert "1 claim " not in text.replace("1 claim was", "")  # counts agree in number
    assert re.search(r"from 1 document\s+against\s+3 studies", text)


def test_direction_is_explained_with_its_verdict(model: ReportModel) -> None:
    first, none, against = (_claim(model, c) for c in ("x-01", "x-02", "x-03"))
    assert first.evidence_says == "The 1 rated study points the claim's way, with moderate certainty."
    assert none.evidence_says == "No study is linked to this claim."
    indirect = replace(none, studies=tuple(s for s in first.studies if not s.rated))
    assert indirect.evidence_says.startswith("No study supports or contradicts the claim; the linked studies bear")
    assert against.evidence_says == "The 1 rated study points against the claim, with low certainty."
    weak = replace(first, verdict="insufficient evidence", rating=replace(first.rating, certainty="very low"))
    assert weak.evidence_says.endswith("but with very low certainty: too uncertain to count as support.")
    partly = replace(first, verdict="partly supported", rating=replace(first.rating, certainty="low"))
    assert partly.evidence_says.endswith("but with only low certainty, so it is only partly supported.")


def test_certainty_says_why_it_starts_where_it_does(model: ReportModel) -> None:
    survey = _claim(model, "x-03")  # every domain "not serious", yet low: observational evidence starts low
    assert survey.certainty == "low"
    assert survey.certainty_explained == (
        "Starts at low because none of the rated studies is an experiment that measures the outcome directly "
        "(1 cross-sectional survey). No GRADE domain lowered or raised it, so it stays low."
    )
    trial = _claim(model, "x-01")
    assert trial.certainty_explained.startswith("Starts at high because the rated evidence includes experiments")
    assert trial.certainty_explained.endswith("It was lowered by 1 level for imprecision (serious): moderate.")


def test_summary_of_findings_conventions(model: ReportModel, page: str) -> None:
    row = re.search(r'<tr id="sof-x-01".*?</tr>', page, re.S).group()
    assert "1 randomised trial" in row and "40 people (1 study)" in row
    assert 'href="#fn-x-01-imprecision"' in row  # the downgrade is footnoted
    note = re.search(r'<li id="fn-x-01-imprecision".*?</li>', page, re.S).group()
    assert "Imprecision: serious (lowered 1 level)" in note and "one small trial" in note
    assert 'href="#fnref-x-01-imprecision"' in note  # and the footnote links back
    assert str(_claim(model, "x-03").participants) == "500 people (1 study)"
