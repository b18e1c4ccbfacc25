"""Importing references from BibTeX, RIS and PubMed MEDLINE exports into refs/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import refs as refs_cmd
from evidencebench.intake import importing
from evidencebench.intake.bibentry import family_name, format_entry, make_key, title_word
from evidencebench.intake.importing import detect_format, import_references, read_records
from evidencebench.intake.medline import _expand_pages
from evidencebench.review.atomic import ConcurrentChangeError
from evidencebench.review.errors import InputError
from evidencebench.review.references import read_bib

DATA = Path(__file__).resolve().parent / "data" / "import"

EXISTING = """% refs of a test review
@article{example2020kratom,
  author = {Example, Erin},
  title = {Kratom and Pain Tolerance: A Test Record Duplicating an Existing Entry},
  journal = {Journal of Test Duplicates},
  year = {2020},
  doi = {https://doi.org/10.5555/TEST.EXISTING.001},
  url = {https://example.org/x},
  design = {rct},
  population = {humans},
}
"""


@pytest.fixture
def review(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "existing.bib").write_text(EXISTING, encoding="utf-8")
    return root


def _bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- reading each format ------------------------------------------------------------------
def test_medline_with_bom_crlf_numbering_and_continuations():
    fmt, records, _ = read_records(DATA / "pubmed-export.nbib", "pubmed-export.nbib")
    assert fmt == "medline" and [r.line for r in records] == [2, 28, 38]
    first = records[0].fields
    assert first["title"] == (
        "Valerian root extract and sleep latency in adults with insomnia: a randomised, placebo-controlled trial"
    )
    assert first["author"] == "Müller, Anna and García-López, José"  # FAU preferred over AU
    assert first["journal"] == "Journal of test sleep research"
    assert (first["year"], first["volume"], first["number"]) == ("2021", "12", "3")
    assert first["pages"] == "2421--2429"  # PubMed's "2421-9"
    assert first["doi"] == "10.5555/test.2021.001"  # from LID ... [doi], not the [pii]
    assert (first["pmid"], first["pmcid"]) == ("90000001", "PMC9000001")
    assert "abstract" not in first
    assert records[1].fields["author"] == "Smith, J. and Doe, R."  # AU only, "Family Initials" made BibTeX


def test_medline_saved_as_txt_is_recognised_by_content():
    fmt, records, _ = read_records(DATA / "pubmed-format.txt", "pubmed-format.txt")
    assert fmt == "medline" and records[0].fields["author"] == "{Test Collaborative Group}"


def test_ris_with_bom_crlf_wrapped_title_and_pmid():
    fmt, records, _ = read_records(DATA / "zotero-export.ris", "zotero-export.ris")
    assert fmt == "ris" and [r.line for r in records] == [1, 18]
    first = records[0].fields
    assert first["title"].endswith("an invented trial used as a test fixture")
    assert first["author"] == "Okafor, Chidi and Lindqvist, Maja"
    assert first["doi"] == "10.5555/TEST.2022.005"  # resolver dropped, case kept
    assert (first["pmid"], first["pages"], first["journal"]) == ("90000005", "55--63", "Journal of Test Phytotherapy")
    assert records[1].fields["pmid"] == "90000002"  # from "N1  - PMID: ..."


def test_format_is_detected_by_content_not_extension(tmp_path: Path):
    disguised = tmp_path / "export.txt"
    shutil.copy(DATA / "zotero-export.ris", disguised)
    assert read_records(disguised, "export.txt")[0] == "ris"
    assert detect_format("\n\n@Article (x,\n title={t})", Path("a.ris")) == "bibtex"
    with pytest.raises(InputError, match="not recognised"):
        detect_format("hello", Path("notes.txt"))


def test_bibtex_with_strings_parentheses_missing_key_and_crlf():
    fmt, records, _ = read_records(DATA / "colleague.bib", "colleague.bib")
    assert fmt == "bibtex" and len(records) == 3
    okafor, nokey, agency = records
    assert okafor.key == "okafor2022lavender" and okafor.fields["journal"] == "Journal of Test Phytotherapy"
    assert okafor.line == 4 and okafor.fields["year"] == "2022"
    assert nokey.key == "" and nokey.fields["author"] == "Nakamura, Yui" and nokey.line == 13
    assert agency.entry_type == "misc"
    assert all("\r" not in v for r in records for v in r.fields.values())


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("broken.bib", 6, "could not be parsed"),
        ("broken.ris", 5, "no 'ER  -' line"),
        ("broken.nbib", 4, "expected a MEDLINE field"),
    ],
)
def test_malformed_files_end_in_a_message_with_file_and_line(review: Path, name: str, line: int, words: str):
    """--strict refuses the whole file; by default the bad record is skipped, the rest imported."""
    before = _bytes(review)
    with pytest.raises(InputError) as err:
        import_references(review, DATA / name, strict=True)
    assert f"{name}:{line}: " in str(err.value) and words in str(err.value)
    assert "nothing was imported" in str(err.value)
    assert _bytes(review) == before
    s = import_references(review, DATA / name)
    assert [(m.line, words in m.message) for m in s.unreadable] == [(line, True)]
    assert s.added and all(rec.line != line for _, rec in s.added)


def test_a_file_that_is_not_utf8_names_the_line(review: Path, tmp_path: Path):
    bad = tmp_path / "latin1.nbib"
    bad.write_bytes("PMID- 1\nTI  - ok\nAU  - M\xfcller A\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.nbib:3: .* not UTF-8"):
        import_references(review, bad)


# -- keys ----------------------------------------------------------------------------------------
def test_keys_follow_the_review_convention():
    fields = {"author": "García-López, José and Other, A", "year": "2021", "title": "The effect of valerian on sleep"}
    assert make_key(fields, []) == "garcialopez2021effect"
    assert make_key(fields, ["GarciaLopez2021effect"]) == "garcialopez2021effecta"
    assert make_key(fields, ["garcialopez2021effect", "garcialopez2021effecta"]) == "garcialopez2021effectb"
    assert family_name("Anna M{\\\"u}ller") == "muller"
    assert family_name("{World Health Organization}") == "world"
    assert title_word("7-Hydroxymitragynine is an opioid") == "hydroxymitragynine"
    assert make_key({"title": "Untitled notice"}, []) == "anonnduntitled"


def test_pubmed_page_ranges_are_expanded():
    assert _expand_pages("2421-9") == "2421--2429"
    assert _expand_pages("63-70") == "63--70"
    assert _expand_pages("e12") == "e12"
    assert _expand_pages("S12-4") == "S12--S14"


def test_formatted_entries_read_back(tmp_path: Path):
    fields = {"title": "Braces {DNA} kept", "author": "A, B", "note": "unbalanced { brace", "year": "2020"}
    text = format_entry("article", "a2020braces", fields)
    assert text.startswith("@article{a2020braces,\n  author = {A, B},\n  title = {Braces {DNA} kept},")
    assert "note = {unbalanced brace}," in text  # a brace that cannot be balanced is dropped
    (tmp_path / "x.bib").write_text(text + "\n", encoding="utf-8")
    bib = read_bib(tmp_path / "x.bib", "x.bib")
    assert not bib.problems and bib.references[0].get("title") == "Braces {DNA} kept"


# -- importing into a review ---------------------------------------------------------------------------
def test_import_appends_new_entries_and_skips_duplicates(review: Path):
    existing = (review / "refs" / "existing.bib").read_bytes()
    s = import_references(review, DATA / "pubmed-export.nbib")
    assert [k for k, _ in s.added] == ["muller2021valerian", "smith2019chamomile"]
    assert len(s.skipped) == 1 and "same DOI as example2020kratom" in s.skipped[0][1]
    assert "lacks pmid 90000003 (run with --merge" in s.skipped[0][1]
    assert (review / "refs" / "existing.bib").read_bytes() == existing  # no merge without --merge
    assert s.written == ["refs/imported.bib"]
    bib = read_bib(review / "refs" / "imported.bib", "refs/imported.bib")
    assert not bib.problems and [r.key for r in bib.references] == ["muller2021valerian", "smith2019chamomile"]
    assert bib.references[0].get("pages") == "2421--2429"


def test_imported_entries_are_flagged_until_verified(review: Path):
    import_references(review, DATA / "pubmed-format.txt")
    codes = {(p.code, p.file) for p in load_review(review).check()}
    assert ("reference-unverified", "refs/imported.bib") in codes
    assert ("reference-field", "refs/imported.bib") in codes
    assert "evidence check" in importing.VERIFY_NOTE


def test_import_twice_adds_nothing(review: Path):
    import_references(review, DATA / "zotero-export.ris")
    before = _bytes(review)
    again = import_references(review, DATA / "zotero-export.ris")
    assert not again.added and len(again.skipped) == 2 and not again.written
    assert _bytes(review) == before


def test_duplicates_across_formats_are_found_by_doi_pmid_and_title(review: Path):
    import_references(review, DATA / "pubmed-export.nbib")
    ris = import_references(review, DATA / "zotero-export.ris")
    assert [k for k, _ in ris.added] == ["okafor2022lavender"]
    assert "same PMID as smith2019chamomile" in ris.skipped[0][1]
    bib = import_references(review, DATA / "colleague.bib")
    reasons = [why for _, why in bib.skipped]
    assert any("same DOI as okafor2022lavender" in r for r in reasons)  # DOI case and resolver folded
    assert [k for k, _ in bib.added] == ["nakamura2023effect", "test2024public"]


def test_title_year_and_author_match_without_identifiers(review: Path, tmp_path: Path):
    export = tmp_path / "x.ris"
    export.write_text(
        "TY  - JOUR\nTI  - KRATOM and pain tolerance - a test record duplicating an existing entry.\n"
        "AU  - Example, E.\nPY  - 2020\nER  - \n",
        encoding="utf-8",
    )
    s = import_references(review, export)
    assert not s.added and "same title, year and first author as example2020kratom" in s.skipped[0][1]


def test_merge_fills_a_missing_identifier_keeping_other_bytes(review: Path):
    before = (review / "refs" / "existing.bib").read_text(encoding="utf-8")
    s = import_references(review, DATA / "pubmed-export.nbib", merge=True)
    assert [(m.reference.key, m.fill) for m, _ in s.merged] == [("example2020kratom", {"pmid": "90000003"})]
    after = (review / "refs" / "existing.bib").read_text(encoding="utf-8")
    assert after == before.replace("  population = {humans},\n}", "  population = {humans},\n  pmid = {90000003},\n}")
    ref = read_bib(review / "refs" / "existing.bib", "x").references[0]
    assert ref.pmid == "90000003" and ref.get("url") == "https://example.org/x"


def test_merge_into_an_entry_without_trailing_comma(review: Path, tmp_path: Path):
    (review / "refs" / "existing.bib").write_text(
        "@article{k1,\r\n\ttitle = {Only a title},\r\n\tyear = 2020,\r\n\tdoi = {10.5555/x.1}\r\n}\r\n", encoding="utf-8"
    )
    export = tmp_path / "x.nbib"
    export.write_text("PMID- 90000077\nTI  - Only a title.\nDP  - 2020\nAID - 10.5555/X.1 [doi]\n", encoding="utf-8")
    import_references(review, export, merge=True)
    text = (review / "refs" / "existing.bib").read_bytes()
    assert text == b"@article{k1,\r\n\ttitle = {Only a title},\r\n\tyear = 2020,\r\n\tdoi = {10.5555/x.1},\r\n\tpmid = {90000077},\r\n}\r\n"


def test_a_differing_identifier_is_never_overwritten(review: Path, tmp_path: Path):
    export = tmp_path / "x.nbib"
    export.write_text(
        "PMID- 90000099\nTI  - Kratom and pain tolerance: a test record duplicating an existing entry.\n"
        "DP  - 2020\nFAU - Example, Erin\nAID - 10.5555/other.doi [doi]\n",
        encoding="utf-8",
    )
    before = _bytes(review)
    s = import_references(review, export, merge=True)
    assert not s.merged and not s.added
    assert "doi 10.5555/test.existing.001 there, 10.5555/other.doi here" in s.skipped[0][1]
    assert _bytes(review) == before


def test_dry_run_writes_nothing(review: Path):
    before = _bytes(review)
    s = import_references(review, DATA / "pubmed-export.nbib", dry_run=True, merge=True)
    assert len(s.added) == 2 and len(s.merged) == 1 and not s.written
    assert _bytes(review) == before


def test_appending_keeps_every_existing_byte_of_the_target(review: Path):
    target = review / "refs" / "imported.bib"
    target.write_bytes(b"\xef\xbb\xbf% kept as is\r\n@misc{old2000note,\r\n  title = {Old},\r\n}")  # BOM, CRLF, no final newline
    before = target.read_bytes()
    import_references(review, DATA / "pubmed-format.txt")
    after = target.read_bytes()
    assert after.startswith(before) and b"\r\n@article{test2018melatonin,\r\n" in after
    assert b"\n" not in after.replace(b"\r\n", b"")  # the file's CRLF style is kept
    assert [r.key for r in read_bib(target, "t").references] == ["old2000note", "test2018melatonin"]


def test_keep_keys_keeps_valid_unused_bibtex_keys(review: Path):
    s = import_references(review, DATA / "colleague.bib", keep_keys=True)
    assert [k for k, _ in s.added] == ["okafor2022lavender", "nakamura2023effect", "agency2024notice"]


def test_into_must_be_a_bib_file_in_refs(review: Path):
    with pytest.raises(InputError, match=r"must be a \.bib file directly in"):
        import_references(review, DATA / "pubmed-format.txt", into="elsewhere/x.bib")


def test_a_target_changed_underneath_is_not_overwritten(review: Path, monkeypatch):
    real = importing.atomic_write_bytes

    def concurrent(path, data, expected=None):
        Path(path).write_text("% someone else's edit\n", encoding="utf-8")
        return real(path, data, expected=expected)

    monkeypatch.setattr(importing, "atomic_write_bytes", concurrent)
    with pytest.raises(ConcurrentChangeError):
        import_references(review, DATA / "pubmed-format.txt")
    assert (review / "refs" / "imported.bib").read_text(encoding="utf-8") == "% someone else's edit\n"


def test_records_without_title_are_skipped_with_a_reason(review: Path):
    s = import_references(review, DATA / "empty-title.ris")
    assert not s.added and "no title" in s.skipped[0][1]


# -- the command ------------------------------------------------------------------------------------
def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    refs_cmd.register(app)
    return app


def test_refs_import_command(review: Path):
    runner = CliRunner()
    app = _app()
    out = runner.invoke(app, ["refs", "import", str(DATA / "pubmed-export.nbib"), "--review", str(review), "--dry-run", "--to-refs"])
    assert out.exit_code == 0, out.output
    assert "2 would be added to refs/imported.bib" in out.output and "nothing written" in out.output
    assert not (review / "refs" / "imported.bib").exists()
    out = runner.invoke(app, ["refs", "import", str(DATA / "pubmed-export.nbib"), "--review", str(review), "--merge", "--to-refs"])
    assert out.exit_code == 0 and "merged: example2020kratom" in out.output and "reference-unverified" in out.output
    strict = runner.invoke(app, ["refs", "import", str(DATA / "broken.ris"), "--review", str(review), "--strict", "--to-refs"])
    assert strict.exit_code == 2 and "broken.ris:5:" in strict.output and "Traceback" not in strict.output
    tolerant = runner.invoke(app, ["refs", "import", str(DATA / "broken.ris"), "--review", str(review), "--to-refs"])
    assert tolerant.exit_code == 1, tolerant.output  # imported, but one record was skipped
    assert "unreadable, skipped: " in tolerant.output and "broken.ris:5: " in tolerant.output
    assert "1 added to refs/imported.bib" in tolerant.output


def test_import_creates_refs_folder_in_a_new_review(tmp_path):
    from evidencebench.intake.importing import import_references

    (tmp_path / "claims.csv").write_text("", encoding="utf-8")
    source = Path(__file__).resolve().parent / "data" / "import" / "zotero-export.ris"
    summary = import_references(tmp_path, source)
    assert summary.added
    assert list((tmp_path / "refs").glob("*.bib"))
