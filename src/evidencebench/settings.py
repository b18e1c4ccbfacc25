"""The review's settings, read from `[tool.evidencebench]` in the review's pyproject.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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


def load_settings(root: Path) -> Settings:
    """Missing file or table means defaults: a bare folder of CSVs is still a review."""
    path = Path(root) / "pyproject.toml"
    if not path.exists():
        return Settings()
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    table = data.get("tool", {}).get("evidencebench", {})
    topics = tuple(table.get("topics", DEFAULT_TOPICS))
    lexicon = {k: tuple(v) for k, v in table.get("lexicon", {}).items()} or {
        t: DEFAULT_LEXICON.get(t, (t,)) for t in topics
    }
    return Settings(
        title=table.get("title", Settings.title),
        topics=topics,
        citation_style=table.get("citation_style", Settings.citation_style),
        author=table.get("author", Settings.author),
        lexicon=lexicon,
    )
