"""`evidence report`: check the review, then build the evidence report."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from ..review.problems import exit_code
from ._common import ReviewPath, guarded


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("report")(report)


def report(
    path: ReviewPath = Path("."),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report files.")] = Path("reports"),
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also render the PDF.")] = True,
) -> None:
    """Build the evidence report: HTML, PDF, ClaimReview JSON-LD and CSV."""
    from ..report import PdfJob, build_report
    from ..rules.review import load_review

    # the PDF worker starts first: it imports WeasyPrint and loads fonts while the review is checked
    with PdfJob() if pdf else contextlib.nullcontext() as job:
        review = load_review(path)
        problems = review.check()
        if problems:
            for p in problems:
                typer.echo(str(p), err=True)
            typer.echo("the review has problems; fix them (evidence check) before reporting", err=True)
            raise typer.Exit(exit_code(problems))
        target = out if out.is_absolute() else Path(path) / out
        for f in guarded(lambda: build_report(review, target, pdf=pdf, pdf_job=job)):
            typer.echo(f"wrote {f}")
