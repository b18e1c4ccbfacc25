"""`check` never crashes, never hangs, and says which file could not be read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import app

DATA = Path(__file__).resolve().parent / "data"


def check_json(root: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(app, ["check", str(root), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout)


def codes(problems: list[dict]) -> set[str]:
    return {p["code"] for p in problems}


def run_check_subprocess(root: Path) -> subprocess.CompletedProcess:
    """In a child process with a timeout, so a reader that blocks on a FIFO fails the test instead of hanging it."""
    code = "import sys; from evidencebench.cli import app; sys.argv=['evidence','check',sys.argv[1],'--format','json']; app()"
    return subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("where", ["refs/x.bib", "documents/extra.txt", "documents/tea.txt", "claims.csv", "pyproject.toml"])
def test_a_fifo_is_reported_never_opened(valid_review: Path, where: str):
    target = valid_review / where
    if target.exists():
        target.unlink()
    os.mkfifo(target)
    done = run_check_subprocess(valid_review)
    assert "Traceback" not in done.stderr
    problems = json.loads(done.stdout)
    hits = [p for p in problems if p["code"] == "file-special"]
    assert hits and all(p["line"] >= 1 for p in problems), problems
    assert done.returncode == 2


def test_documents_that_is_not_a_folder_ends_in_exit_2(valid_review: Path):
    shutil.rmtree(valid_review / "documents")
    (valid_review / "documents").write_text("not a folder")
    exit_code, problems = check_json(valid_review)
    assert exit_code == 2
    assert any(p["fatal"] and p["file"].startswith("documents") for p in problems)


def test_pyproject_that_cannot_be_read_ends_in_exit_2(valid_review: Path):
    (valid_review / "pyproject.toml").unlink()
    (valid_review / "pyproject.toml").mkdir()
    exit_code, problems = check_json(valid_review)
    assert exit_code == 2
    assert [p["file"] for p in problems if p["code"] == "file-unreadable"] == ["pyproject.toml"]


def test_unlistable_refs_folder_is_one_problem_not_a_flood(valid_review: Path, monkeypatch):
    real = os.scandir

    def refuse(path=".", *args):
        if Path(path).name == "refs":
            raise PermissionError(13, "Permission denied")
        return real(path, *args)

    monkeypatch.setattr(os, "scandir", refuse)
    problems = load_review(valid_review).check()
    assert [(p.file, p.code) for p in problems if p.fatal] == [("refs", "file-unreadable")]
    assert not any(p.code == "unknown-reference" for p in problems)


@pytest.mark.parametrize(
    "toml",
    ['tool = "x"\n', "[tool]\nevidencebench = 3\n", "[tool.evidencebench]\ntopics = 5\n", "[tool.evidencebench\n"],
)
def test_malformed_settings_are_a_problem_not_a_traceback(valid_review: Path, toml: str):
    (valid_review / "pyproject.toml").write_text(toml)
    exit_code, problems = check_json(valid_review)
    assert exit_code == 1
    assert codes(problems) == {"settings-invalid"}
    assert problems[0]["line"] >= 1


def test_messages_escape_control_characters_so_one_problem_is_one_line(valid_review: Path):
    evidence = valid_review / "evidence.csv"
    evidence.write_text(evidence.read_text() + 'c-02,"bad\nkey\x1b",indirect,product,effect,,,F.\n')
    result = CliRunner().invoke(app, ["check", str(valid_review)])
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("evidence.csv:") for line in lines)
    assert any("bad\\nkey\\x1b" in line for line in lines)


# -- the duplicate-study rule, computed only where identifiers are shared ----------------------
from types import SimpleNamespace  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from evidencebench.review.identity import StudyIndex, identity_of  # noqa: E402
from evidencebench.review.references import Reference  # noqa: E402
from evidencebench.rules.check import _duplicate_studies  # noqa: E402

_FIELD_POOLS = {
    "doi": ["", "10.1000/a", "10.1000/A", "https://doi.org/10.1000/a", "n/a", "10.2000/b"],
    "pmid": ["", "123", " 123", "0123", "456"],
    "title": ["", "Kratom and sleep", "{K}ratom and <i>sleep</i>", "KRATOM AND SLEEP!", "Another study"],
    "year": ["", "2020", "2021", "2020 Mar"],
    "author": ["", "Smith, J.", "Smith JA", "John Smith", "{R Core Team}", "Jones, A. and Smith, J."],
}


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _FIELD_POOLS.items()}), max_size=12))
def test_duplicate_studies_match_the_full_index(entries: list[dict[str, str]]) -> None:
    """Skipping references that share no identifier finds exactly the duplicates the full index finds."""
    refs = {
        f"k{i}": Reference(f"k{i}", "article", {k: v for k, v in fields.items() if v}, "refs/x.bib", i + 1)
        for i, fields in enumerate(entries)
    }
    expected = []
    index: StudyIndex[str] = StudyIndex()
    for key, ref in refs.items():
        identity = identity_of(ref.fields)
        found = index.find(identity)
        if found is not None:
            expected.append((ref.line, f"{key} is the same study as {found[0]} ({identity.shown(found[1])})"))
        index.add(identity, key)
    got = [(p.line, p.message) for p in _duplicate_studies(SimpleNamespace(references=refs))]
    assert got == expected


def test_ratings_checked_case_by_case_agree_with_the_engine_claim_by_claim(tmp_path: Path) -> None:
    """check judges each distinct case of evidence and stored values once; every claim must still get
    exactly the certainty, verdict and indirectness problems its own rating gives."""
    import random

    from test_report_support import write_synthetic_review

    from evidencebench.review import schema, vocab
    from evidencebench.review.csvfile import read_csv, rewrite_records
    from evidencebench.rules import grade
    from evidencebench.rules.review import load_review

    root = write_synthetic_review(tmp_path / "r", 120, 40, links_per_claim=3)
    claims = read_csv(root / "claims.csv", "claims.csv", schema.CLAIMS)
    rng = random.Random(7)
    changes = {}
    for i in rng.sample(range(120), 60):  # stored values and judgments no longer what the rules give
        changes[i] = {
            "certainty": rng.choice(["", *vocab.CERTAINTY_LEVELS]),
            "verdict": rng.choice(vocab.VERDICTS),
            "indirectness": rng.choice(["not serious", "serious"]),
            "indirectness_reason": "Reason.",
            "large_effect": rng.choice(["none", "large"]),
            "upgrade_reason": "Reason.",
        }
    rewrite_records(claims, changes)
    review = load_review(root)
    codes = {"certainty-mismatch", "certainty-without-evidence", "verdict-mismatch", "indirectness-required"}
    got = {(p.line, p.code) for p in review.check() if p.code in codes}
    expected = set()
    for rec in review.files["claims"].records:
        v, cid = rec.values, rec.values["id"]
        rating = review.rating(cid)
        if rating.certainty is None and v["certainty"]:
            expected.add((rec.line, "certainty-without-evidence"))
        elif rating.certainty is not None and v["certainty"] != rating.certainty:
            expected.add((rec.line, "certainty-mismatch"))
        if not grade.verdict_allowed(v["verdict"], rating.verdict):
            expected.add((rec.line, "verdict-mismatch"))
        if grade.needs_indirectness(v["claim_type"], review.studies_for(cid)) and v["indirectness"] == "not serious":
            expected.add((rec.line, "indirectness-required"))
    assert len(expected) > 20 and got == expected
