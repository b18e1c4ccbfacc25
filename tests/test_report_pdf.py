"""The PDF worker: the same bytes whether laid out in a forked worker or in this process."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_report_support import load_clean, write_hostile_review

from evidencebench.report import pdf as pdf_module
from evidencebench.report.bibliography import format_bibliography
from evidencebench.report.buildinfo import BuildInfo
from evidencebench.report.html import render_html
from evidencebench.report.model import build_model


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> str:
    review = load_clean(write_hostile_review(tmp_path_factory.mktemp("pdf") / "review"))
    model = build_model(review, BuildInfo("2026-01-01", "test", None, False))
    entries = format_bibliography(review.references, model.cited_keys, "apa")
    page = render_html(model, entries, "", None, None, for_print=True)
    assert "<script" not in page and 'class="filter"' not in page  # screen-only parts stay out of print
    return page


def test_worker_and_in_process_give_the_same_pdf(printed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pdf_module.PdfJob() as job:
        forked = job._process is not None
        job.submit(printed)
        from_worker = job.result()
    monkeypatch.setattr(pdf_module, "_can_fork", lambda: False)  # as when threads are running
    with pdf_module.PdfJob() as job:
        assert job._process is None
        job.submit(printed)
        in_process = job.result()
    assert from_worker.startswith(b"%PDF-") and from_worker == in_process
    assert forked or not pdf_module._can_fork()


def test_a_worker_that_is_never_used_goes_away() -> None:
    job = pdf_module.PdfJob()
    process = job._process
    job.close()
    assert process is None or not process.is_alive()
    with pytest.raises(RuntimeError, match="before submit"):
        job.result()


def test_errors_in_the_worker_reach_the_caller(printed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_html: str) -> bytes:
        raise ValueError("layout exploded")

    monkeypatch.setattr(pdf_module, "render_pdf", broken)
    with pdf_module.PdfJob() as job, pytest.raises(ValueError, match="layout exploded"):
        job.submit(printed)
        job.result()


def test_pdf_options_ask_for_a_tagged_pdf() -> None:
    assert pdf_module.PDF_OPTIONS == {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
    assert Path(pdf_module.__file__).read_text(encoding="utf-8").count("import weasyprint") == 0  # imported lazily


def test_cli_starts_the_worker_early_and_stops_it_when_the_check_fails(tmp_path: Path) -> None:
    import multiprocessing

    from typer.testing import CliRunner

    from evidencebench.cli import app

    root = write_hostile_review(tmp_path / "review")
    good = CliRunner().invoke(app, ["report", str(root), "--out", str(tmp_path / "out")])
    assert good.exit_code == 0, good.output
    assert (tmp_path / "out" / "evidence-report.pdf").read_bytes().startswith(b"%PDF-")
    assert not multiprocessing.active_children()

    claims = root / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("supported", "probably fine", 1), encoding="utf-8")
    bad = CliRunner().invoke(app, ["report", str(root), "--out", str(tmp_path / "bad")])
    assert bad.exit_code == 1 and "fix them (evidence check)" in bad.output
    assert not (tmp_path / "bad").exists()
    assert not multiprocessing.active_children()  # the worker started before the check is gone
