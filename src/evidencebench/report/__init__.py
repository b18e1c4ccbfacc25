"""The evidence report: HTML (and its PDF), ClaimReview JSON-LD and CSV, built from a Review.

`build_report` is the one entry point (the CLI and benchmarks call it). Everything is
computed in memory first and written all at once, so a failed build changes nothing.

May import `review` and `rules`; workflow stages (intake, rating, history) never.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from ..rules.review import Review
from .bibliography import UnknownCitationStyle, available_styles, format_bibliography
from .buildinfo import build_info
from .claimreview import RATING_VALUES, claim_reviews, to_jsonld
from .exports import claims_csv, evidence_csv
from .figures import evidence_map_svg
from .html import render_html
from .model import HTML_NAME, MAP_COLUMNS, ReportModel, build_model
from .output import staged

PDF_NAME = "evidence-report.pdf"
JSONLD_NAME = "claimreview.jsonld"
CLAIMS_NAME = "claims.csv"
EVIDENCE_NAME = "evidence.csv"

log = logging.getLogger(__name__)

__all__ = [
    "CLAIMS_NAME",
    "EVIDENCE_NAME",
    "HTML_NAME",
    "JSONLD_NAME",
    "PDF_NAME",
    "RATING_VALUES",
    "ReportModel",
    "UnknownCitationStyle",
    "available_styles",
    "build_model",
    "build_report",
]


class _Timer:
    """Step timings at DEBUG level, so a benchmark can see where the time goes."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.steps: dict[str, float] = {}

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.steps[step] = now - self.last
        self.last = now
        log.debug("report step %s: %.2f s", step, self.steps[step])


def build_report(review: Review, out_dir: str | Path, pdf: bool = True) -> list[Path]:
    """Build every report file into `out_dir` and return their paths.

    The caller checks the review first (the CLI does); this renders whatever it is given.
    With pdf=False an older PDF is removed, since it would no longer match the HTML.
    """
    timer = _Timer()
    model = build_model(review, build_info(review.root))
    timer("model")
    entries = format_bibliography(review.references, model.cited_keys, review.settings.citation_style)
    timer("bibliography")
    figure = evidence_map_svg(model.evidence_map(), MAP_COLUMNS)
    timer("figure")
    page = render_html(model, entries, figure)
    timer("html")
    jsonld = to_jsonld(claim_reviews(model, entries))
    claims, evidence = claims_csv(model), evidence_csv(model, entries)
    timer("exports")
    with staged(Path(out_dir)) as stage:
        stage.write(HTML_NAME, page)
        if pdf:
            from .pdf import render_pdf  # WeasyPrint is slow to import; only when needed

            stage.write(PDF_NAME, render_pdf(page))
            timer("pdf")
        stage.write(JSONLD_NAME, jsonld)
        stage.write(CLAIMS_NAME, claims)
        stage.write(EVIDENCE_NAME, evidence)
        written = stage.publish(remove=() if pdf else (PDF_NAME,))
    timer("write")
    return written
