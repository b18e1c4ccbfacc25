"""CSV exports of claims and evidence, with the computed columns a spreadsheet user wants.

Cells are neutralised against formula injection: a spreadsheet would run a cell starting
with = + - @ (or tab / carriage return) as a formula, so such cells get a leading quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from ..review import vocab
from .bibliography import Entry
from .claimreview import rating_value
from .model import ReportModel

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CLAIM_COLUMNS: tuple[str, ...] = (
    "id",
    "document",
    "topic",
    "claim_type",
    "central",
    "claim",
    "quote",
    "start",
    "end",
    "verdict",
    "rating_value",
    "certainty",
    "certainty_symbols",
    "certainty_start",
    "downgrades",
    "upgrades",
    "direction",
    "rated_studies",
    "indirect_studies",
    "designs",
    "participants",
    "references",
    "rationale",
    *(name for d in vocab.DOWNGRADE_DOMAINS for name in (d, f"{d}_reason")),
    *vocab.UPGRADE_DOMAINS,
    "upgrade_reason",
    "decided_by",
    "report_url",
)

EVIDENCE_COLUMNS: tuple[str, ...] = (
    "claim",
    "reference",
    "citation_number",
    "stance",
    "rated",
    "finding",
    "source_location",
    "design",
    "population",
    "n",
    "year",
    "doi",
    "pmid",
    "pmcid",
    "url",
    "citation",
)


def neutralise(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(columns: Sequence[str], rows: Iterable[dict[str, object]]) -> str:
    """Rows as CSV text, every cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(c, "")) for c in columns])
    return buf.getvalue()


def claim_rows(model: ReportModel) -> Iterable[dict[str, object]]:
    """One export row per claim: its claims.csv values plus the derived rating."""
    for c in model.claims:
        yield {
            **c.values,
            "verdict": c.verdict,
            "rating_value": rating_value(c.verdict),
            "certainty": c.certainty_words,
            "certainty_symbols": c.symbols,
            "certainty_start": c.rating.start or "",
            "downgrades": c.rating.downgrades,
            "upgrades": c.rating.upgrades,
            "direction": c.rating.direction,
            "rated_studies": len(c.rated_studies),
            "indirect_studies": len(c.indirect_studies),
            "designs": c.designs,
            "participants": str(c.participants) if c.rated_studies else "",
            "references": "; ".join(f"[{s.number}] {s.key}" if s.number else s.key for s in c.studies),
            "report_url": model.claim_url(c),
        }


def evidence_rows(model: ReportModel, entries: dict[str, Entry]) -> Iterable[dict[str, object]]:
    """One export row per evidence link, with the study's citation."""
    refs = model.references
    for c in model.claims:
        for s in c.studies:
            ref = refs.get(s.key)
            entry = entries.get(s.key)
            yield {
                "claim": c.id,
                "reference": s.key,
                "citation_number": s.number or "",
                "stance": s.stance,
                "rated": "yes" if s.rated else "no",
                "finding": s.finding,
                "source_location": s.source_location,
                "design": s.design,
                "population": s.population,
                "n": s.n,
                "year": ref.get("year") if ref else "",
                "doi": entry.doi if entry else "",
                "pmid": entry.pmid if entry else "",
                "pmcid": ref.get("pmcid") if ref else "",
                "url": entry.url if entry else "",
                "citation": entry.text if entry else "",
            }


def claims_csv(model: ReportModel) -> str:
    """The claims export (reports/claims.csv)."""
    return to_csv(CLAIM_COLUMNS, claim_rows(model))


def evidence_csv(model: ReportModel, entries: dict[str, Entry]) -> str:
    """The evidence export (reports/evidence.csv)."""
    return to_csv(EVIDENCE_COLUMNS, evidence_rows(model, entries))
