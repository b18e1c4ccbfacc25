"""The PDF: the print version of the page laid out by WeasyPrint, offline, tagged (PDF/UA-1).

WeasyPrint is most of the report's time: about a second and a half just to import it and
load its fonts, then the layout. `PdfJob` starts a worker process at the beginning of a build
that imports WeasyPrint and warms its fonts while the parent formats the bibliography; the
parent hands it the print HTML as soon as that exists and builds the figure, the JSON-LD and
the exports meanwhile. Where a worker cannot be forked safely (not Linux, or threads running),
the PDF is rendered in the calling process instead: the same bytes, only later.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import sys
import threading
from functools import cache

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
"""Tagged PDF (structure tree for screen readers) conforming to PDF/UA-1 where WeasyPrint can."""

_WARM_UP = '<!DOCTYPE html><html lang="en"><head><title>warm-up</title></head><body><p>x <b>y</b> <i>z</i> ⊕</p></body></html>'


@cache
def _offline_fetcher():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class OfflineFetcher(URLFetcher):
        """Refuse every fetch: the page is self-contained, so a fetch would be a bug (and a leak)."""

        def fetch(self, url, headers=None):
            raise FatalURLFetchingError(f"the report must not load anything, but asked for {url[:80]!r}")

    return OfflineFetcher()


def _quiet() -> None:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(html: str) -> bytes:
    """PDF bytes; the identifier is derived from the content so equal input gives equal output."""
    from weasyprint import HTML

    _quiet()
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    document = HTML(string=html, base_url=None, url_fetcher=_offline_fetcher())
    return document.write_pdf(pdf_identifier=identifier, **PDF_OPTIONS)


def _warm_up() -> None:
    """Import WeasyPrint and load fonts once, so the real render starts at full speed."""
    with contextlib.suppress(Exception):
        render_pdf(_WARM_UP)


def _serve(conn) -> None:
    """The worker: warm up, then render the one page it is sent and send back bytes or the error."""
    try:
        _warm_up()
        html = conn.recv()
        if html is None:
            return
        try:
            # looked up at call time, so a replaced render_pdf (tests) is the one used
            conn.send(("ok", sys.modules[__name__].render_pdf(html)))
        except BaseException as err:  # the parent re-raises it
            try:
                conn.send(("error", err))
            except Exception:  # not picklable: send its words
                conn.send(("error", RuntimeError(f"{type(err).__name__}: {err}")))
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the parent went away or gave up
    finally:
        conn.close()


def _can_fork() -> bool:
    """Forking is safe only on Linux and from a process with one thread (no lock can be held)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class PdfJob:
    """A PDF rendered by a forked worker (or, failing that, in this process)."""

    def __init__(self) -> None:
        self._html: str | None = None
        self._conn = None
        self._process = None
        if not _can_fork():
            return
        try:
            context = multiprocessing.get_context("fork")
            parent, child = context.Pipe()
            process = context.Process(target=_serve, args=(child,), name="evidencebench-pdf")
            process.start()
            child.close()
        except (OSError, ValueError, AssertionError):  # no processes here: render in-process later
            return
        self._conn, self._process = parent, process

    def submit(self, html: str) -> None:
        """Hand over the print page; the worker lays it out while the caller builds the rest."""
        self._html = html
        if self._conn is not None:
            try:
                self._conn.send(html)
            except (OSError, ValueError):
                self._shut()

    def result(self) -> bytes:
        """The PDF bytes, or the worker's error raised here; rendered here if the worker is gone."""
        if self._html is None:
            raise RuntimeError("PdfJob.result() before submit()")
        if self._conn is not None:
            try:
                status, value = self._conn.recv()
            except (EOFError, OSError):  # the worker died: render here instead
                self._shut()
            else:
                self._shut()
                if status == "error":
                    raise value
                return value
        return sys.modules[__name__].render_pdf(self._html)

    def _shut(self) -> None:
        conn, process, self._conn, self._process = self._conn, self._process, None, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()
        if process is not None:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()

    def close(self) -> None:
        """Stop the worker if it is still there (a build that failed before the PDF)."""
        if self._conn is not None:
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(None)
        self._shut()

    def __enter__(self) -> PdfJob:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
