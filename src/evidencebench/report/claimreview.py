"""schema.org ClaimReview JSON-LD: one review per claim, for fact-check aggregators.

The verdict scale is defined once here (RATING_VALUES); docs/report.md explains it and
the project JSON Schema (report/schemas/claimreview.schema.json) pins the output's shape.
`search_engine_problems` holds each review to the fields Google's fact-check documentation
requires or recommends, so "ready to publish" is checked rather than hoped for.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from urllib.parse import urlsplit

from .bibliography import Entry
from .links import doi_url, safe_url
from .model import ClaimView, ReportModel

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


SCALE = (
    f"ratingValue runs from {WORST_RATING} (contradicted) to {BEST_RATING} (supported); 3 means the evidence "
    "cannot settle the claim (insufficient or mixed evidence), not that it is half true. The verdict "
    "itself is alternateName."
)
"""The rating scale in words, given with every rating so a consumer need not guess it."""


def sentence(text: str) -> str:
    """The text as one full sentence: white space collapsed, a capital start and a full stop."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def review_body(claim: ClaimView) -> str:
    """The quote, certainty, studies and rationale in one paragraph: what a reader of the rating needs."""
    rated = len(claim.rated_studies)
    certainty = (
        f"GRADE certainty of the evidence: {claim.certainty} ({claim.symbols}), "
        f"from {rated} rated stud{'y' if rated == 1 else 'ies'} ({claim.designs})."
        if claim.certainty
        else "GRADE certainty of the evidence: no rated evidence (no study bears on the claim as "
        "supporting or contradicting it)."
    )
    quote = " ".join(claim.quote.split())
    stop = "" if quote.endswith((".", "!", "?")) else "."
    return (
        f"The document says: “{quote}”{stop} Claim tested: {sentence(claim.claim)} Verdict: {claim.verdict}. "
        f"{certainty} {claim.rationale}"
    ).strip()


def _item_reviewed(model: ReportModel, claim: ClaimView) -> dict:
    """The claim and where it appeared: the document, with its author, url and date when known."""
    doc = model.documents_by_id.get(claim.document)
    meta = model.document_meta(claim.document)
    work: dict = {"@type": "CreativeWork", "name": (doc.title if doc else "") or claim.document}
    item: dict = {"@type": "Claim"}
    if doc is not None:
        url = safe_url(doc.url)
        if url:
            work["url"] = url
        if doc.publisher:
            work["publisher"] = {"@type": "Organization", "name": doc.publisher}
    if meta.author:
        work["author"] = item["author"] = {"@type": "Person", "name": meta.author}
    elif doc is not None and doc.publisher:
        item["author"] = {"@type": "Organization", "name": doc.publisher}
    if meta.published:
        work["datePublished"] = item["datePublished"] = meta.published
    item["appearance"] = work
    return item


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
        same_as = doi_url(entry.doi)
        if same_as:
            item["sameAs"] = same_as
        out.append(item)
    return out


def claim_review(model: ReportModel, claim: ClaimView, entries: dict[str, Entry]) -> dict:
    """One claim as a schema.org ClaimReview, for fact-check aggregators."""
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": model.claim_url(claim),
        "claimReviewed": sentence(claim.claim),
        "itemReviewed": _item_reviewed(model, claim),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating_value(claim.verdict),
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.verdict,
            "ratingExplanation": claim.rationale,
            "description": SCALE,
        },
        "reviewBody": review_body(claim),
        "author": _author(model),
        "datePublished": model.build.date,
    }
    citations = _citations(claim, entries)
    if citations:
        review["citation"] = citations
    return review


def _author(model: ReportModel) -> dict:
    author: dict = {"@type": "Organization", "name": model.settings.author}
    if model.base_url:
        author["url"] = model.base_url
    return author


def claim_reviews(model: ReportModel, entries: dict[str, Entry]) -> list[dict]:
    """Every claim of the report as a ClaimReview."""
    return [claim_review(model, c, entries) for c in model.claims]


def to_jsonld(reviews: list[dict]) -> str:
    """JSON with <, > and & written as \\u escapes, so the text is also safe to paste into
    a <script type="application/ld+json"> element (a quote holding </script> cannot end it)."""
    text = json.dumps(reviews, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def json_schema() -> dict:
    """The project's JSON Schema for claimreview.jsonld (draft 2020-12)."""
    return json.loads((files("evidencebench.report") / "schemas" / "claimreview.schema.json").read_text("utf-8"))


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def search_engine_problems(review: dict, base_url: str | None) -> list[str]:
    """What keeps one ClaimReview from being usable by search engines; empty when it is ready.

    Required by Google's fact-check documentation: claimReviewed, reviewRating with
    alternateName, and url (absolute, on the publishing site). Recommended, and checked too:
    author with a name, datePublished, and itemReviewed as a Claim with an appearance. Without
    base_url the url is relative, which is itself the problem reported.
    """
    out = []
    if not _text(review.get("claimReviewed")):
        out.append("claimReviewed is missing")
    rating = review.get("reviewRating")
    if not isinstance(rating, dict) or not _text(rating.get("alternateName")):
        out.append("reviewRating.alternateName is missing")
    elif not (rating.get("worstRating", 1) <= rating.get("ratingValue", 1) <= rating.get("bestRating", 5)):
        out.append("reviewRating.ratingValue is outside worstRating..bestRating")
    url = review.get("url", "")
    parts = urlsplit(url) if isinstance(url, str) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.netloc:
        out.append(f"url {url!r} is not absolute" + ("" if base_url else ": set base_url"))
    elif base_url and parts.netloc != urlsplit(base_url).netloc:
        out.append(f"url {url!r} is not on the publishing site {urlsplit(base_url).netloc}")
    author = review.get("author")
    if not isinstance(author, dict) or not _text(author.get("name")):
        out.append("author.name is missing")
    if not (isinstance(review.get("datePublished"), str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])):
        out.append("datePublished is not a YYYY-MM-DD date")
    item = review.get("itemReviewed")
    if not isinstance(item, dict) or item.get("@type") != "Claim" or not (item.get("appearance") or item.get("firstAppearance")):
        out.append("itemReviewed is not a Claim with an appearance")
    return out
