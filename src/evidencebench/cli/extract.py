"""`evidence extract DOCUMENT`: register a document and propose its candidate claims."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import ReviewOption, guarded


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def extract(
    document: Annotated[Path, typer.Argument(help="Plain-text document to review.")],
    review: ReviewOption = Path("."),
    doc_id: Annotated[str | None, typer.Option("--id", help="Document id (default: from the file name).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title (default: the first line).")] = None,
    url: Annotated[str, typer.Option("--url", help="Where the text was published, if known.")] = "",
    publisher: Annotated[str, typer.Option("--publisher", help="Who published it, if known.")] = "",
) -> None:
    """Copy DOCUMENT into documents/, register it and write candidates/<id>.csv for review."""
    from ..intake.extract import extract as run

    result = guarded(lambda: run(review, document, doc_id, title, url, publisher))
    if result.copied:
        typer.echo(f"copied to documents/{result.document_file}")
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
        typer.echo(f"  {c.start}-{c.end} {c.topic or '?'}/{c.claim_type}{hedge}: {_short(c.quote)}{overlap}")
    if result.candidates_written:
        typer.echo(
            f"next: in {rel} set accept to yes or no, write `claim` as one testable sentence, "
            f"then run: evidence accept {rel}"
        )


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
