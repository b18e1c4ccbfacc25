"""The GRADE engine: certainty from judgments, verdict from certainty and direction.

These rules are the methods section: `methods_rules()` renders them for the report and
the docs, so what readers are told is what the code does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..review import vocab
from ..review.loader import StudyInfo as StudyInfo  # re-exported: the engine's input
from ..review.loader import judgments_of as judgments_of

SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕⊝", "low": "⊕⊕⊝⊝", "very low": "⊕⊝⊝⊝"}
DOWNGRADE_STEPS = {"not serious": 0, "serious": 1, "very serious": 2}
UPGRADE_STEPS = {"none": 0, "present": 1, "large": 1, "very large": 2}


@dataclass(frozen=True)
class Rating:
    start: str | None  # None: nothing to rate
    certainty: str | None
    direction: str  # supports | contradicts | mixed | none
    verdict: str
    downgrades: int
    upgrades: int

    @property
    def symbols(self) -> str:
        """Certainty as GRADE's circles."""
        return symbols(self.certainty)


def judgments_valid(judgments: Mapping[str, str]) -> bool:
    """Whether every judgment is a value of its vocabulary, so the engine can rate it."""
    return all(judgments.get(d) in vocab.DOWNGRADE_LEVELS for d in vocab.DOWNGRADE_DOMAINS) and all(
        judgments.get(u) in vocab.UPGRADE_LEVELS[u] for u in vocab.UPGRADE_DOMAINS
    )


def symbols(certainty: str | None) -> str:
    """GRADE's circles for a certainty level ('—' without rated evidence)."""
    return SYMBOLS.get(certainty or "", "—")


def starting_level(design: str, review_of: str = "") -> str:
    """Experiments that measure exactly the outcome start high; everything else starts low.

    A review starts where the studies it reviews would, when they share one design;
    otherwise low.
    """
    if design in ("systematic-review", "narrative-review"):
        return starting_level(review_of) if review_of and review_of not in ("systematic-review", "narrative-review") else "low"
    return "high" if design in vocab.EXPERIMENTAL_DESIGNS else "low"


def body_of_evidence(studies: Iterable[StudyInfo]) -> list[StudyInfo]:
    """The studies that are rated: those that support or contradict the claim."""
    return [s for s in studies if s.stance in ("supports", "contradicts")]


def start_for(studies: Iterable[StudyInfo]) -> str | None:
    """The starting level of a body of evidence: that of its strongest design; None when nothing is rated."""
    body = body_of_evidence(studies)
    if not body:
        return None
    levels = [starting_level(s.design, s.review_of) for s in body]
    return max(levels, key=vocab.CERTAINTY_LEVELS.index)


def certainty(start: str | None, judgments: Mapping[str, str]) -> str | None:
    """Start level, minus downgrades, plus upgrades, clamped to [very low, high]."""
    if start is None:
        return None
    down = sum(DOWNGRADE_STEPS.get(judgments.get(d, "not serious"), 0) for d in vocab.DOWNGRADE_DOMAINS)
    up = sum(UPGRADE_STEPS.get(judgments.get(u, "none"), 0) for u in vocab.UPGRADE_DOMAINS)
    level = vocab.CERTAINTY_LEVELS.index(start) - down + up
    level = max(0, min(level, len(vocab.CERTAINTY_LEVELS) - 1))
    return vocab.CERTAINTY_LEVELS[level]


def direction(studies: Iterable[StudyInfo]) -> str:
    """Two thirds or more of the rated studies one way sets the direction; else mixed."""
    body = body_of_evidence(studies)
    if not body:
        return "none"
    pro = sum(s.stance == "supports" for s in body)
    share = pro / len(body)
    if share >= 2 / 3:
        return "supports"
    if share <= 1 / 3:
        return "contradicts"
    return "mixed"


VERDICT_RULES: tuple[tuple[str, tuple[str | None, ...], str], ...] = (
    ("none", (None,), "insufficient evidence"),
    ("supports", ("high", "moderate"), "supported"),
    ("supports", ("low",), "partly supported"),
    ("supports", ("very low",), "insufficient evidence"),
    ("contradicts", ("high", "moderate", "low"), "contradicted"),
    ("contradicts", ("very low",), "insufficient evidence"),
    ("mixed", ("high", "moderate", "low", "very low"), "mixed evidence"),
)
"""(direction of the rated studies, certainty, verdict): the whole rule table."""

REVIEWER_VERDICTS = {"misleading"}
"""A reviewer may replace a rule verdict by these, with a rationale (for example an animal
result sold as a human effect); `contradicted` is never softened this way."""


def verdict(direction_: str, certainty_: str | None) -> str:
    """The verdict the rule table gives for a direction and a certainty."""
    for d, levels, result in VERDICT_RULES:
        if d == direction_ and certainty_ in levels:
            return result
    raise ValueError(f"no verdict rule for direction={direction_!r} certainty={certainty_!r}")


def verdict_allowed(stored: str, computed: str) -> bool:
    """Whether a stored verdict may stand: the rules' own, or a reviewer's 'misleading' unless the evidence
    contradicts."""
    return stored == computed or (stored in REVIEWER_VERDICTS and computed != "contradicted")


def rate(studies: Iterable[StudyInfo], judgments: Mapping[str, str]) -> Rating:
    """The GRADE engine: start level, certainty, direction and verdict from the linked studies and the eight
    judgments."""
    studies = list(studies)
    start = start_for(studies)
    level = certainty(start, judgments)
    d = direction(studies)
    down = sum(DOWNGRADE_STEPS.get(judgments.get(x, "not serious"), 0) for x in vocab.DOWNGRADE_DOMAINS)
    up = sum(UPGRADE_STEPS.get(judgments.get(x, "none"), 0) for x in vocab.UPGRADE_DOMAINS)
    return Rating(start, level, d, verdict(d, level), down, up)


def needs_indirectness(claim_type: str, studies: Iterable[StudyInfo]) -> bool:
    """A claim about people rated only on animal or cell work must be downgraded for indirectness."""
    body = body_of_evidence(studies)
    return claim_type in vocab.CLAIMS_ABOUT_PEOPLE and bool(body) and not any(
        s.population == "humans" for s in body
    )


def methods_rules() -> list[str]:
    """The rules in words, for the methods section of the report and docs."""
    experimental = ", ".join(sorted(vocab.EXPERIMENTAL_DESIGNS))
    lines = [
        "Only studies linked as supporting or contradicting a claim are rated; studies linked as "
        "indirect (mechanism, a neighbouring question) are shown but not rated.",
        f"Starting level: high when the best rated study is an experiment that measures the outcome "
        f"directly ({experimental}); low for observational designs (surveys, cohorts, case series, "
        "surveillance data), narrative reviews and agency statements. A systematic review starts where "
        "the studies it reviews would, when they share one design.",
        "Composition and mechanism claims: laboratory analyses and receptor or animal experiments that "
        "measure exactly what is claimed are direct evidence. Claims about effects in people "
        "(efficacy, dosage, safety) resting only on animal or cell work must be downgraded for "
        "indirectness (serious or very serious); `evidence check` enforces this.",
        "Each of risk of bias, inconsistency, indirectness, imprecision and publication bias lowers "
        "certainty by one level when serious and two when very serious; a large effect (+1, very "
        "large +2), a dose-response gradient (+1) and plausible confounding that would reduce the "
        "effect (+1) raise it. The result never goes below very low nor above high.",
        "Direction: when at least two thirds of the rated studies support the claim, the evidence "
        "supports it; when at most one third do, it contradicts it; otherwise it is mixed.",
    ]
    for d, levels, result in VERDICT_RULES:
        shown = "no rated study" if levels == (None,) else " or ".join(str(x) for x in levels) + " certainty"
        lines.append(f"Direction {d}, {shown}: **{result}**.")
    lines.append(
        "A reviewer may instead rate a claim **misleading** (with a rationale) when the evidence "
        "supports only something weaker than what is claimed; a contradicted claim is never softened."
    )
    return lines
