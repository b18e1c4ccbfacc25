"""A larger review still builds quickly and completely (guards against per-claim scans)."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from test_report_support import write_synthetic_review

from evidencebench.report import build_report
from evidencebench.rules.review import load_review


def test_thousand_claims(tmp_path: Path) -> None:
    root = write_synthetic_review(tmp_path / "big", n_claims=1000, n_refs=300)
    review = load_review(root)
    started = time.perf_counter()
    written = build_report(review, tmp_path / "out", pdf=False)
    elapsed = time.perf_counter() - started
    assert elapsed < 30, f"1,000 claims took {elapsed:.1f} s"  # ~3 s here; 10,000 take ~19 s
    html = written[0].read_text(encoding="utf-8")
    assert html.count('<article class="claim ') == 1000
    assert html.count('<li id="ref-') == 300
    assert len(json.loads((tmp_path / "out" / "claimreview.jsonld").read_text(encoding="utf-8"))) == 1000
    with (tmp_path / "out" / "evidence.csv").open(encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == len(review.evidence)
