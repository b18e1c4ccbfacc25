"""The repository speaks of the review and the tool only: no tracked file points into a machine."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# An absolute path into a home or work folder, on Unix, macOS or Windows (not part of a URL).
MACHINE_PATH = re.compile(
    r"(?:^|[\s\"'`(=\[<,;])(?:/(?:home|Users|root|work|mnt|private/var)/[\w.-]|[A-Za-z]:\\\\?(?:Users|home)\\)",
    re.M,
)


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / p for p in out.decode("utf-8").split("\0") if p]


def machine_paths(text: str) -> list[str]:
    return [m.group(0).strip() for m in MACHINE_PATH.finditer(text)]


def test_no_tracked_file_holds_a_machine_path():
    hits = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for line_no, line in enumerate(text.splitlines(), 1):
            if machine_paths(line):
                hits.append(f"{path.relative_to(ROOT)}:{line_no}: {line.strip()[:100]}")
    assert hits == []


@pytest.mark.parametrize(
    "text",
    # built from parts, so this file holds no machine path itself
    [f"see /{'home'}/ana/review.csv", f"in `/{'work'}/main/claims.csv`", f"C:\\{'Users'}\\ana\\refs.bib", f"path=/{'Users'}/bo/x", f"(/{'root'}/x)"],
)
def test_machine_paths_are_recognised(text):
    assert machine_paths(text)


@pytest.mark.parametrize(
    "text", ["https://example.org/work/paper", "refs/human.bib", "docs/methods.md", "a/home/b", "see ../shared/x"]
)
def test_relative_paths_and_urls_are_not_machine_paths(text):
    assert machine_paths(text) == []
