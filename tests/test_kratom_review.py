"""The kratom-for-sleep review itself: complete, clean, and rated as its evidence allows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from evidencebench import load_review
from evidencebench.intake.segment import segment
from evidencebench.review import vocab
from evidencebench.rules import grade

ROOT = Path(__file__).resolve().parents[1]
DOC = "kratom-for-sleep"

# Text deliberately not made into claims, and why. Everything else in the article must be
# covered by at least one claim's quote.
OMITTED = {
    "Kratom’s Sedative Properties": "heading",
    "Alleviating Stress and Anxiety": "heading",
    "Pain Relief and Muscle Relaxation": "heading",
    "Finding the Optimal Dosage and Strain": "heading",
    "Incorporating Kratom into a Sleep Routine": "heading",
    "Conclusion": "heading",
}
OBSERVATIONAL = {d for d in vocab.DESIGNS if d not in vocab.EXPERIMENTAL_DESIGNS}


@pytest.fixture(scope="module")
def review():
    return load_review(ROOT)


def test_check_is_clean(review):
    assert review.check() == []


def test_document_is_the_verbatim_shared_copy(review):
    doc = review.documents[DOC]
    shared = ROOT.parent / "shared" / "documents" / doc.file
    if shared.exists():
        assert (ROOT / "documents" / doc.file).read_bytes() == shared.read_bytes()
    assert hashlib.sha256((ROOT / "documents" / doc.file).read_bytes()).hexdigest() == doc.sha256
    assert doc.url == "" and doc.publisher == ""  # not known: recorded as unknown, never guessed


def test_every_checkable_sentence_is_covered(review):
    text = review.documents[DOC].text
    claims = review.claims[review.claims["document"] == DOC]
    spans = list(zip(claims["start"].astype(int), claims["end"].astype(int), strict=True))
    uncovered = []
    for seg in segment(text):
        covered = any(a < seg.end and b > seg.start for a, b in spans)
        if seg.text in OMITTED:
            assert not covered, f"{seg.text!r} is listed as omitted but a claim quotes it"
        elif not covered:
            uncovered.append(seg.text)
    assert not uncovered, f"sentences with no claim: {uncovered}"
    for omitted in OMITTED:
        assert omitted in text


def test_every_topic_has_claims_and_background_claims_exist(review):
    claims = review.claims
    assert set(claims["topic"]) == set(review.settings.topics)
    assert (claims["claim_type"] == "background").sum() >= 4


def test_references_are_verifiable(review):
    assert len(review.references) >= 20
    for ref in review.references.values():
        assert ref.get("url").startswith("http"), ref.key
        agency = ref.entry_type in vocab.AGENCY_ENTRY_TYPES
        assert ref.doi or ref.pmid or agency, f"{ref.key} has neither DOI nor PMID"


def test_people_claims_resting_on_animal_or_cell_work_are_downgraded(review):
    for cid, ctype, indirectness in review.claims[["id", "claim_type", "indirectness"]].itertuples(index=False):
        if grade.needs_indirectness(ctype, review.studies_for(cid)):
            assert indirectness in ("serious", "very serious"), cid


def test_claims_resting_on_surveys_are_not_rated_above_low(review):
    for cid, certainty, up in review.claims[["id", "certainty", "large_effect"]].itertuples(index=False):
        body = grade.body_of_evidence(review.studies_for(cid))
        if body and all(s.design in OBSERVATIONAL for s in body) and up == "none":
            assert certainty in ("low", "very low"), cid


def test_stored_certainty_and_verdict_are_the_engines(review):
    import pandas as pd

    for row in review.claims.itertuples(index=False):
        rating = review.rating(row.id)
        stored = None if pd.isna(row.certainty) else row.certainty
        assert rating.certainty == stored, row.id
        assert grade.verdict_allowed(row.verdict, rating.verdict), row.id


def test_no_claim_without_evidence_is_rated_better_than_insufficient(review):
    for row in review.claims.itertuples(index=False):
        if not grade.body_of_evidence(review.studies_for(row.id)):
            assert row.verdict == "insufficient evidence", row.id


def _agreement():
    from evidencebench.rating.agreement import compare
    from evidencebench.rating.sheets import pick_pair, read_ratings

    review = load_review(ROOT)
    sheets, consensus = read_ratings(review)
    first, second = pick_pair(sheets, ["reviewer-1", "reviewer-2"])
    return review, compare(review, first, second), consensus


def test_methods_state_the_two_reviewers_agreement_as_computed():
    from evidencebench.rating.agreement import agreement_table

    _, report, _ = _agreement()
    methods = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    block = methods.split("<!-- agreement:start -->")[1].split("<!-- agreement:end -->")[0]
    assert "\n".join(agreement_table(report)) in block
    assert {"link stance", "verdict", "certainty", *vocab.DOWNGRADE_DOMAINS} <= {a.scale for a in report.scales}
    assert len(report.claims) == len(load_review(ROOT).claims) and report.links


def test_every_disagreement_was_decided_by_a_named_adjudicator():
    _, report, consensus = _agreement()
    assert consensus is not None
    for claim in report.conflicts:
        assert consensus.ratings[claim].decided_by, claim
    for key in report.link_conflicts:
        assert consensus.links[key].decided_by, key
