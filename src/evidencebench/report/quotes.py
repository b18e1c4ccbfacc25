"""A claim's quote shown in its surrounding text, so readers judge it in context."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ..review import provenance

WINDOW = 200
"""Characters of document text shown on each side of the quote."""


@dataclass(frozen=True)
class QuoteContext:
    before: str  # starts with "…" when cut
    quote: str  # the document's own characters at the quote's offsets
    after: str  # ends with "…" when cut
    start: int
    end: int


def _cut_before(text: str, start: int, window: int) -> str:
    lo = max(0, start - window)
    piece = text[lo:start]
    if lo > 0:
        space = piece.find(" ")
        if 0 <= space < len(piece) // 2:
            piece = piece[space + 1 :]
        return "…" + piece
    return piece


def _cut_after(text: str, end: int, window: int) -> str:
    hi = min(len(text), end + window)
    piece = text[end:hi]
    if hi < len(text):
        space = piece.rfind(" ")
        if space > len(piece) // 2:
            piece = piece[:space]
        return piece + "…"
    return piece


def quote_in_context(
    text: str | None, quote: str, start: int | None, end: int | None, window: int = WINDOW
) -> QuoteContext | None:
    """The quote with `window` characters either side, cut at word boundaries.

    Stored offsets are used when they still hold the quote (the normal case: `check`
    verifies them); otherwise the quote is searched for, and None means it is not there.
    """
    if text is None or not quote:
        return None
    if start is None or end is None or not provenance.matches_at(text, quote, start, end):
        found = provenance.anchor(text, quote, near=start or 0)
        if found is None:
            return None
        start, end = found.start, found.end
    return QuoteContext(
        before=_cut_before(text, start, window),
        quote=text[start:end],
        after=_cut_after(text, end, window),
        start=start,
        end=end,
    )


@dataclass(frozen=True)
class Segment:
    """A run of document text and the claims whose quotes cover it (quotes may overlap)."""

    text: str
    claims: tuple[str, ...]  # claims quoting this run; empty for unquoted text
    starts: tuple[str, ...]  # claims whose quote starts at this run
    ends: tuple[str, ...]  # claims whose quote ends with this run


def segments(text: str, quotes: list[tuple[str, int, int]]) -> list[Segment]:
    """The whole text cut at every quote boundary, so each quoted passage can be highlighted
    and linked to its claim (and the claim back to it), overlapping quotes included."""
    spans = [(cid, s, e) for cid, s, e in quotes if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    starts: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    for cid, s, e in spans:
        starts.setdefault(s, []).append(cid)
        ends.setdefault(e, []).append(cid)
    open_: list[str] = []
    out = []
    for lo, hi in pairwise(cuts):
        open_ += starts.get(lo, [])
        closing = ends.get(hi, [])
        out.append(Segment(text[lo:hi], tuple(open_), tuple(starts.get(lo, [])), tuple(closing)))
        open_ = [c for c in open_ if c not in closing]
    return out
