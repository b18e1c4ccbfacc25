"""Checkable provenance: the document's own text with every quote highlighted and linked both
ways, each finding's pinpoint linked to the checked page, identifiers linked to their resolvers."""

from __future__ import annotations

import html
import re

import pytest
from test_report_support import DOC_TEXT, QUOTES, load_clean, write_hostile_review

from evidencebench.report import build_report
from evidencebench.report.links import doi_url, pmc_url, pubmed_url
from evidencebench.report.quotes import segments


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = write_hostile_review(tmp_path_factory.mktemp("prov") / "review")
    bib = root / "refs" / "x.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("  pmid = {1234567},", "  pmid = {1234567},\n  pmcid = {PMC7654321},"))
    build_report(load_clean(root), root / "reports", pdf=False)
    return (root / "reports" / "evidence-report.html").read_text(encoding="utf-8")


def test_segments_cover_the_text_once_and_mark_overlaps() -> None:
    text = "abcdefghij"
    parts = segments(text, [("a", 2, 6), ("b", 4, 8), ("c", 4, 8)])
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.claims, p.starts, p.ends) for p in parts] == [
        ("ab", (), (), ()),
        ("cd", ("a",), ("a",), ()),
        ("ef", ("a", "b", "c"), ("b", "c"), ("a",)),
        ("gh", ("b", "c"), (), ("b", "c")),
        ("ij", (), (), ()),
    ]
    assert segments(text, [("x", 5, 50)]) == segments(text, [])  # offsets outside the text are ignored


def test_appendix_holds_the_verbatim_text_with_every_quote_linked_both_ways(page: str) -> None:
    appendix = re.search(r'<div class="fulltext" id="text-doc">(.*?)</div>', page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="qref"[^>]*>.*?</a>', "", appendix))) == DOC_TEXT
    for cid, quote in QUOTES.items():
        assert f'<span class="qa" id="quote-{cid}"></span><mark>{html.escape(quote, quote=False)}</mark>' in appendix
        assert f'<a class="qref" href="#claim-{cid}">{cid}</a>' in appendix  # text -> claim
        claim = re.search(rf'<article class="claim [^"]*" id="claim-{cid}">.*?</article>', page, re.S).group()
        assert f'href="#quote-{cid}"' in claim  # claim -> text
    assert 'href="#text-doc"' in page  # the document's entry points at its text


def test_findings_name_where_they_are_stated_and_link_the_checked_page(page: str) -> None:
    claim = re.search(r'<article class="claim [^"]*" id="claim-x-01">.*?</article>', page, re.S).group()
    assert 'Stated in: <a href="https://example.org/trial">abstract: results</a>' in claim


def test_identifiers_link_to_their_resolvers(page: str) -> None:
    entry = re.search(r'<li id="ref-trial2020".*?</li>', page, re.S).group()
    assert '<a href="https://doi.org/10.1234/trial.2020">https://doi.org/10.1234/trial.2020</a>' in entry
    mice = re.search(r'<li id="ref-mice2019".*?</li>', page, re.S).group()
    assert 'PubMed: <a href="https://pubmed.ncbi.nlm.nih.gov/1234567/">1234567</a>' in mice
    assert 'PMC: <a href="https://pmc.ncbi.nlm.nih.gov/articles/PMC7654321/">PMC7654321</a>' in mice


def test_link_helpers_refuse_what_is_not_an_identifier() -> None:
    assert doi_url("10.1016/S0140-6736(20)30183-5") == "https://doi.org/10.1016/S0140-6736(20)30183-5"
    assert doi_url('10.1234/x"><script>') == "https://doi.org/10.1234/x%22%3E%3Cscript%3E"
    assert doi_url("doi:10.1/x") is None and doi_url("") is None and doi_url(None) is None
    assert pubmed_url("123") == "https://pubmed.ncbi.nlm.nih.gov/123/" and pubmed_url("12a") is None
    assert pmc_url("pmc42") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC42/" and pmc_url("42") is None
