"""The bottom line: per document, its central claims and what the evidence says of them.

A reader (a journalist, a clinician) wants the answer to the document's main message before
anything else, and counts over all claims bury it under background facts ("kratom is a
plant"). The sentences are generated from the verdicts and certainties, so they cannot drift
from the data, and they use the verdict's own words ("only partly supported", "insufficient
evidence") so that no sentence reads as more support than there is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..review import vocab
from ..review.documents import Document
from . import glossary
from .model import ClaimView, ReportModel, describe_designs, plural


@dataclass(frozen=True)
class BottomLine:
    document_id: str
    title: str
    claims: int  # all claims taken from the document
    central: tuple[ClaimView, ...]
    sentences: tuple[str, ...]

    @property
    def headline(self) -> str | None:
        """The verdict every central claim shares, or None when they differ (or none is marked)."""
        verdicts = {c.verdict for c in self.central}
        return verdicts.pop() if len(verdicts) == 1 else None


def _verdict_clause(verdict: str, n: int) -> str:
    one, many = glossary.VERDICT_PREDICATES.get(verdict, (f"is rated {verdict}", f"are rated {verdict}"))
    return f"{n} {one if n == 1 else many}"


def verdict_sentence(central: tuple[ClaimView, ...]) -> str:
    """One sentence on the verdicts of a document's central claims."""
    counts = Counter(c.verdict for c in central)
    n = len(central)
    if len(counts) == 1:
        verdict = next(iter(counts))
        one, many = glossary.VERDICT_PREDICATES.get(verdict, (f"is rated {verdict}", f"are rated {verdict}"))
        if n == 1:
            return f"The document's central claim {one}."
        return f"{'Both' if n == 2 else f'All {n}'} of the document's central claims {many}."
    order = [v for v in vocab.VERDICTS if v in counts] + sorted(v for v in counts if v not in vocab.VERDICTS)
    order.sort(key=lambda v: -counts[v])
    clauses = [_verdict_clause(v, counts[v]) for v in order]
    joined = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
    return f"Of the document's {n} central claims, {joined}."


def evidence_sentence(central: tuple[ClaimView, ...]) -> str:
    """What the evidence behind the central claims is: none rated, or how certain and from what."""
    unrated = [c for c in central if c.certainty is None]
    rated = [c for c in central if c.certainty is not None]
    if not rated:
        indirect = any(c.studies for c in central)
        tail = "; the studies linked to them bear on them only indirectly." if indirect else "."
        if len(central) == 1:
            return "No study was found that supports or contradicts it" + tail
        return "For none of them was a study found that supports or contradicts it" + tail
    studies = {s.key: s.design for c in rated for s in c.rated_studies}
    levels = sorted({c.certainty for c in rated}, key=vocab.CERTAINTY_LEVELS.index)
    certainty = levels[0] if len(levels) == 1 else f"{levels[0]} to {levels[-1]}"
    body = (
        f"the rated evidence ({plural(len(studies), 'study', 'studies')}: "
        f"{describe_designs(studies.values())}) is of {certainty} certainty"
    )
    if not unrated:
        return f"For {'it' if len(central) == 1 else 'them'}, {body}."
    return (
        f"For {len(unrated)} of them no study was found that supports or contradicts the claim; "
        f"for the other {len(rated)}, {body}."
    )


def caveat_sentence(central: tuple[ClaimView, ...]) -> str:
    """The caveat that goes with the weakest kind of verdict among the central claims ('' when none applies)."""
    verdicts = {c.verdict for c in central}
    for verdict, sentence in glossary.VERDICT_CAVEATS.items():
        if verdict in verdicts:
            return sentence
    return ""


def bottom_line(document: Document | None, document_id: str, claims: list[ClaimView]) -> BottomLine:
    """The report's bottom line for one document, led by its central claims."""
    central = tuple(c for c in claims if c.central)
    title = (document.title if document else "") or document_id
    if not central:
        sentences = (
            "No claim of this document is marked as central (claims.csv `central` = yes), so there "
            "is no headline verdict; the counts below cover all of its claims.",
        )
    else:
        sentences = tuple(s for s in (verdict_sentence(central), evidence_sentence(central), caveat_sentence(central)) if s)
    return BottomLine(document_id, title, len(claims), central, sentences)


def bottom_lines(model: ReportModel) -> list[BottomLine]:
    """One per document that has claims, in the order of documents/index.csv."""
    by_document = model.claims_by_document
    order = [d.id for d in model.documents if d.id in by_document]
    known = set(order)
    order += [d for d in by_document if d not in known]
    return [bottom_line(model.documents_by_id.get(d), d, by_document[d]) for d in order]
