"""When a report was built and from which data, so a reader can tell two reports apart."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ..review import schema

NOT_UNDER_GIT = "not under git"
UNCOMMITTED = "uncommitted changes"


@dataclass(frozen=True)
class BuildInfo:
    date: str  # YYYY-MM-DD
    data_version: str  # short commit hash, "uncommitted changes (…)" or "not under git"
    commit: str | None
    dirty: bool


def build_date(env: dict[str, str] | None = None) -> str:
    """Today, or the day of SOURCE_DATE_EPOCH (UTC) so that rebuilds are byte-identical."""
    env = os.environ if env is None else env
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
        except (ValueError, OverflowError, OSError) as err:
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from err
    return date.today().isoformat()


def review_paths() -> list[str]:
    """The files a review is made of, as git pathspecs relative to the review root."""
    return ["pyproject.toml", "refs", *(t.path for t in schema.TABLES), "documents", "screening"]


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def data_version(root: Path) -> tuple[str, str | None, bool]:
    """(label, short commit or None, dirty) for the review folder."""
    if _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return NOT_UNDER_GIT, None, False
    head = _git(root, "rev-parse", "--short", "HEAD")
    commit = head.strip() if head else None
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *review_paths())
    dirty = bool(status and status.strip()) or commit is None
    if not dirty:
        return commit or UNCOMMITTED, commit, False
    label = f"{UNCOMMITTED} (on top of {commit})" if commit else f"{UNCOMMITTED} (no commit yet)"
    return label, commit, True


def build_info(root: Path) -> BuildInfo:
    """Date and data version (git commit, dirty or not) the report was built from, so a reader can tell which data
    it shows."""
    label, commit, dirty = data_version(root)
    return BuildInfo(date=build_date(), data_version=label, commit=commit, dirty=dirty)
