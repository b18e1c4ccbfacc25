"""A changed judgment makes the affected notebook fail under nbval; undoing it makes it pass."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evidencebench import load_review
from evidencebench.rating.rerate import rerate
from evidencebench.review.csvfile import rewrite_records

ROOT = Path(__file__).resolve().parents[1]
REVIEW_FILES = ("pyproject.toml", "claims.csv", "evidence.csv", "documents", "refs", "notebooks")


def _nbval(folder: Path, notebook: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", "notebooks/sanitize.cfg", f"notebooks/{notebook}"],
        cwd=folder, capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "review"
    target.mkdir()
    for name in REVIEW_FILES:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    (target / "conftest.py").write_text("")  # keep pytest's rootdir here, not in the repository
    return target


def _set_judgment(folder: Path, claim: str, domain: str, level: str, reason: str) -> None:
    review = load_review(folder)
    claims = review.files["claims"]
    index = next(i for i, r in enumerate(claims.records) if r.values["id"] == claim)
    rewrite_records(claims, {index: {domain: level, f"{domain}_reason": reason}})
    rerate(load_review(folder))  # keep the data consistent: only the rating itself moves


def test_changed_judgment_fails_nbval_and_reverting_passes(copy: Path):
    original = (copy / "claims.csv").read_bytes()
    assert _nbval(copy, "pain.ipynb").returncode == 0
    _set_judgment(copy, "ks-19", "publication_bias", "serious", "Teeth test: a deliberate change.")
    assert load_review(copy).check() == []  # the data is valid; only the notebook is stale
    failed = _nbval(copy, "pain.ipynb")
    assert failed.returncode != 0
    assert "ks-19" in failed.stdout
    (copy / "claims.csv").write_bytes(original)
    assert _nbval(copy, "pain.ipynb").returncode == 0
