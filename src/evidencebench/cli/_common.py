"""What every workflow command shares: the --review option and turning failures into messages."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from ..review.atomic import ConcurrentChangeError
from ..review.errors import InputError

T = TypeVar("T")

ReviewOption = Annotated[Path, typer.Option("--review", help="Review folder (holds claims.csv).")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")]


class TextFormat(StrEnum):
    text = "text"
    markdown = "markdown"


def guarded(action: Callable[[], T]) -> T:
    """Run `action`; bad input, a file changed underneath or an OS error end the command
    with `error: ...` on stderr and exit status 2, never a traceback."""
    try:
        return action()
    except (InputError, ConcurrentChangeError, OSError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None

ReviewPath = Annotated[Path, typer.Argument(help="Review folder (holds claims.csv).", show_default=True)]


class Format(StrEnum):
    """Output for people (text) or for tools (json)."""

    text = "text"
    json = "json"
