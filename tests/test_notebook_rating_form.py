"""The rating form's widgets, driven from Python (no browser): values in, one claim's rows out.

The browser test (test_jupyterlab.py) drives the same form in a real JupyterLab; this one checks
the thin widget layer quickly: the name opens only the reviewer's own sheet, Save refuses an
incomplete claim and writes a complete one, and what the reviewer saved comes back when the
form is opened again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_agree import write_sheet

from evidencebench import load_review, rating_form
from evidencebench.rating import form as logic
from evidencebench.review import vocab

pytest.importorskip("ipywidgets", reason="ipywidgets is not installed")

from evidencebench.notebook.rating_form import card_html


def fill(f, verdict: str = "supported") -> None:
    for domain, box in f.judgments.items():
        box.value = "not serious" if domain in vocab.DOWNGRADE_DOMAINS else "none"
    f.verdict.value = verdict
    f.general.value = "One direct trial."
    for box in f.links.children:
        fields = box._eb_fields
        fields["stance"].value = "supports"
        fields["exposure"].value = "product"
        fields["outcome_kind"].value = "effect"
        fields["outcome"].value = "time to fall asleep"
        fields["source_location"].value = "abstract: results"


def test_no_name_no_saving_and_the_text_form_is_stable(valid_review: Path):
    f = rating_form(load_review(valid_review))
    assert f.save_button.disabled and f.sheets is None
    assert "Enter your reviewer name" in f.status.value
    assert f._repr_mimebundle_()["text/plain"].startswith("RatingForm(no reviewer named yet; 2 claims, 0 on the sheet)")
    assert f.save() is None and not (valid_review / "ratings").exists()


def test_a_bad_name_is_said_and_nothing_opens(valid_review: Path):
    f = rating_form(load_review(valid_review), reviewer="Consensus!")
    assert f.sheets is None and f.save_button.disabled
    assert "reviewer name" in f.status.value


def test_fill_and_save_one_claim_then_reopen(valid_review: Path):
    write_sheet(valid_review, "alice", [{"claim": "c-01", "verdict": "supported", "reasons": "ALICE-ONLY"}])
    f = rating_form(load_review(valid_review))
    f.name.value = "carol"
    assert not f.save_button.disabled and "0 of 2" in f.status.value
    f.picker.value = "c-02"
    assert "alpha2020trial" in f.card.value and "ALICE-ONLY" not in f.card.value
    assert f.save() is None and "Not saved" in f.status.value
    assert not (valid_review / "ratings" / "carol.csv").exists()
    fill(f)
    assert "certainty <strong>high</strong>" in f.preview.value
    result = f.save()
    assert result is not None and result.appended and "Saved: c-02 added to ratings/carol.csv" in f.status.value
    lines = (valid_review / "ratings" / "carol.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].startswith("c-02,not serious,")
    assert dict(f.picker.options)["c-02 ✓"] == "c-02" and f.picker.value == "c-02"

    again = rating_form(load_review(valid_review), reviewer="carol")
    again.picker.value = "c-02"
    assert again.rating() == logic.ClaimRating(
        "c-02", f.rating().judgments, "supported", {**dict.fromkeys(logic.REASON_LABELS, ""), "": "One direct trial."},
        f.rating().links,
    )
    assert "ALICE-ONLY" not in repr(again.saved)


def test_card_html_escapes_the_document_and_links_only_web_pages(valid_review: Path):
    card = logic.claim_card(load_review(valid_review), "c-02")
    hostile = card.__class__(**{**card.__dict__, "claim": "<script>x()</script>",
                                "studies": (card.studies[0].__class__(**{**card.studies[0].__dict__, "url": "javascript:x()"}),)})  # fmt: skip
    html = card_html(hostile)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<mark" in card_html(card) and 'href="https://doi.org/10.1234/fixture.2020.001"' in card_html(card)
