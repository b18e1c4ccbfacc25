"""`evidence accept CANDIDATES`: add the accepted candidate claims to claims.csv."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import DryRunOption, ReviewOption, guarded


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("accept")(accept)


def accept(
    candidates: Annotated[Path, typer.Argument(help="A candidates/<doc-id>.csv file with accept marks.")],
    review: ReviewOption = Path("."),
    prefix: Annotated[str | None, typer.Option("--prefix", help="Id prefix (default: the document's own).")] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Append rows marked accept=yes to claims.csv with new ids and neutral, unreviewed ratings."""
    from ..intake.accept import accept as run

    result = guarded(lambda: run(review, candidates, prefix=prefix, dry_run=dry_run))
    verb = "would add" if dry_run else "added"
    for new_id, quote in result.added:
        typer.echo(f"{verb} {new_id}: {' '.join(quote.split())[:70]}")
    for line, existing in result.already:
        typer.echo(f"line {line}: already in claims.csv as {existing}")
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(
        f"{len(result.added)} {verb}, {len(result.already)} already present, "
        f"{result.rejected} rejected, {result.undecided} not yet decided"
    )
    if result.added and not dry_run:
        typer.echo("new claims start as 'insufficient evidence', 'Not yet reviewed.': link evidence and rate them")
