"""`evidence diff`: the review's changes between git revisions, in the review's terms."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from evidencebench.cli import diff as diff_cmd
from evidencebench.history.diff import diff_revisions, render_markdown, render_text
from evidencebench.review import schema
from evidencebench.review.csvfile import read_csv, rewrite_records
from evidencebench.review.errors import InputError

DATA = Path(__file__).resolve().parent / "data"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repo whose review (in review/) goes through three revisions."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("A project.\n", encoding="utf-8")
    revs = {"empty": commit(repo, "start")}
    review = repo / "review"
    shutil.copytree(DATA / "valid", review)
    revs["v1"] = commit(repo, "review v1")

    claims = read_csv(review / "claims.csv", "claims.csv", schema.CLAIMS)
    new_claim = {**claims.records[0].values, "id": "c-03", "claim": "A third claim.", "verdict": "supported"}
    rewrite_records(
        claims,
        {1: {"imprecision": "very serious", "certainty": "low", "verdict": "partly supported",
             "rationale": "Only one small trial."},
         0: {"topic": "dosage"}},
        append=[new_claim],
    )  # fmt: skip
    evidence = read_csv(review / "evidence.csv", "evidence.csv", schema.EVIDENCE)
    rewrite_records(evidence, {0: {"stance": "indirect"}}, append=[
        {"claim": "c-03", "reference": "delta2021new", "stance": "supports", "finding": "F."}])  # fmt: skip
    bib = review / "refs" / "refs.bib"
    text = bib.read_text(encoding="utf-8").replace("{10.1234/fixture.2020.001}", "{10.1234/fixture.2020.002}")
    text += "\n@article{delta2021new,\n  title = {A new study},\n  year = {2021},\n}\n"
    bib.write_text(text, encoding="utf-8")
    revs["v2"] = commit(repo, "review v2")
    return repo, revs


def test_diff_between_two_revisions(history):
    repo, revs = history
    d = diff_revisions(repo / "review", revs["v1"], revs["v2"])
    assert [c["id"] for c in d.added] == ["c-03"] and not d.removed
    assert len(d.moved) == 1
    move = d.moved[0]
    assert move.id == "c-02" and move.verdict == ("supported", "partly supported") and move.certainty == ("moderate", "low")
    assert move.rationale == ("Fixture rationale.", "Only one small trial.")
    assert ("c-01", ["topic"]) in d.edited and ("c-02", ["imprecision"]) in d.edited
    assert d.links_added == [("c-03", "delta2021new", "supports")]
    assert d.stance_changed == [("c-01", "gamma2019binding", "supports", "indirect")]
    assert d.refs_added == [("delta2021new", "A new study")] and not d.refs_dropped
    assert d.refs_changed == [("alpha2020trial", ["doi"])]


def test_diff_against_the_working_tree_sees_uncommitted_edits(history):
    repo, revs = history
    claims = repo / "review" / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text[: text.index("c-03,")], encoding="utf-8")  # drop c-03, not committed
    bib = repo / "review" / "refs" / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@article{gamma2019binding")
    bib.write_text(text[:start] + text[text.index("\n}\n", start) + 3 :], encoding="utf-8")
    d = diff_revisions(repo / "review", "HEAD")
    assert d.new == "working tree"
    assert [c["id"] for c in d.removed] == ["c-03"] and not d.added
    assert d.refs_dropped == [("gamma2019binding", "Apigenin binding at benzodiazepine sites")]
    assert diff_revisions(repo / "review", revs["v1"]).added == []


def test_no_change_and_a_revision_before_the_review_existed(history):
    repo, revs = history
    same = diff_revisions(repo / "review", revs["v2"], revs["v2"])
    assert same.empty and render_text(same).endswith(": none")
    first = diff_revisions(repo / "review", revs["empty"], revs["v1"])
    assert [c["id"] for c in first.added] == ["c-01", "c-02"]
    assert {k for k, _ in first.refs_added} == {"alpha2020trial", "gamma2019binding"}


def test_a_review_at_the_root_of_the_repository(tmp_path: Path):
    repo = tmp_path / "r"
    shutil.copytree(DATA / "valid", repo)
    git(repo, "init", "-q")
    v1 = commit(repo, "v1")
    claims = read_csv(repo / "claims.csv", "claims.csv", schema.CLAIMS)
    rewrite_records(claims, {0: {"verdict": "misleading", "rationale": "Lab result sold as an effect."}})
    d = diff_revisions(repo, v1)
    assert [(m.id, m.verdict) for m in d.moved] == [("c-01", ("supported", "misleading"))]


def test_bad_revisions_and_folders_are_explained(history, tmp_path: Path):
    repo, _ = history
    with pytest.raises(InputError, match="'nope' is not a revision"):
        diff_revisions(repo / "review", "nope")
    with pytest.raises(InputError, match="not a git repository"):
        diff_revisions(tmp_path, "HEAD")


def test_renderings(history):
    repo, revs = history
    d = diff_revisions(repo / "review", revs["v1"], revs["v2"])
    text = render_text(d)
    assert "Claims added (1):" in text and "c-02: verdict supported → partly supported; certainty moderate → low" in text
    assert "because: Only one small trial." in text and "(was: Fixture rationale.)" in text
    assert "+ delta2021new: A new study" in text and "~ c-01 × gamma2019binding: supports → indirect" in text
    md = render_markdown(d)
    assert "| c-02 | supported → partly supported | moderate → low | Only one small trial. |" in md
    assert "## References" in md and "- added: `delta2021new` A new study" in md


def test_diff_command(history):
    repo, revs = history
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    diff_cmd.register(app)
    runner = CliRunner()
    out = runner.invoke(app, ["diff", revs["v1"], revs["v2"], "--review", str(repo / "review"), "--format", "markdown"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"# Review changes: {revs['v1']} → {revs['v2']}")
    bad = runner.invoke(app, ["diff", "nope", "--review", str(repo / "review")])
    assert bad.exit_code == 2 and "error:" in bad.output and "Traceback" not in bad.output
