"""Screening: search exports go to the screening library, reviewers decide blinded, included records are promoted.

The acceptance of issue 15: importing a real search export leaves `check` clean apart from format
problems of the records themselves; decisions are recorded per reviewer, stage and record, with a
reason from the review's vocabulary; two reviewers' agreement is Cohen's kappa as for ratings; an
included record becomes a reference only by promotion, and then needs its verification fields.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli.app import app
from evidencebench.intake.searchimport import import_search
from evidencebench.review.errors import InputError
from evidencebench.review.screening import read_screening, searches_of
from evidencebench.rules.screening import outcomes
from evidencebench.screening.agreement import compare
from evidencebench.screening.promote import promote
from evidencebench.screening.sheets import ReviewerSheet, ScreeningDecision, queue, record_card, validate

DATA = Path(__file__).resolve().parent / "data"
IMPORTS = DATA / "import"
FORMAT_CODES = {"bib-parse", "bib-duplicate-key", "bib-key-case", "bib-missing-key", "bib-undefined-string"}
REAL_EXPORTS = [
    "embase.ris",
    "scopus.ris",
    "ovid-medline.ris",
    "sciencedirect-header.ris",
    "pubmed-export.nbib",
    "pubmed-broken-record.nbib",
    "library-pubmed.nbib",
    "zotero-export.ris",
    "jabref-library.bib",
    "colleague.bib",
]


@pytest.fixture
def review(tmp_path: Path) -> Path:
    target = tmp_path / "review"
    shutil.copytree(DATA / "valid", target)
    return target


def codes(root: Path) -> list[tuple[str, str]]:
    return [(p.file, p.code) for p in load_review(root).check()]


def decide(root: Path, reviewer: str, *decisions: tuple[str, str, str, str], by: str = "") -> None:
    sheet = ReviewerSheet(load_review(root), reviewer, decided_by=by)
    sheet.save([ScreeningDecision(*d) for d in decisions])


# -- importing a search ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", REAL_EXPORTS)
def test_a_real_export_leaves_check_clean_apart_from_its_own_format(review: Path, name: str):
    result = import_search(review, IMPORTS / name, search="s1", source="Test database", query="kratom")
    assert result.summary.added, "the export should add records"
    problems = codes(review)
    assert all(code in FORMAT_CODES and file.startswith("screening/") for file, code in problems), problems
    assert not any(code.startswith("reference-") for _, code in problems)


def test_screening_spares_the_problems_refs_would_raise(review: Path):
    """The same export into refs/ (the old behaviour, now --to-refs) buries check in reference problems."""
    from evidencebench.intake.importing import import_references

    import_search(review, IMPORTS / "embase.ris")
    assert codes(review) == []
    other = review.parent / "other"
    shutil.copytree(DATA / "valid", other)
    import_references(other, IMPORTS / "embase.ris")
    assert len([c for _, c in codes(other) if c.startswith("reference-")]) >= 6


def test_import_records_the_search_and_the_records_it_found(review: Path):
    result = import_search(review, IMPORTS / "embase.ris", query="kratom AND sleep", searched="2026-01-15")
    assert result.created and result.search == "embase" and result.records == 2
    rows = load_review(review).files["searches"].records
    assert [(r.values["id"], r.values["source"], r.values["query"], r.values["date"], r.values["records"]) for r in rows] == [
        ("embase", "Embase", "kratom AND sleep", "2026-01-15", "2")
    ]
    data = read_screening(review)
    assert set(data.records) == {key for key, _ in result.summary.added}
    assert all(searches_of(r) == ("embase",) for r in data.records.values())
    assert not (review / "refs" / "imported.bib").exists()


def test_import_again_adds_nothing_and_keeps_the_search(review: Path):
    import_search(review, IMPORTS / "library-pubmed.nbib", search="pubmed-1")
    before = {p.name: p.read_bytes() for p in (review / "screening").iterdir()}
    csv_before = (review / "searches.csv").read_bytes()
    again = import_search(review, IMPORTS / "library-pubmed.nbib", search="pubmed-1")
    assert not again.summary.added and not again.also_found and not again.created
    assert {p.name: p.read_bytes() for p in (review / "screening").iterdir()} == before
    assert (review / "searches.csv").read_bytes() == csv_before


def test_a_record_found_by_a_second_search_names_both(review: Path):
    import_search(review, IMPORTS / "library-pubmed.nbib", search="pubmed-1")
    second = import_search(review, IMPORTS / "library-pubmed.ris", search="pubmed-2", source="PubMed")
    assert not second.summary.added and len(second.also_found) == 3
    assert {searches_of(r) for r in read_screening(review).records.values()} == {("pubmed-1", "pubmed-2")}
    assert codes(review) == []


def test_a_new_search_needs_a_source_when_the_export_names_none(review: Path):
    with pytest.raises(InputError, match="--source"):
        import_search(review, IMPORTS / "library-pubmed.ris", search="x")
    assert not (review / "screening").exists() and not (review / "searches.csv").exists()


def test_refs_import_command_screens_by_default_and_says_so_in_help(review: Path):
    runner = CliRunner()
    out = runner.invoke(app, ["refs", "import", str(IMPORTS / "scopus.ris"), "--review", str(review), "--search", "scopus-1"])
    assert out.exit_code == 0, out.output
    assert "added to screening/scopus-1.bib" in out.output and "evidence screen" in out.output
    assert "new row added to searches.csv" in out.output
    help_text = runner.invoke(app, ["refs", "import", "--help"]).output
    assert "--to-refs" in help_text and "screening" in help_text
    old = runner.invoke(app, ["refs", "import", str(IMPORTS / "embase.ris"), "--review", str(review), "--to-refs"])
    assert old.exit_code == 0 and "added to refs/imported.bib" in old.output


# -- deciding --------------------------------------------------------------------------------------------
@pytest.fixture
def library(review: Path) -> Path:
    """A review whose screening library holds the 3 records of one PubMed search and 2 of an Embase one."""
    import_search(review, IMPORTS / "library-pubmed.nbib", search="pubmed-1", query="kratom")
    import_search(review, IMPORTS / "embase.ris", search="embase-1", query="kratom")
    return review


def keys(root: Path) -> list[str]:
    return list(read_screening(root).records)


def test_a_decision_needs_a_reason_from_the_vocabulary(library: Path):
    r = load_review(library)
    key = keys(library)[0]
    assert validate(r, ScreeningDecision(key, "title-abstract", "exclude", "")) != []
    assert validate(r, ScreeningDecision(key, "title-abstract", "exclude", "because")) != []
    assert validate(r, ScreeningDecision(key, "title-abstract", "include", "wrong population")) != []
    assert validate(r, ScreeningDecision(key, "title-abstract", "exclude", "wrong population")) == []
    assert validate(r, ScreeningDecision("nope", "title-abstract", "include")) != []
    with pytest.raises(InputError):
        ReviewerSheet(r, "ana").save(ScreeningDecision(key, "title-abstract", "exclude", "because"))
    assert not (library / "screening" / "ana.csv").exists()


def test_full_text_only_after_inclusion_at_title_abstract(library: Path):
    key = keys(library)[0]
    r = load_review(library)
    assert validate(r, ScreeningDecision(key, "full-text", "include"))  # not screened yet
    decide(library, "ana", (key, "title-abstract", "include", ""))
    assert validate(load_review(library), ScreeningDecision(key, "full-text", "include")) == []


def test_the_review_defines_the_exclusion_reasons(library: Path):
    pyproject = library / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'exclusion_reasons = ["off-topic", "not retrieved"]\n')
    r = load_review(library)
    assert r.settings.exclusion_reasons == ("off-topic", "not retrieved")
    key = keys(library)[0]
    assert validate(r, ScreeningDecision(key, "title-abstract", "exclude", "wrong population")) != []
    assert validate(r, ScreeningDecision(key, "title-abstract", "exclude", "off-topic")) == []


def test_bad_exclusion_reasons_setting_is_reported(review: Path):
    pyproject = review / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "exclusion_reasons = []\n")
    assert ("pyproject.toml", "settings-invalid") in codes(review)


def test_a_sheet_keeps_every_byte_it_did_not_change(library: Path):
    k1, k2 = keys(library)[:2]
    decide(library, "ana", (k1, "title-abstract", "include", ""), (k2, "title-abstract", "exclude", "wrong outcome"))
    sheet = library / "screening" / "ana.csv"
    first_line = sheet.read_text().splitlines()[1]
    decide(library, "ana", (k2, "title-abstract", "include", ""))  # changed her mind: the row is replaced
    lines = sheet.read_text().splitlines()
    assert lines[1] == first_line and len(lines) == 3 and lines[2].startswith(f"{k2},title-abstract,include")


def test_reviewers_are_blinded_from_each_other(library: Path):
    k = keys(library)
    decide(library, "ana", (k[0], "title-abstract", "exclude", "wrong population"))
    r = load_review(library)
    bo = ReviewerSheet(r, "bo")
    assert bo.decisions() == {}
    assert queue(r, bo.decisions(), "title-abstract") == k  # ana's exclusion hides nothing from bo
    card = record_card(r, k[0])
    assert not any(value in ("exclude", "wrong population") for value in vars(card).values())
    with pytest.raises(InputError):
        ReviewerSheet(r, "consensus")  # the consensus sheet is not a reviewer's, and says who settled


def test_outcome_rule_agreement_conflict_and_consensus(library: Path):
    k = keys(library)[0]
    decide(library, "ana", (k, "title-abstract", "include", ""))
    assert outcomes(load_review(library))[k].title_abstract.decision == "include"  # one reviewer's decision stands
    decide(library, "bo", (k, "title-abstract", "exclude", "wrong population"))
    fate = outcomes(load_review(library))[k]
    assert fate.title_abstract.decision is None and fate.title_abstract.conflict and fate.status == "awaiting screening"
    decide(library, "consensus", (k, "title-abstract", "include", ""), by="ana and bo")
    assert outcomes(load_review(library))[k].title_abstract.decision == "include"
    decide(library, "ana", (k, "full-text", "exclude", "wrong outcome"))
    decide(library, "bo", (k, "full-text", "exclude", "wrong population"))
    fate = outcomes(load_review(library))[k]
    assert fate.full_text.conflict, "at full text the reasons are counted, so they must agree"


def test_screening_agreement_is_cohens_kappa_like_rating_agreement(library: Path):
    k = keys(library)
    ana = ["include", "include", "exclude", "exclude", "include"]
    bo = ["include", "exclude", "exclude", "include", "include"]
    decide(library, "ana", *((key, "title-abstract", d, "" if d == "include" else "wrong outcome") for key, d in zip(k, ana, strict=True)))
    decide(library, "bo", *((key, "title-abstract", d, "" if d == "include" else "wrong population") for key, d in zip(k, bo, strict=True)))
    report = compare(load_review(library), "ana", "bo")
    ta = report.scales[0]
    assert (ta.scale, ta.n, ta.agreed) == ("title-abstract decision", 5, 3)
    assert ta.kappa == pytest.approx(cohen_kappa_score(ana, bo))
    assert [(c.record, c.stage) for c in report.conflicts] == [(k[1], "title-abstract"), (k[3], "title-abstract")]
    assert report.scales[1].n == 0 and report.scales[1].kappa is None
    decide(library, "consensus", (k[1], "title-abstract", "include", ""), by="carla")
    assert [c.record for c in compare(load_review(library), "ana", "bo").unsettled] == [k[3]]


def test_screen_agree_command(library: Path):
    k = keys(library)
    decide(library, "ana", (k[0], "title-abstract", "include", ""), (k[1], "title-abstract", "include", ""))
    decide(library, "bo", (k[0], "title-abstract", "include", ""), (k[1], "title-abstract", "exclude", "duplicate"))
    out = CliRunner().invoke(app, ["screen", "agree", "--review", str(library)])
    assert out.exit_code == 0, out.output
    assert "title-abstract decision" in out.output and "Conflicts: 1" in out.output and k[1] in out.output


# -- check --------------------------------------------------------------------------------------------------
def test_check_reports_bad_sheet_rows(library: Path):
    k = keys(library)
    (library / "screening" / "ana.csv").write_text(
        "record,stage,decision,reason,note,decided_by\n"
        f"{k[0]},title-abstract,exclude,,,\n"
        f"{k[1]},title-abstract,exclude,because,,\n"
        f"nope,title-abstract,include,,,\n"
        f"{k[2]},title-abstract,maybe,,,\n"
        f"{k[3]},title-abstract,exclude,wrong outcome,,\n"
        f"{k[3]},title-abstract,include,,,\n"
        f"{k[3]},full-text,include,,,\n",
        encoding="utf-8",
    )
    found = {(line, code) for file, line, code in ((p.file, p.line, p.code) for p in load_review(library).check()) if file == "screening/ana.csv"}
    assert found == {
        (2, "screening-reason"),
        (3, "value-vocabulary"),
        (4, "screening-unknown-record"),
        (5, "value-vocabulary"),
        (7, "screening-duplicate-decision"),
        (8, "screening-stage-order"),
    }


def test_check_reports_a_record_without_a_known_search(library: Path):
    bib = library / "screening" / "embase-1.bib"
    bib.write_text(bib.read_text().replace("search = {embase-1}", "search = {embase-9}", 1))
    assert ("screening/embase-1.bib", "screening-unknown-search") in codes(library)


def test_check_reports_a_search_that_found_fewer_records_than_name_it(library: Path):
    csv = library / "searches.csv"
    csv.write_text(csv.read_text().replace(",3,,", ",2,,", 1))
    assert ("searches.csv", "search-records-too-few") in codes(library)


# -- promotion ----------------------------------------------------------------------------------------------
def test_an_included_record_must_be_promoted_and_then_verified(library: Path):
    k = keys(library)[0]
    decide(library, "ana", (k, "title-abstract", "include", ""))
    decide(library, "ana", (k, "full-text", "include", ""))
    assert codes(library) == [(read_screening(library).records[k].file, "screening-not-promoted")]
    result = promote(load_review(library))
    assert result.added == [k] and result.target == "refs/screened.bib"
    problems = codes(library)
    assert {c for _, c in problems} == {"reference-unverified", "reference-field", "reference-uncited"}
    assert all(f == "refs/screened.bib" for f, _ in problems)
    again = promote(load_review(library))
    assert again.added == [] and again.already == [(k, k)]


def test_a_reference_excluded_in_screening_is_reported(library: Path):
    k = keys(library)[0]
    decide(library, "ana", (k, "title-abstract", "include", ""))
    decide(library, "ana", (k, "full-text", "include", ""))
    promote(load_review(library))
    decide(library, "ana", (k, "full-text", "exclude", "wrong outcome"))
    assert ("refs/screened.bib", "screening-excluded-reference") in codes(library)


def test_screen_commands_end_to_end(library: Path):
    runner = CliRunner()
    k = keys(library)
    nxt = runner.invoke(app, ["screen", "next", "-r", "ana", "--review", str(library)])
    assert nxt.exit_code == 0 and k[0] in nxt.output and "5 record(s) wait" in nxt.output
    out = runner.invoke(app, ["screen", "decide", *k, "-r", "ana", "--review", str(library), "--include"])
    assert out.exit_code == 0, out.output
    bad = runner.invoke(app, ["screen", "decide", k[0], "-r", "ana", "--review", str(library), "--exclude", "because", "-s", "full-text"])
    assert bad.exit_code == 2 and "reason" in bad.output
    runner.invoke(app, ["screen", "decide", k[0], "-r", "ana", "--review", str(library), "-s", "full-text", "--include"])
    runner.invoke(app, ["screen", "decide", k[1], "-r", "ana", "--review", str(library), "-s", "full-text", "--exclude", "not retrieved"])
    status = runner.invoke(app, ["screen", "status", "--review", str(library)])
    assert "1 included" in status.output and "1 not retrieved" in status.output
    flow = runner.invoke(app, ["screen", "flow", "--review", str(library)])
    assert flow.exit_code == 1 and "does not add up" in flow.output  # included but not yet in refs/
    promoted = runner.invoke(app, ["screen", "promote", "--review", str(library)])
    assert promoted.exit_code == 0 and "1 record(s) copied" in promoted.output
    assert runner.invoke(app, ["screen", "flow", "--review", str(library)]).exit_code == 0


# -- the notebook form ----------------------------------------------------------------------------------
def test_screening_form_saves_to_the_reviewers_own_sheet(library: Path):
    pytest.importorskip("ipywidgets")
    from evidencebench.notebook.screening_form import screening_form

    k = keys(library)
    form = screening_form(load_review(library))
    assert form.sheet is None and form.save_button.disabled
    form.name.value = "ana"
    assert form.picker.value == k[0]
    form.decision.value = "exclude"
    assert not form.reason.disabled
    form.reason.value = "wrong outcome"
    assert form.save() is not None
    assert form.picker.value == k[1]  # on to the next record
    form.decision.value = "exclude"
    assert form.save() is None and "Not saved" in form.status.value  # no reason given
    text = (library / "screening" / "ana.csv").read_text()
    assert f"{k[0]},title-abstract,exclude,wrong outcome" in text and k[1] not in text
    assert [p.name for p in (library / "screening").glob("*.csv")] == ["ana.csv"]
    form.stage.value = "full-text"
    assert form.picker.options == ()  # nothing was included at title-abstract yet
