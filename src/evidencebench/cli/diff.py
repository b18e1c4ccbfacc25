"""`evidence diff REV1 [REV2]`: what changed in the review between two git revisions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import ReviewOption, TextFormat, guarded


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("diff")(diff)


def diff(
    rev1: Annotated[str, typer.Argument(help="The older revision (commit, tag, branch, HEAD~3 ...).")],
    rev2: Annotated[str | None, typer.Argument(help="The newer revision (default: the working tree).")] = None,
    review: ReviewOption = Path("."),
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="text, or markdown for a changelog")] = TextFormat.text,
) -> None:
    """Claims added/removed, verdicts and certainty that moved (with rationale), links and references."""
    from ..history.diff import diff_revisions, render_markdown, render_text

    result = guarded(lambda: diff_revisions(review, rev1, rev2))
    typer.echo(render_markdown(result) if format is TextFormat.markdown else render_text(result))
