"""Real export layouts through `refs import`: tolerant reading, clean entries, one duplicate rule.

Each test names the defect class of issue 11 (and issue 15, item 5) it guards. The fixtures in
tests/data/import/ are hand-written in the layouts the named tools produce; every record in them
is invented (PMIDs 9000xxxx, DOIs under the example prefix 10.5555).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evidencebench import load_review
from evidencebench.intake.bibentry import KeyAllocator, base_key, family_name, make_key
from evidencebench.intake.importing import import_references, read_records
from evidencebench.review.errors import InputError
from evidencebench.review.identity import (
    bibtex_name,
    doi_key,
    first_family,
    identity_of,
    pmid_key,
    split_names,
    strip_doi,
)
from evidencebench.review.references import read_bib

DATA = Path(__file__).resolve().parent / "data" / "import"
EXPORTS = [
    "ovid-medline.ris",
    "sciencedirect-header.ris",
    "embase.ris",
    "scopus.ris",
    "pubmed-broken-record.nbib",
    "jabref-library.bib",
    "library-pubmed.nbib",
    "library-pubmed.ris",
    "pubmed-export.nbib",
    "pubmed-format.txt",
    "zotero-export.ris",
    "colleague.bib",
    "broken.bib",
    "broken.ris",
    "broken.nbib",
]


@pytest.fixture
def review(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    (root / "refs").mkdir(parents=True)
    return root


def _bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _entries(root: Path, name: str = "imported.bib") -> dict[str, dict[str, str]]:
    bib = read_bib(root / "refs" / name, f"refs/{name}")
    assert not bib.problems, bib.problems
    return {r.key: r.fields for r in bib.references}


# -- 1. tolerant by default, --strict on request ---------------------------------------------------
def test_ovid_ris_with_notes_after_er_imports_whole(review: Path):
    s = import_references(review, DATA / "ovid-medline.ris", strict=True)  # notes between records are no error
    assert [k for k, _ in s.added] == ["example2020kratom", "okafor2019valerian"]
    assert not s.unreadable and not s.notes
    first = _entries(review)["example2020kratom"]
    assert (first["pmid"], first["doi"], first["pages"]) == ("90000021", "10.5555/test.2020.021", "301--309")
    assert not first["title"].endswith(".")


def test_ris_with_header_lines_before_the_first_record(review: Path):
    s = import_references(review, DATA / "sciencedirect-header.ris", strict=True)
    assert [rec.line for _, rec in s.added] == [5, 24]
    assert _entries(review)["lindqvist2021mitragynine"]["doi"] == "10.5555/test.2021.023"


def test_medline_file_with_one_broken_record(review: Path):
    s = import_references(review, DATA / "pubmed-broken-record.nbib")
    assert [k for k, _ in s.added] == ["example2020kava", "doe2021passionflower"]
    assert [(m.file.endswith("pubmed-broken-record.nbib"), m.line) for m in s.unreadable] == [(True, 15)]
    assert "expected a MEDLINE field" in s.unreadable[0].message and "skipped" in s.unreadable[0].message


def test_strict_refuses_the_whole_file_and_writes_nothing(review: Path):
    before = _bytes(review)
    for name, line in (("pubmed-broken-record.nbib", 15), ("jabref-library.bib", 67)):
        with pytest.raises(InputError, match=rf"{name}:{line}: .*") as err:
            import_references(review, DATA / name, strict=True)
        assert "nothing was imported (--strict)" in str(err.value)
    assert _bytes(review) == before


def test_bibtex_entry_that_repeats_a_field(review: Path):
    s = import_references(review, DATA / "jabref-library.bib")
    roe = _entries(review)["roe2018magnesium"]
    assert roe["url"] == "https://example.org/roe2018" and roe["keywords"] == "sleep"  # the first, as BibTeX
    assert [(m.line, m.skipped) for m in s.notes] == [(67, False)]
    assert "'keywords' is given twice" in s.notes[0].message


def test_a_file_with_no_records_says_so(review: Path, tmp_path: Path):
    notes = tmp_path / "notes.ris"
    notes.write_text("Provider: nobody\nthis is not an export\n", encoding="utf-8")
    s = import_references(review, notes)
    assert not s.added and s.unreadable and "no RIS record" in s.unreadable[0].message


# -- 2. clean, linked, normalised entries ----------------------------------------------------------
def test_duplicate_and_empty_key_entries_are_cleaned_like_any_other(review: Path):
    import_references(review, DATA / "jabref-library.bib")
    entries = _entries(review)
    text = (review / "refs" / "imported.bib").read_text(encoding="utf-8")
    doubled = [line.strip() for line in text.splitlines() if "{{" in line]
    assert doubled == [  # only the braces the export itself protects with, no doubled ones
        "title = {{Kratom} tea and sleep onset in adults: an invented cohort used as a test fixture},",
        "author = {{R Core Team}},",
        "journal = {{Journal of} Test Phytotherapy},",
    ]
    first, second = entries["smith2019chamomile"], entries["smith2019invented"]  # both were `Smith2019`
    assert first["journal"] == "Journal of Test Sleep Research (Supplement)"  # macro # {text}
    assert second["journal"] == "{Journal of} Test Phytotherapy" and second["month"] == "mar"
    assert entries["lindqvist2022invented"]["journal"] == "Journal of Test Sleep Research"  # no key, macro resolved
    assert entries["okafor2022second"]["journal"] == "Journal of Test Sleep Research"
    assert entries["anon2021proceedings"]["title"] == "Proceedings of the Invented Sleep Symposium 2021"
    assert "jtsr" not in text and "procname" not in text and " # " not in text


def test_crossref_follows_the_key_actually_written(review: Path, tmp_path: Path):
    import_references(review, DATA / "jabref-library.bib")
    entries = _entries(review)
    assert entries["nakamura2021rice"]["crossref"] == "anon2021proceedings"
    # a crossref to a study refs/ already holds points at that entry's key
    export = tmp_path / "child.bib"
    export.write_text(
        "@inproceedings{child,\n  title = {A child paper},\n  year = {2021},\n  crossref = {Symposium2021},\n}\n"
        "@proceedings{Symposium2021,\n  title = {Proceedings of the Invented Sleep Symposium 2021},\n  year = {2021},\n}\n"
        "@inproceedings{orphan,\n  title = {An orphan paper},\n  crossref = {nowhere},\n}\n",
        encoding="utf-8",
    )
    s = import_references(review, export)
    assert [k for k, _ in s.added] == ["anon2021child", "anonndorphan"]
    assert _entries(review)["anon2021child"]["crossref"] == "anon2021proceedings"
    assert [m.message for m in s.notes] == ["crossref 'nowhere' names no entry of this file or of refs/"]


@pytest.mark.parametrize(
    ("given", "doi"),
    [
        ("https://doi.org/10.5555/ABC.1", "10.5555/ABC.1"),
        ("http://dx.doi.org/10.5555/abc.1", "10.5555/abc.1"),
        ("http://doi.acm.org/10.1145/123.456", "10.1145/123.456"),
        ("doi:10.5555/abc.1", "10.5555/abc.1"),
        ("DOI: 10.5555/abc.1", "10.5555/abc.1"),
        ("https://doi.org/10.5555%2Fabc.1", "10.5555/abc.1"),
        ("doi: https://doi.org/10.5555/abc.1", "10.5555/abc.1"),
    ],
)
def test_doi_url_forms_and_prefixes_are_removed(given: str, doi: str):
    assert strip_doi(given) == doi
    assert doi_key(given) == doi.lower()


def test_dois_are_written_bare_and_malformed_identifiers_left_out(review: Path, tmp_path: Path):
    import_references(review, DATA / "jabref-library.bib")
    entries = _entries(review)
    assert entries["smith2019chamomile"]["doi"] == "10.5555/test.2019.051"  # was doi:…
    assert entries["smith2019invented"]["doi"] == "10.5555/test.2019.052"  # was http://doi.acm.org/…
    export = tmp_path / "bad.nbib"
    export.write_text("PMID- 0123\nTI  - A record with a bad PMID.\nAID - not-a-doi [doi]\n", encoding="utf-8")
    s = import_references(review, export)
    ((_, rec),) = s.added
    assert "pmid" not in rec.fields and "doi" not in rec.fields
    assert sorted(m.message.split()[0] for m in s.notes) == ["doi", "pmid"]
    assert pmid_key("0123") == "" and pmid_key("90000001") == "90000001" and pmid_key("1234567890") == ""


def test_one_duplicate_rule_for_import_and_check(review: Path, tmp_path: Path):
    (review / "refs" / "hand.bib").write_text(
        "@article{a2019x,\n  author = {Doe, Richard},\n  title = {Same title},\n  year = {2019},\n"
        "  doi = {http://doi.acm.org/10.1145/X.1},\n}\n"
        "@article{b2019x,\n  author = {Roe, Jamie},\n  title = {Same title},\n  year = {2019},\n}\n"
        "@article{c2019x,\n  author = {{R Core Team}},\n  title = {R manual},\n  year = {2019},\n}\n",
        encoding="utf-8",
    )
    codes = Counter(p.code for p in load_review(review).check())
    assert codes["duplicate-study"] == 0  # same title and year, different first author: two studies
    export = tmp_path / "x.ris"
    export.write_text(
        "TY  - JOUR\nTI  - Other title\nDO  - https://doi.org/10.1145/x.1\nER  - \n"
        "TY  - JOUR\nTI  - Same title.\nAU  - Roe J\nPY  - 2019\nER  - \n"
        "TY  - COMP\nTI  - R manual\nAU  - R Core Team\nPY  - 2019\nER  - \n"
        "TY  - JOUR\nTI  - Same title\nAU  - Third A\nPY  - 2019\nER  - \n",
        encoding="utf-8",
    )
    s = import_references(review, export)
    assert [why.split(" (")[0] for _, why in s.skipped] == [
        "duplicate: same DOI as a2019x",
        "duplicate: same title, year and first author as b2019x",
        "duplicate: same title, year and first author as c2019x",
    ]
    assert [k for k, _ in s.added] == ["third2019same"]
    problems = load_review(review).check()
    assert not [p for p in problems if p.code == "duplicate-study"]
    # and what import would skip, check calls a duplicate
    (review / "refs" / "hand2.bib").write_text(
        "@misc{d2019x,\n  author = {R Core Team},\n  title = {R Manual.},\n  year = {2019},\n  doi = {doi:10.1145/x.1},\n}\n",
        encoding="utf-8",
    )
    dupes = [p.message for p in load_review(review).check() if p.code == "duplicate-study"]
    assert dupes == ["d2019x is the same study as a2019x (same DOI 10.1145/x.1)"]


def test_key_generation_has_no_upper_limit_and_is_linear():
    keys = KeyAllocator()
    stem = base_key({"author": "Smith, J", "year": "2020", "title": "Sleep"})
    made = [keys.new(stem) for _ in range(705)]
    assert made[:3] == ["smith2020sleep", "smith2020sleepa", "smith2020sleepb"]
    assert made[26:29] == ["smith2020sleepz", "smith2020sleepaa", "smith2020sleepab"]
    assert made[702] == "smith2020sleepzz" and made[703] == "smith2020sleepaaa"  # the 703rd and 704th
    assert len(set(made)) == 705
    assert make_key({"author": "Smith, J", "year": "2020", "title": "Sleep"}, made) == "smith2020sleepaac"


def test_703_entries_sharing_a_key_stem_import(review: Path, tmp_path: Path):
    export = tmp_path / "many.ris"
    export.write_text(
        "".join(f"TY  - JOUR\nTI  - Sleep {i}\nAU  - Smith J\nPY  - 2020\nER  - \n" for i in range(710)), encoding="utf-8"
    )
    s = import_references(review, export)
    keys = [k for k, _ in s.added]
    assert len(keys) == len(set(keys)) == 710 and keys[703] == "smith2020sleepaaa"
    assert not import_references(review, export).added


# -- 3. idempotent on every input ----------------------------------------------------------------------
@pytest.mark.parametrize("name", EXPORTS)
def test_a_second_import_adds_nothing(review: Path, name: str):
    first = import_references(review, DATA / name)
    after_first = _bytes(review)
    again = import_references(review, DATA / name)
    assert not again.added and not again.merged and not again.written
    assert len(again.skipped) == len(first.added) + len(first.skipped)
    assert _bytes(review) == after_first
    codes = Counter(p.code for p in load_review(review).check())
    assert not {c for c in codes if c.startswith("bib-") or c in ("duplicate-study", "doi-malformed", "pmid-malformed")}


def test_all_exports_into_one_review_then_again_adds_nothing(review: Path):
    for name in EXPORTS:
        import_references(review, DATA / name)
    before = _bytes(review)
    for name in EXPORTS:
        assert not import_references(review, DATA / name).added, name
    assert _bytes(review) == before
    assert not [p for p in load_review(review).check() if p.code == "duplicate-study"]


@pytest.mark.parametrize("order", [("library-pubmed.nbib", "library-pubmed.ris"), ("library-pubmed.ris", "library-pubmed.nbib")])
def test_the_same_library_as_ris_and_as_medline(review: Path, order: tuple[str, str]):
    first = import_references(review, DATA / order[0])
    assert len(first.added) == 3
    second = import_references(review, DATA / order[1])
    assert not second.added, [why for _, why in second.skipped]
    reasons = [why for _, why in second.skipped]
    assert "same DOI as garcialopez2021kratom" in reasons[0]
    assert "same PMID as nakamura2019kratom" in reasons[1]
    # HTML markup, a [translated] title and a group author with and without braces fold alike
    assert "same title, year and first author as test2020mitragynine" in reasons[2]


def test_merge_fills_many_entries_in_one_pass_keeping_other_bytes(review: Path):
    hand = review / "refs" / "hand.bib"
    hand.write_bytes(
        b"% by hand\r\n@article{a,\r\n  title = {Kratom and opioid withdrawal},\r\n  doi = {10.5555/TEST.2021.061}\r\n}\r\n"
        b"@article{b,\r\n  author = {Nakamura, Yui},\r\n  title = {Kratom use among invented survey respondents},\r\n"
        b"  year = {2019},\r\n}\r\n@article{c,\r\n  author = {Test Kratom Consortium},\r\n"
        b"  title = {Mitragynine in urine: an invented consortium report},\r\n  year = 2020,\r\n}\r\n"
    )
    s = import_references(review, DATA / "library-pubmed.nbib", merge=True)
    assert [(m.reference.key, m.fill) for m, _ in s.merged] == [
        ("a", {"pmid": "90000061"}),
        ("b", {"pmid": "90000062"}),
        ("c", {"pmid": "90000063"}),
    ]
    assert not s.added and s.written == ["refs/hand.bib"]
    assert hand.read_bytes() == (
        b"% by hand\r\n@article{a,\r\n  title = {Kratom and opioid withdrawal},\r\n  doi = {10.5555/TEST.2021.061},\r\n"
        b"  pmid = {90000061},\r\n}\r\n"
        b"@article{b,\r\n  author = {Nakamura, Yui},\r\n  title = {Kratom use among invented survey respondents},\r\n"
        b"  year = {2019},\r\n  pmid = {90000062},\r\n}\r\n@article{c,\r\n  author = {Test Kratom Consortium},\r\n"
        b"  title = {Mitragynine in urine: an invented consortium report},\r\n  year = 2020,\r\n  pmid = {90000063},\r\n}\r\n"
    )
    again = import_references(review, DATA / "library-pubmed.nbib", merge=True)
    assert not again.merged and not again.added and not again.written


def test_group_authors_in_braces_do_not_import_twice(review: Path, tmp_path: Path):
    export = tmp_path / "r.bib"
    export.write_text("@manual{R,\n  author = {{R Core Team}},\n  title = {R},\n  year = {2023},\n}\n", encoding="utf-8")
    import_references(review, export)
    assert _entries(review)["core2023r"]["author"] == "{R Core Team}"  # read back still braced
    assert not import_references(review, export).added


# -- 4. names from exports ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "bibtex"),
    [
        ("Quintanilla-Dieck L.", "Quintanilla-Dieck, L."),
        ("Smith JA", "Smith, J. A."),
        ("Smith J.A.", "Smith, J. A."),
        ("Smith, J.A.", "Smith, J. A."),
        ("van der Berg J-P", "van der Berg, J.-P."),
        ("Garcia-Romeu, Albert", "Garcia-Romeu, Albert"),
        ("Anna Müller", "Anna Müller"),
        ("J. A. Smith", "J. A. Smith"),
        ("R Core Team", "{R Core Team}"),
        ("{World Health Organization}", "{World Health Organization}"),
        ("Test Kratom Study Group", "{Test Kratom Study Group}"),
    ],
)
def test_names_become_bibtex_family_given(given: str, bibtex: str):
    assert bibtex_name(given) == bibtex
    assert bibtex_name(bibtex) == bibtex  # idempotent


def test_export_names_in_entries_and_keys(review: Path):
    import_references(review, DATA / "embase.ris")
    import_references(review, DATA / "scopus.ris")
    entries = _entries(review)
    assert entries["quintanilladieck2018congenital"]["author"] == (
        "Quintanilla-Dieck, L. and Smith, J. A. and van der Berg, J. P."
    )
    assert entries["quintanilladieck2018congenital"]["pmid"] == "90000031"  # Embase's C5
    assert entries["test2019kratom"]["author"] == "{Test Kratom Study Group}"
    assert entries["test2019kratom"]["doi"] == "10.5555/TEST.2019.032"  # doi: dropped, case as published
    assert entries["okafor2023lavender"]["author"] == "Okafor, C. and Lindqvist, M. A. and Nakamura, Y."
    assert family_name("Quintanilla-Dieck L.") == "quintanilladieck"
    assert first_family("Ludwig van Beethoven") == first_family("van Beethoven, L.") == "beethoven"
    assert split_names("{Johnson and Johnson} and Doe, R") == ["{Johnson and Johnson}", "Doe, R"]


def test_identity_folds_markup_latex_and_accents():
    a = identity_of({"title": "<i>Mitragyna</i> in M{\\\"u}ller's rats.", "year": "2020", "author": "M{\\\"u}ller, A"})
    b = identity_of({"title": "Mitragyna in Müller's rats", "year": "2020 Jan", "author": "Müller A"})
    assert a == b and a.title == ("mitragyna in muller s rats", "2020", "muller")


def test_double_braced_values_keep_one_level_on_reading(tmp_path: Path):
    (tmp_path / "x.bib").write_text(
        '@misc{k,\n  author = {{R Core Team}},\n  title = "{DNA} repair",\n  note = {a} # "{B}",\n}\n', encoding="utf-8"
    )
    ref = read_bib(tmp_path / "x.bib", "x.bib").references[0]
    assert (ref.get("author"), ref.get("title"), ref.get("note")) == ("{R Core Team}", "{DNA} repair", "a{B}")


def test_read_records_reports_without_raising_by_default():
    export = read_records(DATA / "broken.bib", "broken.bib")
    assert export.format == "bibtex" and len(export.records) == 2 and export.problems[0].line == 6


def test_special_files_and_non_utf8_targets_are_refused_not_opened(review: Path, tmp_path: Path):
    import os

    fifo = tmp_path / "export.ris"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        import_references(review, fifo)
    os.mkfifo(review / "refs" / "x.bib")  # never opened: it would block the read forever
    s = import_references(review, DATA / "pubmed-format.txt")
    assert s.written == ["refs/imported.bib"]
    with pytest.raises(InputError, match="not a regular file"):
        import_references(review, DATA / "scopus.ris", into="refs/x.bib")
    (review / "refs" / "latin1.bib").write_bytes(b"% M\xfcller\n")
    before = _bytes(review)
    with pytest.raises(InputError, match=r"refs/latin1.bib: not UTF-8"):
        import_references(review, DATA / "scopus.ris", into="refs/latin1.bib")
    assert _bytes(review) == before
