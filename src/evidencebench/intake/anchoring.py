"""Re-anchoring quotes after a document changed: offsets move, quotes never do."""

from __future__ import annotations

from dataclasses import dataclass

from ..review import provenance
from ..review.csvfile import rewrite_records
from ..rules.review import Review


@dataclass(frozen=True)
class AnchorResult:
    moved: list[tuple[str, int, int]]  # claim id, new start, new end
    missing: list[str]  # claim ids whose quote is gone
    rehashed: list[str]  # documents whose new hash was recorded


def reanchor(review: Review, dry_run: bool = False) -> AnchorResult:
    """Record new offsets (and context) of moved quotes; accept a changed document's hash
    only when every quote of it was found, so a lost quote is never silently accepted."""
    claims = review.files["claims"]
    changes: dict[int, dict[str, str]] = {}
    moved, missing = [], []
    gone_docs: set[str] = set()
    folded: dict[str, tuple[str, list[int]]] = {}
    for i, rec in enumerate(claims.records):
        v = rec.values
        doc = review.documents.get(v.get("document", ""))
        if doc is None or doc.text is None:
            continue
        try:
            start, end = int(v["start"]), int(v["end"])
        except (KeyError, ValueError):
            start, end = -1, -1
        if provenance.matches_at(doc.text, v.get("quote", ""), start, end):
            continue
        folded.setdefault(doc.id, provenance.fold(doc.text))
        found = provenance.anchor(doc.text, v.get("quote", ""), v.get("prefix", ""), v.get("suffix", ""), max(start, 0), folded[doc.id])
        if found is None:
            missing.append(v.get("id", ""))
            gone_docs.add(doc.id)
            continue
        moved.append((v.get("id", ""), found.start, found.end))
        changes[i] = {"start": str(found.start), "end": str(found.end), "prefix": found.prefix, "suffix": found.suffix}
    rehash = {
        i: {"sha256": doc.actual_sha256}
        for i, rec in enumerate(review.files["documents"].records)
        if (doc := review.documents.get(rec.values.get("id", ""))) is not None
        and doc.changed
        and doc.id not in gone_docs
        and doc.line == rec.line
    }
    if not dry_run:
        if changes:
            rewrite_records(claims, changes)
        if rehash:
            rewrite_records(review.files["documents"], rehash)
    rehashed = [review.files["documents"].records[i].values["id"] for i in rehash]
    return AnchorResult(moved, missing, rehashed)
