"""`evidence anchor`: re-anchor quotes that moved in a changed document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import ReviewPath, guarded


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("anchor")(anchor)


def anchor(
    path: ReviewPath = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
) -> None:
    """Re-anchor quotes that moved in a changed document (the quotes themselves never change)."""
    from ..intake.anchoring import reanchor
    from ..rules.review import load_review

    result = guarded(lambda: reanchor(load_review(path), dry_run=dry_run))
    for cid, start, end in result.moved:
        typer.echo(f"moved: {cid} -> {start}-{end}")
    for cid in result.missing:
        typer.echo(f"gone: {cid}: the quote is no longer in its document; re-quote or retire the claim")
    for doc in result.rehashed:
        typer.echo(f"document {doc}: new sha256 recorded")
    raise typer.Exit(1 if result.missing else 0)
