"""Words for readers: labels and plain definitions of every GRADE term the report uses.

Keys are the vocabulary values of `vocab`, so the glossary, the badges and the summary all
speak of the same things; a vocabulary value without an entry still gets a readable label
(and the tests fail until it has a definition).
"""

from __future__ import annotations

from ..review import vocab

NO_RATED_EVIDENCE = "no rated evidence"

CERTAINTY: dict[str, str] = {
    "high": "We are very confident that the true effect is close to what the studies found.",
    "moderate": (
        "We are moderately confident: the true effect is probably close to what the studies "
        "found, but it may be substantially different."
    ),
    "low": "Our confidence is limited: the true effect may be substantially different.",
    "very low": (
        "We have very little confidence: the true effect is likely to be substantially "
        "different from what the studies found."
    ),
}

DOMAINS: dict[str, tuple[str, str]] = {
    "risk_of_bias": (
        "Risk of bias",
        "Flaws in how the studies were designed or run (no control group, no blinding, "
        "self-selected participants, self-reported outcomes) that may distort their results.",
    ),
    "inconsistency": (
        "Inconsistency",
        "The studies disagree with each other more than chance would explain.",
    ),
    "indirectness": (
        "Indirectness",
        "The studies answer a different question from the claim: other people (or animals or "
        "cells), another product or dose, or another outcome.",
    ),
    "imprecision": (
        "Imprecision",
        "Too few participants or events, so the true result could easily be quite different.",
    ),
    "publication_bias": (
        "Publication bias",
        "Reason to suspect that studies with unwelcome results were never published.",
    ),
    "large_effect": (
        "Large effect",
        "An effect so large that bias alone is unlikely to explain it (raises certainty).",
    ),
    "dose_response": (
        "Dose-response gradient",
        "More exposure goes with more effect (raises certainty).",
    ),
    "plausible_confounding": (
        "Plausible confounding",
        "The likely biases would have worked against the effect seen, so the true effect is "
        "probably at least as large (raises certainty).",
    ),
}

JUDGMENT_LEVELS: dict[str, str] = {
    "not serious": "No important concern; certainty is not lowered.",
    "serious": "An important concern; certainty is lowered by one level.",
    "very serious": "A very important concern; certainty is lowered by two levels.",
}

VERDICTS: dict[str, str] = {
    "supported": "The evidence supports the claim, with moderate or high certainty.",
    "partly supported": (
        "The evidence points the claim's way, but only with low certainty or for part of what "
        "is claimed; the rationale says what is missing."
    ),
    "mixed evidence": "Studies point in different directions; no conclusion can be drawn either way.",
    "insufficient evidence": (
        "No study bears directly on the claim, or the evidence is of very low certainty. This "
        "does not show the claim is false, only that it has not been shown to be true."
    ),
    "misleading": (
        "Some evidence exists, but for something weaker than what the document claims (for "
        "example an animal result presented as an effect in people)."
    ),
    "contradicted": "The evidence goes against the claim, with at least low certainty.",
}

VERDICT_PREDICATES: dict[str, tuple[str, str]] = {
    "supported": ("is supported", "are supported"),
    "partly supported": ("is only partly supported", "are only partly supported"),
    "mixed evidence": ("has mixed evidence", "have mixed evidence"),
    "insufficient evidence": ("has insufficient evidence", "have insufficient evidence"),
    "misleading": ("is misleading", "are misleading"),
    "contradicted": ("is contradicted by the evidence", "are contradicted by the evidence"),
}
"""How a sentence says a claim got a verdict (singular, plural): generated text reads naturally
without ever saying more than the verdict ("only partly supported", never "supported")."""

VERDICT_CAVEATS: dict[str, str] = {
    "contradicted": "Contradicted means the evidence goes against the claim with at least low certainty.",
    "misleading": "Misleading means the evidence shows something weaker than what is claimed.",
    "insufficient evidence": (
        "Insufficient evidence does not show a claim is false; it means the claim has not been shown to be true."
    ),
    "mixed evidence": "Mixed evidence means the studies point both ways, so no conclusion can be drawn.",
    "partly supported": (
        "Partly supported means the evidence points the claim's way, but with low certainty: the true "
        "effect may be substantially different."
    ),
    "supported": "Supported means the evidence backs the claim with moderate or high certainty.",
}
"""The one sentence a bottom line adds about its most telling verdict (in this order of precedence)."""

STANCES: dict[str, tuple[str, str]] = {
    "supports": ("supports", "The study's result agrees with the claim."),
    "contradicts": ("contradicts", "The study's result goes against the claim."),
    "indirect": (
        "indirect only",
        "The study bears on the claim only through a mechanism or a neighbouring question; "
        "it is shown for context but not rated.",
    ),
}

TERMS: dict[str, str] = {
    "Central claim": (
        "A claim that carries the document's main message, as marked by the reviewers; the bottom "
        "line leads with these."
    ),
    "Health claim": (
        "A claim about what the product does to people: its effects (efficacy), how to dose it, or "
        "its safety. Other claims are background: chemistry, mechanism, how common something is."
    ),
    "GRADE": (
        "Grading of Recommendations, Assessment, Development and Evaluation: a widely used, "
        "explicit way to rate how certain a body of evidence is."
    ),
    "Certainty of evidence": (
        "How sure we can be that what the studies found is close to the truth. Shown in words "
        "and as filled circles, from ⊕⊕⊕⊕ (high) to ⊕⊝⊝⊝ (very low)."
    ),
    "Body of evidence": "The studies linked to a claim as supporting or contradicting it; only these are rated.",
    "Starting level": (
        "Where certainty starts before any downgrade or upgrade: high for experiments that "
        "measure the outcome directly, low for observational studies."
    ),
    "Verdict": "The one-phrase conclusion for a claim; it follows from certainty and direction by the rule table in Methods.",
}

DESIGN_LABELS: dict[str, str] = {
    "rct": "randomised trial",
    "non-randomised-trial": "non-randomised trial",
    "pharmacokinetic": "pharmacokinetic study",
    "cohort": "cohort study",
    "case-control": "case-control study",
    "cross-sectional": "cross-sectional survey",
    "case-series": "case series",
    "case-report": "case report",
    "qualitative": "qualitative study",
    "surveillance": "surveillance data",
    "systematic-review": "systematic review",
    "narrative-review": "narrative review",
    "animal-experiment": "animal experiment",
    "in-vitro": "in-vitro laboratory study",
    "chemical-analysis": "chemical analysis",
    "regulatory-statement": "regulatory statement",
    "guideline": "guideline",
}


def design_label(code: str) -> str:
    """A study design in words for readers (the code itself when the glossary has none)."""
    return DESIGN_LABELS.get(code, code.replace("-", " ") or "design not stated")


def domain_label(domain: str) -> str:
    """A GRADE domain in words for readers."""
    return DOMAINS.get(domain, (domain.replace("_", " ").capitalize(), ""))[0]


def stance_label(stance: str) -> str:
    """A link's stance in words for readers."""
    return STANCES.get(stance, (stance, ""))[0]


def certainty_words(certainty: str | None) -> str:
    """A certainty level in words, with 'no rated evidence' for a claim nothing rates."""
    return certainty if certainty else NO_RATED_EVIDENCE


def missing_definitions() -> list[str]:
    """Vocabulary values the glossary does not yet explain (the tests keep this empty)."""
    wanted = [
        *(("certainty", c) for c in vocab.CERTAINTY_LEVELS),
        *(("domain", d) for d in vocab.JUDGMENT_FIELDS),
        *(("judgment", j) for j in vocab.DOWNGRADE_LEVELS),
        *(("verdict", v) for v in vocab.VERDICTS),
        *(("verdict predicate", v) for v in vocab.VERDICTS),
        *(("verdict caveat", v) for v in vocab.VERDICTS),
        *(("stance", s) for s in vocab.STANCES),
        *(("design", d) for d in vocab.DESIGNS),
    ]
    tables = {
        "certainty": CERTAINTY,
        "domain": DOMAINS,
        "judgment": JUDGMENT_LEVELS,
        "verdict": VERDICTS,
        "verdict predicate": VERDICT_PREDICATES,
        "verdict caveat": VERDICT_CAVEATS,
        "stance": STANCES,
        "design": DESIGN_LABELS,
    }
    return [f"{kind}:{value}" for kind, value in wanted if value not in tables[kind]]
