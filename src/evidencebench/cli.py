"""The `evidence` command line: a thin layer that loads, calls the package and prints."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .problems import exit_code, to_json

app = typer.Typer(
    help="Evidence review workbench: check, rate and report the health claims of a document.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ReviewPath = Annotated[Path, typer.Argument(help="Review folder (holds claims.csv).", show_default=True)]


class Format(StrEnum):
    text = "text"
    json = "json"


@app.command()
def check(
    path: ReviewPath = Path("."),
    format: Annotated[Format, typer.Option("--format", "-f", help="text for people, json for tools")] = Format.text,
) -> None:
    """List every problem in the review; exit 0 clean, 1 problems, 2 unreadable input."""
    from .review import load_review

    problems = load_review(path).check()
    if format is Format.json:
        typer.echo(to_json(problems))
    else:
        for p in problems:
            typer.echo(str(p))
        typer.echo(f"{len(problems)} problem(s)" if problems else "no problems", err=True)
    raise typer.Exit(exit_code(problems))


@app.command()
def anchor(
    path: ReviewPath = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
) -> None:
    """Re-anchor quotes that moved in a changed document (the quotes themselves never change)."""
    from .anchoring import reanchor
    from .review import load_review

    result = _guard(lambda: reanchor(load_review(path), dry_run=dry_run))
    for cid, start, end in result.moved:
        typer.echo(f"moved: {cid} -> {start}-{end}")
    for cid in result.missing:
        typer.echo(f"gone: {cid}: the quote is no longer in its document; re-quote or retire the claim")
    for doc in result.rehashed:
        typer.echo(f"document {doc}: new sha256 recorded")
    raise typer.Exit(1 if result.missing else 0)


@app.command()
def rate(
    path: ReviewPath = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
) -> None:
    """Store the certainty the GRADE judgments give and the verdict the rules give."""
    from .rerate import rerate
    from .review import load_review

    for cid, old_c, new_c, old_v, new_v in _guard(lambda: rerate(load_review(path), dry_run=dry_run)):
        typer.echo(f"{cid}: certainty {old_c or '-'} -> {new_c or '-'}; verdict {old_v or '-'} -> {new_v}")


@app.command()
def notebook(
    topic: Annotated[str, typer.Argument(help="Topic from the review's settings.")],
    path: Annotated[Path, typer.Option("--review", help="Review folder.")] = Path("."),
) -> None:
    """Write notebooks/<topic>.ipynb, a review notebook for a topic, then run `make notebooks`."""
    import nbformat

    from .notebooks import topic_notebook
    from .settings import load_settings

    topics = load_settings(path).topics
    if topic not in topics:
        typer.echo(f"error: {topic!r} is not a topic; add it to `topics` in [tool.evidencebench] first ({', '.join(topics)})", err=True)
        raise typer.Exit(2)
    target = Path(path) / "notebooks" / f"{topic}.ipynb"
    if target.exists():
        typer.echo(f"error: {target} exists; it is never overwritten", err=True)
        raise typer.Exit(2)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(topic_notebook(topic), str(target))
    typer.echo(f"wrote {target}; run `make notebooks` to execute it and store its outputs")


@app.command()
def schema(path: ReviewPath = Path(".")) -> None:
    """Regenerate the data dictionary, problem codes and Table Schemas from the code."""
    from .dictionary import write_generated

    for p in write_generated(Path(path).resolve()):
        typer.echo(f"wrote {p}")


@app.command()
def report(
    path: ReviewPath = Path("."),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report files.")] = Path("reports"),
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also render the PDF.")] = True,
) -> None:
    """Build the evidence report: HTML, PDF, ClaimReview JSON-LD and CSV."""
    from .report import build_report
    from .review import load_review

    review = load_review(path)
    problems = review.check()
    if problems:
        for p in problems:
            typer.echo(str(p), err=True)
        typer.echo("the review has problems; fix them (evidence check) before reporting", err=True)
        raise typer.Exit(exit_code(problems))
    target = out if out.is_absolute() else Path(path) / out
    for f in _guard(lambda: build_report(review, target, pdf=pdf)):
        typer.echo(f"wrote {f}")


def _guard(action):
    """Turn expected failures (a file changed meanwhile, an unreadable file) into messages."""
    from .atomic import ConcurrentChangeError

    try:
        return action()
    except (ConcurrentChangeError, OSError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None


COMMAND_MODULES: tuple[str, ...] = ("extract", "accept", "refs", "agree", "diff")
"""Modules under evidencebench.commands that add their own commands with `register(app)`."""

for _name in COMMAND_MODULES:
    import importlib

    importlib.import_module(f"evidencebench.commands.{_name}").register(app)


def main() -> None:  # pragma: no cover - console entry
    sys.exit(app())
