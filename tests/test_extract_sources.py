"""`evidence extract` on a saved web page and on a PDF: the stored text, the original, the index and the quotes."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pypdf
import pytest
import typer
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import extract as extract_cmd
from evidencebench.intake.extract import CANDIDATES, extract, original_of
from evidencebench.intake.sources import read_source
from evidencebench.review import provenance, schema
from evidencebench.review.atomic import fingerprint
from evidencebench.review.csvfile import read_csv
from evidencebench.review.errors import InputError

WEB = Path(__file__).resolve().parent / "data" / "extract" / "web"
PAGE = WEB / "valerian-news.html"
TODAY = date(2026, 1, 2)

BOILERPLATE = (
    "cookies",
    "Accept all",
    "Subscribe for",
    "Search the Ledger",
    "Share on",
    "Email this story",
    "By Jane Example",
    "Related stories",
    "Kava and anxiety",
    "newsletter",
    "All rights reserved",
    "Terms of use",
    "dataLayer",
    "Home",
)


def _bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _index_row(root: Path, doc_id: str) -> dict[str, str]:
    index = read_csv(root / "documents" / "index.csv", "documents/index.csv", schema.DOCUMENTS)
    return next(r.values for r in index.records if r.values["id"] == doc_id)


def _assert_candidates_exact(root: Path, doc_id: str, text: str) -> list[dict[str, str]]:
    """Every candidate's quote, offsets, prefix and suffix against the stored text, to the character."""
    cands = read_csv(root / "candidates" / f"{doc_id}.csv", "c", CANDIDATES)
    assert not cands.problems
    rows = [r.values for r in cands.records]
    assert rows
    for v in rows:
        start, end = int(v["start"]), int(v["end"])
        assert text[start:end] == v["quote"]
        assert (v["prefix"], v["suffix"]) == provenance.context(text, start, end)
        assert text[:start].endswith(v["prefix"]) and text[end:].startswith(v["suffix"])
    return rows


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    """The fact-sheet fixture printed to PDF by WeasyPrint (a dependency already), as a user would."""
    import weasyprint

    path = tmp_path / "magnesium-factsheet.pdf"
    weasyprint.HTML(filename=str(WEB / "magnesium-factsheet.html")).write_pdf(str(path))
    return path


# -- a saved web page -----------------------------------------------------------------------
def test_a_saved_web_page_keeps_its_main_text_and_drops_the_boilerplate():
    source, data = read_source(PAGE)
    assert source.kind == "html" and data == PAGE.read_bytes()
    for junk in BOILERPLATE:
        assert junk not in source.text, junk
    assert source.text.startswith("Does valerian help you sleep? What the research says\n\n")
    for sentence in (
        "A 2020 review of 16 trials found weak positive findings for sleep quality, but the evidence was inconclusive.",
        "“It may help some people fall asleep a little faster, but it is no sleeping pill,” said Dr. Maria Lopez,",
        "- Take 300 to 600 mg about two hours before bed.\n- Do not combine valerian with alcohol or sedatives.",
    ):
        assert sentence in source.text
    assert (source.title, source.author, source.date) == (
        "Does valerian help you sleep? What the research says",
        "Jane Example",
        "2024-03-05",
    )
    assert (source.url, source.publisher) == ("https://ledger.example.org/health/valerian-sleep", "The Example Ledger")


def test_extract_from_a_web_page_stores_text_and_original_with_both_hashes(valid_review: Path):
    claims_before = (valid_review / "claims.csv").read_bytes()
    result = extract(valid_review, PAGE, today=TODAY)
    assert result.kind == "html" and result.registered and result.copied and result.original_copied
    assert (result.document_file, result.original_file) == ("valerian-news.txt", "valerian-news.html")
    docs = valid_review / "documents"
    assert (docs / "valerian-news.html").read_bytes() == PAGE.read_bytes()
    stored = (docs / "valerian-news.txt").read_bytes()
    text = stored.decode("utf-8")
    assert text == read_source(PAGE)[0].text

    row = _index_row(valid_review, "valerian-news")
    assert row["file"] == "valerian-news.txt" and row["sha256"] == fingerprint(stored)
    assert original_of(row["note"]) == ("valerian-news.html", fingerprint(PAGE.read_bytes()))
    assert "author: Jane Example" in row["note"] and "published: 2024-03-05" in row["note"]
    assert row["title"] == "Does valerian help you sleep? What the research says"
    assert (row["url"], row["publisher"], row["accessed"]) == (
        "https://ledger.example.org/health/valerian-sleep",
        "The Example Ledger",
        "2026-01-02",
    )
    assert (valid_review / "claims.csv").read_bytes() == claims_before

    rows = _assert_candidates_exact(valid_review, "valerian-news", text)
    quotes = [v["quote"] for v in rows]
    assert "Other trials have produced mixed results." in quotes
    assert "This can make it hard to concentrate the next morning." in quotes
    assert any(q.startswith("“It may help some people") and q.endswith("not involved in the review.") for q in quotes)
    assert not any("containers" in q or "Forest Hill" in q for q in quotes)
    by_quote = {v["quote"]: v for v in rows}
    assert by_quote["Take 300 to 600 mg about two hours before bed."]["topic"] == "dosage"
    assert load_review(valid_review).check() == []


def test_options_override_the_page_metadata(valid_review: Path):
    extract(
        valid_review,
        PAGE,
        doc_id="ledger-valerian",
        title="Valerian and sleep (Ledger)",
        url="https://example.org/archived-copy",
        publisher="Ledger Media",
        accessed="2025-07-14",
    )
    row = _index_row(valid_review, "ledger-valerian")
    assert (row["title"], row["url"], row["publisher"], row["accessed"]) == (
        "Valerian and sleep (Ledger)",
        "https://example.org/archived-copy",
        "Ledger Media",
        "2025-07-14",
    )
    assert (valid_review / "documents" / "ledger-valerian.html").exists()


def test_a_web_page_extracted_twice_changes_nothing(valid_review: Path):
    extract(valid_review, PAGE, today=TODAY)
    before = _bytes(valid_review)
    again = extract(valid_review, PAGE, today=date(2027, 5, 5))
    assert again.registered is again.copied is again.original_copied is again.candidates_written is False
    assert _bytes(valid_review) == before


def test_the_same_page_under_another_id_is_refused(valid_review: Path):
    extract(valid_review, PAGE, today=TODAY)
    before = _bytes(valid_review)
    with pytest.raises(InputError, match="saved web page is already registered as 'valerian-news'"):
        extract(valid_review, PAGE, doc_id="other", today=TODAY)
    assert _bytes(valid_review) == before


def test_a_changed_page_under_the_same_id_is_refused(valid_review: Path, tmp_path: Path):
    extract(valid_review, PAGE, today=TODAY)
    before = _bytes(valid_review)
    changed = tmp_path / "valerian-news.html"
    changed.write_text(
        PAGE.read_text(encoding="utf-8").replace("mixed results", "encouraging results"), encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"already registered .* with different text"):
        extract(valid_review, changed, today=TODAY)
    assert _bytes(valid_review) == before


# -- a PDF ----------------------------------------------------------------------------------------
def test_extract_from_a_pdf_stores_its_text_layer_and_the_pdf(valid_review: Path, pdf_file: Path):
    result = extract(valid_review, pdf_file, today=TODAY)
    assert result.kind == "pdf" and result.original_file == "magnesium-factsheet.pdf"
    docs = valid_review / "documents"
    assert (docs / "magnesium-factsheet.pdf").read_bytes() == pdf_file.read_bytes()
    stored = (docs / "magnesium-factsheet.txt").read_bytes()
    text = stored.decode("utf-8")
    assert text.startswith("Magnesium and Sleep\n")
    assert "High doses can cause diarrhea." in text
    assert "\n\nTake no more than 350 mg a day" in text  # the second page, after a blank line

    row = _index_row(valid_review, "magnesium-factsheet")
    assert row["sha256"] == fingerprint(stored)
    assert original_of(row["note"]) == ("magnesium-factsheet.pdf", fingerprint(pdf_file.read_bytes()))
    assert row["title"] == "Magnesium and Sleep: A Fact Sheet"  # from the PDF's document information
    assert "author: Example Institute of Health" in row["note"] and "created: 2024-05-01" in row["note"]
    assert row["url"] == ""  # a PDF says nothing of where it was published: never guessed

    rows = _assert_candidates_exact(valid_review, "magnesium-factsheet", text)
    quotes = [" ".join(v["quote"].split()) for v in rows]
    assert "High doses can cause diarrhea." in quotes
    assert any(q.startswith("Some small trials found that magnesium supplements may help") for q in quotes)
    assert any(q.startswith("Take no more than 350 mg a day") for q in quotes)
    assert not any(q.startswith("Magnesium is a mineral found in") for q in quotes)
    assert load_review(valid_review).check() == []


def _pdf(writer: pypdf.PdfWriter) -> bytes:
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _blank_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    return _pdf(writer)


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    return _pdf(writer)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", _blank_pdf(), r"scan\.pdf: the PDF has no text layer .* Run OCR"),
        ("locked.pdf", _encrypted_pdf(), r"locked\.pdf: the PDF is protected by a password"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage\n", r"broken\.pdf: the PDF cannot be read"),
        ("fake.pdf", b"just some text pretending\n", r"fake\.pdf: named \.pdf but it is not a PDF"),
        ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", r"nav\.html: no main text was found"),
        ("page.mhtml", b"MIME-Version: 1.0\r\n", r"page\.mhtml: web archives"),
    ],
)
def test_bad_documents_are_refused_with_a_message_and_nothing_written(
    valid_review: Path, tmp_path: Path, name: str, content: bytes, message: str
):
    path = tmp_path / name
    path.write_bytes(content)
    before = _bytes(valid_review)
    with pytest.raises(InputError, match=message) as err:
        extract(valid_review, path, today=TODAY)
    assert "nothing was written" in str(err.value)
    assert _bytes(valid_review) == before


def test_a_truncated_pdf_is_refused(valid_review: Path, tmp_path: Path, pdf_file: Path):
    half = tmp_path / "half.pdf"
    half.write_bytes(pdf_file.read_bytes()[: len(pdf_file.read_bytes()) // 2])
    before = _bytes(valid_review)
    with pytest.raises(InputError, match=r"half\.pdf: the PDF"):
        extract(valid_review, half, today=TODAY)
    assert _bytes(valid_review) == before


def test_a_bad_accessed_date_is_refused(valid_review: Path):
    with pytest.raises(InputError, match="--accessed '5 May' is not a date"):
        extract(valid_review, PAGE, accessed="5 May")


# -- the command -------------------------------------------------------------------------------
def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    extract_cmd.register(app)
    return app


def test_the_command_reads_pages_and_pdfs_and_fails_without_a_traceback(valid_review: Path, tmp_path: Path):
    runner = CliRunner()
    out = runner.invoke(_app(), ["extract", str(PAGE), "--review", str(valid_review), "--accessed", "2025-02-03"])
    assert out.exit_code == 0, out.output
    assert "kept the original as documents/valerian-news.html" in out.output
    assert "stored the extracted text as documents/valerian-news.txt" in out.output
    assert "from the saved web page's metadata: title 'Does valerian help you sleep?" in out.output
    assert _index_row(valid_review, "valerian-news")["accessed"] == "2025-02-03"

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_blank_pdf())
    bad = runner.invoke(_app(), ["extract", str(scan), "--review", str(valid_review)])
    assert bad.exit_code == 2 and "error:" in bad.output and "no text layer" in bad.output
    assert "Traceback" not in bad.output


def test_a_page_saved_inside_documents_is_registered_in_place(valid_review: Path):
    target = valid_review / "documents" / "ledger.html"
    shutil.copyfile(PAGE, target)
    result = extract(valid_review, target, today=TODAY)
    assert result.document_id == "ledger" and not result.original_copied and result.copied
    assert result.original_file == "ledger.html"
    assert original_of(_index_row(valid_review, "ledger")["note"]) == ("ledger.html", fingerprint(PAGE.read_bytes()))


def test_a_page_in_another_encoding_is_stored_as_utf8(valid_review: Path, tmp_path: Path):
    page = tmp_path / "latin.html"
    page.write_bytes(
        (
            '<html><head><meta charset="iso-8859-1"><title>Caf\xe9 tea</title></head><body><article>'
            "<h1>Caf\xe9 tea and sleep</h1><p>Chamomile tea may help some people relax before bed, says a trial in "
            "M\xfcnchen.</p><p>A second paragraph, so that the extractor takes this for an article.</p></article></body></html>"
        ).encode("latin-1")
    )
    extract(valid_review, page, today=TODAY)
    text = (valid_review / "documents" / "latin.txt").read_text(encoding="utf-8")
    assert "Chamomile tea may help some people relax before bed, says a trial in München." in text
    assert (valid_review / "documents" / "latin.html").read_bytes() == page.read_bytes()
    _assert_candidates_exact(valid_review, "latin", text)
