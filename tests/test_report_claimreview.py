"""ClaimReview JSON-LD: valid against the project schema, one per claim, mapping kept in one place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from test_report_support import XSS, load_clean, write_hostile_review

from evidencebench.report import build_report
from evidencebench.report.claimreview import RATING_VALUES, json_schema, rating_value
from evidencebench.review import vocab


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_hostile_review(tmp_path_factory.mktemp("cr") / "review")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    try:
        build_report(load_clean(root), root / "reports", pdf=False)
    finally:
        mp.undo()
    return root / "reports"


@pytest.fixture(scope="module")
def reviews(built: Path) -> list[dict]:
    return json.loads((built / "claimreview.jsonld").read_text(encoding="utf-8"))


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(json_schema())


def test_output_validates(reviews: list[dict]) -> None:
    validator = Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(reviews), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_schema_rejects_a_broken_review(reviews: list[dict]) -> None:
    broken = json.loads(json.dumps(reviews))
    broken[0]["reviewRating"]["ratingValue"] = 7
    del broken[1]["claimReviewed"]
    assert len(list(Draft202012Validator(json_schema()).iter_errors(broken))) == 2


def test_one_review_per_claim_with_verbatim_quote(reviews: list[dict]) -> None:
    assert [r["url"] for r in reviews] == [f"evidence-report.html#claim-x-0{i}" for i in (1, 2, 3)]
    assert reviews[0]["claimReviewed"] == f"Kratom {XSS} makes you sleep </td> within minutes"
    assert reviews[0]["itemReviewed"]["appearance"]["name"] == f"{XSS} Sleep </td> article"
    assert "url" not in reviews[0]["itemReviewed"]["appearance"]  # not known, so not given
    assert reviews[0]["author"] == {"@type": "Organization", "name": "Test <b>reviewers</b>"}
    assert {r["datePublished"] for r in reviews} == {"2026-01-01"}


def test_rating_and_certainty(reviews: list[dict]) -> None:
    first, no_evidence, against = reviews
    assert first["reviewRating"]["alternateName"] == "supported"
    assert first["reviewRating"]["ratingValue"] == 5
    assert "moderate (⊕⊕⊕⊝)" in first["reviewBody"]
    assert first["reviewRating"]["ratingExplanation"].startswith("@risk")
    assert no_evidence["reviewRating"]["ratingValue"] == 3
    assert "no rated evidence" in no_evidence["reviewBody"]
    assert against["reviewRating"] == {**against["reviewRating"], "alternateName": "contradicted", "ratingValue": 1}
    assert first["citation"][0]["sameAs"] == "https://doi.org/10.1234/trial.2020"


def test_file_is_safe_to_embed_in_a_script_element(built: Path) -> None:
    text = (built / "claimreview.jsonld").read_text(encoding="utf-8")
    assert "<" not in text and ">" not in text and "&" not in text


def test_mapping_covers_every_verdict_once() -> None:
    assert set(RATING_VALUES) == set(vocab.VERDICTS)
    assert RATING_VALUES["contradicted"] == 1 and RATING_VALUES["supported"] == 5
    assert json_schema()["$defs"]["ClaimReview"]["properties"]["reviewRating"]["properties"]["alternateName"][
        "enum"
    ] == list(vocab.VERDICTS)
    assert rating_value("a verdict added later") == 3
