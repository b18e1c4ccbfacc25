"""ClaimReview JSON-LD: valid against the project schema, one per claim, mapping kept in one place."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from test_report_support import XSS, load_clean, write_hostile_review

from evidencebench.report import build_report
from evidencebench.report.claimreview import RATING_VALUES, json_schema, rating_value, search_engine_problems
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


def test_one_review_per_claim_with_full_sentence(reviews: list[dict]) -> None:
    assert [r["url"] for r in reviews] == [f"evidence-report.html#claim-x-0{i}" for i in (1, 2, 3)]  # no base_url
    assert reviews[0]["claimReviewed"] == f"In people, kratom {XSS} brings on sleep </td> within minutes."
    assert all(r["claimReviewed"][0].isupper() and r["claimReviewed"].endswith(".") for r in reviews)
    assert f"“Kratom {XSS} makes you sleep </td> within minutes”." in reviews[0]["reviewBody"]  # the quote, verbatim
    item = reviews[0]["itemReviewed"]
    assert item["@type"] == "Claim" and item["appearance"]["name"] == f"{XSS} Sleep </td> article"
    assert "url" not in item["appearance"] and "author" not in item  # not known, so not given
    assert reviews[0]["author"] == {"@type": "Organization", "name": "Test <b>reviewers</b>"}
    assert {r["datePublished"] for r in reviews} == {"2026-01-01"}
    assert "1 (contradicted) to 5 (supported)" in reviews[0]["reviewRating"]["description"]  # the scale, stated


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


def test_search_engine_fields_without_base_url(reviews: list[dict]) -> None:
    """Every required field is there; only the relative url keeps them from being published."""
    for review in reviews:
        assert search_engine_problems(review, None) == [f"url {review['url']!r} is not absolute: set base_url"]


def test_search_engine_problems_are_found(reviews: list[dict]) -> None:
    broken = json.loads(json.dumps(reviews[0]))
    del broken["reviewRating"]["alternateName"]
    broken["claimReviewed"] = " "
    broken["itemReviewed"] = {"@type": "Claim"}
    problems = search_engine_problems(broken, "https://example.org/review/")
    assert "claimReviewed is missing" in problems and "reviewRating.alternateName is missing" in problems
    assert "itemReviewed is not a Claim with an appearance" in problems
    assert any("is not absolute" in p for p in problems)
    elsewhere = {**reviews[0], "url": "https://other.example/evidence-report.html#claim-x-01"}
    assert search_engine_problems(elsewhere, "https://example.org/review/") == [
        "url 'https://other.example/evidence-report.html#claim-x-01' is not on the publishing site example.org"
    ]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile review with base_url set and an extracted document's author and date in its note."""
    root = write_hostile_review(tmp_path_factory.mktemp("cr-pub") / "review")
    settings = root / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + 'base_url = "https://example.org/reviews/tea"\npublish = true\n',
        encoding="utf-8",
    )
    index = root / "documents" / "index.csv"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "Written for the tests.", "Written for the tests; author: Ann Writer; published: 2025-12-24"
        ),
        encoding="utf-8",
    )
    build_report(load_clean(root), root / "reports", pdf=False)
    return root / "reports"


def test_urls_absolute_when_base_url_is_set(published: Path) -> None:
    reviews = json.loads((published / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert [r["url"] for r in reviews] == [
        f"https://example.org/reviews/tea/evidence-report.html#claim-x-0{i}" for i in (1, 2, 3)
    ]
    for review in reviews:
        assert search_engine_problems(review, "https://example.org/reviews/tea") == []
    validator = Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert not list(validator.iter_errors(reviews))
    item = reviews[0]["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Ann Writer"} and item["datePublished"] == "2025-12-24"
    assert reviews[0]["author"]["url"] == "https://example.org/reviews/tea/"
    page = (published / "evidence-report.html").read_text(encoding="utf-8")
    assert "Ready to publish" in page and "https://example.org/reviews/tea/" in page
    with (published / "claims.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["report_url"] == "https://example.org/reviews/tea/evidence-report.html#claim-x-01"


@pytest.mark.parametrize("name", ["built", "published"])
def test_embedded_json_ld_is_the_file(name: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(name)
    page = (out / "evidence-report.html").read_text(encoding="utf-8")
    embedded = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert embedded == [(out / "claimreview.jsonld").read_text(encoding="utf-8")]
