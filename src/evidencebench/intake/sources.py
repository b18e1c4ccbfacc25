"""Reading a document that a researcher brings: plain text, a saved web page or a PDF.

A review quotes one fixed text, so whatever the original is, it becomes one UTF-8 text that
`extract` stores under documents/ and never changes; the original is kept beside it so
anyone can check the text against it. Web pages go through trafilatura (main text only:
navigation, banners, cookie notices, share buttons, related links and footers are left out;
headings, paragraphs and list items become the blocks the segmenter expects); PDFs through
pypdf (their text layer, page by page). Title, author, date, URL and site name come from the
page's own metadata when it has them, and are never guessed from the text.

Every failure is an InputError naming the file and what to do, so the command prints a
message, not a traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..review.errors import InputError

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})


@dataclass(frozen=True)
class Source:
    """A document's text as it will be stored, with what its file said about itself."""

    kind: str  # text | html | pdf
    text: str
    title: str = ""
    author: str = ""
    date: str = ""  # YYYY-MM-DD, from the page's metadata only
    url: str = ""
    publisher: str = ""
    tool: str = ""  # the library (and version) that extracted the text; empty for plain text
    metadata: tuple[str, ...] = field(default=())  # names of the fields the metadata supplied

    @property
    def original_suffix(self) -> str:
        """The suffix the original is stored under beside the text (empty for plain text)."""
        return {"html": ".html", "pdf": ".pdf"}.get(self.kind, "")

    @property
    def date_label(self) -> str:
        """What the date means: a page's publication date, or the day a PDF file was made."""
        return "created" if self.kind == "pdf" else "published"

    @property
    def described(self) -> str:
        """What the original is, in words, for notes and messages."""
        return {"html": "saved web page", "pdf": "PDF", "text": "plain text"}[self.kind]


def sniff(path: Path, data: bytes) -> str:
    """The document's kind, from its bytes first and its name second.

    A PDF always starts with `%PDF-`; a saved page starts with a doctype or `<html>` (or is
    named .html). Anything else is read as plain text, whose own checks then apply.
    """
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    if path.suffix.lower() == ".pdf":
        raise InputError(
            f"{path}: named .pdf but it is not a PDF (it does not start with %PDF-); "
            "download or export the PDF again; nothing was written"
        )
    if path.suffix.lower() in HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if path.suffix.lower() in {".mht", ".mhtml", ".webarchive"}:
        raise InputError(
            f"{path}: web archives ({path.suffix}) are not read; save the page as 'Web Page, HTML only' "
            "(.html) and extract that; nothing was written"
        )
    return "text"


def read_source(path: Path) -> tuple[Source, bytes]:
    """The text to store for `path` and the original's bytes; InputError when it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err}); check the path and its permissions") from None
    kind = sniff(Path(path), data)
    if kind == "pdf":
        return pdf_source(Path(path), data), data
    if kind == "html":
        return html_source(Path(path), data), data
    return text_source(Path(path), data), data


def text_source(path: Path, data: bytes) -> Source:
    """Plain text is stored byte for byte, so it must be UTF-8 and hold no NUL bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: the document is not UTF-8 text (bytes {data[err.start:err.start + 4]!r}); "
            "convert it to UTF-8 plain text first (e.g. save as .txt in an editor); nothing was written"
        ) from None
    if "\x00" in text:
        raise InputError(
            f"{path}: the document holds NUL bytes, so it is not plain text (a PDF, a word-processor file?); "
            "export it as plain text, HTML or PDF; nothing was written"
        )
    return Source("text", text)


# -- web pages -------------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def _flat(element: Any) -> str:
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def _blocks(main: Any) -> str:
    """Headings, paragraphs, quotations, list items and table rows as text blocks.

    Blocks are separated by a blank line, consecutive list items by a line break, and list
    items start with "- ", which is how the segmenter recognises them.
    """
    out: list[str] = []
    previous = ""
    for el in main.iter("head", "p", "quote", "item", "row", "code"):
        if el.tag != "item" and any(a.tag in {"item", "row", "quote"} for a in el.iterancestors()):
            continue  # inside a block that is taken whole
        if el.tag == "item" and any(a.tag == "item" for a in el.iterancestors()):
            continue
        cells = (_flat(cell) for cell in el.iter("cell"))
        text = " | ".join(c for c in cells if c) if el.tag == "row" else _flat(el)
        if not text:
            continue
        if out:
            out.append("\n" if el.tag == previous == "item" else "\n\n")
        out.append(f"- {text}" if el.tag == "item" else text)
        previous = el.tag
    return "".join(out)


def _no_main_text(path: Path) -> str:
    return (
        f"{path}: no main text was found in this web page (only navigation or scripts?). "
        "Save the page after it has loaded in the browser ('Save Page As', HTML), or copy the "
        "article into a UTF-8 .txt file and extract that; nothing was written"
    )


def html_source(path: Path, data: bytes) -> Source:
    """The main text of a saved page, blocks separated by blank lines, and its metadata."""
    import trafilatura
    from lxml import etree

    try:
        xml = trafilatura.extract(
            data,
            output_format="xml",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            # metadata only: a date is never guessed from the text or the URL
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # a malformed page can fail anywhere inside the parser
        raise InputError(f"{path}: the web page could not be read ({type(err).__name__}: {err}); nothing was written") from None
    if not xml:
        raise InputError(_no_main_text(path))
    doc = etree.fromstring(xml.encode("utf-8"))
    main = doc.find("main")
    body = _blocks(main if main is not None else doc)
    if not body.strip():
        raise InputError(_no_main_text(path))
    meta = {k: (doc.get(k) or "").strip() for k in ("title", "author", "date", "url", "sitename")}
    return Source(
        kind="html",
        text=body + "\n",
        title=meta["title"],
        author=meta["author"],
        date=meta["date"] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"]) else "",
        url=meta["url"],
        publisher=meta["sitename"],
        tool=f"trafilatura {trafilatura.__version__}",
        metadata=tuple(k for k in ("title", "author", "date", "url", "sitename") if meta[k]),
    )


# -- PDFs ------------------------------------------------------------------------------
_MARKER_ONLY = re.compile(r"^[ \t]*[•·▪‣◦●○■□–\-*]?[ \t]*$")


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs every repair it makes to a damaged file; the user needs one message, not those."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _tidy_page(text: str) -> str:
    """Line ends normalised; trailing blanks, lines holding only a list marker and repeated blank lines dropped.

    PDF list markers are often drawn apart from their items, so pypdf returns them on lines
    of their own (or after the page's text); they carry no words to quote.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\x0c", "\n").split("\n")
    out: list[str] = []
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            if out and out[-1]:
                out.append("")
        elif not _MARKER_ONLY.match(line):
            out.append(line)
    return "\n".join(out).strip("\n")


def _pdf_date(value: object) -> str:
    match = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", str(value or ""))
    if not match or not match.group(2) or not match.group(3):
        return ""
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}"


def pdf_source(path: Path, data: bytes) -> Source:
    """The text layer of a PDF, pages separated by a blank line, and its document information."""
    import io

    import pypdf

    try:
        with _quiet_pypdf():
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(
                    f"{path}: the PDF is protected by a password; save an unprotected copy "
                    "(print to PDF) and extract that; nothing was written"
                )
            pages = [_tidy_page(page.extract_text() or "") for page in reader.pages]
            info = reader.metadata or {}
            title = str(info.get("/Title") or "").strip()
            author = str(info.get("/Author") or "").strip()
            created = _pdf_date(info.get("/CreationDate"))
    except InputError:
        raise
    except Exception as err:  # a damaged PDF can fail anywhere inside the parser
        raise InputError(
            f"{path}: the PDF cannot be read ({type(err).__name__}: {err}); it may be damaged or incomplete. "
            "Download or export it again; nothing was written"
        ) from None
    text = "\n\n".join(p for p in pages if p.strip())
    if not text.strip():
        raise InputError(
            f"{path}: the PDF has no text layer ({len(pages)} page(s), no extractable text: a scan or images "
            "of text?). Run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) and extract the result, or "
            "type the text into a UTF-8 .txt file; nothing was written"
        )
    meta = (("title", title), ("author", author), ("date", created))
    return Source(
        kind="pdf",
        text=text + "\n",
        title=title,
        author=author,
        date=created,
        tool=f"pypdf {pypdf.__version__}",
        metadata=tuple(k for k, v in meta if v),
    )
