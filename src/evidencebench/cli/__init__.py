"""The `evidence` command line: the typer app (`app`) and one module per group of commands.

Top layer: it may import every other subpackage and nothing imports it. Commands only parse
options, call the package and print; failures become messages with exit code 2.
"""

from .app import app, main

__all__ = ["app", "main"]
