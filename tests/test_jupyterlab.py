"""The notebooks in a real JupyterLab, driven by Chromium: what a researcher sees and does.

JupyterLab is started from the project's environment on 127.0.0.1 with a generated token, on a
copy of the review (so nothing here touches the repository's files), with settings, runtime and
data folders of its own and the `evidencebench` kernel installed for the Python running the tests.
Chromium (Debian's /usr/bin/chromium, via Playwright) opens every notebook as a researcher would:
first as it is committed, untrusted (tables and the evidence map must already show), then Run All
(no error output, the expected headings). In rate.ipynb it fills one claim in the rating form and
checks that the reviewer's sheet gained exactly that row and that `evidence agree` reads it.
JupyterLab is stopped by its process id. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidencebench import load_review
from evidencebench.cli import app
from evidencebench.rating import form
from evidencebench.rating.sheets import LINK_RATINGS, RATINGS
from evidencebench.review import vocab

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()), None)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip
JUPYTER = Path(sys.executable).with_name("jupyter")
LEFT_OUT = (".git", ".venv", "reports", "build", "__pycache__", ".ipynb_checkpoints", ".walkthrough", "artifacts",
            ".pytest_cache", ".ruff_cache", "*.egg-info")  # fmt: skip
"""What the copy of the repository leaves out: environments, outputs and caches (the review and its notebooks stay)."""
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
HEADINGS = {
    "overview.ipynb": ["Overview", "Documents", "Verdicts by topic", "Evidence map", "References"],
    "rate.ipynb": ["Rate claims", "The form", "Your progress"],
    "walkthrough-second-document.ipynb": ["Walkthrough: adding a second document to a review"],
    **{f"{t}.ipynb": [f"Review: {t}", "The claims", "Claim by claim", "Summary"]
       for t in ("sedation", "anxiety", "pain", "dosage")},
}  # fmt: skip
REVIEWER = "lab-test"
RUN_TIMEOUT_MS = 120_000

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no system Chromium (/usr/bin/chromium or chromium on PATH); apt-get install chromium"),
    pytest.mark.skipif(not JUPYTER.exists(), reason=f"no {JUPYTER}: JupyterLab is not installed in this environment"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_review(target: Path) -> Path:
    """The repository's review with its notebooks (and the fixtures the walkthrough reads), to work on freely."""
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*LEFT_OUT))
    return target


def _settings(folder: Path) -> None:
    """Every cell in the page (no windowing) and no news or update pop-ups over the notebook."""
    files = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    }
    for rel, value in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    """(base url, token, review copy): JupyterLab serving a copy of the review; stopped by its pid after."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    review = _copy_review(tmp / "review")
    home = tmp / "jupyter"
    for sub in ("config", "data", "runtime", "settings", "workspaces", "ipython", "kernels"):
        (home / sub).mkdir(parents=True)
    _settings(home / "settings")
    subprocess.run(
        [sys.executable, "-m", "ipykernel", "install", "--prefix", str(home / "kernels"), "--name", "evidencebench",
         "--display-name", "Python (evidencebench)"],
        check=True, capture_output=True,
    )  # fmt: skip
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_PATH": str(home / "kernels" / "share" / "jupyter"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    port, token = _free_port(), secrets.token_hex(24)
    log = (tmp / "jupyterlab.log").open("wb")
    proc = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={review}",
         f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
         "--LabApp.news_url=", *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=review, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}: {(tmp / 'jupyterlab.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("JupyterLab did not answer within 90 s")
            time.sleep(0.3)
        yield base, token, review
    finally:
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen) -> None:
    """Stop JupyterLab by its process id; SIGTERM lets it shut its kernels down first."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # a kernel it failed to stop: the group is its own (start_new_session)


@pytest.fixture(scope="module")
def page(lab):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        context.close()
        browser.close()


def _open(page, lab, notebook: str) -> None:
    base, token, _ = lab
    page.goto(f"{base}/lab/tree/notebooks/{notebook}?token={token}&reset")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
    kernel = panel.locator(".jp-Toolbar-kernelName")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName')]"
        ".some(e => e.textContent.includes('evidencebench'))",
        timeout=60_000,
    )
    assert "Python (evidencebench)" in kernel.first.inner_text()
    _wait_idle(page)


def _wait_idle(page) -> None:
    page.wait_for_function(
        "() => { const s = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');"
        " return s && s.getAttribute('data-status') === 'idle'; }",
        timeout=RUN_TIMEOUT_MS,
    )


_PROMPTS = (
    "[...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]"
    ".map(e => e.textContent.trim())"
)


def _menu(page, menu: str, command: str) -> None:
    """Choose a menu item the way a person does: the menu bar, then the item (found by its command id)."""
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').click()


def _run_all(page) -> list[str]:
    """Clear the outputs, Run All from the Run menu, wait until the kernel is done; the code cells' prompts.

    A cell that fails stops the run: the cells after it keep an empty prompt, so a failure shows
    as soon as the kernel is idle again, not as a timeout.
    """
    _menu(page, "Edit", "editmenu:clear-all")  # committed outputs would look like a finished run
    page.wait_for_function(f"() => !{_PROMPTS}.some(t => /\\d/.test(t))", timeout=30_000)
    _menu(page, "Run", "runmenu:run-all")
    started = f"() => {{ const p = {_PROMPTS}; return p.some(t => t.includes('*')) || p.every(t => /^\\[\\d+\\]:$/.test(t)); }}"
    page.wait_for_function(started, timeout=RUN_TIMEOUT_MS)
    page.wait_for_function(f"() => !{_PROMPTS}.some(t => t.includes('*'))", timeout=RUN_TIMEOUT_MS)
    _wait_idle(page)
    return page.evaluate(f"() => {_PROMPTS}")


def _headings(page) -> list[str]:
    texts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput :is(h1, h2)").all_inner_texts()
    return [t.replace("¶", "").strip() for t in texts]


def _errors(page) -> list[str]:
    return page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"jupyterlab-{name}.png"), full_page=False)


def test_the_overview_reads_at_once_when_first_opened_untrusted(page, lab):
    _open(page, lab, "overview.ipynb")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    assert panel.locator(".jp-Notebook-cell .jp-InputPrompt").count() > 0
    figure = panel.locator("table.evidencebench-evidence-map")
    figure.scroll_into_view_if_needed()
    assert figure.is_visible()
    colours = figure.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c).backgroundColor)")
    assert len(set(colours)) > 1  # the heat map's inline colours survived the sanitiser
    cell = panel.locator("table.evidencebench-table td").first
    assert cell.evaluate("c => getComputedStyle(c).textAlign") == "left"
    assert panel.locator("table.evidencebench-table a[href^='https://']").count() > 0
    assert "SVG object" not in panel.inner_text()
    _shot(page, "overview-untrusted")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_runs_all_without_error(page, lab, notebook: str):
    _open(page, lab, notebook)
    prompts = _run_all(page)
    _shot(page, notebook.removesuffix(".ipynb"))
    assert _errors(page) == []
    assert all(re.fullmatch(r"\[\d+\]:", p) for p in prompts), f"cells not run: {prompts}"
    headings = _headings(page)
    missing = [h for h in HEADINGS.get(notebook, []) if h not in headings]
    assert missing == [], headings


def _select(box, label: str) -> None:
    box.locator("select").select_option(label=label)


def test_rating_one_claim_in_the_form_writes_exactly_that_row(page, lab):
    _, _, review_dir = lab
    sheet = review_dir / "ratings" / f"{REVIEWER}.csv"
    assert not sheet.exists()
    review = load_review(review_dir)
    claim = form.claim_ids(review)[0]
    links = form.links_of(review, claim)
    exposure = review.settings.exposures[0]

    _open(page, lab, "rate.ipynb")
    _run_all(page)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    rating = panel.locator(".eb-rating-form")
    rating.wait_for(timeout=30_000)
    name = rating.locator(".eb-reviewer input")
    name.fill(REVIEWER)
    name.press("Enter")
    status = rating.locator(".eb-status")
    sync_api.expect(status).to_contain_text(f"Rating as {REVIEWER}", timeout=30_000)
    assert rating.locator(".eb-claim select").input_value() in (claim, f"{claim}")
    sync_api.expect(rating.locator(".eb-link")).to_have_count(len(links), timeout=30_000)
    for i in range(len(links)):
        box = rating.locator(f".eb-link-{i + 1}")
        _select(box.locator(".eb-stance"), "indirect")
        _select(box.locator(".eb-exposure"), exposure)
        _select(box.locator(".eb-outcome_kind"), "mechanism")
        box.locator(".eb-finding textarea").fill(f"Read in the lab test ({i + 1}).")
    for domain in form.JUDGMENTS:
        _select(rating.locator(f".eb-judgment-{domain}"), "not serious" if domain in vocab.DOWNGRADE_DOMAINS else "none")
    _select(rating.locator(".eb-verdict"), "insufficient evidence")
    rating.locator(".eb-reason-general textarea").fill("No linked study bears directly on the claim.")
    page.wait_for_timeout(300)  # let the last typed value reach the kernel before the click
    rating.locator(".eb-save").click()
    sync_api.expect(status).to_contain_text(f"Saved: {claim} added to ratings/{REVIEWER}.csv", timeout=30_000)
    _shot(page, "rate-saved")

    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    assert [r["claim"] for r in rows] == [claim]
    assert rows[0]["verdict"] == "insufficient evidence" and rows[0]["reasons"] == "No linked study bears directly on the claim."
    assert list(rows[0]) == RATINGS.columns
    link_rows = list(csv.DictReader(io.StringIO((sheet.with_name(f"{REVIEWER}.links.csv")).read_text(encoding="utf-8"))))
    assert list(link_rows[0]) == LINK_RATINGS.columns
    assert [(r["claim"], r["reference"], r["stance"], r["exposure"]) for r in link_rows] == [
        (claim, key, "indirect", exposure) for key in links
    ]
    out = CliRunner().invoke(app, ["agree", "--review", str(review_dir), "-r", "reviewer-1", "-r", REVIEWER])
    assert out.exit_code == 0, out.output
    assert f"Agreement of reviewer-1 and {REVIEWER} on 1 claim(s) both rated" in out.output
