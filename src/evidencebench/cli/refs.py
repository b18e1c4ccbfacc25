"""`evidence refs import FILE`: add the records of a BibTeX, RIS or PubMed export to the screening library.

Records of a search are screened before they become references: by default they go to
screening/<search>.bib, and the search to searches.csv (`intake.searchimport`). `--to-refs` adds
them to refs/ directly, for a library of references that were already verified elsewhere.

Exit status: 0 when every record was read as written; 1 when the import went ahead but some
record was skipped as unreadable or imported with something dropped (each is listed with its
file:line); 2 when nothing was imported (a file that is no export, or `--strict` refusing one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import DryRunOption, ReviewOption, guarded

refs_app = typer.Typer(help="Work with the review's references (refs/*.bib).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.add_typer(refs_app, name="refs")


@refs_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="BibTeX, RIS or PubMed MEDLINE (.nbib/.txt) export.")],
    review: ReviewOption = Path("."),
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            help="The .bib file that gets new entries: screening/<search>.bib by default; refs/imported.bib with --to-refs.",
        ),
    ] = None,
    dry_run: DryRunOption = False,
    merge: Annotated[
        bool, typer.Option("--merge", help="Add a missing DOI/PMID/PMCID to the existing entry a record duplicates.")
    ] = False,
    keep_keys: Annotated[
        bool, typer.Option("--keep-keys", help="Keep a BibTeX file's own keys instead of generating them.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse the whole file if any record cannot be read as written (default: skip it, report it, "
            "import the rest).",
        ),
    ] = False,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Id of the search the export came from (a row of searches.csv; default: the file's name)."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Database searched, for a new search (default: what the export names).")
    ] = None,
    query: Annotated[str | None, typer.Option("--query", help="The query exactly as run, for a new search.")] = None,
    searched: Annotated[
        str | None, typer.Option("--date", help="Date the search was run, YYYY-MM-DD, for a new search (default: today).")
    ] = None,
    to_refs: Annotated[
        bool,
        typer.Option(
            "--to-refs",
            help="Skip screening: add the records straight to refs/ as references (each then needs url, design and "
            "population, and a citing link, before `check` passes). For a colleague's verified library, not a search.",
        ),
    ] = False,
) -> None:
    """Import a search's export into the screening library (--to-refs: into refs/), skipping (or with
    --merge completing) the records the library or refs/ already holds.

    A record that cannot be read is skipped and listed with file:line and why (exit 1), the others are imported; importing the same file again adds nothing."""
    from ..intake.importing import VERIFY_NOTE, import_references
    from ..intake.searchimport import SCREENING_NOTE, import_search

    found = None
    if to_refs:
        s = guarded(
            lambda: import_references(
                review, file, into or Path("refs/imported.bib"), dry_run=dry_run, merge=merge, keep_keys=keep_keys, strict=strict
            )
        )
    else:
        found = guarded(
            lambda: import_search(
                review, file, search, source, query, searched, into, dry_run=dry_run, merge=merge, keep_keys=keep_keys, strict=strict
            )
        )
        s = found.summary
    would = "would be " if dry_run else ""
    read = len(s.added) + len(s.merged) + len(s.skipped)
    unreadable = f", {len(s.unreadable)} unreadable" if s.unreadable else ""
    typer.echo(f"{s.source}: {s.format}, {read} record(s){unreadable}")
    for m in s.unreadable:
        typer.echo(f"unreadable, skipped: {m}")
    for m in s.notes:
        typer.echo(f"note: {m}")
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
    if found is not None:
        verb = "would be added" if dry_run else "added"
        typer.echo(f"search {found.search}: {'new row ' + verb + ' to' if found.created else 'row of'} searches.csv, "
                   f"{found.records} record(s) in this export" + (" (recorded as found)" if found.records_recorded else ""))  # fmt: skip
        for key in found.also_found:
            typer.echo(f"found again: {key} {'would name' if dry_run else 'now names'} search {found.search} too")
        for m in found.notes:
            typer.echo(f"note: {m}")
    if s.added:
        typer.echo(VERIFY_NOTE if found is None else SCREENING_NOTE)
    if s.unreadable or s.notes:
        raise typer.Exit(1)
