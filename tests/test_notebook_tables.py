"""Tables and figures as a notebook shows them: readable, deterministic, and visible when untrusted.

JupyterLab sanitises the HTML of a notebook that is not trusted yet (how a committed notebook first
opens): `<style>`, `<svg>` and scripts are dropped, inline `style` attributes are kept. So every
table and the evidence map are checked here for inline styling only, no random ids, and the same
bytes on every call.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from evidencebench import load_review, tables
from evidencebench.review import vocab

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def review():
    return load_review(ROOT)


@pytest.fixture(scope="module")
def model(review):
    return tables.model(review)


def cells(html: str, tag: str = "td") -> list[tuple[str, str]]:
    """(style, inner HTML) of every cell of a table."""
    return re.findall(rf'<{tag} style="([^"]*)">(.*?)</{tag}>', html, flags=re.S)


def untrusted_safe(html: str) -> None:
    """What JupyterLab's sanitiser would strip or what makes output differ between runs."""
    assert "<style" not in html and "<script" not in html and "<svg" not in html
    assert " id=" not in html and "uuid" not in html.lower()


def test_frames_render_left_aligned_without_positional_index_and_ids_unbroken(review):
    frame = pd.DataFrame({"claim": ["ks-01", "ks-02"], "quote": ["A long sentence " * 6, "short words here"], "n": [3, 12]})
    html = tables.html_table(frame)
    untrusted_safe(html)
    heads = [text for _, text in cells(html, "th")]
    assert heads == ["claim", "quote", "n"]  # no column for the 0, 1 index
    body = cells(html)
    assert [text for _, text in body[:3]] == ["ks-01", ("A long sentence " * 6), "3"]
    id_style, text_style, number_style = (style for style, _ in body[:3])
    assert "text-align:left" in id_style and "white-space:nowrap" in id_style
    assert "text-align:left" in text_style and "max-width:32em" in text_style and "nowrap" not in text_style
    assert "text-align:right" in number_style
    assert tables.html_table(frame) == html  # deterministic


def test_a_meaningful_index_becomes_the_first_column(model):
    html = tables.html_table(tables.judgments_table(model, model.claims[0].id))
    assert [text for _, text in cells(html, "th")] == ["domain", "judgment", "reason"]


def test_urls_dois_and_pmids_are_links_and_unsafe_schemes_are_not(review):
    frame = pd.DataFrame({
        "doi": ["10.1000/xyz<1>", ""],
        "pmid": ["123", ""],
        "url": ["https://example.org/a?b=1&c=2", "javascript:alert(1)"],
    })  # fmt: skip
    html = tables.html_table(frame)
    assert '<a href="https://doi.org/10.1000/xyz&lt;1&gt;" target="_blank" rel="noopener noreferrer">10.1000/xyz&lt;1&gt;</a>' in html
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/123/"' in html
    assert '<a href="https://example.org/a?b=1&amp;c=2"' in html and ">example.org/a?b=1&amp;c=2</a>" in html
    assert "javascript:alert(1)</td>" in html and 'href="javascript' not in html
    refs = tables.html_table(review.reference_table())
    urls = [u for u in review.reference_table()["url"] if u]
    assert urls and all(f'href="{u}"' in refs for u in urls)


def test_text_is_escaped_and_long_frames_say_what_is_left_out():
    frame = pd.DataFrame({"quote": ["<b>bold</b> & more"] * 5})
    html = tables.html_table(frame, max_rows=2)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html and "<b>" not in html
    assert "… 3 more rows" in html and html.count("<tr>") == 1 + 2 + 1


def test_setup_display_makes_every_frame_readable_in_ipython():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    tables.setup_display()
    frame = pd.DataFrame({"claim": ["ks-01"]})
    data, _ = shell.display_formatter.format(frame)
    assert data["text/html"] == tables.html_table(frame)
    assert "ks-01" in data["text/plain"]


def test_claims_view_filters_and_keeps_the_raw_frame_apart(review, model):
    everything = tables.claims_view(review)
    assert list(everything["claim"]) == [c.id for c in model.claims]
    assert list(everything.columns) == ["claim", "document", "topic", "type", "quote", "restated", "certainty", "verdict", "studies"]
    topic = review.settings.topics[0]
    assert set(tables.claims_view(model, topic=topic)["topic"]) == {topic}
    verdict = everything["verdict"].iloc[0]
    assert set(tables.claims_view(model, verdict=verdict)["verdict"]) == {verdict}
    doc = next(iter(review.documents))
    assert len(tables.claims_view(model, document=doc)) == sum(c.document == doc for c in model.claims)
    with pytest.raises(ValueError, match="topic 'nope' is not one of: " + ", ".join(review.settings.topics)):
        tables.claims_view(model, topic="nope")
    with pytest.raises(ValueError, match="verdict 'maybe' is not one of"):
        tables.claims_view(model, verdict="maybe")
    assert "start" in review.claims.columns and "start" not in everything.columns  # the raw frame is untouched


def test_evidence_map_figure_shows_untrusted_and_holds_the_counts(model):
    figure = tables.evidence_map_figure(model)
    html = figure._repr_html_()
    untrusted_safe(html)
    assert html == tables.evidence_map_figure(model)._repr_html_()
    counts = model.evidence_map()
    shown = [int(text) for _, text in cells(html)]
    assert shown == [n for row in counts.values() for n in row.values()]
    top = max(shown)
    darkest = next(style for style, text in cells(html) if int(text) == top)
    assert "background-color:#173f66" in darkest and "color:#ffffff" in darkest
    assert repr(figure).startswith(f"EvidenceMapFigure({len(counts)} topics")


def test_review_repr_says_what_to_call_next(review):
    html = review._repr_html_()
    untrusted_safe(html)
    for call in ("review.check()", "tables.claims_view(review, topic=", "review.rating(&#x27;", "review.claims"):
        assert call in html
    from IPython.lib.pretty import pretty

    text = pretty(review)
    assert text.splitlines()[0] == repr(review)
    assert "review.check()" in text and f"tables.claims_view(review, topic={review.settings.topics[0]!r})" in text
    for topic in review.settings.topics:
        assert f"  {topic}: " in text


def test_topic_summary_and_rating_line_use_the_verdict_vocabulary(model):
    topic = model.topics[0].name
    summary = tables.topic_summary(model, topic)
    assert summary.startswith(f"{len(model.topics[0].claims)} claim")
    assert any(v in summary for v in vocab.VERDICTS)
