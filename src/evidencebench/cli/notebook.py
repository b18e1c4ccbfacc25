"""`evidence notebook TOPIC`: write a review notebook for a topic from the template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add this command to the `evidence` app; app.py calls every command module's register, so the command list
    lives there."""
    app.command("notebook")(notebook)


def notebook(
    topic: Annotated[str, typer.Argument(help="Topic from the review's settings.")],
    path: Annotated[Path, typer.Option("--review", help="Review folder.")] = Path("."),
) -> None:
    """Write notebooks/<topic>.ipynb, a review notebook for a topic, then run `make notebooks`."""
    import nbformat

    from ..notebook.template import topic_notebook
    from ..review.settings import load_settings

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
