"""Atomic writes that refuse to clobber a file someone else changed meanwhile."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class ConcurrentChangeError(RuntimeError):
    """The file on disk is not the one that was read; writing would lose someone's edit."""


def fingerprint(data: bytes) -> str:
    """SHA-256 of bytes as read, to tell later whether the file changed meanwhile."""
    return hashlib.sha256(data).hexdigest()


def atomic_write_bytes(path: Path, data: bytes, expected: str | None = None) -> None:
    """Write via a temporary file in the same folder and rename it into place.

    `expected` is the fingerprint of the bytes the caller read; when the file now holds
    something else the write is refused, so no concurrent edit is lost.
    """
    path = Path(path)
    if expected is not None and path.exists() and fingerprint(path.read_bytes()) != expected:
        raise ConcurrentChangeError(
            f"{path}: the file changed on disk since it was read; nothing was written. "
            "Run the command again to work on the current version."
        )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, expected: str | None = None) -> None:
    """Text is encoded as UTF-8 with its line endings exactly as given."""
    atomic_write_bytes(path, text.encode("utf-8"), expected=expected)
