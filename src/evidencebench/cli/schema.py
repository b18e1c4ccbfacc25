"""`evidence schema`: regenerate the data dictionary, problem codes and Table Schemas."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import ReviewPath


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)


def schema(path: ReviewPath = Path(".")) -> None:
    """Regenerate the data dictionary, problem codes and Table Schemas from the code."""
    from ..dictionary import write_generated

    for p in write_generated(Path(path).resolve()):
        typer.echo(f"wrote {p}")
