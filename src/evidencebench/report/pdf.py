"""The PDF: the same HTML page laid out by WeasyPrint with its print stylesheet, offline."""

from __future__ import annotations

import hashlib
import logging

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher


class OfflineFetcher(URLFetcher):
    """Refuse every fetch: the page is self-contained, so a fetch would be a bug (and a leak)."""

    def fetch(self, url, headers=None):
        raise FatalURLFetchingError(f"the report must not load anything, but asked for {url[:80]!r}")


def render_pdf(html: str) -> bytes:
    """PDF bytes; the identifier is derived from the content so equal input gives equal output."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    document = HTML(string=html, base_url=None, url_fetcher=OfflineFetcher())
    return document.write_pdf(pdf_identifier=identifier)
