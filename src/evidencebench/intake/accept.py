"""Move the candidates a reviewer accepted into claims.csv, under new stable ids.

New rows start neutral (no downgrade, no upgrade, `insufficient evidence`, "Not yet
reviewed.") so `evidence check` stays consistent until someone rates them; existing rows
keep every byte. Running it again adds nothing: a candidate whose quote span is already
a claim of its document is reported, not added twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..review import provenance, schema, vocab
from ..review.csvfile import Record, read_csv, rewrite_records
from ..review.documents import read_text
from ..review.errors import InputError
from ..review.settings import load_settings
from .extract import CANDIDATES

YES = frozenset({"yes", "y", "true", "1", "x"})
NO = frozenset({"no", "n", "false", "0", ""})
_STOP = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to", "with"})
NEUTRAL: dict[str, str] = {
    **{d: "not serious" for d in vocab.DOWNGRADE_DOMAINS},
    **{u: "none" for u in vocab.UPGRADE_DOMAINS},
    "certainty": "",
    "verdict": "insufficient evidence",
    "rationale": "Not yet reviewed.",
}
"""Judgments of a claim nobody has rated yet; no linked study means no certainty."""


@dataclass
class AcceptResult:
    added: list[tuple[str, str]] = field(default_factory=list)  # (new id, quote)
    already: list[tuple[int, str]] = field(default_factory=list)  # (candidates line, existing id)
    rejected: int = 0
    undecided: int = 0
    warnings: list[str] = field(default_factory=list)


def id_prefix(doc_id: str, claims: list[Record]) -> str:
    """The prefix this document's claims already use; else the initials of its id
    (kratom-for-sleep -> ks), or the whole id when another document uses those."""
    mine = Counter(
        m.group(1)
        for r in claims
        if r.values.get("document") == doc_id and (m := re.fullmatch(r"(.+)-\d+", r.values.get("id", "")))
    )
    if mine:
        return mine.most_common(1)[0][0]
    parts = [p for p in re.split(r"[-_.]", doc_id) if p and p not in _STOP]
    initials = "".join(p[0] for p in parts) or doc_id
    others = {
        m.group(1)
        for r in claims
        if r.values.get("document") != doc_id and (m := re.fullmatch(r"(.+)-\d+", r.values.get("id", "")))
    }
    return doc_id if initials in others or len(initials) < 2 else initials


def next_ids(prefix: str, taken: Iterable[str], count: int) -> list[str]:
    """Numbers after the highest used under the prefix: gaps are never refilled."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d+)")
    used = [m.group(1) for ident in taken if (m := pattern.fullmatch(ident))]
    top = max((int(n) for n in used), default=0)
    width = max([2, *(len(n) for n in used)])
    return [f"{prefix}-{top + i:0{width}d}" for i in range(1, count + 1)]


def accept(review: str | Path, candidates: str | Path, prefix: str | None = None, dry_run: bool = False) -> AcceptResult:
    """Append the rows marked accept=yes to claims.csv; see the module docstring."""
    root = Path(review).resolve()
    path = Path(candidates)
    path = path if path.is_absolute() else (Path.cwd() / path)
    if not path.exists() and (root / candidates).exists():
        path = root / candidates
    rel = str(candidates)
    cand = read_csv(path, rel, CANDIDATES)
    fatal = [p for p in cand.problems if p.fatal or p.code == "csv-unknown-column"]
    if fatal:
        raise InputError("\n".join(str(p) for p in fatal))
    claims = read_csv(root / "claims.csv", "claims.csv", schema.CLAIMS)
    if not claims.readable:
        raise InputError("claims.csv cannot be read:\n" + "\n".join(str(p) for p in claims.problems if p.fatal))
    index = read_csv(root / "documents" / "index.csv", "documents/index.csv", schema.DOCUMENTS)
    docs = {r.values.get("id", ""): r.values.get("file", "") for r in index.records}
    settings = load_settings(root)

    result = AcceptResult()
    spans = {
        (r.values.get("document"), r.values.get("start"), r.values.get("end")): r.values.get("id", "")
        for r in claims.records
    }
    texts: dict[str, str] = {}
    new_rows: list[tuple[int, dict[str, str]]] = []
    for rec in cand.records:
        v = rec.values
        mark = v.get("accept", "").strip().lower()
        if mark in NO:
            result.rejected += mark != ""
            result.undecided += mark == ""
            continue
        if mark not in YES:
            result.warnings.append(f"{rel}:{rec.line}: accept {v.get('accept')!r} is neither yes nor no; row left out")
            continue
        row = _claim_row(rec, rel, root, docs, texts, result)
        if row is None:
            continue
        key = (row["document"], row["start"], row["end"])
        if key in spans:
            result.already.append((rec.line, spans[key]))
            continue
        spans[key] = f"(line {rec.line})"
        for problem in _value_warnings(row, settings.topics):
            result.warnings.append(f"{rel}:{rec.line}: {problem}")
        new_rows.append((rec.line, row))

    by_doc: dict[str, list[dict[str, str]]] = {}
    for _, row in new_rows:
        by_doc.setdefault(row["document"], []).append(row)
    taken = [r.values.get("id", "") for r in claims.records]
    for doc, rows in by_doc.items():
        for new_id, row in zip(next_ids(prefix or id_prefix(doc, claims.records), taken, len(rows)), rows, strict=True):
            row["id"] = new_id
            taken.append(new_id)
            result.added.append((new_id, row["quote"]))
    if new_rows and not dry_run:
        rewrite_records(claims, {}, append=[row for _, row in new_rows])
    return result


def _claim_row(
    rec: Record, rel: str, root: Path, docs: dict[str, str], texts: dict[str, str], result: AcceptResult
) -> dict[str, str] | None:
    """The claims.csv row for one accepted candidate, re-anchored if the reviewer trimmed the quote."""
    v = rec.values
    doc = v.get("document", "")
    if doc not in docs:
        result.warnings.append(f"{rel}:{rec.line}: document {doc!r} is not in documents/index.csv; row left out")
        return None
    if doc not in texts:
        text, _ = read_text(root / "documents" / docs[doc])
        if text is None:
            raise InputError(f"documents/{docs[doc]} is missing; cannot check the quotes of {doc!r}")
        texts[doc] = text
    text, quote = texts[doc], v.get("quote", "")
    try:
        start, end = int(v.get("start", "")), int(v.get("end", ""))
    except ValueError:
        start, end = -1, -1
    if not provenance.matches_at(text, quote, start, end):
        found = provenance.anchor(text, quote, v.get("prefix", ""), v.get("suffix", ""), max(start, 0))
        if found is None:
            result.warnings.append(f"{rel}:{rec.line}: the quote is not in documents/{docs[doc]}; row left out")
            return None
        start, end = found.start, found.end
    prefix, suffix = provenance.context(text, start, end)
    return {
        "document": doc,
        "topic": v.get("topic", ""),
        "claim_type": v.get("claim_type", ""),
        "quote": quote,
        "start": str(start),
        "end": str(end),
        "prefix": prefix,
        "suffix": suffix,
        "claim": v.get("claim", ""),
        "exposure": v.get("exposure", ""),
        "population": v.get("population", ""),
        **NEUTRAL,
    }


def _value_warnings(row: dict[str, str], topics: tuple[str, ...]) -> list[str]:
    out = []
    if not row["claim"].strip():
        out.append("claim is empty: restate it as one testable sentence (evidence check flags it)")
    for column in ("exposure", "population"):
        if not row[column].strip():
            out.append(f"{column} is empty: say what the claim is about and whom it speaks of (evidence check flags it)")
    if row["topic"] not in topics:
        out.append(f"topic {row['topic']!r} is not one of: {', '.join(topics)}")
    if row["claim_type"] not in vocab.CLAIM_TYPES:
        out.append(f"claim_type {row['claim_type']!r} is not one of: {', '.join(vocab.CLAIM_TYPES)}")
    return out
