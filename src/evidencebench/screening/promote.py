"""`evidence screen promote`: included records become references in refs/, to be verified there.

A record included at full text is a study of the review, and evidence links may cite only refs/.
So its entry is copied, byte for byte as the library holds it and under the same key, to the end of
one .bib file in refs/; the library keeps its copy as the record of what was screened. A copied
entry has no url, design or population yet (a search export has none), and `check` says so until a
reviewer has checked it against its public page: being included is not being verified.

A record already in refs/ (same key, or the same study by DOI, PMID or title) is not copied
again, so promoting twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import bibtexparser
from bibtexparser import model

from ..review.atomic import atomic_write_bytes, fingerprint
from ..review.errors import InputError
from ..review.loader import ReviewData
from ..review.screening import screening_of
from ..rules.screening import outcomes, promoted

DEFAULT_TARGET = "refs/screened.bib"


@dataclass
class PromoteResult:
    target: str
    dry_run: bool
    added: list[str] = field(default_factory=list)  # record keys copied
    already: list[tuple[str, str]] = field(default_factory=list)  # (record key, reference key) already in refs/


def _raw_entries(path: Path) -> dict[str, str]:
    """Each entry's text as it stands in the file, by key (so the copy keeps every byte)."""
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    library = bibtexparser.parse_string(text, parse_stack=[])
    return {b.key: b.raw for b in library.blocks if isinstance(b, model.Entry) and b.raw}


def promote(review: ReviewData, into: str | Path = DEFAULT_TARGET, dry_run: bool = False, today: date | None = None) -> PromoteResult:
    """Copy every included record not yet in refs/ into `into` (a .bib file directly in refs/)."""
    root = review.root
    target = Path(into) if Path(into).is_absolute() else root / into
    if target.suffix != ".bib" or target.parent.resolve() != (root / "refs").resolve():
        raise InputError(f"--into {into}: must be a .bib file directly in {root / 'refs'} (the review reads refs/*.bib)")
    result = PromoteResult(f"refs/{target.name}", dry_run)
    data = screening_of(review)
    links = promoted(review, data)
    raw: dict[str, dict[str, str]] = {}
    blocks: list[str] = []
    for key, fate in outcomes(review, data).items():
        if fate.status != "included":
            continue
        if key in links:
            result.already.append((key, links[key]))
            continue
        rec = data.records[key]
        entries = raw.setdefault(rec.file, _raw_entries(root / rec.file))
        if key not in entries:
            raise InputError(f"{rec.file}: entry {key!r} could not be located; nothing was written")
        blocks.append(entries[key].strip())
        result.added.append(key)
    if not blocks or dry_run:
        return result
    before = target.read_bytes() if target.exists() else b""
    try:
        text = before.decode("utf-8") if before else ""
    except UnicodeDecodeError:
        raise InputError(f"{result.target}: not UTF-8 (see `evidence check`); nothing was written") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    day = (today or date.today()).isoformat()
    head = [
        f"% Included at full text in screening; copied by evidence screen promote on {day}.",
        "% Verify each entry against its public page, then add url, design and population.",
        "",
    ]
    text += (newline if text else "") + newline.join([*head, *(b.replace("\r\n", "\n").replace("\n", newline) + newline for b in blocks)])
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, text.encode("utf-8"), expected=fingerprint(before))
    return result
