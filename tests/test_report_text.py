"""Words the report uses: glossary coverage, methods from the engine, quote context, summary."""

from __future__ import annotations

from evidencebench.report import glossary
from evidencebench.report.html import VERDICT_ICONS, rich, safe_url
from evidencebench.report.model import describe_designs, first_sentence
from evidencebench.report.quotes import quote_in_context
from evidencebench.rules import grade


def test_glossary_defines_every_vocabulary_value() -> None:
    assert glossary.missing_definitions() == []
    assert set(VERDICT_ICONS) >= set(glossary.VERDICTS)


def test_methods_markup_is_escaped_then_marked() -> None:
    assert rich("**bold** <i> `code`") == "<strong>bold</strong> &lt;i&gt; <code>code</code>"
    for line in grade.methods_rules():
        assert "**" not in rich(line) and "<script" not in rich(line)


def test_safe_url() -> None:
    assert safe_url("https://example.org/x") == "https://example.org/x"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//evil.example", "", None, "http://", "ftp://x"):
        assert safe_url(bad) is None


def test_quote_context_window_and_fallback() -> None:
    text = "word " * 100 + "THE QUOTE" + " tail" * 100
    start = text.index("THE QUOTE")
    ctx = quote_in_context(text, "THE QUOTE", start, start + 9, window=30)
    assert ctx.quote == "THE QUOTE" and ctx.before.startswith("…") and ctx.after.endswith("…")
    assert len(ctx.before) <= 31 and len(ctx.after) <= 31
    moved = quote_in_context(text, "THE QUOTE", 0, 9)  # stale offsets: found again
    assert moved.start == start
    assert quote_in_context(text, "not there", 0, 9) is None
    assert quote_in_context(None, "x", 0, 1) is None
    whole = quote_in_context("short THE QUOTE text", "THE QUOTE", 6, 15)
    assert (whole.before, whole.after) == ("short ", " text")


def test_first_sentence_and_designs() -> None:
    assert first_sentence("One thing. Two things.") == "One thing."
    assert first_sentence("No full stop") == "No full stop"
    assert first_sentence("e.g. lower case goes on. Next.") == "e.g. lower case goes on."
    assert first_sentence("x " * 300).endswith("…")
    assert describe_designs(["rct", "rct", "in-vitro", "case-series", "case-series", "surveillance"]) == (
        "2 case series, 2 randomised trials, 1 in-vitro laboratory study, 1 surveillance data"
    )
