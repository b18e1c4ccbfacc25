"""Blinded dual rating: agreement statistics, conflicts, and writing settled judgments."""

from __future__ import annotations

import csv
import io
import math
import random
import warnings
from pathlib import Path

import pytest
import typer
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import agree as agree_cmd
from evidencebench.rating import consensus as consensus_mod
from evidencebench.rating.agreement import SCALES, cohen_kappa, compare, render_markdown, render_text
from evidencebench.rating.consensus import decide, write_decisions
from evidencebench.rating.sheets import RATINGS, blank_sheet, labelled_reasons, pick_pair, read_ratings
from evidencebench.review import schema, vocab
from evidencebench.review.atomic import ConcurrentChangeError
from evidencebench.review.csvfile import read_csv, rewrite_records
from evidencebench.review.errors import InputError
from evidencebench.rules import grade

NEUTRAL = {**{d: "not serious" for d in vocab.DOWNGRADE_DOMAINS}, **{u: "none" for u in vocab.UPGRADE_DOMAINS}}


# -- kappa, by hand ---------------------------------------------------------------------------
def test_unweighted_kappa_hand_worked():
    # 10 items, yes=0/no=1: both yes 4, A yes B no 2, A no B yes 1, both no 3.
    # p_o = 0.7; A says yes 0.6, B 0.5; p_e = 0.6*0.5 + 0.4*0.5 = 0.5; kappa = (0.7-0.5)/0.5 = 0.4
    a = [0] * 4 + [0] * 2 + [1] * 1 + [1] * 3
    b = [0] * 4 + [1] * 2 + [0] * 1 + [1] * 3
    assert cohen_kappa(a, b, 2, weighted=False) == pytest.approx(0.4)
    assert cohen_kappa_score(a, b) == pytest.approx(0.4)


def test_linear_weighted_kappa_hand_worked():
    # 3 ordered levels, 6 items: pairs (0,0) (1,1) (2,2) (0,1) (1,2) (0,2).
    # disagreement weights |i-j|/2: observed = (0.5 + 0.5 + 1)/6 = 1/3.
    # marginals A = (3,2,1)/6, B = (1,2,3)/6; expected = sum w_ij A_i B_j = 1/3 + 1/9 + 1/18 = 1/2.
    # kappa = 1 - (1/3)/(1/2) = 1/3
    a = [0, 1, 2, 0, 1, 0]
    b = [0, 1, 2, 1, 2, 2]
    assert cohen_kappa(a, b, 3, weighted=True) == pytest.approx(1 / 3)
    assert cohen_kappa_score(a, b, weights="linear") == pytest.approx(1 / 3)
    # unweighted, the same data: p_o = 1/2, p_e = (3*1 + 2*2 + 1*3)/36 = 10/36; kappa = (1/2 - 10/36)/(26/36) = 4/13
    assert cohen_kappa(a, b, 3, weighted=False) == pytest.approx(4 / 13)


def test_kappa_edge_cases():
    assert cohen_kappa([0, 1, 2], [0, 1, 2], 3, weighted=True) == pytest.approx(1.0)
    assert cohen_kappa([0, 0, 0], [0, 0, 0], 3, weighted=True) is None  # no variation: undefined
    assert cohen_kappa([], [], 3, weighted=True) is None
    assert cohen_kappa([0, 1], [1, 0], 2, weighted=False) == pytest.approx(-1.0)


@pytest.mark.parametrize("seed", range(25))
def test_kappa_matches_scikit_learn(seed):
    rng = random.Random(seed)
    k = rng.choice([2, 3, 4, 6])
    n = rng.randint(1, 40) if seed else 3
    a = [rng.randrange(k) for _ in range(n)]
    b = [x if rng.random() < 0.6 else rng.randrange(k) for x in a]
    labels = list(range(k))  # every level, even those nobody used, so the weights are the scale's
    for weighted in (True, False):
        ours = cohen_kappa(a, b, k, weighted=weighted)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn warns, then returns nan, when kappa is undefined
            theirs = cohen_kappa_score(a, b, labels=labels, weights="linear" if weighted else None)
        if ours is None:
            assert math.isnan(theirs)
        else:
            assert ours == pytest.approx(theirs)


# -- a review with two raters ---------------------------------------------------------------------
@pytest.fixture
def rated(valid_review: Path) -> Path:
    """The valid review with 12 claims (c-03..c-12 copies of c-01), half linked to the RCT."""
    claims = read_csv(valid_review / "claims.csv", "claims.csv", schema.CLAIMS)
    base = claims.records[0].values
    rows = [
        {**base, "id": f"c-{i:02d}", **({"certainty": "high", "verdict": "supported"} if i < 9 else
                                       {"certainty": "", "verdict": "insufficient evidence"})}
        for i in range(3, 13)
    ]  # fmt: skip
    rewrite_records(claims, {}, append=rows)
    evidence = read_csv(valid_review / "evidence.csv", "evidence.csv", schema.EVIDENCE)
    links = [
        {"claim": f"c-{i:02d}", "reference": "alpha2020trial", "stance": "supports", "exposure": "active compound",
         "outcome_kind": "effect", "outcome": "sleep onset", "source_location": "abstract: results", "finding": "F."}
        for i in range(3, 9)
    ]  # fmt: skip
    rewrite_records(evidence, {}, append=links)
    assert load_review(valid_review).check() == []
    return valid_review


def write_sheet(root: Path, name: str, rows: list[dict[str, str]]) -> Path:
    folder = root / "ratings"
    folder.mkdir(exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, RATINGS.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({**NEUTRAL, "verdict": "insufficient evidence", "reasons": "", **r} for r in rows)
    path = folder / f"{name}.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def random_sheets(root: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    a_rows, b_rows = [], []
    for i in range(1, 13):
        a = {"claim": f"c-{i:02d}"}
        for s in SCALES:
            if s.name != "certainty":
                a[s.name] = rng.choice(s.levels)
        b = {k: (v if rng.random() < 0.6 or k == "claim" else rng.choice(RATINGS.field(k).enum)) for k, v in a.items()}
        a_rows.append(a)
        b_rows.append(b)
    write_sheet(root, "alice", a_rows)
    write_sheet(root, "bob", b_rows[:-1])  # bob has not rated c-12


def test_agreement_per_scale_matches_scikit_learn(rated: Path):
    random_sheets(rated)
    review = load_review(rated)
    sheets, consensus = read_ratings(review)
    assert consensus is None
    alice, bob = pick_pair(sheets)
    report = compare(review, alice, bob)
    assert report.claims == [f"c-{i:02d}" for i in range(1, 12)] and report.only_first == ["c-12"]
    for scale, agreement in zip(SCALES, report.scales, strict=True):
        pairs = []
        for c in report.claims:
            ra, rb = alice.ratings[c], bob.ratings[c]
            if scale.name == "certainty":
                va = grade.rate(review.studies_for(c), ra.judgments).certainty
                vb = grade.rate(review.studies_for(c), rb.judgments).certainty
            elif scale.name == "verdict":
                va, vb = ra.verdict, rb.verdict
            else:
                va, vb = ra.judgments[scale.name], rb.judgments[scale.name]
            if va is not None:
                pairs.append((scale.levels.index(va), scale.levels.index(vb)))
        assert agreement.n == len(pairs)
        assert agreement.agreed == sum(x == y for x, y in pairs)
        if scale.name == "certainty":
            assert agreement.n == 8  # c-01, c-02, c-03..c-08 have rated evidence; c-09..c-11 none
        expected = cohen_kappa_score(
            [x for x, _ in pairs], [y for _, y in pairs],
            labels=list(range(len(scale.levels))), weights="linear" if scale.ordered else None,
        )  # fmt: skip
        if agreement.kappa is None:
            assert math.isnan(expected)
        else:
            assert agreement.kappa == pytest.approx(expected), scale.name


def test_conflicts_are_listed_claim_by_claim(rated: Path):
    write_sheet(rated, "alice", [{"claim": "c-01", "verdict": "supported", "reasons": "imprecision: fine"},
                                 {"claim": "c-02", "imprecision": "serious", "verdict": "supported"}])  # fmt: skip
    write_sheet(rated, "bob", [{"claim": "c-01", "verdict": "supported"},
                               {"claim": "c-02", "imprecision": "very serious", "verdict": "partly supported",
                                "reasons": "imprecision: one small trial"}])  # fmt: skip
    review = load_review(rated)
    report = compare(review, *pick_pair(read_ratings(review)[0]))
    assert list(report.conflicts) == ["c-02"]
    items = {d.item: (d.first, d.second) for d in report.conflicts["c-02"]}
    assert items == {
        "imprecision": ("serious", "very serious"),
        "certainty": ("moderate", "low"),
        "verdict": ("supported", "partly supported"),
    }
    text = render_text(review, report)
    assert "c-02:" in text and "imprecision: alice serious / bob very serious" in text
    md = render_markdown(review, report)
    assert "### c-02" in md and "| imprecision | serious | very serious |" in md and "ratings/consensus.csv" in md
    verdict = next(a for a in report.scales if a.scale == "verdict")
    assert (verdict.n, verdict.agreed, verdict.percent) == (2, 1, 50.0)


# -- writing settled judgments --------------------------------------------------------------------
def _two_sheets(root: Path) -> None:
    agreed = {"risk_of_bias": "serious", "verdict": "supported", "reasons": "risk_of_bias: open-label assay"}
    write_sheet(root, "alice", [{"claim": "c-01", **agreed}, {"claim": "c-02", "imprecision": "serious", "verdict": "supported"},
                                {"claim": "c-03", "verdict": "supported"}])  # fmt: skip
    write_sheet(root, "bob", [{"claim": "c-01", **agreed}, {"claim": "c-02", "imprecision": "very serious", "verdict": "partly supported"},
                              {"claim": "c-03", "verdict": "partly supported"}])  # fmt: skip


def test_write_agreed_and_consensus_judgments_only(rated: Path):
    _two_sheets(rated)
    write_sheet(rated, "consensus", [{"claim": "c-02", "imprecision": "very serious", "verdict": "partly supported",
                                      "reasons": "imprecision: a single trial of 80 people"}])  # fmt: skip
    path = rated / "claims.csv"
    before = read_csv(path, "claims.csv", schema.CLAIMS)
    original = path.read_text(encoding="utf-8")
    review = load_review(rated)
    sheets, cons = read_ratings(review)
    result = write_decisions(review, *pick_pair(sheets), cons, by="carol")
    assert result.unresolved == ["c-03"]
    assert set(result.changed) == {"c-01", "c-02"}
    after = read_csv(path, "claims.csv", schema.CLAIMS)
    c01, c02 = after.records[0].values, after.records[1].values
    assert c01["risk_of_bias"] == "serious" and c01["risk_of_bias_reason"] == "open-label assay"
    assert c01["certainty"] == "moderate"  # in-vitro starts high, one level down
    assert c01["decided_by"] == "alice and bob agreed independently; recorded by carol"
    assert c02["imprecision"] == "very serious" and c02["imprecision_reason"] == "a single trial of 80 people"
    assert c02["certainty"] == "low" and c02["verdict"] == "partly supported"
    assert c02["decided_by"] == "consensus of alice and bob (ratings/consensus.csv); recorded by carol"
    allowed = {*vocab.DOWNGRADE_DOMAINS, *vocab.UPGRADE_DOMAINS, "risk_of_bias_reason", "imprecision_reason",
               "certainty", "verdict", "decided_by"}  # fmt: skip
    for old, new in zip(before.records, after.records, strict=True):
        changed = {k for k in old.values if old.values[k] != new.values[k]}
        assert changed <= allowed
    # every row not written keeps its exact bytes
    new_text = path.read_text(encoding="utf-8")
    for rec in before.records[2:]:
        assert original[rec.span[0] : rec.span[1]] in new_text
    assert new_text.startswith(original[: before.records[0].span[0]])
    assert new_text.endswith(original[before.records[2].span[0] :])
    assert load_review(rated).check() == []


def test_write_twice_changes_nothing_and_dry_run_writes_nothing(rated: Path):
    _two_sheets(rated)
    path = rated / "claims.csv"
    review = load_review(rated)
    sheets, cons = read_ratings(review)
    before = path.read_bytes()
    dry = write_decisions(review, *pick_pair(sheets), cons, by="carol", dry_run=True)
    assert dry.changed and path.read_bytes() == before
    write_decisions(review, *pick_pair(sheets), cons, by="carol")
    once = path.read_bytes()
    review = load_review(rated)
    again = write_decisions(review, *pick_pair(read_ratings(review)[0]), cons, by="carol")
    assert not again.changed and path.read_bytes() == once


def test_write_refuses_when_claims_changed_underneath(rated: Path, monkeypatch):
    _two_sheets(rated)
    path = rated / "claims.csv"
    review = load_review(rated)
    sheets, cons = read_ratings(review)

    def concurrent(csvfile, changes, append=()):
        path.write_bytes(path.read_bytes().replace(b"Fixture rationale.", b"Someone else.", 1))
        return rewrite_records(csvfile, changes, append)

    monkeypatch.setattr(consensus_mod, "rewrite_records", concurrent)
    with pytest.raises(ConcurrentChangeError):
        write_decisions(review, *pick_pair(sheets), cons, by="carol")
    assert b"Someone else." in path.read_bytes() and b"carol" not in path.read_bytes()


def test_warnings_for_what_check_would_flag(rated: Path):
    write_sheet(rated, "alice", [{"claim": "c-02", "imprecision": "serious", "verdict": "contradicted"}])
    write_sheet(rated, "bob", [{"claim": "c-02", "imprecision": "serious", "verdict": "contradicted"}])
    review = load_review(rated)
    result = write_decisions(review, *pick_pair(read_ratings(review)[0]), None, by="carol", dry_run=True)
    assert any("rule verdict 'supported'" in w for w in result.warnings)
    assert any("reread the rationale" in w for w in result.warnings)


def test_decide_prefers_consensus_and_needs_both_to_agree(rated: Path):
    _two_sheets(rated)
    review = load_review(rated)
    sheets, _ = read_ratings(review)
    decisions, unresolved = decide(*pick_pair(sheets), None)
    assert [d.claim for d in decisions] == ["c-01"] and unresolved == ["c-02", "c-03"]


def test_labelled_reasons():
    text = "Overall fine. risk_of_bias: open label; Imprecision: 26 people\nupgrade: large effect"
    assert labelled_reasons(text) == {"risk_of_bias": "open label", "imprecision": "26 people", "upgrade": "large effect"}


# -- sheets --------------------------------------------------------------------------------------
def test_bad_sheets_are_refused_with_file_and_line(rated: Path):
    write_sheet(rated, "alice", [{"claim": "c-01", "risk_of_bias": "seriuos"}, {"claim": "c-99"}, {"claim": "c-01"}])
    review = load_review(rated)
    with pytest.raises(InputError) as err:
        read_ratings(review)
    message = str(err.value)
    assert "ratings/alice.csv:2: risk_of_bias 'seriuos' is not one of" in message
    assert "ratings/alice.csv:3: claim 'c-99' is not in claims.csv" in message
    assert "ratings/alice.csv:4: claim c-01 is rated twice" in message


def test_two_sheets_are_needed(rated: Path):
    for name in ("alice", "bob", "carol"):
        write_sheet(rated, name, [{"claim": "c-01"}])
    sheets, _ = read_ratings(load_review(rated))
    with pytest.raises(InputError, match="name them with --reviewer"):
        pick_pair(sheets)
    assert [s.name for s in pick_pair(sheets, ["carol", "alice"])] == ["carol", "alice"]


def test_blank_sheet_shows_only_claim_ids(rated: Path):
    review = load_review(rated)
    path = blank_sheet(review, "dana")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["claim"] for r in rows] == [f"c-{i:02d}" for i in range(1, 13)]
    assert all(v == "" for r in rows for k, v in r.items() if k != "claim")
    with pytest.raises(InputError, match="never overwritten"):
        blank_sheet(review, "dana")


# -- the command ---------------------------------------------------------------------------------------
def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    agree_cmd.register(app)
    return app


def test_agree_command(rated: Path):
    _two_sheets(rated)
    runner = CliRunner()
    app = _app()
    out = runner.invoke(app, ["agree", "--review", str(rated)])
    assert out.exit_code == 0, out.output
    assert "Agreement of alice and bob on 3 claim(s)" in out.output and "Conflicts to settle: 2" in out.output
    md = runner.invoke(app, ["agree", "--review", str(rated), "--format", "markdown"])
    assert md.exit_code == 0 and "| verdict |" in md.output
    no_by = runner.invoke(app, ["agree", "--review", str(rated), "--write"])
    assert no_by.exit_code == 2 and "--by" in no_by.output
    wrote = runner.invoke(app, ["agree", "--review", str(rated), "--write", "--by", "carol"])
    assert wrote.exit_code == 0 and "wrote c-01" in wrote.output and "not settled" in wrote.output
    (rated / "ratings" / "bob.csv").write_text("claim,verdict\nc-01,maybe\n", encoding="utf-8")
    bad = runner.invoke(app, ["agree", "--review", str(rated)])
    assert bad.exit_code == 2 and "ratings/bob.csv" in bad.output and "Traceback" not in bad.output


def test_a_verdict_label_ends_the_domain_reason_before_it():
    reasons = "imprecision: ten people; verdict: too little to say. risk_of_bias: open label"
    assert labelled_reasons(reasons) == {"imprecision": "ten people", "risk_of_bias": "open label"}


def test_two_reviewers_reasons_are_written_as_sentences(rated: Path):
    """Agreeing reviewers who give different reasons: both kept, each a sentence (never "group.; self-…")."""
    write_sheet(rated, "alice", [{"claim": "c-01", "risk_of_bias": "serious", "verdict": "supported",
                                  "reasons": "risk_of_bias: no comparison group."}])  # fmt: skip
    write_sheet(rated, "bob", [{"claim": "c-01", "risk_of_bias": "serious", "verdict": "supported",
                                "reasons": "risk_of_bias: self-reported doses"}])  # fmt: skip
    review = load_review(rated)
    sheets, cons = read_ratings(review)
    write_decisions(review, *pick_pair(sheets), cons, by="carol")
    c01 = read_csv(rated / "claims.csv", "claims.csv", schema.CLAIMS).records[0].values
    assert c01["risk_of_bias_reason"] == "no comparison group. Self-reported doses."
