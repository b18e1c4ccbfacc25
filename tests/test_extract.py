"""Extracting candidate claims from a new document, and accepting them into claims.csv."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import accept as accept_cmd
from evidencebench.cli import extract as extract_cmd
from evidencebench.intake import accept as accept_mod
from evidencebench.intake.accept import accept, id_prefix, next_ids
from evidencebench.intake.detect import detect
from evidencebench.intake.extract import CANDIDATES, extract, measure, propose, subject_terms
from evidencebench.intake.segment import segment
from evidencebench.review import schema
from evidencebench.review.atomic import ConcurrentChangeError
from evidencebench.review.csvfile import Record, read_csv, rewrite_records
from evidencebench.review.errors import InputError
from evidencebench.review.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "extract"
FIXTURES = ("magnesium-sleep", "ashwagandha-stress")
TODAY = date(2026, 1, 2)


def labels(document: str) -> list[dict[str, str]]:
    with (DATA / "labels.csv").open(newline="", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["document"] == document]


# -- segmentation -------------------------------------------------------------------------
@pytest.mark.parametrize("doc", FIXTURES)
def test_segments_are_exactly_the_labelled_sentences(doc):
    text = (DATA / f"{doc}.txt").read_text(encoding="utf-8")
    segs = [s for s in segment(text) if s.kind != "heading"]
    assert [s.text for s in segs] == [r["quote"] for r in labels(doc)]
    assert all(text[s.start : s.end] == s.text for s in segment(text))


def test_abbreviations_headings_and_list_items():
    text = (
        "Magnesium for Sleep\n"
        "Dr. Smith says approx. 300 mg works, e.g. at night. It is sold in the U.S. widely.\n"
        "Dosage tips\n"
        "- Take 200 mg\n"
        "- Avoid alcohol, which\n"
        "  worsens sleep.\n"
        "2) Start low.\n"
        "This paragraph is wrapped by the editor at a fixed width of\n"
        "sixty characters or so.\n"
    )
    segs = segment(text)
    got = [(s.kind, s.text) for s in segs]
    assert got == [
        ("heading", "Magnesium for Sleep"),
        ("sentence", "Dr. Smith says approx. 300 mg works, e.g. at night."),
        ("sentence", "It is sold in the U.S. widely."),
        ("heading", "Dosage tips"),
        ("item", "Take 200 mg"),
        ("item", "Avoid alcohol, which\n  worsens sleep."),
        ("item", "Start low."),
        ("sentence", "This paragraph is wrapped by the editor at a fixed width of\nsixty characters or so."),
    ]
    assert segs[4].heading == "Dosage tips"
    assert all(text[s.start : s.end] == s.text for s in segs)


def test_kratom_article_segments_at_the_curated_sentence_boundaries():
    text = (ROOT / "documents" / "kratom-for-sleep.txt").read_text(encoding="utf-8")
    segs = segment(text)
    assert sum(s.kind == "heading" for s in segs) == 6
    assert segs[0].text.startswith("Kratom, a natural herb") and segs[0].text.endswith("induce sleep.")


# -- the detector -----------------------------------------------------------------------
@pytest.mark.parametrize("doc", FIXTURES)
def test_detector_precision_and_recall_on_the_fixtures(doc):
    text = (DATA / f"{doc}.txt").read_text(encoding="utf-8")
    found = {c.quote: c for c in propose(text, doc, Settings())}
    rows = labels(doc)
    tp = sum(r["quote"] in found for r in rows if r["label"] == "yes")
    fp = sum(r["quote"] in found for r in rows if r["label"] == "no")
    fn = sum(r["quote"] not in found for r in rows if r["label"] == "yes")
    assert tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9
    typed = [found[r["quote"]].claim_type == r["claim_type"] for r in rows if r["quote"] in found and r["label"] == "yes"]
    assert sum(typed) / len(typed) >= 0.75


@pytest.mark.parametrize(
    "sentence",
    [
        "Struggling to sleep?",
        "Click here to shop our favourite magnesium and save 10% today.",
        "This article is for informational purposes only.",
        "We tested six brands in our office kitchen.",
    ],
)
def test_non_claims_are_not_proposed(sentence):
    assert not detect(sentence, ("magnesium",)).is_claim


def test_hedged_claims_are_kept_with_their_hedge():
    d = detect("Kratom’s potential analgesic properties may help alleviate these issues.", ("kratom",))
    assert d.is_claim and d.claim_type == "efficacy"
    assert d.hedges == ("may", "potential")
    assert "effect:" in d.reason
    assert detect("Some researchers believe low magnesium is linked to poor sleep.").hedges == ("believe",)
    assert detect("Herbs said to help the body cope with stress are popular.").hedges == ("said to",)


def test_claim_types():
    subject = ("magnesium",)
    assert detect("Start with 200 mg of magnesium about an hour before bed.", subject).claim_type == "dosage"
    assert detect("Magnesium oxide can cause diarrhea at high doses.", subject).claim_type == "safety"
    assert detect("Magnesium binds to GABA receptors in the brain.", subject).claim_type == "mechanism"
    assert detect("Many individuals struggle with falling asleep.", subject).claim_type == "background"


def test_subject_is_the_product_not_the_outcome():
    text = (ROOT / "documents" / "kratom-for-sleep.txt").read_text(encoding="utf-8")
    assert subject_terms(text, Settings().lexicon) == ("kratom",)


def test_kratom_precision_and_recall_against_the_curated_claims():
    scores = measure(ROOT, "kratom-for-sleep")
    assert scores.claims >= 30
    assert scores.precision >= 0.9 and scores.recall >= 0.9, scores


# -- extract: files ---------------------------------------------------------------------------
def _bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_extract_registers_copies_and_writes_candidates(valid_review: Path):
    index_before = (valid_review / "documents" / "index.csv").read_bytes()
    claims_before = (valid_review / "claims.csv").read_bytes()
    result = extract(valid_review, DATA / "magnesium-sleep.txt", title="Magnesium for sleep", url="https://example.org/mg", today=TODAY)
    assert result.copied and result.registered and result.candidates_written
    assert (valid_review / "documents" / "magnesium-sleep.txt").read_bytes() == (DATA / "magnesium-sleep.txt").read_bytes()
    index_after = (valid_review / "documents" / "index.csv").read_bytes()
    assert index_after.startswith(index_before)  # the existing row keeps every byte
    row = read_csv(valid_review / "documents" / "index.csv", "i", schema.DOCUMENTS).records[-1].values
    assert row["id"] == "magnesium-sleep" and row["accessed"] == "2026-01-02" and row["url"] == "https://example.org/mg"
    assert (valid_review / "claims.csv").read_bytes() == claims_before  # never touches claims
    cands = read_csv(result.candidates_path, "c", CANDIDATES)
    assert cands.header == CANDIDATES.columns and not cands.problems
    assert len(cands.records) == len(result.candidates) >= 10
    text = (valid_review / "documents" / "magnesium-sleep.txt").read_text(encoding="utf-8")
    for rec in cands.records:
        v = rec.values
        assert text[int(v["start"]) : int(v["end"])] == v["quote"]
        assert text[: int(v["start"])].endswith(v["prefix"]) and text[int(v["end"]) :].startswith(v["suffix"])
        assert v["accept"] == "" and v["detector_reason"]
    hedged = [r.values for r in cands.records if r.values["hedge"]]
    assert any(h["hedge"] == "may" for h in hedged)
    review = load_review(valid_review)
    assert not [p for p in review.check() if "magnesium" in p.file or p.code.startswith("document")]


def test_extract_twice_changes_nothing(valid_review: Path):
    extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    before = _bytes(valid_review)
    again = extract(valid_review, DATA / "magnesium-sleep.txt", today=date(2027, 5, 5))
    assert not (again.copied or again.registered or again.candidates_written or again.candidates_kept)
    assert _bytes(valid_review) == before


def test_extract_keeps_an_edited_candidates_file(valid_review: Path):
    result = extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    edited = result.candidates_path.read_text(encoding="utf-8").replace("\n,magnesium", "\nyes,magnesium", 1)
    result.candidates_path.write_text(edited, encoding="utf-8")
    again = extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    assert again.candidates_kept and result.candidates_path.read_text(encoding="utf-8") == edited


def test_changed_text_under_the_same_id_is_refused(valid_review: Path, tmp_path: Path):
    extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    before = _bytes(valid_review)
    changed = tmp_path / "magnesium-sleep.txt"
    changed.write_text((DATA / "magnesium-sleep.txt").read_text(encoding="utf-8") + "New sentence.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"already registered .* with different text"):
        extract(valid_review, changed, today=TODAY)
    assert _bytes(valid_review) == before


def test_same_text_under_another_id_is_refused(valid_review: Path):
    extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    with pytest.raises(InputError, match="already registered as 'magnesium-sleep'"):
        extract(valid_review, DATA / "magnesium-sleep.txt", doc_id="mg", today=TODAY)


def test_a_document_already_in_documents_is_registered_in_place(valid_review: Path):
    target = valid_review / "documents" / "ashwagandha.txt"
    target.write_bytes((DATA / "ashwagandha-stress.txt").read_bytes())
    result = extract(valid_review, target, today=TODAY)
    assert result.document_id == "ashwagandha" and not result.copied and result.registered
    assert not (valid_review / "documents" / "ashwagandha.txt.txt").exists()


def test_extract_on_a_review_without_an_index_creates_it(tmp_path: Path):
    result = extract(tmp_path, DATA / "magnesium-sleep.txt", today=TODAY)
    index = read_csv(tmp_path / "documents" / "index.csv", "i", schema.DOCUMENTS)
    assert result.registered and not index.problems and index.records[0].values["id"] == "magnesium-sleep"


def test_overlaps_name_existing_claims(valid_review: Path):
    text = (valid_review / "documents" / "tea.txt").read_text(encoding="utf-8")
    cands = propose(text, "tea", Settings(), [("c-01", 42, 111)])
    assert [c.overlaps for c in cands if c.start == 42] == ["c-01"]


# -- accept --------------------------------------------------------------------------------------
def _mark(path: Path, decide) -> None:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    for i, row in enumerate(rows):
        decide(i, row)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CANDIDATES.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _accept_first_two(i: int, row: dict[str, str]) -> None:
    if i < 2:
        row.update(accept="yes", topic="sedation", claim=f"Testable restatement {i}.")
    elif i == 2:
        row["accept"] = "no"


def test_accept_appends_new_ids_with_neutral_judgments(valid_review: Path):
    result = extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    _mark(result.candidates_path, _accept_first_two)
    before = (valid_review / "claims.csv").read_bytes()
    done = accept(valid_review, result.candidates_path)
    assert [i for i, _ in done.added] == ["ms-01", "ms-02"]
    assert done.rejected == 1 and done.undecided == len(result.candidates) - 3
    after = (valid_review / "claims.csv").read_bytes()
    assert after.startswith(before)  # every existing row keeps its bytes
    claims = read_csv(valid_review / "claims.csv", "claims.csv", schema.CLAIMS)
    new = claims.records[-1].values
    assert new["verdict"] == "insufficient evidence" and new["rationale"] == "Not yet reviewed."
    assert new["risk_of_bias"] == "not serious" and new["large_effect"] == "none" and new["certainty"] == ""
    # what the claim is about and whom it speaks of are the reviewer's to fill: check asks for them
    left = {(p.line, p.code, p.message) for p in load_review(valid_review).check()}
    lines = [r.line for r in claims.records[-2:]]
    assert left == {(line, "value-required", f"{f} is empty") for line in lines for f in ("exposure", "population")}


def test_accept_twice_adds_nothing(valid_review: Path):
    result = extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    _mark(result.candidates_path, _accept_first_two)
    accept(valid_review, result.candidates_path)
    before = (valid_review / "claims.csv").read_bytes()
    again = accept(valid_review, result.candidates_path)
    assert not again.added and [cid for _, cid in again.already] == ["ms-01", "ms-02"]
    assert (valid_review / "claims.csv").read_bytes() == before


def test_accept_dry_run_writes_nothing(valid_review: Path):
    result = extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    _mark(result.candidates_path, _accept_first_two)
    before = (valid_review / "claims.csv").read_bytes()
    assert len(accept(valid_review, result.candidates_path, dry_run=True).added) == 2
    assert (valid_review / "claims.csv").read_bytes() == before


def test_a_trimmed_quote_is_re_anchored(valid_review: Path):
    result = extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)

    def trim(i: int, row: dict[str, str]) -> None:
        if row["quote"].startswith("Magnesium binds"):
            row.update(accept="yes", topic="sedation", claim="Magnesium binds GABA receptors.",
                       quote="binds to GABA receptors in the brain")  # fmt: skip

    _mark(result.candidates_path, trim)
    accept(valid_review, result.candidates_path)
    new = read_csv(valid_review / "claims.csv", "claims.csv", schema.CLAIMS).records[-1].values
    text = (valid_review / "documents" / "magnesium-sleep.txt").read_text(encoding="utf-8")
    assert text[int(new["start"]) : int(new["end"])] == "binds to GABA receptors in the brain"
    assert new["prefix"].endswith("Magnesium ")


def test_accept_warns_about_values_check_will_flag(valid_review: Path):
    result = extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    _mark(result.candidates_path, lambda i, row: row.update(accept="yes", topic="pain") if i == 0 else None)
    done = accept(valid_review, result.candidates_path)
    assert any("claim is empty" in w for w in done.warnings)
    assert any("topic 'pain'" in w for w in done.warnings)


def test_accept_refuses_when_claims_changed_underneath(valid_review: Path, monkeypatch):
    result = extract(valid_review, DATA / "magnesium-sleep.txt", today=TODAY)
    _mark(result.candidates_path, _accept_first_two)
    claims = valid_review / "claims.csv"

    def concurrent_edit_then_write(csvfile, changes, append=()):
        claims.write_bytes(claims.read_bytes().replace(b"Fixture rationale.", b"Edited meanwhile.", 1))
        return rewrite_records(csvfile, changes, append)

    monkeypatch.setattr(accept_mod, "rewrite_records", concurrent_edit_then_write)
    with pytest.raises(ConcurrentChangeError):
        accept(valid_review, result.candidates_path)
    assert b"Edited meanwhile." in claims.read_bytes() and b"ms-01" not in claims.read_bytes()


def _rec(ident: str, doc: str) -> Record:
    return Record(1, {"id": ident, "document": doc}, (0, 0))


def test_ids_continue_after_the_highest_and_never_refill_gaps():
    assert next_ids("ks", ["ks-01", "ks-07", "ks-03", "other-99"], 2) == ["ks-08", "ks-09"]
    assert next_ids("ks", ["ks-001"], 1) == ["ks-002"]
    assert next_ids("new", [], 1) == ["new-01"]


def test_id_prefix():
    claims = [_rec("ks-01", "kratom-for-sleep"), _rec("ks-02", "kratom-for-sleep")]
    assert id_prefix("kratom-for-sleep", claims) == "ks"
    assert id_prefix("magnesium-sleep", claims) == "ms"
    assert id_prefix("kratom-safety", claims) == "kratom-safety"  # "ks" belongs to another document


# -- the commands ---------------------------------------------------------------------------
def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    extract_cmd.register(app)
    accept_cmd.register(app)
    return app


def test_commands(valid_review: Path):
    runner = CliRunner()
    app = _app()
    out = runner.invoke(app, ["extract", str(DATA / "magnesium-sleep.txt"), "--review", str(valid_review)])
    assert out.exit_code == 0, out.output
    assert "registered magnesium-sleep" in out.output and "wrote candidates/magnesium-sleep.csv" in out.output
    _mark(valid_review / "candidates" / "magnesium-sleep.csv", _accept_first_two)
    out = runner.invoke(app, ["accept", str(valid_review / "candidates" / "magnesium-sleep.csv"), "--review", str(valid_review)])
    assert out.exit_code == 0, out.output
    assert "added ms-01" in out.output and "2 added" in out.output
    bad = runner.invoke(app, ["extract", str(valid_review / "nope.txt"), "--review", str(valid_review)])
    assert bad.exit_code == 2 and "error:" in bad.output and "Traceback" not in bad.output


def test_extract_refuses_binary_or_non_utf8_documents(tmp_path):
    import shutil

    from evidencebench.intake.extract import extract
    from evidencebench.review.errors import InputError

    review = tmp_path / "review"
    shutil.copytree(Path(__file__).resolve().parent / "data" / "valid", review)
    before = (review / "documents" / "index.csv").read_bytes()
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 tea may help sleep.".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        extract(review, latin)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"abc\x00def")
    with pytest.raises(InputError, match="NUL"):
        extract(review, binary)
    assert (review / "documents" / "index.csv").read_bytes() == before
    assert not (review / "documents" / "latin.txt").exists()
