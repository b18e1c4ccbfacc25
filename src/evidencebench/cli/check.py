"""`evidence check`: every problem in the review, for people or as JSON for tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..review.problems import exit_code, to_json
from ._common import Format, ReviewPath


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("check")(check)


def check(
    path: ReviewPath = Path("."),
    format: Annotated[Format, typer.Option("--format", "-f", help="text for people, json for tools")] = Format.text,
) -> None:
    """List every problem in the review; exit 0 clean, 1 problems, 2 unreadable input."""
    from ..rules.review import load_review

    problems = load_review(path).check()
    if format is Format.json:
        typer.echo(to_json(problems))
    else:
        for p in problems:
            typer.echo(str(p))
        typer.echo(f"{len(problems)} problem(s)" if problems else "no problems", err=True)
    raise typer.Exit(exit_code(problems))
