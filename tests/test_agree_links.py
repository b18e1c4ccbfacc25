"""Two reviewers' readings of each evidence link: sheets, stance agreement, and settled links written back."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score
from test_agree import write_sheet
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import app
from evidencebench.rating.agreement import STANCE_ORDER, compare
from evidencebench.rating.consensus import write_link_decisions
from evidencebench.rating.sheets import LINK_RATINGS, blank_sheet, pick_pair, read_ratings
from evidencebench.review.errors import InputError

LINKS = [("c-01", "gamma2019binding"), ("c-02", "alpha2020trial")]
MECHANISM = {"exposure": "active compound", "outcome_kind": "mechanism", "outcome": "binding", "source_location": "abstract"}
EFFECT = {"exposure": "product", "outcome_kind": "effect", "outcome": "sleep onset", "source_location": "abstract: results"}


def write_links(root: Path, name: str, rows: list[dict[str, str]]) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, LINK_RATINGS.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({"finding": "", "reasons": "", "decided_by": "", **r} for r in rows)
    path = root / "ratings" / f"{name}.links.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def claims_sheets(root: Path) -> None:
    valid = {"c-01": {"verdict": "supported"}, "c-02": {"verdict": "supported", "imprecision": "serious"}}
    for name in ("alice", "bob"):
        write_sheet(root, name, [{"claim": c, **v} for c, v in valid.items()])


def test_blank_sheet_lists_links_without_anyone_elses_reading(valid_review: Path):
    blank_sheet(load_review(valid_review), "carol")
    rows = list(csv.DictReader((valid_review / "ratings" / "carol.links.csv").open(encoding="utf-8")))
    assert [(r["claim"], r["reference"]) for r in rows] == LINKS
    assert all(not any(v for k, v in r.items() if k not in ("claim", "reference")) for r in rows)


def test_bad_link_readings_are_refused_with_file_and_line(valid_review: Path):
    claims_sheets(valid_review)
    write_links(valid_review, "alice", [
        {"claim": "c-01", "reference": "gamma2019binding", "stance": "maybe", **MECHANISM},
        {"claim": "c-02", "reference": "nobody2020", "stance": "supports", **EFFECT},
    ])  # fmt: skip
    with pytest.raises(InputError) as err:
        read_ratings(load_review(valid_review))
    message = str(err.value)
    assert "ratings/alice.links.csv:2: stance 'maybe' is not one of" in message
    assert "ratings/alice.links.csv:3: c-02 / nobody2020 is not a link in evidence.csv" in message


def test_a_link_sheet_without_its_claims_sheet_is_refused(valid_review: Path):
    claims_sheets(valid_review)
    write_links(valid_review, "dave", [{"claim": "c-01", "reference": "gamma2019binding", "stance": "supports", **MECHANISM}])
    with pytest.raises(InputError, match=r"dave\.links\.csv: no claims sheet dave\.csv"):
        read_ratings(load_review(valid_review))


def test_link_stance_agreement_is_weighted_kappa_over_links_both_read(valid_review: Path):
    claims_sheets(valid_review)
    write_links(valid_review, "alice", [
        {"claim": "c-01", "reference": "gamma2019binding", "stance": "supports", **MECHANISM},
        {"claim": "c-02", "reference": "alpha2020trial", "stance": "supports", **EFFECT},
    ])  # fmt: skip
    write_links(valid_review, "bob", [
        {"claim": "c-01", "reference": "gamma2019binding", "stance": "indirect", **MECHANISM},
        {"claim": "c-02", "reference": "alpha2020trial", "stance": "supports", **EFFECT},
    ])  # fmt: skip
    review = load_review(valid_review)
    alice, bob = pick_pair(read_ratings(review)[0])
    report = compare(review, alice, bob)
    stance = next(a for a in report.scales if a.scale == "link stance")
    assert (stance.n, stance.agreed, stance.weighted) == (2, 1, True)
    a = [STANCE_ORDER.index(s) for s in ("supports", "supports")]
    b = [STANCE_ORDER.index(s) for s in ("indirect", "supports")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(a, b, labels=[0, 1, 2], weights="linear")
    assert (stance.kappa is None) == (expected != expected) and (stance.kappa is None or stance.kappa == pytest.approx(expected))
    assert list(report.link_conflicts) == [("c-01", "gamma2019binding")]
    # bob read c-01's only study as indirect, so on his reading nothing is rated and certainty is undefined
    certainty = {a.scale: a for a in report.scales}["certainty"]
    assert certainty.n == 1  # c-02 only: c-01 has a certainty for alice and none for bob


def test_consensus_link_is_written_to_evidence_csv_and_other_bytes_kept(valid_review: Path):
    claims_sheets(valid_review)
    for name in ("alice", "bob"):
        write_links(valid_review, name, [
            {"claim": "c-01", "reference": "gamma2019binding", "stance": "supports" if name == "alice" else "indirect", **MECHANISM},
            {"claim": "c-02", "reference": "alpha2020trial", "stance": "supports", **EFFECT},
        ])  # fmt: skip
    write_sheet(valid_review, "consensus", [])
    write_links(valid_review, "consensus", [
        {"claim": "c-01", "reference": "gamma2019binding", "stance": "indirect", **MECHANISM,
         "finding": "Binding in cells, not an effect.", "decided_by": "carol (adjudicator)"},
    ])  # fmt: skip
    path = valid_review / "evidence.csv"
    before = path.read_bytes().splitlines(keepends=True)
    review = load_review(valid_review)
    sheets, consensus = read_ratings(review)
    alice, bob = pick_pair(sheets)
    changed, unresolved = write_link_decisions(review, alice, bob, consensus, dry_run=True)
    assert path.read_bytes().splitlines(keepends=True) == before  # a dry run writes nothing
    changed, unresolved = write_link_decisions(review, alice, bob, consensus)
    assert unresolved == [] and changed == {
        ("c-01", "gamma2019binding"): {"stance": "indirect", "outcome": "binding", "source_location": "abstract",
                                       "finding": "Binding in cells, not an effect."}
    }  # fmt: skip
    after = path.read_bytes().splitlines(keepends=True)
    assert after[0] == before[0] and after[2] == before[2]  # the header and the agreed link keep their bytes
    assert after[1].startswith(b"c-01,gamma2019binding,indirect,active compound,mechanism,binding,abstract,")


def test_agree_command_reports_link_scales(valid_review: Path):
    claims_sheets(valid_review)
    for name in ("alice", "bob"):
        write_links(valid_review, name, [
            {"claim": "c-01", "reference": "gamma2019binding", "stance": "supports", **MECHANISM},
            {"claim": "c-02", "reference": "alpha2020trial", "stance": "supports" if name == "alice" else "contradicts", **EFFECT},
        ])  # fmt: skip
    result = CliRunner().invoke(app, ["agree", "--review", str(valid_review)])
    assert result.exit_code == 0, result.output
    assert "link stance" in result.stdout and "Conflicts to settle: 0 claim(s), 1 link(s)" in result.stdout
    assert "c-02 / alpha2020trial: link stance: alice supports / bob contradicts" in result.stdout
