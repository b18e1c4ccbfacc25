"""A claim's quote shown in its surrounding text, so readers judge it in context."""

from __future__ import annotations

from dataclasses import dataclass

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
