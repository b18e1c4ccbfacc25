"""Settings the report reads (base_url, publish, questions) and what `check` says about them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from evidencebench.cli import app
from evidencebench.report import build_report
from evidencebench.review.settings import read_settings
from evidencebench.rules.review import load_review

ROOT = Path(__file__).resolve().parents[1]


def _settings(root: Path, extra: str) -> None:
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def _codes(root: Path) -> list[tuple[str, int]]:
    result = CliRunner().invoke(app, ["check", str(root), "--format", "json"])
    return [(p["code"], p["line"]) for p in json.loads(result.stdout)]


def test_base_url_missing_only_matters_when_publishing(valid_review: Path) -> None:
    assert _codes(valid_review) == []  # a draft without base_url is clean
    _settings(valid_review, "publish = true\n")
    line = valid_review.joinpath("pyproject.toml").read_text().splitlines().index("publish = true") + 1
    assert _codes(valid_review) == [("base-url-missing", line)]
    _settings(valid_review, 'base_url = "https://example.org/review/"\n')
    assert _codes(valid_review) == []


def test_base_url_must_be_an_address(valid_review: Path) -> None:
    _settings(valid_review, 'base_url = "example.org/review"\n')
    assert [code for code, _ in _codes(valid_review)] == ["settings-invalid"]


def test_question_for_an_unknown_topic(valid_review: Path) -> None:
    _settings(valid_review, '\n[tool.evidencebench.questions]\nsedation = "In adults, does chamomile…?"\nsedatoin = "typo"\n')
    assert [code for code, _ in _codes(valid_review)] == ["settings-question-topic"]
    assert read_settings(valid_review).questions["sedation"] == "In adults, does chamomile…?"


def test_questions_head_their_topics(valid_review: Path, tmp_path: Path) -> None:
    _settings(valid_review, '\n[tool.evidencebench.questions]\nsedation = "In adults  with\\npoor sleep, does chamomile help?"\n')
    build_report(load_review(valid_review), tmp_path, pdf=False)
    page = (tmp_path / "evidence-report.html").read_text(encoding="utf-8")
    topic = page.index('id="findings-sedation"')
    question = page.index("<strong>Question (PICO):</strong> In adults with poor sleep, does chamomile help?")
    assert topic < question < page.index('id="findings-dosage"')


def test_repository_review_states_a_question_for_every_topic() -> None:
    settings = read_settings(ROOT)
    assert set(settings.questions) == set(settings.topics)
    assert all(q.endswith("?") for q in settings.questions.values())
    assert settings.base_url is None and not settings.publish  # no publication address is stated yet
