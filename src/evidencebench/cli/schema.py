"""`evidence schema`: regenerate the data dictionary, problem codes and Table Schemas."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import ReviewPath


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("schema")(schema)


def schema(path: ReviewPath = Path(".")) -> None:
    """Regenerate the data dictionary, problem codes and Table Schemas from the code."""
    from ..dictionary import write_generated

    for p in write_generated(Path(path).resolve()):
        typer.echo(f"wrote {p}")
