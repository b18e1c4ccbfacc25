"""The evidence report: HTML (and its PDF), ClaimReview JSON-LD and CSV, built from a Review.

`build_report` is the one entry point (the CLI and benchmarks call it). Everything is
computed in memory first and written all at once, so a failed build changes nothing.

May import `review` and `rules`, and the workflow stages below it (it reads reviewer
agreement from `rating`); never `cli` or the package root.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

from ..rules.review import Review
from .agreement import agreement_summary
from .bibliography import UnknownCitationStyle, available_styles, format_bibliography
from .buildinfo import build_info
from .claimreview import RATING_VALUES, claim_reviews, search_engine_problems, to_jsonld
from .exports import claims_csv, evidence_csv
from .figures import evidence_map_svg
from .html import render_html
from .model import HTML_NAME, MAP_COLUMNS, ReportModel, build_model
from .output import staged
from .pdf import PdfJob
from .prisma import prisma_view

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
    "PdfJob",
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


def build_report(review: Review, out_dir: str | Path, pdf: bool = True, pdf_job: PdfJob | None = None) -> list[Path]:
    """Build every report file into `out_dir` and return their paths.

    The caller checks the review first (the CLI does); this renders whatever it is given.
    With pdf=False an older PDF is removed, since it would no longer match the HTML.
    `pdf_job` is a PDF worker the caller started earlier (the CLI starts it before loading and
    checking the review, so WeasyPrint is ready when the print page is); this function closes it.
    """
    timer = _Timer()
    if pdf_job is not None and not pdf:
        pdf_job.close()
        pdf_job = None
    started = pdf_job if pdf_job is not None else PdfJob() if pdf else None
    with started if started is not None else contextlib.nullcontext() as job:  # a worker imports WeasyPrint meanwhile
        model = build_model(review, build_info(review.root))
        timer("model")
        entries = format_bibliography(review.references, model.cited_keys, review.settings.citation_style)
        timer("bibliography")
        reviews = claim_reviews(model, entries)
        unpublishable = sorted({p for r in reviews for p in search_engine_problems(r, model.base_url)})
        agreement = agreement_summary(review)
        prisma = prisma_view(review)  # None for a review without searches or screening
        if job is not None:  # the print page needs no figure: the PDF is laid out while the rest is built
            job.submit(
                render_html(model, entries, "", None, agreement, for_print=True, publish_problems=unpublishable, prisma=prisma)
            )
        figure = evidence_map_svg(model.evidence_map(), MAP_COLUMNS)
        timer("figure")
        jsonld = to_jsonld(reviews)
        page = render_html(model, entries, figure, jsonld, agreement, publish_problems=unpublishable, prisma=prisma)
        timer("html")
        claims, evidence = claims_csv(model), evidence_csv(model, entries)
        timer("exports")
        with staged(Path(out_dir)) as stage:
            stage.write(HTML_NAME, page)
            if job is not None:
                stage.write(PDF_NAME, job.result())
                timer("pdf")
            stage.write(JSONLD_NAME, jsonld)
            stage.write(CLAIMS_NAME, claims)
            stage.write(EVIDENCE_NAME, evidence)
            written = stage.publish(remove=() if pdf else (PDF_NAME,))
    timer("write")
    return written
