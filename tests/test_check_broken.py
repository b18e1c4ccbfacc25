"""Every broken folder gives its own problem code, with file and line, and no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidencebench.cli import app
from evidencebench.review.problems import CODES

DATA = Path(__file__).resolve().parent / "data"
BROKEN = sorted(p for p in (DATA / "broken").iterdir() if p.is_dir())
FILE_LEVEL: set[str] = set()  # no problem is ever reported on line 0


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_valid_fixture_is_clean():
    result = run("check", str(DATA / "valid"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("folder", BROKEN, ids=lambda p: p.name)
def test_broken_folder_reports_its_code(folder: Path):
    code = folder.name
    assert code in CODES, f"folder {code} is not named for a problem code"
    result = run("check", str(folder), "--format", "json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (1, 2)
    problems = json.loads(result.stdout)
    hits = [p for p in problems if p["code"] == code]
    assert hits, f"expected {code}, got {[p['code'] for p in problems]}"
    for p in hits:
        assert (folder / p["file"]).exists() or p["code"] == "document-file-missing"
        if code not in FILE_LEVEL:
            assert p["line"] >= 1
        assert p["hint"]
    fatal = any(p["fatal"] for p in problems)
    assert result.exit_code == (2 if fatal else 1)
    if CODES[code][0]:
        assert result.exit_code == 2  # an unreadable file is never reported as a mere problem


def test_text_format_is_file_line_code_message():
    result = run("check", str(DATA / "broken" / "unknown-reference"))
    line = result.stdout.splitlines()[0]
    assert line.startswith("evidence.csv:3: unknown-reference: no reference with key 'alpha2020trail'")
    assert line.endswith("— Add the reference to refs/*.bib or fix the key.")


def test_missing_folder_exits_2():
    result = run("check", str(DATA / "no-such-review"))
    assert result.exit_code == 2
    assert "review-not-found" in result.stdout


def test_every_code_is_documented():
    text = (Path(__file__).resolve().parents[1] / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code}`" in text


def test_problems_are_sorted_and_unique():
    result = run("check", str(DATA / "broken" / "quote-moved"), "--format", "json")
    problems = json.loads(result.stdout)
    keys = [(p["file"], p["line"], p["code"], p["message"]) for p in problems]
    assert keys == sorted(set(keys))


def test_reference_url_must_be_http(tmp_path):
    import shutil

    target = tmp_path / "r"
    shutil.copytree(DATA / "valid", target)
    bib = target / "refs" / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("https://example.org/fixture/gamma2019", "javascript:alert(1)"), encoding="utf-8")
    result = run("check", str(target))
    assert result.exit_code == 1
    assert "reference-unverified" in result.stdout and "not an http(s) address" in result.stdout
