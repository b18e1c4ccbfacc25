"""GRADE and verdict rules, worked case by case."""

from __future__ import annotations

import pytest

from evidencebench.rules import grade
from evidencebench.rules.grade import StudyInfo

NEUTRAL = {
    "risk_of_bias": "not serious",
    "inconsistency": "not serious",
    "indirectness": "not serious",
    "imprecision": "not serious",
    "publication_bias": "not serious",
    "large_effect": "none",
    "dose_response": "none",
    "plausible_confounding": "none",
}


def j(**changes: str) -> dict[str, str]:
    return {**NEUTRAL, **changes}


def study(design: str, stance: str = "supports", population: str = "humans", review_of: str = "") -> StudyInfo:
    return StudyInfo(f"{design}-{stance}", design, population, stance, review_of)


@pytest.mark.parametrize(
    ("design", "review_of", "start"),
    [
        ("rct", "", "high"),
        ("cross-sectional", "", "low"),
        ("cohort", "", "low"),
        ("case-series", "", "low"),
        ("animal-experiment", "", "high"),
        ("in-vitro", "", "high"),
        ("chemical-analysis", "", "high"),
        ("pharmacokinetic", "", "high"),
        ("narrative-review", "", "low"),
        ("systematic-review", "rct", "high"),
        ("systematic-review", "cohort", "low"),
        ("systematic-review", "", "low"),
        ("regulatory-statement", "", "low"),
    ],
)
def test_starting_level(design, review_of, start):
    assert grade.starting_level(design, review_of) == start


@pytest.mark.parametrize(
    ("start", "judgments", "expected"),
    [
        ("high", j(), "high"),
        ("high", j(risk_of_bias="serious"), "moderate"),
        ("high", j(risk_of_bias="serious", imprecision="serious"), "low"),
        ("high", j(indirectness="very serious"), "low"),
        ("high", j(indirectness="very serious", imprecision="very serious"), "very low"),
        ("low", j(risk_of_bias="very serious", inconsistency="very serious"), "very low"),  # floor
        ("low", j(large_effect="large"), "moderate"),
        ("low", j(large_effect="very large", dose_response="present"), "high"),  # ceiling
        ("high", j(dose_response="present"), "high"),  # ceiling
        ("low", j(imprecision="serious", dose_response="present"), "low"),
        (None, j(), None),
    ],
)
def test_certainty(start, judgments, expected):
    assert grade.certainty(start, judgments) == expected


def test_best_design_sets_the_start_and_indirect_links_are_not_rated():
    studies = [study("cross-sectional"), study("rct"), study("animal-experiment", "indirect", "animals")]
    assert grade.start_for(studies) == "high"
    assert grade.start_for([study("rct", "indirect")]) is None


@pytest.mark.parametrize(
    ("stances", "direction"),
    [
        ([], "none"),
        (["indirect"], "none"),
        (["supports"], "supports"),
        (["supports", "supports", "contradicts"], "supports"),
        (["supports", "contradicts"], "mixed"),
        (["supports", "contradicts", "contradicts"], "contradicts"),
        (["contradicts"], "contradicts"),
    ],
)
def test_direction(stances, direction):
    assert grade.direction([study("rct", s) for s in stances]) == direction


@pytest.mark.parametrize(
    ("direction", "certainty", "verdict"),
    [
        ("none", None, "insufficient evidence"),
        ("supports", "high", "supported"),
        ("supports", "moderate", "supported"),
        ("supports", "low", "partly supported"),
        ("supports", "very low", "insufficient evidence"),
        ("contradicts", "moderate", "contradicted"),
        ("contradicts", "low", "contradicted"),
        ("contradicts", "very low", "insufficient evidence"),
        ("mixed", "high", "mixed evidence"),
        ("mixed", "very low", "mixed evidence"),
    ],
)
def test_verdict_rules(direction, certainty, verdict):
    assert grade.verdict(direction, certainty) == verdict


def test_no_supported_verdict_at_very_low_or_low_certainty():
    for level in ("very low", "low"):
        assert grade.verdict("supports", level) != "supported"


def test_reviewer_may_say_misleading_but_never_soften_contradicted():
    assert grade.verdict_allowed("misleading", "partly supported")
    assert grade.verdict_allowed("misleading", "insufficient evidence")
    assert not grade.verdict_allowed("misleading", "contradicted")
    assert not grade.verdict_allowed("supported", "partly supported")


def test_survey_only_evidence_never_exceeds_low_without_upgrade():
    surveys = [study("cross-sectional"), study("cohort")]
    rating = grade.rate(surveys, j())
    assert rating.certainty == "low"
    assert rating.verdict == "partly supported"


def test_people_claim_on_animal_work_needs_indirectness():
    animal = [study("animal-experiment", population="animals")]
    assert grade.needs_indirectness("efficacy", animal)
    assert not grade.needs_indirectness("mechanism", animal)
    assert not grade.needs_indirectness("efficacy", [*animal, study("cross-sectional")])


def test_symbols():
    assert grade.symbols("high") == "⊕⊕⊕⊕"
    assert grade.symbols("low") == "⊕⊕⊝⊝"
    assert grade.symbols(None) == "—"


def test_methods_text_covers_every_rule():
    text = "\n".join(grade.methods_rules())
    for _, _, verdict in grade.VERDICT_RULES:
        assert verdict in text


def test_judgments_of_and_validity():
    row = {**NEUTRAL, "id": "x", "risk_of_bias_reason": "r"}
    assert grade.judgments_of(row) == NEUTRAL
    assert grade.judgments_valid(NEUTRAL)
    assert not grade.judgments_valid(j(imprecision="low"))
    assert not grade.judgments_valid(j(dose_response="large"))  # 'large' belongs to large_effect only
    assert not grade.judgments_valid(grade.judgments_of({}))
