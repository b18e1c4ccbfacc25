"""`evidence screen`: screen the records of searches, blinded, by title and abstract and then in full text.

`refs import` puts a search's records in the screening library (screening/*.bib). Each reviewer
works through them on a sheet of their own, screening/<reviewer>.csv (`next`, `decide`, or the
notebook form), seeing no one else's decisions; `agree` compares two reviewers (Cohen's kappa) and
lists the conflicts, which are settled with `decide --reviewer consensus --by NAME`; `promote`
copies the records included at full text into refs/, where they are verified like any reference;
`flow` prints the PRISMA 2020 numbers the report draws.

Exit status: 0 done; 1 `flow` found numbers that do not add up; 2 bad input (nothing written).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import DryRunOption, Format, ReviewOption, guarded

if TYPE_CHECKING:
    from ..rules.review import Review

screen_app = typer.Typer(
    help="Screen imported records (title-abstract, then full text), compare reviewers, promote included ones to refs/.",
    no_args_is_help=True,
)

Reviewer = Annotated[str, typer.Option("--reviewer", "-r", help="Your reviewer name: your sheet is screening/<name>.csv.")]
Stage = Annotated[str, typer.Option("--stage", "-s", help="title-abstract, or full-text.")]


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.add_typer(screen_app, name="screen")


def _load(review: Path) -> Review:
    from ..rules.review import load_review

    return guarded(lambda: load_review(review))


def _stage(stage: str) -> str:
    from ..review.vocab import SCREENING_STAGES

    if stage not in SCREENING_STAGES:
        typer.echo(f"error: --stage {stage!r}: choose one of: {', '.join(SCREENING_STAGES)}", err=True)
        raise typer.Exit(2)
    return stage


@screen_app.command("status")
def status(review: ReviewOption = Path(".")) -> None:
    """Where screening stands: records per stage, each reviewer's progress, conflicts waiting."""
    from ..review.screening import screening_of
    from ..rules.screening import flow
    from ..screening.sheets import ReviewerSheet, queue

    loaded = _load(review)
    data = screening_of(loaded)
    if not data.records:
        typer.echo("the screening library is empty: import a search with `evidence refs import FILE --search ID`")
        return
    f = flow(loaded, data)
    typer.echo(f"{f.screened} record(s) in the screening library from {f.searches} search(es)")
    typer.echo(f"title-abstract: {f.screened - f.awaiting_screening} decided ({f.excluded_screening} excluded), {f.awaiting_screening} waiting")
    typer.echo(
        f"full text: {f.sought} sought, {f.not_retrieved} not retrieved, {f.excluded_full_text} excluded, "
        f"{f.included} included, {f.awaiting_assessment} waiting"
    )
    for name in data.reviewers:
        sheet = ReviewerSheet(loaded, name)
        mine = guarded(sheet.decisions)
        left = {s: len(queue(loaded, mine, s)) for s in ("title-abstract", "full-text")}
        typer.echo(f"{name}: {len(mine)} decision(s); waiting for you: {left['title-abstract']} at title-abstract, {left['full-text']} at full text")
    if f.conflicts:
        typer.echo(f"{f.conflicts} record(s) in conflict: see `evidence screen agree`")
    if f.included != f.in_refs:
        typer.echo(f"{f.included - f.in_refs} included record(s) not yet in refs/: `evidence screen promote`")


@screen_app.command("next")
def next_(
    reviewer: Reviewer,
    review: ReviewOption = Path("."),
    stage: Stage = "title-abstract",
    count: Annotated[int, typer.Option("--count", "-n", help="How many waiting records to show.")] = 1,
) -> None:
    """Show the next record(s) waiting for your decision: bibliographic facts only, no one's decisions."""
    from ..screening.sheets import ReviewerSheet, queue, record_card

    loaded = _load(review)
    sheet = guarded(lambda: ReviewerSheet(loaded, reviewer))
    waiting = queue(loaded, guarded(sheet.decisions), _stage(stage))
    if not waiting:
        typer.echo(f"nothing waits for {sheet.reviewer} at {stage}")
        return
    typer.echo(f"{len(waiting)} record(s) wait for {sheet.reviewer} at {stage}")
    for key in waiting[: max(count, 1)]:
        card = record_card(loaded, key)
        typer.echo("")
        typer.echo(f"[{card.position}/{card.total}] {card.key}  (search: {'; '.join(card.searches) or '—'})")
        typer.echo(f"  {'description' if card.described else 'title'}: {card.title}")
        meta = ", ".join(x for x in (card.authors, card.year, card.journal) if x)
        if meta:
            typer.echo(f"  {meta}")
        ids = "  ".join(x for x in (f"doi:{card.doi}" if card.doi else "", f"pmid:{card.pmid}" if card.pmid else "", card.url) if x)
        if ids:
            typer.echo(f"  {ids}")
        if card.abstract:
            typer.echo(f"  abstract: {card.abstract}")
        if card.note:
            typer.echo(f"  note: {card.note}")
    reasons = ", ".join(repr(r) for r in loaded.settings.exclusion_reasons)
    typer.echo("")
    typer.echo(f"decide: evidence screen decide KEY -r {sheet.reviewer} -s {stage} --include | --exclude REASON  (reasons: {reasons})")


@screen_app.command("decide")
def decide(
    records: Annotated[list[str], typer.Argument(help="Record key(s) of screening/*.bib.")],
    reviewer: Reviewer,
    review: ReviewOption = Path("."),
    stage: Stage = "title-abstract",
    include: Annotated[bool, typer.Option("--include", help="Include the record(s) at this stage.")] = False,
    exclude: Annotated[
        str | None, typer.Option("--exclude", help="Exclude the record(s), for this reason (one of the exclusion_reasons setting).")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Your own words on the decision.")] = "",
    by: Annotated[str, typer.Option("--by", help="With --reviewer consensus: who settled the conflict.")] = "",
) -> None:
    """Record your decision on one or more records at one stage (a decision given again replaces the earlier one)."""
    from ..screening.sheets import ReviewerSheet, ScreeningDecision

    if include == (exclude is not None):
        typer.echo("error: give exactly one of --include or --exclude REASON", err=True)
        raise typer.Exit(2)
    loaded = _load(review)
    sheet = guarded(lambda: ReviewerSheet(loaded, reviewer, decided_by=by))
    decision = "include" if include else "exclude"
    items = [ScreeningDecision(key, _stage(stage), decision, exclude or "", note) for key in records]
    result = guarded(lambda: sheet.save(items))
    typer.echo(f"{sheet.reviewer}: {decision} at {stage}: {', '.join(records)} ({result})")


@screen_app.command("agree")
def agree(
    review: ReviewOption = Path("."),
    reviewer: Annotated[list[str] | None, typer.Option("--reviewer", "-r", help="A reviewer to compare (give two).")] = None,
) -> None:
    """Agreement of two reviewers per stage (Cohen's kappa, % agreement, n), then every conflict."""
    from ..screening.agreement import compare, pick_reviewers, render_text

    loaded = _load(review)
    first, second = guarded(lambda: pick_reviewers(loaded, reviewer))
    typer.echo(render_text(loaded, compare(loaded, first, second)))


@screen_app.command("promote")
def promote(
    review: ReviewOption = Path("."),
    into: Annotated[Path, typer.Option("--into", help="The .bib file in refs/ that gets the included records.")] = Path(
        "refs/screened.bib"
    ),
    dry_run: DryRunOption = False,
) -> None:
    """Copy every record included at full text into refs/, where `check` asks it for url, design and population."""
    from ..screening.promote import promote as run

    loaded = _load(review)
    result = guarded(lambda: run(loaded, into, dry_run=dry_run))
    verb = "would copy" if dry_run else "copied"
    for key in result.added:
        typer.echo(f"{verb}: {key} -> {result.target}")
    typer.echo(f"{len(result.added)} record(s) {verb} to {result.target}; {len(result.already)} already in refs/")
    if result.added and not dry_run:
        typer.echo("Verify each against its public page and add url, design and population; `evidence check` lists what is missing.")


@screen_app.command("flow")
def flow_(
    review: ReviewOption = Path("."),
    format: Annotated[Format, typer.Option("--format", "-f", help="text, or json for tools.")] = Format.text,
    svg: Annotated[Path | None, typer.Option("--svg", help="Also write the diagram as an SVG file.")] = None,
) -> None:
    """The PRISMA 2020 numbers from searches.csv, the screening library and the sheets (exit 1 if they do not add up)."""
    from ..report.prisma import PrismaFigure, prisma_view

    loaded = _load(review)
    view = prisma_view(loaded)
    if view is None:
        typer.echo("no searches.csv and no screening library: nothing to count")
        return
    f = view.flow
    if format is Format.json:
        data = {k: v for k, v in asdict(f).items() if k != "outcomes"}
        typer.echo(json.dumps({**data, "excluded_full_text": f.excluded_full_text, "unreconciled": f.unreconciled()}, indent=2))
    else:
        typer.echo(repr(PrismaFigure(view)))
        for n in view.notes:
            typer.echo(f"- {n}")
    if svg is not None:
        guarded(lambda: svg.write_text(view.svg + "\n", encoding="utf-8"))
        typer.echo(f"wrote {svg}", err=format is Format.json)
    problems = f.unreconciled()
    for p in problems:
        typer.echo(f"does not add up: {p}", err=True)
    if problems:
        raise typer.Exit(1)
