"""`evidence rate`: store the certainty and verdict the rules derive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import ReviewPath, guarded


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("rate")(rate)


def rate(
    path: ReviewPath = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
) -> None:
    """Store the certainty the GRADE judgments give and the verdict the rules give."""
    from ..rating.rerate import rerate
    from ..rules.review import load_review

    for cid, old_c, new_c, old_v, new_v in guarded(lambda: rerate(load_review(path), dry_run=dry_run)):
        typer.echo(f"{cid}: certainty {old_c or '-'} -> {new_c or '-'}; verdict {old_v or '-'} -> {new_v}")
