"""Benchmark: the whole report with and without the PDF, and the ratio of the two.

Times `evidence report` as `make report` runs it (a fresh process: start-up, `check`, the
report), alternating runs without and with the PDF so that a busy machine affects both alike,
and prints wall and CPU time (the process and its workers) and the PDF / no-PDF ratio:

    python benchmarks/report_bench.py                # the repository's review, 3 runs each
    python benchmarks/report_bench.py --runs 5 --steps
    python benchmarks/report_bench.py --review path/to/review

`--steps` adds one in-process build with the report's own step timings (DEBUG log).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.5
"""The issue's target: the report with its PDF within 2.5 times the report without it."""


def evidence_command() -> list[str]:
    script = Path(sys.executable).with_name("evidence")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from evidencebench.cli import app; app()"]


def font_subsetter() -> str:
    """Which subsetter WeasyPrint will use: HarfBuzz's (fast) or its fontTools fallback (about 0.5 s slower here)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from weasyprint.text.ffi import harfbuzz_subset
    return "HarfBuzz" if harfbuzz_subset is not None else "fontTools (install libharfbuzz-subset0 for HarfBuzz)"


def timed_run(review: Path, out: Path, pdf: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and every process it started) for one report."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [*evidence_command(), "report", str(review), "--out", str(out), "--pdf" if pdf else "--no-pdf"],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"evidence report failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def steps(review: Path, out: Path) -> dict[str, float]:
    """The report's own step timings for one in-process build with the PDF."""
    from evidencebench.report import build_report
    from evidencebench.rules.review import load_review

    found: dict[str, float] = {}

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.msg.startswith("report step"):
                found[record.args[0]] = record.args[1]

    log = logging.getLogger("evidencebench.report")
    handler = Collect()
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        build_report(load_review(review), out, pdf=True)
    finally:
        log.removeHandler(handler)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", type=Path, default=ROOT, help="review folder (default: the repository's)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--steps", action="store_true", help="also time the report's steps in-process")
    args = parser.parse_args()

    from evidencebench.rules.review import load_review

    review = load_review(args.review)
    print(
        f"review: {args.review} ({len(review.claims)} claims, {len(review.references)} references); "
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}; "
        f"font subsetting by {font_subsetter()}"
    )
    runs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        timed_run(args.review, Path(tmp) / "warm", pdf=False)  # file-system and byte-code caches
        print(f"{'run':>3}  {'no PDF: wall':>12} {'cpu':>6}  {'with PDF: wall':>14} {'cpu':>6}")
        for i in range(1, args.runs + 1):
            for pdf in (False, True):
                runs[pdf].append(timed_run(args.review, Path(tmp) / f"{'pdf' if pdf else 'html'}-{i}", pdf))
            (w0, c0), (w1, c1) = runs[False][-1], runs[True][-1]
            print(f"{i:>3}  {w0:>10.2f} s {c0:>5.2f}s  {w1:>12.2f} s {c1:>5.2f}s")
        if args.steps:
            print("steps of one in-process build with the PDF (s):")
            for name, seconds in steps(args.review, Path(tmp) / "steps").items():
                print(f"  {name:<13} {seconds:6.2f}")
    wall = {pdf: statistics.median(w for w, _ in r) for pdf, r in runs.items()}
    cpu = {pdf: statistics.median(c for _, c in r) for pdf, r in runs.items()}
    ratio = wall[True] / wall[False]
    print(f"median wall: no PDF {wall[False]:.2f} s, with PDF {wall[True]:.2f} s")
    print(f"median CPU:  no PDF {cpu[False]:.2f} s, with PDF {cpu[True]:.2f} s (ratio {cpu[True] / cpu[False]:.2f})")
    print(f"PDF / no-PDF time ratio: {ratio:.2f} (target {TARGET}: {'met' if ratio <= TARGET else 'not met'}); "
          f"load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
