"""Quotes anchor through typographic differences; moved quotes re-anchor, lost ones are named."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import app
from evidencebench.review import provenance

TEXT = "Kratom\u2019s  effects \u201ccan\u201d vary.\nKratom\u2019s effects can vary."


def test_folding_matches_curly_quotes_and_white_space():
    spans = provenance.find_all(TEXT, "Kratom's effects \"can\" vary.")
    assert len(spans) == 1
    assert TEXT[slice(*spans[0])] == "Kratom\u2019s  effects \u201ccan\u201d vary."


def test_context_picks_the_right_occurrence():
    text = "one. The dose matters. two. The dose matters. three."
    found = provenance.anchor(text, "The dose matters.", prefix="two. ", suffix=" three")
    assert found is not None and found.start == text.rindex("The dose")


def test_matches_at_checks_offsets():
    start = TEXT.index("\n") + 1
    assert provenance.matches_at(TEXT, "Kratom's effects can vary.", start, len(TEXT))
    assert not provenance.matches_at(TEXT, "Kratom's effects can vary.", 0, 26)
    assert not provenance.matches_at(TEXT, "x", 10, 5)


def _edit_document(review: Path, new_text: str) -> None:
    (review / "documents" / "tea.txt").write_text(new_text, encoding="utf-8")


def test_anchor_command_records_new_offsets_and_hash(valid_review: Path):
    doc = valid_review / "documents" / "tea.txt"
    _edit_document(valid_review, "Updated. " + doc.read_text(encoding="utf-8"))
    before = (valid_review / "claims.csv").read_text(encoding="utf-8")
    original = load_review(valid_review)
    quotes_before, starts_before = list(original.claims["quote"]), list(original.claims["start"])
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(valid_review)]).exit_code == 1
    result = runner.invoke(app, ["anchor", str(valid_review)])
    assert result.exit_code == 0, result.output
    assert "moved: c-01" in result.output
    after = (valid_review / "claims.csv").read_text(encoding="utf-8")
    assert after != before
    review = load_review(valid_review)
    assert list(review.claims["quote"]) == quotes_before  # quotes are never rewritten
    assert list(review.claims["start"]) != starts_before  # offsets are
    index = (valid_review / "documents" / "index.csv").read_text(encoding="utf-8")
    assert hashlib.sha256(doc.read_bytes()).hexdigest() in index
    assert runner.invoke(app, ["check", str(valid_review)]).exit_code == 0


def test_anchor_keeps_hash_when_a_quote_is_gone(valid_review: Path):
    doc = valid_review / "documents" / "tea.txt"
    old_hash = hashlib.sha256(doc.read_bytes()).hexdigest()
    _edit_document(valid_review, "Updated. " + doc.read_text(encoding="utf-8").replace("two cups", "three mugs"))
    result = CliRunner().invoke(app, ["anchor", str(valid_review)])
    assert result.exit_code == 1
    assert "gone: c-02" in result.output
    assert old_hash in (valid_review / "documents" / "index.csv").read_text(encoding="utf-8")
