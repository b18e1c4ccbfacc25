"""The report as a whole: files written, self-contained, escaped, atomic, reproducible."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report_support import CELL_BREAK, XSS, load_clean, write_hostile_review
from typer.testing import CliRunner

from evidencebench import report as report_pkg
from evidencebench.cli import app
from evidencebench.report import build_report, buildinfo
from evidencebench.report import pdf as pdf_module
from evidencebench.rules.review import load_review

NAMES = ["evidence-report.html", "evidence-report.pdf", "claimreview.jsonld", "claims.csv", "evidence.csv"]
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_BREAK = "&lt;/td&gt;"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_review(tmp_path_factory.mktemp("hostile") / "review")


@pytest.fixture(scope="module")
def built(hostile: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "reports"
    written = build_report(load_clean(hostile), out, pdf=True)
    assert [p.name for p in written] == NAMES
    return out


@pytest.fixture(scope="module")
def page(built: Path) -> str:
    return (built / "evidence-report.html").read_text(encoding="utf-8")


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    return parser


def test_all_files_written_and_nothing_else(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == sorted(NAMES)
    assert (built / "evidence-report.pdf").read_bytes().startswith(b"%PDF-")


def test_html_needs_nothing_from_outside(page: str) -> None:
    tags = _parse(page).tags
    names = {t for t, _ in tags}
    assert not names & {"link", "img", "iframe", "object", "embed", "image", "base", "audio", "video"}
    scripts = [a for t, a in tags if t == "script"]
    assert scripts == [{"type": "application/ld+json"}], "the only script is the embedded ClaimReview data"
    for tag, attrs in tags:
        assert "src" not in attrs, tag
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if tag != "a":  # the figure's <use> may only point inside the page
            assert (attrs.get("href") or attrs.get("xlink:href") or "#").startswith("#"), (tag, attrs)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "@import" not in style and "url(" not in style
    assert "<svg" in page and "evidence-map" in page


def test_every_text_field_is_escaped(page: str) -> None:
    assert page.lower().count("<script") == 1 and '<script type="application/ld+json">' in page
    text = "".join(_parse(page).text)
    # the parsed text holds the hostile strings verbatim, so they were shown, escaped
    for field in (f"kratom {XSS} brings on sleep {CELL_BREAK}", f"Kratom {XSS} makes you sleep {CELL_BREAK}",
                  f"{XSS} Sleep {CELL_BREAK} article", f"{XSS} slept sooner {CELL_BREAK}",
                  f"Review of {XSS} claims {CELL_BREAK}"):
        assert field in text
    assert f"<mark>Kratom {ESCAPED_XSS} makes you sleep {ESCAPED_BREAK} within minutes</mark>" in page
    assert page.count(ESCAPED_XSS) >= 6


def test_only_http_links_are_links(page: str) -> None:
    hrefs = [a.get("href") or "" for t, a in _parse(page).tags if t == "a"]
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs), hrefs
    assert "<script>alert(2)" not in page  # a hostile url is escaped wherever it is shown


def test_anchors_and_citations_resolve(page: str) -> None:
    tags = _parse(page).tags
    ids = [a["id"] for _, a in tags if a.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for cid in ("x-01", "x-02", "x-03"):
        assert f"claim-{cid}" in ids
    internal = {a["href"][1:] for t, a in tags if t == "a" and (a.get("href") or "").startswith("#")}
    assert internal <= set(ids), internal - set(ids)
    assert {"ref-trial2020", "ref-mice2019", "ref-survey2021"} <= set(ids)
    assert '<a class="cite" href="#ref-trial2020">[1]</a>' in page


def test_contents(page: str) -> None:
    for heading in ("Summary: the bottom line", "Summary of findings by topic", "Evidence map",
                    "Documents under review", "Methods", "Glossary", "References", "Appendix: text of the documents"):
        assert f">{heading}</h2>" in page
    assert "not under git" in page
    # topics in settings order, including one without claims
    order = [page.index(f'id="findings-{slug}"') for slug in ("sleep-onset", "dosage", "colour", "unused-topic")]
    assert order == sorted(order)
    assert "No claims on this topic." in page
    assert "no rated evidence" in page
    assert "not known" in page  # document url and publisher
    assert "not endorsed" in page
    assert "⊕⊕⊕⊝" in page and "moderate" in page
    assert "=SUM(A1) one small trial" in page  # reasons are shown
    assert "Mouse, M., Müller, J., et al. (2019)" in page


def test_claim_without_evidence_in_summary_table(page: str) -> None:
    row = re.search(r'<tr id="sof-x-02".*?</tr>', page, re.S).group()
    assert "no rated evidence" in row and "insufficient evidence" in row
    assert re.search(r'data-label="Studies rated">none<', row) and re.search(r'data-label="Participants">—<', row)


def test_reproducible_with_source_date_epoch(hostile: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    review = load_clean(hostile)
    a = build_report(review, tmp_path / "a", pdf=False)
    b = build_report(review, tmp_path / "b", pdf=False)
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name
    assert "2026-01-01" in a[0].read_text(encoding="utf-8")


def test_failed_build_leaves_previous_report_untouched(hostile: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "reports"
    review = load_clean(hostile)
    build_report(review, out, pdf=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(_html: str) -> bytes:
        raise RuntimeError("PDF engine exploded")

    monkeypatch.setattr(pdf_module, "render_pdf", broken)
    with pytest.raises(RuntimeError, match="exploded"):
        build_report(review, out, pdf=True)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # same files, same bytes, no temp folder left


def test_failed_first_build_leaves_no_folder(hostile: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_module, "render_pdf", lambda _html: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        build_report(load_clean(hostile), tmp_path / "fresh", pdf=True)
    assert not (tmp_path / "fresh").exists()


def test_no_pdf_removes_a_stale_pdf(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "evidence-report.pdf").write_bytes(b"%PDF- old")
    (out / "notes.txt").write_text("mine")
    written = build_report(load_clean(hostile), out, pdf=False)
    assert "evidence-report.pdf" not in [p.name for p in written]
    assert not (out / "evidence-report.pdf").exists()
    assert (out / "notes.txt").read_text() == "mine"  # other files are left alone


def test_unknown_citation_style_is_a_clear_error(tmp_path: Path) -> None:
    review = load_review(write_hostile_review(tmp_path / "r", style="apa-7th-made-up"))  # check now flags it too
    with pytest.raises(report_pkg.UnknownCitationStyle) as err:
        build_report(review, tmp_path / "out", pdf=False)
    message = str(err.value)
    assert "apa-7th-made-up" in message and "apa" in message and "available_styles" in message
    assert not (tmp_path / "out").exists()


def test_numeric_style_numbers_once(tmp_path: Path) -> None:
    review = load_clean(write_hostile_review(tmp_path / "r", style="ieee"))
    build_report(review, tmp_path / "out", pdf=False)
    page = (tmp_path / "out" / "evidence-report.html").read_text(encoding="utf-8")
    entry = re.search(r'<li id="ref-trial2020".*?</li>', page, re.S).group()
    assert entry.count("[1]") == 1


def test_cli_report(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(app, ["report", str(hostile), "--out", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(n for n in NAMES if not n.endswith(".pdf"))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_data_version_follows_git(tmp_path: Path) -> None:
    root = write_hostile_review(tmp_path / "r", with_git_ignore=True)
    assert buildinfo.data_version(root)[0] == buildinfo.NOT_UNDER_GIT
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    assert buildinfo.data_version(root)[0].startswith(buildinfo.UNCOMMITTED)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], cwd=root, check=True)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    assert buildinfo.data_version(root) == (head, head, False)
    build_report(load_review(root), root / "reports", pdf=False)  # ignored output: still clean
    assert buildinfo.data_version(root)[0] == head
    with (root / "claims.csv").open("a") as fh:
        fh.write("")
    (root / "refs" / "new.bib").write_text("% a new file\n")
    label, commit, dirty = buildinfo.data_version(root)
    assert dirty and commit == head and label.startswith("uncommitted changes")


def test_source_date_epoch_must_be_a_number() -> None:
    assert buildinfo.build_date({"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01"
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        buildinfo.build_date({"SOURCE_DATE_EPOCH": "yesterday"})
