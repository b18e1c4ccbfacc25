"""`evidence agree`: inter-rater agreement of two blinded rating sheets, and their conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import DryRunOption, ReviewOption, TextFormat, guarded


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("agree")(agree)


def agree(
    review: ReviewOption = Path("."),
    ratings: Annotated[Path, typer.Option("--ratings", help="Folder of rating sheets <reviewer>.csv.")] = Path("ratings"),
    reviewer: Annotated[
        list[str] | None, typer.Option("--reviewer", "-r", help="A reviewer to compare (give two).")
    ] = None,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="text, or markdown for the meeting")] = TextFormat.text,
    write: Annotated[bool, typer.Option("--write", help="Write settled judgments into claims.csv.")] = False,
    by: Annotated[str, typer.Option("--by", help="Who records the decisions (with --write).")] = "",
    dry_run: DryRunOption = False,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Write a blank sheet ratings/NAME.csv for a new rater, and stop.")
    ] = None,
) -> None:
    """Agreement per GRADE domain, certainty, verdict and link stance (kappa, % agreement, n), then conflicts."""
    from ..rating.agreement import compare, render_markdown, render_text
    from ..rating.consensus import write_decisions, write_link_decisions
    from ..rating.sheets import blank_sheet, pick_pair, read_ratings
    from ..rules.review import load_review

    loaded = guarded(lambda: load_review(review))
    if sheet:
        path = guarded(lambda: blank_sheet(loaded, sheet, ratings))
        typer.echo(f"wrote {path}: rate each claim without looking at other sheets or claims.csv")
        return
    if write and not by.strip():
        typer.echo("error: --write needs --by NAME (who records the decisions)", err=True)
        raise typer.Exit(2)
    sheets, consensus = guarded(lambda: read_ratings(loaded, ratings))
    first, second = guarded(lambda: pick_pair(sheets, reviewer))
    report = compare(loaded, first, second)
    typer.echo(render_markdown(loaded, report) if format is TextFormat.markdown else render_text(loaded, report))
    if not write:
        return
    result = guarded(lambda: write_decisions(loaded, first, second, consensus, by, dry_run=dry_run))
    link_changes, link_unresolved = ({}, [])
    if first.links or second.links:
        link_changes, link_unresolved = guarded(
            lambda: write_link_decisions(loaded, first, second, consensus, dry_run=dry_run)
        )
    verb = "would write" if dry_run else "wrote"
    typer.echo("")
    for claim, cells in result.changed.items():
        typer.echo(f"{verb} {claim}: {', '.join(f'{k}={v!r}' for k, v in cells.items() if k != 'decided_by')}")
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if result.unresolved:
        typer.echo(f"not settled (add them to ratings/consensus.csv): {', '.join(result.unresolved)}")
    for (claim, key), cells in link_changes.items():
        typer.echo(f"{verb} {claim} / {key}: {', '.join(f'{k}={v!r}' for k, v in cells.items())}")
    if link_unresolved:
        shown = ", ".join(f"{c}/{k}" for c, k in link_unresolved)
        typer.echo(f"links not settled (add them to ratings/consensus.links.csv): {shown}")
    typer.echo(f"{len(result.changed)} claim(s) {'would change' if dry_run else 'updated'} in claims.csv")
    if link_changes:
        typer.echo(f"{len(link_changes)} link(s) {'would change' if dry_run else 'updated'} in evidence.csv")
