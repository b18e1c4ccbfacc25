"""Documents under review: verbatim texts plus an index that pins each by its hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    title: str
    url: str
    publisher: str
    accessed: str
    sha256: str
    note: str
    text: str | None  # None when the file is missing
    actual_sha256: str | None
    line: int  # line of its row in documents/index.csv

    @property
    def changed(self) -> bool:
        """Whether the text on disk no longer matches its recorded sha256 (quotes may have moved)."""
        return self.actual_sha256 is not None and self.actual_sha256 != self.sha256


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, as recorded in documents/index.csv."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_text(path: Path) -> tuple[str | None, str | None]:
    """Text and hash of a document; UTF-8 with replacement so a stray byte never stops a review."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None, None
    return data.decode("utf-8", errors="replace"), hashlib.sha256(data).hexdigest()


def line_of(text: str, offset: int) -> int:
    """The 1-based line of a character offset, for messages."""
    return text.count("\n", 0, max(0, offset)) + 1
