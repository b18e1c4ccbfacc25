"""`evidence refs import FILE`: add references from a BibTeX, RIS or PubMed export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import DryRunOption, ReviewOption, guarded

refs_app = typer.Typer(help="Work with the review's references (refs/*.bib).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(refs_app, name="refs")


@refs_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="BibTeX, RIS or PubMed MEDLINE (.nbib/.txt) export.")],
    review: ReviewOption = Path("."),
    into: Annotated[Path, typer.Option("--into", help="The .bib file in refs/ that gets new entries.")] = Path(
        "refs/imported.bib"
    ),
    dry_run: DryRunOption = False,
    merge: Annotated[
        bool, typer.Option("--merge", help="Add a missing DOI/PMID/PMCID to the existing entry a record duplicates.")
    ] = False,
    keep_keys: Annotated[
        bool, typer.Option("--keep-keys", help="Keep a BibTeX file's own keys instead of generating them.")
    ] = False,
) -> None:
    """Import references, skipping (or with --merge completing) the ones refs/ already holds."""
    from ..intake.importing import VERIFY_NOTE, import_references

    s = guarded(lambda: import_references(review, file, into, dry_run=dry_run, merge=merge, keep_keys=keep_keys))
    would = "would be " if dry_run else ""
    typer.echo(f"{s.source}: {s.format}, {len(s.added) + len(s.merged) + len(s.skipped)} record(s)")
    for key, rec in s.added:
        typer.echo(f"added{' (dry run)' if dry_run else ''}: {key} <- line {rec.line}: {rec.get('title')[:70]}")
    for match, rec in s.merged:
        adds = ", ".join(f"{k} = {v}" for k, v in match.fill.items())
        typer.echo(f"merged{' (dry run)' if dry_run else ''}: {match.reference.key} ({match.reference.file}) <- line {rec.line}: {adds}")
    for rec, why in s.skipped:
        typer.echo(f"skipped: line {rec.line}: {why}")
    typer.echo(
        f"{len(s.added)} {would}added to {s.target}, {len(s.merged)} {would}merged, {len(s.skipped)} skipped"
        + (" (dry run: nothing written)" if dry_run else "")
    )
    if s.added:
        typer.echo(VERIFY_NOTE)
