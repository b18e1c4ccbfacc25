"""The evidence map: deterministic, vector only, safe with any topic name."""

from __future__ import annotations

import re

from evidencebench.report.figures import evidence_map_svg
from evidencebench.report.model import MAP_COLUMNS

COUNTS = {"sedation": {"high": 2, "low": 10}, "anxiety": {}, "pain": {"no rated evidence": 3}}


def test_same_data_same_bytes() -> None:
    assert evidence_map_svg(COUNTS, MAP_COLUMNS) == evidence_map_svg(dict(COUNTS), MAP_COLUMNS)


def test_inline_ready_and_vector_only() -> None:
    svg = evidence_map_svg(COUNTS, MAP_COLUMNS)
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg and "<metadata" not in svg
    assert "<image" not in svg and "data:" not in svg
    assert 'aria-labelledby="evidence-map-caption"' in svg
    assert not re.search(r'<svg[^>]* width="', svg)  # scales with its container
    assert "viewBox" in svg


def test_hostile_topic_names() -> None:
    svg = evidence_map_svg({"<script>alert(1)</script>": {"low": 1}, "cost $5 or $6": {}, "": {}}, MAP_COLUMNS)
    assert "<script" not in svg


def test_no_topics() -> None:
    assert "<svg" in evidence_map_svg({}, MAP_COLUMNS)
