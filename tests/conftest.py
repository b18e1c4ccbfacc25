from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def valid_review(tmp_path: Path) -> Path:
    """A writable copy of the small valid review in tests/data/valid."""
    target = tmp_path / "review"
    shutil.copytree(DATA / "valid", target)
    return target
