"""Tables for notebooks: the report's model as pandas frames.

Notebooks and the report show the same numbers because both read `report.model`; this
module only reshapes it. No dates or commit ids appear here, so notebook outputs stay
deterministic and nbval can compare them.
"""

from __future__ import annotations

import pandas as pd

from ..report.buildinfo import BuildInfo
from ..report.model import MAP_COLUMNS, ClaimView, ReportModel, build_model
from ..review import vocab
from ..rules.review import Review

_FIXED_BUILD = BuildInfo(date="", data_version="", commit=None, dirty=False)


def model(review: Review) -> ReportModel:
    """The report model without build date or commit (those are volatile)."""
    return build_model(review, _FIXED_BUILD)


def setup_display() -> None:
    """Show whole quotes and findings; notebooks call this once."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.width", 200)


def _claims(m: ReportModel, topic: str | None) -> list[ClaimView]:
    return [c for c in m.claims if topic is None or c.topic == topic]


def claims_table(m: ReportModel, topic: str | None = None) -> pd.DataFrame:
    """One row per claim: what the document says, the testable claim, certainty and verdict."""
    rows = [
        {
            "claim": c.id,
            "quote": c.quote,
            "restated": c.claim,
            "type": c.claim_type,
            "certainty": c.certainty_words,
            "symbols": c.symbols,
            "verdict": c.verdict,
            "studies": c.studies_summary,
        }
        for c in _claims(m, topic)
    ]
    return pd.DataFrame(rows).set_index("claim") if rows else pd.DataFrame()


def studies_table(m: ReportModel, claim_id: str) -> pd.DataFrame:
    """The studies linked to one claim: citation number, design, population, stance, finding."""
    claim = claim_view(m, claim_id)
    rows = [
        {
            "ref": f"[{s.number}] {s.key}" if s.number else s.key,
            "design": s.design,
            "population": s.population,
            "n": s.n,
            "stance": s.stance,
            "finding": s.finding,
        }
        for s in claim.studies
    ]
    return pd.DataFrame(rows, columns=["ref", "design", "population", "n", "stance", "finding"])


def judgments_table(m: ReportModel, claim_id: str) -> pd.DataFrame:
    """GRADE judgments of one claim with their reasons."""
    claim = claim_view(m, claim_id)
    rows = [{"domain": j.label, "judgment": j.value, "reason": j.reason if j.changes_certainty else ""} for j in claim.judgments]
    return pd.DataFrame(rows).set_index("domain")


def rating_line(m: ReportModel, claim_id: str) -> str:
    """One line a reader can scan: verdict, certainty in words and symbols, how it was reached."""
    c = claim_view(m, claim_id)
    r = c.rating
    how = f"start {r.start}, {r.downgrades} down, {r.upgrades} up" if r.start else "nothing rated"
    return f"{c.id}: {c.verdict} — certainty {c.certainty_words} {c.symbols} ({how})"


def claim_view(m: ReportModel, claim_id: str) -> ClaimView:
    for c in m.claims:
        if c.id == claim_id:
            return c
    raise KeyError(f"no claim {claim_id!r}")


def evidence_map(m: ReportModel) -> pd.DataFrame:
    """Topic × certainty: how many claims sit at each level."""
    data = m.evidence_map()
    return pd.DataFrame.from_dict(data, orient="index", columns=list(MAP_COLUMNS)).rename_axis("topic")


def evidence_map_figure(m: ReportModel):
    """The report's evidence-map figure as deterministic SVG for a notebook (nbval compares SVG)."""
    from IPython.display import SVG

    from ..report.figures import evidence_map_svg

    return SVG(evidence_map_svg(m.evidence_map(), MAP_COLUMNS))


def verdicts_by_topic(m: ReportModel) -> pd.DataFrame:
    """Topic × verdict counts, verdicts in the vocabulary's order."""
    rows = {t.name: {v: sum(c.verdict == v for c in t.claims) for v in vocab.VERDICTS} for t in m.topics}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(vocab.VERDICTS)).rename_axis("topic")


def advice_vs_studies(m: ReportModel, topic: str, claim_types: tuple[str, ...] = ("dosage",)) -> pd.DataFrame:
    """The document's advice beside what each linked study reported (doses, time courses)."""
    rows = []
    for c in _claims(m, topic):
        if c.claim_type not in claim_types:
            continue
        for s in c.studies:
            rows.append({"claim": c.id, "the document says": c.quote, "study": s.key, "design": s.design,
                         "n": s.n, "what the study reported": s.finding})
    return pd.DataFrame(rows, columns=["claim", "the document says", "study", "design", "n", "what the study reported"])


def topic_summary(m: ReportModel, topic: str) -> str:
    """A closing paragraph in words, generated from the verdicts so it cannot go stale."""
    claims = _claims(m, topic)
    if not claims:
        return f"No claims on {topic}."
    counts = {v: sum(c.verdict == v for c in claims) for v in vocab.VERDICTS}
    parts = [f"{n} {v}" for v, n in counts.items() if n]
    rated = [c for c in claims if c.certainty]
    best = max((vocab.CERTAINTY_LEVELS.index(c.certainty) for c in rated), default=None)
    best_text = f"the highest certainty reached is {vocab.CERTAINTY_LEVELS[best]}" if best is not None else "no claim has rated evidence"
    return (
        f"{_count(len(claims), 'claim', 'claims')} on {topic}: " + ", ".join(parts) + f"; {best_text}. "
        + _count(sum(not c.certainty for c in claims), "claim has", "claims have")
        + " no study that supports or contradicts it directly."
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def strongest_verdict_allowed(m: ReportModel) -> list[str]:
    """Claims whose verdict is stronger than their certainty allows (should be empty)."""
    from ..rules import grade

    return [c.id for c in m.claims if not grade.verdict_allowed(c.verdict, c.rating.verdict)]
