"""`evidence extract DOCUMENT`: register a document and propose its candidate claims."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import ReviewOption, guarded


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("extract")(extract)


def extract(
    document: Annotated[
        Path,
        typer.Argument(help="Document to review: UTF-8 plain text, a saved web page (.html) or a PDF with a text layer."),
    ],
    review: ReviewOption = Path("."),
    doc_id: Annotated[str | None, typer.Option("--id", help="Document id (default: from the file name).")] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Title (default: the page's or PDF's metadata, else the text's first heading)."),
    ] = None,
    url: Annotated[str, typer.Option("--url", help="Where the text was published (default: the page's metadata).")] = "",
    publisher: Annotated[str, typer.Option("--publisher", help="Who published it (default: the site's name).")] = "",
    accessed: Annotated[
        str | None, typer.Option("--accessed", help="Date the document was obtained, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Store DOCUMENT's text under documents/, register it and write candidates/<id>.csv for review.

    A web page keeps its main text only (no navigation or footers), a PDF its text layer; the original is kept too.
    """
    from ..intake.extract import extract as run

    result = guarded(lambda: run(review, document, doc_id, title, url, publisher, accessed=accessed))
    if result.original_copied:
        typer.echo(f"kept the original as documents/{result.original_file}")
    if result.copied:
        done = "copied to" if result.kind == "text" else "stored the extracted text as"
        typer.echo(f"{done} documents/{result.document_file}")
    typer.echo(
        f"registered {result.document_id} in documents/index.csv"
        if result.registered
        else f"{result.document_id}: already registered with this text"
    )
    for note in result.notes:
        typer.echo(f"note: {note}")
    rel = f"candidates/{result.candidates_path.name}"
    hedged = sum(bool(c.hedge) for c in result.candidates)
    if result.candidates_written:
        typer.echo(f"wrote {rel}: {len(result.candidates)} candidate claims ({hedged} hedged)")
    elif not result.candidates_kept:
        typer.echo(f"{rel}: unchanged")
    for c in result.candidates:
        hedge = f" [{c.hedge}]" if c.hedge else ""
        overlap = f" (overlaps {c.overlaps})" if c.overlaps else ""
        typer.echo(f"  {c.start}-{c.end} {c.topic or 'no topic'}/{c.claim_type}{hedge}: {_short(c.quote)}{overlap}")
    if result.candidates_written:
        typer.echo(
            f"next: in {rel} set accept to yes or no, write `claim` as one testable sentence, "
            f"then run: evidence accept {rel}"
        )


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
