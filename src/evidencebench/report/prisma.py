"""The PRISMA 2020 flow diagram: the numbers from `rules.screening.flow`, drawn as a plain SVG.

The numbers are computed from searches.csv, the screening library and the screening sheets, never
typed in, so the diagram changes when a record is screened in or out. The drawing is hand-written
SVG: boxes, arrows and text in a fixed layout, with no font metrics, no date and no request, so the
same data always gives the same bytes, and the same element serves the HTML page, the PDF and a
notebook. What the data cannot say (searches that did not record how many records they found) is
said in notes beside the figure, not hidden in a number.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from ..review.loader import ReviewData
from ..review.screening import screening_of
from ..rules.screening import UNKNOWN_SOURCE, Flow, flow

__all__ = ["PrismaFigure", "PrismaView", "prisma_counts", "prisma_figure", "prisma_notes", "prisma_svg", "prisma_view"]

_CHAR = 7.4  # average advance of a 13 px sans-serif character, for wrapping
_LINE = 17
_PAD = 10
_LEFT_X, _RIGHT_X, _BOX_W = 44, 436, 340
_WIDTH = _RIGHT_X + _BOX_W + 4
_GAP = 30


def prisma_counts(review: ReviewData) -> Flow | None:
    """The flow's numbers, or None when the review has neither searches nor a screening library."""
    has_searches = bool(review.files.get("searches") and review.files["searches"].records)
    if not has_searches and not screening_of(review).present:
        return None
    return flow(review)


def _n(n: int) -> str:
    """'(n = 1,234)' with no-break spaces, so wrapping never parts a count from its label."""
    return f"(n\u00a0=\u00a0{n:,})"


def _boxes(f: Flow) -> list[tuple[str, list[str], list[str]]]:
    """(phase, left box lines, right box lines) per row of the diagram; a line starting with two spaces is indented."""
    star = "" if f.counts_recorded else " *"
    sources = [f"  {s.source if s.source != UNKNOWN_SOURCE else 'source not recorded'} {_n(s.records)}" for s in f.sources if s.records or s.searches]
    identified = [f"Records identified{star} {_n(f.identified)} from:", *(sources or ["  (no searches recorded)"])]
    removed = [
        "Records removed before screening:",
        f"  Duplicate records removed {_n(f.duplicates)}",
        f"  Records removed for other reasons{star} {_n(f.removed_other)}"
        if any(s.recorded for s in f.sources)
        else f"  Records removed for other reasons: not known{star}",
    ]
    screened = [f"Records screened {_n(f.screened)}"]
    if f.awaiting_screening:
        screened.append(f"  awaiting a decision {_n(f.awaiting_screening)}")
    assessed = [f"Reports assessed for eligibility {_n(f.assessed)}"]
    if f.awaiting_assessment:
        assessed.append(f"  awaiting a decision {_n(f.awaiting_assessment)}")
    reasons = [f"  {reason} {_n(n)}" for reason, n in f.excluded_reasons] or ["  (none)"]
    return [
        ("Identification", identified, removed),
        ("Screening", screened, [f"Records excluded {_n(f.excluded_screening)}"]),
        ("Screening", [f"Reports sought for retrieval {_n(f.sought)}"], [f"Reports not retrieved {_n(f.not_retrieved)}"]),
        ("Screening", assessed, [f"Reports excluded {_n(f.excluded_full_text)}:", *reasons]),
        ("Included", [f"Studies included in review {_n(f.included)}", f"Reports of included studies {_n(f.included)}"], []),
    ]


def _wrap(lines: list[str]) -> list[tuple[str, bool]]:
    """Box lines wrapped to the box width: (text, indented)."""
    width = int((_BOX_W - 2 * _PAD) / _CHAR)
    out = []
    for line in lines:
        indented = line.startswith("  ")
        for i, part in enumerate(textwrap.wrap(line.strip(), width - (2 if indented else 0)) or [""]):
            out.append((part, indented or i > 0))
    return out


def _box(x: int, y: int, lines: list[tuple[str, bool]], height: int, css: str) -> list[str]:
    e = html.escape
    out = [f'<rect class="{css}" x="{x}" y="{y}" width="{_BOX_W}" height="{height}" rx="3" fill="#ffffff" stroke="#1b1b1b" stroke-width="1.2"/>']
    for i, (text, indented) in enumerate(lines):
        tx = x + _PAD + (14 if indented else 0)
        ty = y + _PAD + 13 + i * _LINE
        weight = ' font-weight="bold"' if i == 0 and not indented else ""
        out.append(f'<text x="{tx}" y="{ty}"{weight}>{e(text)}</text>')
    return out


def prisma_svg(f: Flow, element_id: str = "prisma-flow") -> str:
    """The diagram as one <svg> element; deterministic (same numbers, same bytes) and self-contained."""
    e = html.escape
    body: list[str] = []
    y = 44
    rows = []
    boxes = _boxes(f)
    phases = [phase for phase, _, _ in boxes]
    for phase, left, right in boxes:
        lw, rw = _wrap(left), _wrap(right)
        height = max(len(lw), len(rw), 1) * _LINE + 2 * _PAD
        if phases.count(phase) == 1:  # a phase of one row must still hold its rotated label
            height = max(height, int(len(phase) * _CHAR) + 2 * _PAD)
        rows.append((phase, y, height, lw, rw))
        y += height + _GAP
    total = y - _GAP + 8
    title = (
        f"PRISMA 2020 flow diagram: {f.identified:,} records identified, {f.duplicates:,} duplicates and "
        f"{f.removed_other:,} others removed, {f.screened:,} screened, {f.excluded_screening:,} excluded, "
        f"{f.sought:,} reports sought, {f.not_retrieved:,} not retrieved, {f.assessed:,} assessed, "
        f"{f.excluded_full_text:,} excluded, {f.included:,} studies included."
    )
    body.append(f'<title id="{e(element_id)}-title">{e(title)}</title>')
    body.append(
        '<defs><marker id="' + e(element_id) + '-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1b1b1b"/></marker></defs>'
    )
    body.append(
        f'<rect x="{_LEFT_X}" y="4" width="{_RIGHT_X + _BOX_W - _LEFT_X}" height="28" rx="3" fill="#e8eef5" stroke="#1b1b1b" stroke-width="1.2"/>'
        f'<text x="{(_LEFT_X + _RIGHT_X + _BOX_W) // 2}" y="23" text-anchor="middle" font-weight="bold">'
        "Identification of studies via databases and registers</text>"
    )
    spans: dict[str, list[int]] = {}
    for phase, top, height, _lw, _rw in rows:
        span = spans.setdefault(phase, [top, top + height])
        span[1] = top + height
    for phase, (top, bottom) in spans.items():
        mid = (top + bottom) / 2
        body.append(f'<rect x="4" y="{top}" width="28" height="{bottom - top}" rx="3" fill="#e8eef5" stroke="#1b1b1b" stroke-width="1.2"/>')
        body.append(f'<text x="18" y="{mid:.0f}" text-anchor="middle" dominant-baseline="central" font-weight="bold" transform="rotate(-90 18 {mid:.0f})">{e(phase)}</text>')
    arrow = f'stroke="#1b1b1b" stroke-width="1.4" marker-end="url(#{e(element_id)}-arrow)"'
    for i, (_phase, top, height, lw, rw) in enumerate(rows):
        body += _box(_LEFT_X, top, lw, height, "prisma-box")
        if rw:
            body += _box(_RIGHT_X, top, rw, height, "prisma-box prisma-side")
            mid = top + height // 2
            body.append(f'<line x1="{_LEFT_X + _BOX_W}" y1="{mid}" x2="{_RIGHT_X - 2}" y2="{mid}" {arrow}/>')
        if i + 1 < len(rows):
            cx = _LEFT_X + _BOX_W // 2
            body.append(f'<line x1="{cx}" y1="{top + height}" x2="{cx}" y2="{rows[i + 1][1] - 2}" {arrow}/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="prisma-flow" id="{e(element_id)}" role="img" '
        f'aria-labelledby="{e(element_id)}-title" viewBox="0 0 {_WIDTH} {total}" '
        f'style="width:100%;max-width:{_WIDTH}px;height:auto" '
        'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="13" fill="#1b1b1b">'
        + "".join(body)
        + "</svg>"
    )


def prisma_notes(review: ReviewData, f: Flow) -> list[str]:
    """What a reader must know to read the numbers: who screened, and what the data could not record."""
    notes = []
    reviewers = list(f.reviewers)
    if not reviewers:
        notes.append("No screening decision is recorded yet.")
    elif len(reviewers) == 1:
        notes.append(f"Records were screened by one reviewer ({reviewers[0]}); no second reviewer screened independently.")
    else:
        notes.append(
            f"Records were screened independently by {', '.join(reviewers[:-1])} and {reviewers[-1]}, each on a sheet of their own; "
            "where they disagreed, the decision recorded in screening/consensus.csv counts "
            "(agreement: `evidence screen agree`)."
        )
    if f.conflicts:
        notes.append(f"{f.conflicts:,} record(s) wait at a stage because the reviewers disagree and no consensus is recorded yet.")
    unrecorded = [s for s in f.sources if not s.recorded]
    if not f.counts_recorded:
        searches = sum(s.searches for s in unrecorded)
        notes.append(
            f"* How many records each search found was not recorded ({searches:,} of {f.searches:,} searches). For those "
            "searches, each screening record naming the search (or its group) counts as one record identified, so "
            "records identified are the records screened plus the duplicates, and records removed for other reasons "
            "(unreadable, without a title, or not kept) could not be counted."
        )
    if f.duplicates:
        notes.append(f"Duplicates: a record found by more than one search is screened once; {f.duplicates:,} later finding(s) were removed.")
    notes.append(
        "Each record counts as one report of one study. A report not retrieved is one excluded at full text for the "
        "reason 'not retrieved'."
    )
    if f.in_refs != f.included:
        notes.append(f"{f.included - f.in_refs:,} included record(s) are not yet in refs/ (`evidence screen promote`).")
    return notes


@dataclass(frozen=True)
class PrismaView:
    """What the report's PRISMA section shows."""

    flow: Flow
    svg: str
    notes: tuple[str, ...]


def prisma_view(review: ReviewData) -> PrismaView | None:
    """The report's PRISMA section, or None for a review with neither searches nor screening."""
    f = prisma_counts(review)
    if f is None:
        return None
    return PrismaView(f, prisma_svg(f), tuple(prisma_notes(review, f)))


class PrismaFigure:
    """The diagram in a notebook: the SVG with its notes as HTML, the numbers as text."""

    def __init__(self, view: PrismaView) -> None:
        self.view = view

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.view.notes)
        return f'<div class="evidencebench-prisma" style="max-width:52em">{self.view.svg}<ul>{notes}</ul></div>'

    def __repr__(self) -> str:
        f = self.view.flow
        lines = [
            f"identified {f.identified} (duplicates {f.duplicates}, other {f.removed_other})",
            f"screened {f.screened}, excluded {f.excluded_screening}, awaiting {f.awaiting_screening}",
            f"sought {f.sought}, not retrieved {f.not_retrieved}, assessed {f.assessed}",
            "excluded at full text: " + (", ".join(f"{r} {n}" for r, n in f.excluded_reasons) or "none"),
            f"awaiting assessment {f.awaiting_assessment}, included {f.included} (in refs/: {f.in_refs})",
        ]
        return "PRISMA 2020 flow\n" + "\n".join(f"  {line}" for line in lines)


def prisma_figure(review: ReviewData) -> PrismaFigure | None:
    """The review's PRISMA 2020 flow diagram for a notebook cell (None without searches or screening)."""
    view = prisma_view(review)
    return PrismaFigure(view) if view is not None else None
