"""Sentences of a plain-text document, with exact character offsets.

pysbd splits sentences well but knows nothing of layout: a heading without a full stop
runs into the next sentence and a list marker sticks to its item. So lines are first
grouped into blocks (heading, list item, paragraph), pysbd splits each block, and a small
repair step re-joins splits after abbreviations pysbd misses ("approx. 300 mg").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pysbd

from ..review import provenance


def wordset(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string, for readable lists."""
    return frozenset(words.split())


_ITEM = re.compile(r"^[ \t]*(?:[-*•·▪‣◦–]|\d{1,3}[.)]|[a-z]\))[ \t]+(?=\S)")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*(?:\[\d+[a-z]?\])*$")  # ends a block (citation markers may follow)
_UNFINISHED = re.compile(r"[,\-–—(]$")  # a line ending so is never a heading
_HEADING_TAIL_WORDS = wordset("a an and as at by for from in is of on or that the to with")
_ABBREVIATIONS = wordset(
    "approx ca vs e.g i.e cf fig figs no nos vol incl est min max avg wk wks hr hrs resp ref refs "
    "tbsp tsp oz lb lbs al dr prof mr mrs ms st jr sr mt"
)
_TITLES = wordset("dr prof mr mrs ms st mt")


@dataclass(frozen=True)
class Segment:
    """One sentence (or heading) and where it is in the document text."""

    start: int
    end: int
    text: str
    kind: str  # sentence | item | heading
    heading: str = ""  # the nearest heading above, a hint for the topic


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    kind: str


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, line terminator excluded."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _is_heading(line: str, prev: str | None, nxt: str | None, after_heading: bool) -> bool:
    """Short, unpunctuated (a question mark allowed), not the middle of a wrapped paragraph."""
    stripped = line.strip()
    words = stripped.split()
    if not words or len(words) > 12 or len(stripped) > 100 or _UNFINISHED.search(stripped):
        return False
    if _TERMINAL.search(stripped) and not stripped.endswith("?"):
        return False
    if words[-1].lower() in _HEADING_TAIL_WORDS:
        return False  # a wrapped line, not a title
    if not after_heading and prev is not None and prev.strip() and not _TERMINAL.search(prev.strip()):
        return False  # continues the line above
    following = (nxt or "").strip()
    if stripped.endswith("?") and not following:
        return False  # a question standing alone is a sentence, not a section title
    return not following[:1].islower()


def _continues(text: str, block: _Block, line: str, prev: str) -> bool:
    """Whether a line carries on the block above (a wrapped paragraph or list item)."""
    if _TERMINAL.search(text[block.start : block.end].rstrip()):
        return False
    if line.lstrip()[:1].islower():
        return True
    if block.kind == "item":
        return line[:1] in " \t"
    return len(prev.strip()) >= 40


def _blocks(text: str) -> list[_Block]:
    lines = _lines(text)
    blocks: list[_Block] = []
    open_ = False  # whether the last block may take the next line
    after_heading = False
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        prev = text[slice(*lines[i - 1])] if i else None
        nxt = text[slice(*lines[i + 1])] if i + 1 < len(lines) else None
        if not line.strip():
            open_ = after_heading = False
            continue
        item = _ITEM.match(line)
        if item:
            blocks.append(_Block(s + item.end(), e, "item"))
        elif open_ and prev is not None and _continues(text, blocks[-1], line, prev):
            blocks[-1] = _Block(blocks[-1].start, e, blocks[-1].kind)
        elif _is_heading(line, prev, nxt, after_heading):
            lead, trail = len(line) - len(line.lstrip()), len(line) - len(line.rstrip())
            blocks.append(_Block(s + lead, e - trail, "heading"))
            open_, after_heading = False, True
            continue
        else:
            blocks.append(_Block(s, e, "sentence"))
        open_ = not _TERMINAL.search(text[blocks[-1].start : blocks[-1].end].rstrip())
        after_heading = False
    return blocks


_CITATIONS = re.compile(r"^\s*(?:\[\d+[a-z]?(?:[,–-]\s*\d+)*\])+\s*$")


def _open_quote(text: str) -> bool:
    """Whether a quotation opened in `text` is still open at its end."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _repair(pieces: list[str]) -> list[str]:
    """Join pieces that pysbd split wrongly.

    After an abbreviation ("approx. 300 mg"); before a run of citation markers that ends a
    paragraph ("... inconclusive.[1][4]" stays one sentence); and inside a quotation, so a
    quoted passage of several sentences stays with the words that attribute it.
    """
    out: list[str] = []
    for piece in pieces:
        if out:
            tail = re.search(r"(\S+)\.\s*$", out[-1])
            word = tail.group(1).lower().lstrip("(") if tail else ""
            nxt = piece.lstrip()[:1]
            closes = "”" in piece if out[-1].count("“") > out[-1].count("”") else '"' in piece
            if (
                (word in _ABBREVIATIONS and (word in _TITLES or nxt.islower() or nxt.isdigit() or nxt in "(["))
                or _CITATIONS.match(piece)
                or (_open_quote(out[-1]) and closes)
            ):
                out[-1] += piece
                continue
        out.append(piece)
    return out


_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=False)


def _sentences(text: str, block: _Block) -> list[tuple[int, int]]:
    # a wrapped line break is not a sentence end; same-length blanks keep the offsets
    body = text[block.start : block.end].replace("\r", " ").replace("\n", " ")
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _repair(_SEGMENTER.segment(body)):
        needle = piece.strip()
        if not needle:
            continue
        at = body.find(needle, cursor)
        if at < 0:  # pysbd changed the text (rare): fall back to a folded match
            found = [sp for sp in provenance.find_all(body, needle) if sp[0] >= cursor]
            if not found:
                continue
            at, end = found[0]
        else:
            end = at + len(needle)
        spans.append((block.start + at, block.start + end))
        cursor = end
    return spans


def segment(text: str) -> list[Segment]:
    """Headings, list items and sentences in document order, offsets into `text`."""
    out: list[Segment] = []
    heading = ""
    for block in _blocks(text):
        if block.kind == "heading":
            heading = text[block.start : block.end]
            out.append(Segment(block.start, block.end, heading, "heading", heading))
            continue
        for s, e in _sentences(text, block):
            out.append(Segment(s, e, text[s:e], block.kind, heading))
    return out
