"""Quote provenance: find a stored quote in its document, as a W3C TextQuoteSelector would.

The match folds typographic differences (curly vs straight quotes, dashes, runs of white
space) so that a quote typed on a different keyboard still anchors, but the stored quote
itself is never rewritten: only offsets and context move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = 32

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    suffix: str


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, its offset in the original."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if in_space:
                continue
            in_space = True
            out.append(" ")
        else:
            in_space = False
            out.append(ch)
        index.append(i)
    index.append(len(text))
    return "".join(out), index


def fold_quote(quote: str) -> str:
    """A quote folded for comparison: typographic quotes, dashes and white space made plain."""
    return _SPACE.sub(" ", quote.translate(_FOLD)).strip()


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The text just before and after a span, as stored in prefix and suffix."""
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def matches_at(text: str, quote: str, start: int, end: int) -> bool:
    """Whether the quote (folded) is at exactly these offsets."""
    if not (0 <= start <= end <= len(text)):
        return False
    return text[start:end] == quote or fold_quote(text[start:end]) == fold_quote(quote)


def find_all(text: str, quote: str, folded: tuple[str, list[int]] | None = None) -> list[tuple[int, int]]:
    """Every place the quote occurs, as (start, end) offsets into the original text."""
    needle = fold_quote(quote)
    if not needle:
        return []
    hay, index = folded if folded is not None else fold(text)
    spans = []
    pos = hay.find(needle)
    while pos != -1:
        spans.append((index[pos], index[pos + len(needle) - 1] + 1))
        pos = hay.find(needle, pos + 1)
    return spans


def anchor(
    text: str,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    near: int = 0,
    folded: tuple[str, list[int]] | None = None,
) -> Anchor | None:
    """Locate the quote; among several occurrences prefer the one whose context matches."""
    spans = find_all(text, quote, folded)
    if not spans:
        return None

    def score(span: tuple[int, int]) -> tuple[int, int]:
        before, after = context(text, *span)
        ctx = int(bool(prefix) and fold_quote(before).endswith(fold_quote(prefix)))
        ctx += int(bool(suffix) and fold_quote(after).startswith(fold_quote(suffix)))
        return (-ctx, abs(span[0] - near))

    start, end = min(spans, key=score)
    before, after = context(text, start, end)
    return Anchor(start, end, before, after)
