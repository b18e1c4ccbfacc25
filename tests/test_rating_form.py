"""Rating a claim in a notebook, without widgets: what the reviewer sees, what is saved, and how.

The form's logic (`evidencebench.rating.form`) is blinded (only the reviewer's own sheets are
opened, no judgment or link reading of the review is shown), refuses an incomplete rating, and
writes through the same safe writes as the command line, so `evidence agree` reads the result.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from test_agree import write_sheet
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import app
from evidencebench.rating import form
from evidencebench.rating.sheets import LINK_RATINGS, RATINGS, blank_sheet, labelled_reasons, read_ratings
from evidencebench.review import vocab
from evidencebench.review.atomic import ConcurrentChangeError
from evidencebench.review.csvfile import format_record
from evidencebench.review.errors import InputError

NEUTRAL = {**{d: "not serious" for d in vocab.DOWNGRADE_DOMAINS}, **{u: "none" for u in vocab.UPGRADE_DOMAINS}}
TRIAL = form.LinkReading("alpha2020trial", "supports", "product", "effect", "time to fall asleep", "abstract: results",
                         "Fell asleep sooner than with placebo.")  # fmt: skip


def c02(verdict: str = "supported", **judgments: str) -> form.ClaimRating:
    """A complete rating of the fixture's claim c-02 (one trial linked)."""
    return form.ClaimRating(
        "c-02",
        {**NEUTRAL, "imprecision": "serious", **judgments},
        verdict,
        {"": "One small trial, direct.", "imprecision": "80 people in one trial"},
        [dataclasses.replace(TRIAL)],
    )


def header(table) -> str:
    return format_record(table.columns)


# -- what the reviewer sees ------------------------------------------------------------------------
def test_card_shows_the_quote_in_its_text_and_the_studies_as_bibliographic_facts(valid_review: Path):
    review = load_review(valid_review)
    card = form.claim_card(review, "c-02")
    assert (card.position, card.total, card.topic, card.claim_type) == (2, 2, "dosage", "efficacy")
    assert card.quote == 'Drinking two cups each evening "can help you fall asleep faster"'
    assert card.before + card.in_text + card.after == review.documents["tea"].text  # a short text: all of it
    assert card.in_text == "Drinking two cups each evening “can help you fall asleep faster”"  # the document's characters
    assert card.before.endswith("benzodiazepine receptors. ")
    [study] = card.studies
    assert (study.reference, study.design, study.population, study.n) == ("alpha2020trial", "rct", "humans", "80")
    assert study.title == "A randomised trial of chamomile extract for sleep"
    assert study.url == "https://example.org/fixture/alpha2020" and study.doi == "10.1234/fixture.2020.001"


def test_card_holds_no_judgment_verdict_stance_or_finding(valid_review: Path):
    review = load_review(valid_review)
    shown = repr([dataclasses.asdict(form.claim_card(review, c)) for c in ("c-01", "c-02")])
    hidden = ["Fixture rationale", "One trial of 80 people", "moderate", "serious", "supported", "supports",
              "Sleep onset was shorter", "displaced a benzodiazepine ligand", "time to fall asleep", "abstract: results"]  # fmt: skip
    assert [h for h in hidden if h in shown] == []


def test_unknown_claim_is_a_key_error(valid_review: Path):
    with pytest.raises(KeyError, match="c-99"):
        form.claim_card(load_review(valid_review), "c-99")


def test_only_the_reviewers_own_sheets_are_opened(valid_review: Path, monkeypatch: pytest.MonkeyPatch):
    write_sheet(valid_review, "alice", [{"claim": "c-01", "verdict": "supported", "reasons": "ALICE-SECRET"}])
    opened: list[str] = []
    real = form.read_csv

    def spy(path, rel, table):
        opened.append(Path(path).name)
        return real(path, rel, table)

    monkeypatch.setattr(form, "read_csv", spy)
    sheets = form.ReviewerSheets(load_review(valid_review), "carol")
    assert sheets.ratings() == {}
    sheets.save(c02())
    assert sheets.ratings()["c-02"].verdict == "supported"
    assert set(opened) == {"carol.csv", "carol.links.csv"}
    assert "ALICE-SECRET" not in repr(sheets.ratings())


# -- saving ----------------------------------------------------------------------------------------
def test_one_claim_saved_is_one_row_that_agree_reads(valid_review: Path):
    write_sheet(valid_review, "alice", [{"claim": "c-01", "verdict": "supported"},
                                        {"claim": "c-02", "verdict": "supported", "imprecision": "serious"}])  # fmt: skip
    result = form.ReviewerSheets(load_review(valid_review), "carol").save(c02())
    assert (result.sheet, result.links_sheet, result.appended, result.links_appended) == (
        "ratings/carol.csv", "ratings/carol.links.csv", True, 1)  # fmt: skip
    rows = (valid_review / "ratings" / "carol.csv").read_text(encoding="utf-8").splitlines()
    judged = [c02().judgments[d] for d in vocab.JUDGMENT_FIELDS]
    reasons = "One small trial, direct.; imprecision: 80 people in one trial"
    assert rows == [header(RATINGS), format_record(["c-02", *judged, "supported", reasons, ""])]
    links = (valid_review / "ratings" / "carol.links.csv").read_text(encoding="utf-8").splitlines()
    assert links == [
        header(LINK_RATINGS),
        "c-02,alpha2020trial,supports,product,effect,time to fall asleep,abstract: results,Fell asleep sooner than with placebo.,,",
    ]
    sheets, _ = read_ratings(load_review(valid_review))
    assert list(sheets["carol"].ratings) == ["c-02"] and list(sheets["carol"].links) == [("c-02", "alpha2020trial")]
    out = CliRunner().invoke(app, ["agree", "--review", str(valid_review), "-r", "alice", "-r", "carol"])
    assert out.exit_code == 0, out.output
    assert "Agreement of alice and carol on 1 claim(s) both rated" in out.output
    assert "rated only by alice: c-01" in out.output


def test_saving_again_replaces_the_row_and_keeps_every_other_byte(valid_review: Path):
    folder = valid_review / "ratings"
    folder.mkdir()
    kept = 'c-01,not serious,not serious,not serious,not serious,not serious,none,none,none,supported,"quoted, with comma",\r\n'
    (folder / "dana.csv").write_bytes((header(RATINGS) + "\r\n" + kept).encode())
    sheets = form.ReviewerSheets(load_review(valid_review), "dana")
    assert sheets.save(c02()).appended
    assert sheets.save(c02("partly supported")).appended is False
    data = (folder / "dana.csv").read_bytes().decode()
    assert data.startswith(header(RATINGS) + "\r\n" + kept)
    assert data.count("c-02,") == 1 and ",partly supported," in data and data.endswith("\r\n")
    assert sheets.ratings()["c-02"].verdict == "partly supported"
    assert sheets.ratings()["c-01"].reasons == {"": "quoted, with comma"}


def test_a_blank_sheet_is_filled_in_place(valid_review: Path):
    review = load_review(valid_review)
    blank_sheet(review, "erin")
    before = (valid_review / "ratings" / "erin.csv").read_text(encoding="utf-8").splitlines()
    sheets = form.ReviewerSheets(review, "erin")
    assert sheets.ratings() == {}
    sheets.save(c02())
    after = (valid_review / "ratings" / "erin.csv").read_text(encoding="utf-8").splitlines()
    assert after[:2] == before[:2] and len(after) == len(before) and after[2].startswith("c-02,not serious,")
    assert list(sheets.ratings()) == ["c-02"] and sheets.blank() == ["c-01"]
    links = (valid_review / "ratings" / "erin.links.csv").read_text(encoding="utf-8").splitlines()
    assert links[1] == "c-01,gamma2019binding,,,,,,,," and links[2].startswith("c-02,alpha2020trial,supports,")


def test_a_sheet_changed_on_disk_meanwhile_is_not_overwritten(valid_review: Path, monkeypatch: pytest.MonkeyPatch):
    real = form.read_csv

    def someone_edits_after_reading(path, rel, table):
        sheet = real(path, rel, table)
        if Path(path).name == "fay.csv":
            with open(path, "a", encoding="utf-8") as fh:
                fh.write("c-01,their edit\n")
        return sheet

    monkeypatch.setattr(form, "read_csv", someone_edits_after_reading)
    with pytest.raises(ConcurrentChangeError):
        form.ReviewerSheets(load_review(valid_review), "fay").save(c02())
    assert (valid_review / "ratings" / "fay.csv").read_text(encoding="utf-8").endswith("c-01,their edit\n")


# -- what a complete rating is ---------------------------------------------------------------------
def test_an_incomplete_rating_is_refused_with_every_reason_and_nothing_written(valid_review: Path):
    review = load_review(valid_review)
    bad = form.ClaimRating(
        "c-02",
        {**NEUTRAL, "risk_of_bias": "serious", "large_effect": "large", "dose_response": ""},
        "probably",
        {},
        [form.LinkReading("alpha2020trial", "supports", "tea", "effect"), form.LinkReading("gamma2019binding", "indirect")],
    )
    errors = form.validate(review, bad)
    assert "dose_response: choose one of: none, present" in errors
    assert any(e.startswith("verdict: choose one of:") for e in errors)
    assert "reasons: say why you reach this verdict" in errors
    assert "risk_of_bias: say why it is serious" in errors
    assert "upgrade: say why you raise certainty (large_effect)" in errors
    assert "gamma2019binding: not a link of c-02 in evidence.csv" in errors
    assert any(e.startswith("alpha2020trial: exposure: choose one of: product") for e in errors)
    assert "alpha2020trial: outcome: needed when the study supports the claim" in errors
    assert "alpha2020trial: source_location: needed when the study supports the claim" in errors
    with pytest.raises(InputError):
        form.ReviewerSheets(review, "gus").save(bad)
    assert not (valid_review / "ratings").exists()
    missing = dataclasses.replace(c02(), links=[])
    assert form.validate(review, missing) == ["alpha2020trial: read this link too (stance, exposure, outcome kind)"]
    assert form.validate(review, c02()) == []
    assert form.validate(review, form.ClaimRating("c-99")) == ["claim 'c-99' is not in claims.csv"]


@pytest.mark.parametrize("name", ["consensus", "Bob", "../x", "x.links", "", " "])
def test_reviewer_names_that_cannot_be_a_sheet_are_refused(valid_review: Path, name: str):
    with pytest.raises(InputError, match="reviewer name"):
        form.ReviewerSheets(load_review(valid_review), name)


def test_reasons_round_trip_and_reach_consensus_by_domain():
    reasons = {"": "General point.", "imprecision": "few people", "upgrade": "large effect seen", "risk_of_bias": ""}
    cell = form.compose_reasons(reasons)
    assert cell == "General point.; imprecision: few people; upgrade: large effect seen"
    assert form.split_reasons(cell) == {"": "General point.", "imprecision": "few people", "upgrade": "large effect seen"}
    assert labelled_reasons(cell) == {"imprecision": "few people", "upgrade": "large effect seen"}
    assert form.split_reasons("verdict: old style") == {"": "verdict: old style"}
    assert form.split_reasons("large_effect: big") == {"upgrade": "big"}


def test_the_reviewer_sees_what_their_own_judgments_and_stances_give(valid_review: Path):
    review = load_review(valid_review)
    mine = c02()
    assert (form.derived_rating(review, mine).certainty, form.derived_rating(review, mine).verdict) == ("moderate", "supported")
    against = dataclasses.replace(mine, links=[dataclasses.replace(TRIAL, stance="contradicts")])
    assert form.derived_rating(review, against).verdict == "contradicted"
    assert form.warnings_for(review, against) == [
        "your judgments and stances give 'contradicted' (certainty moderate); 'supported' would be flagged once it is "
        "written into claims.csv"
    ]
    assert form.warnings_for(review, mine) == []
