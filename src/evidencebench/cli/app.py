"""The `evidence` typer app: each command lives in its own module and registers itself here."""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    help="Evidence review workbench: check, rate and report the health claims of a document.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES: tuple[str, ...] = (
    "check",
    "anchor",
    "rate",
    "notebook",
    "schema",
    "report",
    "extract",
    "accept",
    "refs",
    "screen",
    "agree",
    "diff",
)
"""Modules under evidencebench.cli that add their commands with `register(app)`, in help order."""

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_name}").register(app)


def main() -> None:  # pragma: no cover - console entry
    """Console entry point."""
    sys.exit(app())
