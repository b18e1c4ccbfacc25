"""Opening a review's files safely: only regular files are read, and folders are listed with errors kept.

A FIFO named like a data file would block a reader for ever, and a device or socket is never data;
an unreadable file or folder must end `check` with exit 2 naming it, not look like an empty review.
So every read of a review's files goes through here: the kind of file is checked with `stat`
(which never opens it) before any byte is read, and every failure becomes a `FileTrouble`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


@dataclass(frozen=True)
class FileTrouble(Exception):
    """Why a path could not be read; `kind` is 'special' for FIFOs, devices and sockets."""

    path: Path
    reason: str
    kind: str = "unreadable"  # unreadable | special | missing

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


def kind_of(path: Path) -> str | None:
    """What a path is when it is not a regular file ('a FIFO (named pipe)', ...), else None."""
    mode = os.stat(path).st_mode
    return None if stat.S_ISREG(mode) else KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, or FileTrouble; a FIFO, device or socket is never opened."""
    try:
        other = kind_of(path)
    except FileNotFoundError:
        raise FileTrouble(path, "no such file", "missing") from None
    except OSError as err:
        raise FileTrouble(path, err.strerror or str(err)) from None
    if other is not None:
        raise FileTrouble(path, f"is {other}, not a regular file", "special" if other != KINDS[stat.S_IFDIR] else "unreadable")
    try:
        with open(path, "rb", opener=_nonblocking) as fh:
            return fh.read()
    except OSError as err:
        raise FileTrouble(path, err.strerror or str(err)) from None


def _nonblocking(path: str, flags: int) -> int:
    """Open without blocking: a file swapped for a FIFO between stat and open still cannot hang."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def list_folder(folder: Path, pattern: str) -> list[Path]:
    """The folder's entries matching `pattern`, sorted; FileTrouble when the folder cannot be listed.

    A missing folder is an empty list (a review may have no refs/ yet); `Path.glob` would also
    return nothing for a folder it may not read, which would hide the problem.
    """
    if not folder.exists():
        return []
    try:
        if not folder.is_dir():
            raise FileTrouble(folder, "is not a folder")
        with os.scandir(folder) as entries:
            names = [e.name for e in entries]
    except OSError as err:
        raise FileTrouble(folder, err.strerror or str(err)) from None
    return sorted(folder / n for n in names if Path(n).match(pattern))
