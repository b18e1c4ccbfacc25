"""The review's settings, read from `[tool.evidencebench]` in the review's pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .vocab import DEFAULT_EXPOSURES

DEFAULT_TOPICS = ("sedation", "anxiety", "pain", "dosage")

DEFAULT_LEXICON: dict[str, tuple[str, ...]] = {
    "sedation": ("sleep", "sedat", "drows", "relax", "calm", "insomnia", "rest"),
    "anxiety": ("anxi", "stress", "worry", "mood", "tranquil", "racing thoughts"),
    "pain": ("pain", "analges", "muscle", "ache", "discomfort"),
    "dosage": ("dose", "dosage", "gram", " mg", "bedtime", "routine", "hour before", "daily"),
}


@dataclass(frozen=True)
class Settings:
    title: str = "Evidence review"
    topics: tuple[str, ...] = DEFAULT_TOPICS
    citation_style: str = "apa"
    author: str = "Evidence reviewers"
    lexicon: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_LEXICON))
    exposures: tuple[str, ...] = DEFAULT_EXPOSURES
    """What a claim is about and what a linked study gave or measured (the `exposure` columns):
    the review defines the words, so `check` can tell a study of another substance."""


class SettingsError(ValueError):
    """The settings table exists but cannot be used; `line` is 0 when unknown."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def load_settings(root: Path) -> Settings:
    """Missing file or table means defaults: a bare folder of CSVs is still a review.

    Unusable settings also fall back to defaults here; `read_settings` says what is wrong.
    """
    try:
        return read_settings(root)
    except SettingsError:
        return Settings()


def read_settings(root: Path) -> Settings:
    """The settings, or SettingsError naming the line and what is wrong."""
    path = Path(root) / "pyproject.toml"
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(err))) else 0
        raise SettingsError(f"pyproject.toml is not valid TOML ({err})", line) from None
    table = data.get("tool", {}).get("evidencebench", {})
    if not isinstance(table, dict):
        raise SettingsError("[tool.evidencebench] must be a table")
    topics = table.get("topics", DEFAULT_TOPICS)
    if not isinstance(topics, list | tuple) or not topics or not all(isinstance(t, str) and t for t in topics):
        raise SettingsError("`topics` must be a non-empty list of strings, e.g. topics = [\"sedation\", \"pain\"]")
    raw_lexicon = table.get("lexicon", {})
    if not isinstance(raw_lexicon, dict) or not all(isinstance(v, list) for v in raw_lexicon.values()):
        raise SettingsError("`lexicon` must map each topic to a list of keyword stems")
    exposures = table.get("exposures", DEFAULT_EXPOSURES)
    if not isinstance(exposures, list | tuple) or not exposures or not all(isinstance(e, str) and e for e in exposures):
        raise SettingsError('`exposures` must be a non-empty list of strings, e.g. exposures = ["product", "other substance"]')
    for name in ("title", "citation_style", "author"):
        if name in table and not isinstance(table[name], str):
            raise SettingsError(f"`{name}` must be a string")
    topics = tuple(topics)
    lexicon = {k: tuple(v) for k, v in raw_lexicon.items()} or {t: DEFAULT_LEXICON.get(t, (t,)) for t in topics}
    return Settings(
        title=table.get("title", Settings.title),
        topics=topics,
        citation_style=table.get("citation_style", Settings.citation_style),
        author=table.get("author", Settings.author),
        lexicon=lexicon,
        exposures=tuple(exposures),
    )
