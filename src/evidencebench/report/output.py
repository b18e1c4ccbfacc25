"""All-or-nothing output: files are staged in a hidden folder, then moved into place.

A build that fails at any step (a PDF error, a full disk, Ctrl-C) leaves the previous
report exactly as it was and no half-written file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path


class Stage:
    def __init__(self, out_dir: Path, folder: Path) -> None:
        self.out_dir = out_dir
        self.folder = folder
        self.names: list[str] = []

    def write(self, name: str, data: str | bytes) -> None:
        """Write one output file into the staging folder, synced to disk (names may not repeat or hold a path)."""
        if name in self.names or Path(name).name != name:
            raise ValueError(f"bad or repeated output name {name!r}")
        payload = data.encode("utf-8") if isinstance(data, str) else data
        with open(self.folder / name, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        self.names.append(name)

    def publish(self, remove: Iterable[str] = ()) -> list[Path]:
        """Move every staged file into the output folder; drop `remove` (stale outputs)."""
        written = []
        for name in self.names:
            target = self.out_dir / name
            os.replace(self.folder / name, target)
            written.append(target)
        for name in remove:
            if name not in self.names:
                (self.out_dir / name).unlink(missing_ok=True)
        return written


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Stage]:
    """A staging folder inside `out_dir` whose files replace the old report only when every file was written."""
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
    try:
        yield Stage(out_dir, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()  # only if still empty
        raise
    shutil.rmtree(folder, ignore_errors=True)
