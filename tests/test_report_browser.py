"""The report in a real browser (system Chromium via Playwright) and its PDF rendered to images.

Screenshots and page images go to tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_report_support import load_clean, write_hostile_review

from evidencebench.report import build_report
from evidencebench.rules.review import load_review

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()), None)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no system Chromium (/usr/bin/chromium or chromium on PATH); apt-get install chromium"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 is not installed")


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own review, reported (whatever state its draft data is in)."""
    out = tmp_path_factory.mktemp("browser") / "reports"
    build_report(load_review(ROOT), out, pdf=True)
    ARTIFACTS.mkdir(exist_ok=True)
    return out


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_hostile_review(tmp_path_factory.mktemp("browser-hostile") / "review")
    out = root / "reports"
    build_report(load_clean(root), out, pdf=False)
    return out


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _open(browser, html: Path, width: int, height: int):
    """A page with every request, console error, page error and dialog recorded."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    seen = {"requests": [], "errors": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def on_dialog(dialog) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(html.as_uri(), wait_until="load")
    return context, page, seen


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_page_loads_alone_and_fits(browser, real_report: Path, name: str, width: int, height: int) -> None:
    html = real_report / "evidence-report.html"
    context, page, seen = _open(browser, html, width, height)
    try:
        assert seen["errors"] == []
        assert seen["requests"] == [html.as_uri()], "the page requested something besides itself"
        assert _no_horizontal_scroll(page), "the page is wider than the screen; wide tables must scroll in their box"
        assert page.locator("svg.evidence-map").is_visible()
        assert page.locator("article.claim").count() > 0
        page.screenshot(path=ARTIFACTS / f"report-{name}-top.png")
        for anchor in ("findings", "evidence-map", "documents", "methods", "glossary", "references"):
            page.evaluate(f"document.getElementById('{anchor}').scrollIntoView()")
            page.screenshot(path=ARTIFACTS / f"report-{name}-{anchor}.png")
        first_claim = page.locator("article.claim").first
        first_claim.evaluate("el => el.scrollIntoView()")
        page.screenshot(path=ARTIFACTS / f"report-{name}-claim.png")
    finally:
        context.close()


def test_hostile_text_stays_text(browser, hostile_report: Path) -> None:
    context, page, seen = _open(browser, hostile_report / "evidence-report.html", 1280, 900)
    try:
        assert seen["dialogs"] == [] and seen["errors"] == []
        assert page.locator("script").count() == 0
        assert "<script>alert(1)</script>" in page.locator("#claim-x-01 mark").inner_text()
        assert _no_horizontal_scroll(page)
    finally:
        context.close()


def test_pdf_pages_have_ink(real_report: Path) -> None:
    pdf = pdfium.PdfDocument(str(real_report / "evidence-report.pdf"))
    try:
        assert len(pdf) > 1
        for i in range(len(pdf)):
            image = pdf[i].render(scale=0.6).to_pil().convert("L")
            darkest, _ = image.getextrema()
            assert darkest < 128, f"page {i + 1} is blank"
            if i < 4:
                pdf[i].render(scale=1.2).to_pil().save(ARTIFACTS / f"report-pdf-page-{i + 1}.png")
    finally:
        pdf.close()
