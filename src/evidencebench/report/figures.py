"""The evidence map (topic × certainty) as a static SVG for inlining in the report.

Drawn with matplotlib's object API (no pyplot, no global backend), text as paths so no
font is needed to view it, and with a fixed hash salt and no date so the same data
always gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

import matplotlib
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

_RC = {
    "svg.hashsalt": "evidencebench-evidence-map",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.linewidth": 0,
}
_CMAP = LinearSegmentedColormap.from_list("evidence", ["#f4f7fb", "#9ec1e0", "#2c6aa0", "#173f66"])


def _label(text: str, width: int = 22) -> str:
    """Plain text for matplotlib: `$` would start mathtext; long labels wrap."""
    text = text.replace("$", r"\$")
    if len(text) <= width:
        return text
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return "\n".join([*lines, cur][:3])


def evidence_map_svg(counts: Mapping[str, Mapping[str, int]], columns: Sequence[str]) -> str:
    """A heat-map table: one row per topic, one column per certainty, number of claims in each cell.

    Cells are vector rectangles (not an image), so the SVG holds no embedded raster."""
    topics = list(counts)
    grid = [[counts[t].get(c, 0) for c in columns] for t in topics] or [[0] * len(columns)]
    top = max((n for row in grid for n in row), default=0) or 1
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(1.35 * len(columns) + 2.2, 0.55 * max(len(topics), 1) + 1.1))
        ax = fig.add_subplot()
        for i, row in enumerate(grid):
            for j, n in enumerate(row):
                share = n / top
                cell = Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=_CMAP(share), edgecolor="white", linewidth=2)
                ax.add_patch(cell)
                ink = "white" if share > 0.5 else "#1b1b1b"
                ax.text(j, i, str(n), ha="center", va="center", color=ink, fontweight="bold" if n else "normal")
        ax.set_xlim(-0.5, len(columns) - 0.5)
        ax.set_ylim(len(grid) - 0.5, -0.5)
        ax.set_xticks(range(len(columns)), [_label(c, 12) for c in columns])
        ax.set_yticks(range(len(grid)), [_label(t) for t in topics] or ["(no topics)"])
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return _inline(buf.getvalue())


def _inline(svg: str) -> str:
    """An <svg> element fit for an HTML page: no XML prolog, metadata or comments; scales."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    return svg.replace(
        "<svg ", '<svg class="evidence-map" role="img" aria-labelledby="evidence-map-caption" ', 1
    ).strip()
