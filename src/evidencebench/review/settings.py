"""The review's settings, read from `[tool.evidencebench]` in the review's pyproject.toml."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .files import FileTrouble, read_bytes
from .vocab import DEFAULT_EXCLUSION_REASONS, DEFAULT_EXPOSURES

KNOWN_KEYS: tuple[str, ...] = ("lexicon",)
"""Keys read from [tool.evidencebench] besides the Settings fields."""

DEFAULT_TOPICS = ("sedation", "anxiety", "pain", "dosage")

DEFAULT_LEXICON: dict[str, tuple[str, ...]] = {
    "sedation": ("sleep", "asleep", "sedat", "drows", "relax", "calm", "insomnia", "rest"),
    "anxiety": ("anxi", "stress", "worry", "mood", "tranquil", "racing thoughts"),
    "pain": ("pain", "analges", "muscle", "ache", "aches", "headache", "headaches", "discomfort"),
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
    base_url: str | None = None
    """Address at which the report folder is published (e.g. https://example.org/review/): a
    published ClaimReview needs absolute urls, and the report cannot guess where it will live."""
    publish: bool = False
    """True when the report is meant to be published; `check` then insists on base_url."""
    questions: dict[str, str] = field(default_factory=dict)
    """The review question of each topic in PICO form, shown above the topic's findings so a
    reader knows what the verdicts answer."""
    exclusion_reasons: tuple[str, ...] = DEFAULT_EXCLUSION_REASONS
    """Why a screened record may be excluded (the `reason` of screening sheets): the review defines
    the words, so the PRISMA flow diagram can count exclusions by reason."""


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
    except (SettingsError, FileTrouble):
        return Settings()


def _settings_table(root: Path) -> dict | None:
    """The [tool.evidencebench] table, None when there is no pyproject.toml; SettingsError if unusable.

    An unreadable or special file (FIFO, device) raises `files.FileTrouble` for the caller to report.
    """
    path = root / "pyproject.toml"
    if not path.exists() and not path.is_symlink():
        return None
    data_bytes = read_bytes(path)
    try:
        data = tomllib.loads(data_bytes.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(err))) else 1
        raise SettingsError(f"pyproject.toml is not valid TOML ({err})", line) from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise SettingsError("`tool` must be a table ([tool.evidencebench] holds the review's settings)", _line_of(data_bytes, "tool"))
    table = tool.get("evidencebench", {})
    if not isinstance(table, dict):
        raise SettingsError("[tool.evidencebench] must be a table", _line_of(data_bytes, "evidencebench"))
    return table


def _line_of(data: bytes, key: str) -> int:
    """The first line that assigns or opens `key` (1 when not found), so a problem points at it."""
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*(\[[\w.]*\b{re.escape(key)}\b[\w.]*\]|(\w+\.)*{re.escape(key)}\s*=)", line):
            return number
    return 1


def line_of_key(root: Path, key: str) -> int:
    """The line of pyproject.toml that sets `key` (1 when it cannot be found or read)."""
    try:
        return _line_of(read_bytes(Path(root) / "pyproject.toml"), key)
    except FileTrouble:
        return 1


def unknown_keys(root: Path) -> list[tuple[int, str, str | None]]:
    """Keys of [tool.evidencebench] the workbench does not know: (line, key, closest known key).

    A misspelt key would otherwise be ignored in silence and its default used.
    """
    try:
        table = _settings_table(Path(root))
    except (SettingsError, FileTrouble):
        return []  # reported as settings-invalid or file-unreadable
    if not table:
        return []
    known = set(KNOWN_KEYS) | {f.name for f in fields(Settings)}
    raw = read_bytes(Path(root) / "pyproject.toml")
    out = []
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            out.append((_line_of(raw, key), key, close[0] if close else None))
    return out


def read_settings(root: Path) -> Settings:
    """The settings, or SettingsError naming the line and what is wrong."""
    table = _settings_table(Path(root))
    if table is None:
        return Settings()
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
    base_url = table.get("base_url")
    if base_url is not None and not (isinstance(base_url, str) and re.match(r"https?://[^/\s]+\S*$", base_url)):
        raise SettingsError('`base_url` must be an http(s) address, e.g. base_url = "https://example.org/review/"')
    if not isinstance(table.get("publish", False), bool):
        raise SettingsError("`publish` must be true or false")
    questions = table.get("questions", {})
    if not isinstance(questions, dict) or not all(isinstance(q, str) and q.strip() for q in questions.values()):
        raise SettingsError('`questions` must map topics to question text, e.g. questions.sedation = "In adults, does …"')
    exclusion_reasons = table.get("exclusion_reasons", DEFAULT_EXCLUSION_REASONS)
    if not isinstance(exclusion_reasons, list | tuple) or not exclusion_reasons or not all(
        isinstance(r, str) and r.strip() for r in exclusion_reasons
    ):
        raise SettingsError(
            '`exclusion_reasons` must be a non-empty list of strings, e.g. exclusion_reasons = ["wrong population", "not retrieved"]',
            line_of_key(Path(root), "exclusion_reasons"),
        )
    topics = tuple(topics)
    lexicon = {k: tuple(v) for k, v in raw_lexicon.items()} or {t: DEFAULT_LEXICON.get(t, (t,)) for t in topics}
    return Settings(
        title=table.get("title", Settings.title),
        topics=topics,
        citation_style=table.get("citation_style", Settings.citation_style),
        author=table.get("author", Settings.author),
        lexicon=lexicon,
        exposures=tuple(exposures),
        base_url=base_url,
        publish=table.get("publish", False),
        questions={k: " ".join(v.split()) for k, v in questions.items()},
        exclusion_reasons=tuple(exclusion_reasons),
    )
