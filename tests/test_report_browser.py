"""The report in a real browser (system Chromium via Playwright) and its PDF rendered to images.

At a 390 px phone and a 1280 px desktop width, no element may stick out of the viewport
unless it sits in a labelled scroll area (role=region with an aria-label and tabindex=0), and
every internal link must have a target. Screenshots and PDF page images are kept in
tests/artifacts/ (git-ignored) for a person to look at.
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
WIDTHS = [("desktop", 1280, 900), ("phone", 390, 844)]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no system Chromium (/usr/bin/chromium or chromium on PATH); apt-get install chromium"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 is not installed")

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrollArea = el => {
    for (let a = el; a; a = a.parentElement) {
      if (a.getAttribute('role') === 'region' && a.getAttribute('aria-label') && a.getAttribute('tabindex') === '0'
          && ['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > width + 0.5 || r.left < -0.5) && !scrollArea(el)) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  return out;
}"""

DANGLING = """() => [...document.querySelectorAll('a[href^="#"]')]
  .map(a => a.getAttribute('href').slice(1))
  .filter(id => !document.getElementById(decodeURIComponent(id)))"""

BAD_REGIONS = """() => [...document.querySelectorAll('[role=region]')]
  .filter(r => !r.getAttribute('aria-label') || r.getAttribute('tabindex') !== '0')
  .map(r => r.outerHTML.slice(0, 80))"""


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


@pytest.mark.parametrize(("name", "width", "height"), WIDTHS)
def test_page_fits_and_links_resolve(browser, real_report: Path, name: str, width: int, height: int) -> None:
    html = real_report / "evidence-report.html"
    context, page, seen = _open(browser, html, width, height)
    try:
        assert seen["errors"] == []
        assert seen["requests"] == [html.as_uri()], "the page requested something besides itself"
        assert page.evaluate(OVERFLOWING) == [], f"elements overflow a {width} px screen outside a labelled scroll area"
        assert page.evaluate(DANGLING) == [], "internal links without a target"
        assert page.evaluate(BAD_REGIONS) == []
        assert page.locator("article.claim").count() > 0
        # the evidence map: the figure on a wide screen; the table reflowed into cards on a phone
        assert page.locator("svg.evidence-map").is_visible() == (width > 640)
        assert page.locator("table.map-table").is_visible()
        page.screenshot(path=ARTIFACTS / f"report-{name}-top.png")
        for anchor in ("findings", "evidence-map", "claims", "documents", "methods", "agreement", "references", "appendix"):
            if page.locator(f"#{anchor}").count():
                page.evaluate(f"document.getElementById('{anchor}').scrollIntoView()")
                page.screenshot(path=ARTIFACTS / f"report-{name}-{anchor}.png")
        first_claim = page.locator("article.claim").first
        first_claim.evaluate("el => el.scrollIntoView()")
        page.screenshot(path=ARTIFACTS / f"report-{name}-claim.png")
    finally:
        context.close()


def test_back_links_and_provenance_links_work(browser, real_report: Path) -> None:
    context, page, _ = _open(browser, real_report / "evidence-report.html", 390, 844)
    try:
        claim = page.locator("article.claim").first
        cid = claim.get_attribute("id").removeprefix("claim-")
        claim.locator(f'a[href="#quote-{cid}"]').click()
        assert page.evaluate("location.hash") == f"#quote-{cid}"
        page.locator(f'#appendix a.qref[href="#claim-{cid}"]').first.click()
        assert page.evaluate("location.hash") == f"#claim-{cid}"
        claim.locator('a[href="#summary"]').click()
        assert page.evaluate("location.hash") == "#summary"
        assert page.evaluate("document.getElementById('summary').getBoundingClientRect().top") < 50
    finally:
        context.close()


def test_filter_needs_no_script_and_no_request(browser, real_report: Path) -> None:
    html = real_report / "evidence-report.html"
    context, page, seen = _open(browser, html, 1280, 900)
    try:
        claims = page.locator("article.claim")
        total = claims.count()
        page.locator("#f-verdict-supported").check()
        shown = [c for c in claims.all() if c.is_visible()]
        assert 0 < len(shown) < total
        assert all("fv-supported" in (c.get_attribute("class") or "") for c in shown)
        page.locator("#f-topic-pain").check()
        assert all(c.is_visible() is False for c in claims.all() if "ft-pain" not in (c.locator("..").get_attribute("class") or ""))
        page.locator("#f-verdict-all").check()
        page.locator("#f-topic-all").check()
        assert sum(c.is_visible() for c in claims.all()) == total
        assert page.locator("script:not([type='application/ld+json'])").count() == 0
        assert seen["requests"] == [html.as_uri()]
    finally:
        context.close()


@pytest.mark.parametrize(("name", "width", "height"), WIDTHS)
def test_hostile_text_stays_text(browser, hostile_report: Path, name: str, width: int, height: int) -> None:
    context, page, seen = _open(browser, hostile_report / "evidence-report.html", width, height)
    try:
        assert seen["dialogs"] == [] and seen["errors"] == []
        assert page.locator("script:not([type='application/ld+json'])").count() == 0
        assert "<script>alert(1)</script>" in page.locator("#claim-x-01 mark").inner_text()
        assert page.evaluate(OVERFLOWING) == []
        assert page.evaluate(DANGLING) == []
        page.screenshot(path=ARTIFACTS / f"report-hostile-{name}.png", full_page=False)
    finally:
        context.close()


def test_pdf_has_no_near_empty_page(real_report: Path) -> None:
    """Every page but the last is at least half covered; the old forced page breaks left near-blank ones."""
    pdf = pdfium.PdfDocument(str(real_report / "evidence-report.pdf"))
    try:
        assert len(pdf) > 1
        for i in range(len(pdf)):
            image = pdf[i].render(scale=0.5).to_pil().convert("L")
            ink = image.point(lambda v: 255 if v < 160 else 0).getbbox()  # box around every dark pixel
            assert ink, f"page {i + 1} is blank"
            if i < len(pdf) - 1:
                used = (ink[3] - ink[1]) / image.height
                assert used > 0.5, f"page {i + 1} is near-empty ({used:.0%} of its height used)"
            if i < 4 or i == len(pdf) - 1:
                pdf[i].render(scale=1.2).to_pil().save(ARTIFACTS / f"report-pdf-page-{i + 1}.png")
    finally:
        pdf.close()


def test_pdf_is_tagged_with_language_and_title(real_report: Path) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed")
    reader = pypdf.PdfReader(real_report / "evidence-report.pdf")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], "no structure tree: the PDF is not tagged"
    assert root["/Lang"] == "en"  # what screen readers and hyphenation go by
    assert reader.metadata.title.startswith("Kratom for sleep")
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # PDF/UA-1 identification (XMP)
