"""schema.org ClaimReview JSON-LD: one review per claim, for fact-check aggregators.

The verdict scale is defined once here (RATING_VALUES); docs/report.md explains it and
the project JSON Schema (report/schemas/claimreview.schema.json) pins the output's shape.
"""

from __future__ import annotations

import json
from importlib.resources import files

from .bibliography import Entry
from .html import safe_url
from .model import HTML_NAME, ClaimView, ReportModel

BEST_RATING = 5
WORST_RATING = 1
RATING_VALUES: dict[str, int] = {
    "contradicted": 1,
    "misleading": 2,
    "insufficient evidence": 3,
    "mixed evidence": 3,
    "partly supported": 4,
    "supported": 5,
}
"""Verdict -> ratingValue on schema.org's 1 (worst) to 5 (best) scale. The verdict itself
travels as `alternateName`; the middle value 3 means 'cannot say', not 'half true'."""



def rating_value(verdict: str) -> int:
    """A verdict added to `vocab` later reads as 'cannot say' until it is mapped (a test insists)."""
    return RATING_VALUES.get(verdict, 3)


def review_body(claim: ClaimView) -> str:
    """Certainty, studies and rationale in one paragraph: what a reader of the rating needs."""
    rated = len(claim.rated_studies)
    certainty = (
        f"GRADE certainty of the evidence: {claim.certainty} ({claim.symbols}), "
        f"from {rated} rated stud{'y' if rated == 1 else 'ies'} ({claim.designs})."
        if claim.certainty
        else "GRADE certainty of the evidence: no rated evidence (no study bears on the claim as "
        "supporting or contradicting it)."
    )
    return f"Claim tested: {claim.claim} Verdict: {claim.verdict}. {certainty} {claim.rationale}".strip()


def _appearance(model: ReportModel, claim: ClaimView) -> dict:
    doc = model.documents_by_id.get(claim.document)
    work: dict = {"@type": "CreativeWork", "name": (doc.title if doc else "") or claim.document}
    if doc is not None:
        url = safe_url(doc.url)
        if url:
            work["url"] = url
        if doc.publisher:
            work["publisher"] = {"@type": "Organization", "name": doc.publisher}
    return work


def _citations(claim: ClaimView, entries: dict[str, Entry]) -> list[dict]:
    out = []
    for study in claim.rated_studies:
        entry = entries.get(study.key)
        if entry is None:
            continue
        item: dict = {"@type": "CreativeWork", "name": entry.text}
        url = safe_url(entry.url)
        if url:
            item["url"] = url
        if entry.doi:
            item["sameAs"] = f"https://doi.org/{entry.doi}"
        out.append(item)
    return out


def claim_review(model: ReportModel, claim: ClaimView, entries: dict[str, Entry]) -> dict:
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{HTML_NAME}#{claim.anchor}",
        "claimReviewed": claim.quote,
        "itemReviewed": {"@type": "Claim", "appearance": _appearance(model, claim)},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating_value(claim.verdict),
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.verdict,
            "ratingExplanation": claim.rationale,
        },
        "reviewBody": review_body(claim),
        "author": {"@type": "Organization", "name": model.settings.author},
        "datePublished": model.build.date,
    }
    citations = _citations(claim, entries)
    if citations:
        review["citation"] = citations
    return review


def claim_reviews(model: ReportModel, entries: dict[str, Entry]) -> list[dict]:
    return [claim_review(model, c, entries) for c in model.claims]


def to_jsonld(reviews: list[dict]) -> str:
    """JSON with <, > and & written as \\u escapes, so the text is also safe to paste into
    a <script type="application/ld+json"> element (a quote holding </script> cannot end it)."""
    text = json.dumps(reviews, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def json_schema() -> dict:
    """The project's JSON Schema for claimreview.jsonld (draft 2020-12)."""
    return json.loads((files("evidencebench.report") / "schemas" / "claimreview.schema.json").read_text("utf-8"))
