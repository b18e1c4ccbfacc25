"""Propose candidate claims from a new document, for a reviewer to accept or reject.

`propose` is pure (text in, candidates out) so notebooks and the precision/recall
measurement call it directly; `extract` adds the file work: the verbatim copy under
documents/, its row in documents/index.csv and `candidates/<doc-id>.csv`. Nothing here
touches claims.csv: candidates join it only through `accept`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from ..review import provenance, schema
from ..review.atomic import atomic_write_bytes, atomic_write_text, fingerprint
from ..review.csvfile import Record, format_record, read_csv, rewrite_records
from ..review.documents import read_text, sha256_file
from ..review.errors import InputError
from ..review.settings import Settings, load_settings
from .detect import detect
from .segment import segment, wordset

_CLAIM_COLUMNS = ("document", "topic", "claim_type", "quote", "start", "end", "prefix", "suffix", "claim")

CANDIDATES = schema.Table(
    name="candidates",
    path="candidates/<document>.csv",
    title="Candidate claims",
    description="Sentences the detector proposes from one document; a reviewer marks `accept`.",
    fields=(
        schema.Field("accept", "yes to add the row to claims.csv, no to reject; empty: not decided.", required=False),
        *(schema.CLAIMS.field(c) for c in _CLAIM_COLUMNS),
        schema.Field("hedge", "Hedge words in the quote (may, can, potentially ...), ';'-separated.", required=False),
        schema.Field("detector_reason", "The cues that made the detector propose the sentence.", required=False),
        schema.Field("overlaps", "Ids of existing claims whose quote overlaps this one.", required=False),
    ),
)
"""Defined from the claims columns so a renamed claims column renames here too."""

_STOPWORDS = wordset(
    "about after also and are because been before being best both but can could does down each even "
    "for from have help helps into just like make makes many more most much only other over same should "
    "some such than that their them then there these they this those through under very what when where "
    "which while will with within without would your yours people individuals body"
)


@dataclass(frozen=True)
class Candidate:
    """One proposed claim: where it is, what the detector thinks it is, and why."""

    document: str
    topic: str
    claim_type: str
    quote: str
    start: int
    end: int
    prefix: str
    suffix: str
    hedge: str
    detector_reason: str
    overlaps: str = ""
    claim: str = ""
    accept: str = ""

    def row(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


@dataclass
class ExtractResult:
    """What `extract` did, for the command to print."""

    document_id: str
    document_file: str
    candidates_path: Path
    candidates: list[Candidate]
    copied: bool = False
    registered: bool = False
    candidates_written: bool = False
    candidates_kept: bool = False  # an existing candidates file differs and was left alone
    notes: list[str] = field(default_factory=list)


# -- the pure part ------------------------------------------------------------------------
def subject_terms(text: str, lexicon: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """The product the document is about: its most frequent content word that is no outcome.

    Outcome words (sleep, pain ...) come from the topic lexicon and are never the subject;
    what is left at the top of a marketing text is nearly always the product's name.
    """
    stems = [s.strip().lower() for group in lexicon.values() for s in group if s.strip()]
    words = re.findall(r"[a-zà-ÿ][a-zà-ÿ\-]{3,}", text.lower())
    counts = Counter(w for w in words if w not in _STOPWORDS and not any(s in w for s in stems))
    if not counts:
        return ()
    top, n = counts.most_common(1)[0]
    return (top,) if n >= 3 else ()


def guess_topic(sentence: str, heading: str, settings: Settings) -> str:
    """The topic whose lexicon stems the sentence (then its section heading) holds most."""
    lower, head = " " + sentence.lower(), " " + heading.lower()
    order = [t for t in settings.topics if t in settings.lexicon]
    scores = {
        t: sum(s.lower() in lower for s in settings.lexicon[t]) + 0.5 * sum(s.lower() in head for s in settings.lexicon[t])
        for t in order
    }
    best = max(order, key=lambda t: scores[t], default="")
    return best if best and scores[best] > 0 else ""


def propose(
    text: str,
    document_id: str,
    settings: Settings,
    existing: Iterable[tuple[str, int, int]] = (),
) -> list[Candidate]:
    """Candidate claims of one document; `existing` is (claim id, start, end) already curated."""
    existing = list(existing)
    subject = subject_terms(text, settings.lexicon)
    out = []
    for seg in segment(text):
        if seg.kind == "heading":
            continue
        found = detect(seg.text, subject, list_item=seg.kind == "item")
        if not found.is_claim:
            continue
        prefix, suffix = provenance.context(text, seg.start, seg.end)
        topic = guess_topic(seg.text, seg.heading, settings)
        reason = found.reason if topic else found.reason + "; topic: no lexicon match, set it by hand"
        overlaps = ";".join(cid for cid, s, e in existing if s < seg.end and seg.start < e)
        out.append(
            Candidate(
                document=document_id,
                topic=topic,
                claim_type=found.claim_type,
                quote=seg.text,
                start=seg.start,
                end=seg.end,
                prefix=prefix,
                suffix=suffix,
                hedge="; ".join(found.hedges),
                detector_reason=reason,
                overlaps=overlaps,
            )
        )
    return out


def candidates_csv(candidates: Iterable[Candidate], newline: str = "\n") -> str:
    """The candidates file's text (fields with line breaks are quoted, as the csv module does)."""
    lines = [format_record(CANDIDATES.columns)]
    for c in candidates:
        row = c.row()
        lines.append(format_record([row.get(col, "") for col in CANDIDATES.columns]))
    return newline.join(lines) + newline


# -- the file work ----------------------------------------------------------------------
def slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "document"


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def _index_row(index_records: list[Record], column: str, value: str) -> Record | None:
    return next((r for r in index_records if r.values.get(column) == value), None)


def extract(
    review: str | Path,
    document: str | Path,
    doc_id: str | None = None,
    title: str | None = None,
    url: str = "",
    publisher: str = "",
    today: date | None = None,
) -> ExtractResult:
    """Register `document` in the review and write its candidates file; idempotent.

    Refuses (InputError, nothing written) when the id is registered with other text, when
    the text is registered under another id, or when documents/ holds a different file
    under the name the copy would take.
    """
    root = Path(review).resolve()
    source = Path(document).resolve()
    if not source.is_file():
        raise InputError(f"{document}: no such file")
    settings = load_settings(root)
    doc_id = doc_id or slug(source.stem)
    if not re.fullmatch(schema.ID_PATTERN, doc_id):
        raise InputError(f"document id {doc_id!r} is not allowed: use lower-case letters, digits, '.', '_' or '-'")
    docs_dir = root / "documents"
    sha = sha256_file(source)
    inside = source.parent == docs_dir.resolve()
    file_name = source.name if inside else f"{doc_id}.txt"

    index_path = docs_dir / "index.csv"
    index = read_csv(index_path, "documents/index.csv", schema.DOCUMENTS)
    index_exists = index_path.exists()
    if index_exists and not index.readable:
        raise InputError("documents/index.csv cannot be read:\n" + "\n".join(str(p) for p in index.problems))

    result = ExtractResult(doc_id, file_name, root / "candidates" / f"{doc_id}.csv", [])
    by_id = _index_row(index.records, "id", doc_id)
    by_sha = _index_row(index.records, "sha256", sha)
    if by_id is not None:
        if by_id.values.get("sha256") != sha:
            raise InputError(
                f"document {doc_id!r} is already registered (documents/index.csv:{by_id.line}) with different text "
                f"(sha256 {by_id.values.get('sha256', '')[:12]}…, this file {sha[:12]}…); nothing was written. "
                "A changed document is never re-read silently: review the change and run `evidence anchor`, "
                "or register the new text under a new --id."
            )
        result.document_file = file_name = by_id.values.get("file", file_name)
        if any(v for v in (title, url, publisher)):
            result.notes.append("already registered: --title/--url/--publisher ignored (edit documents/index.csv)")
    elif by_sha is not None:
        raise InputError(
            f"this text is already registered as {by_sha.values.get('id')!r} "
            f"(documents/index.csv:{by_sha.line}); run again with --id {by_sha.values.get('id')}"
        )
    else:
        taken = _index_row(index.records, "file", file_name)
        if taken is not None:
            raise InputError(f"documents/{file_name} is already registered as {taken.values.get('id')!r}; choose another --id")

    target = docs_dir / file_name
    data = source.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"{source}:{line}: the document is not UTF-8 text (bytes {data[err.start:err.start + 4]!r}); "
            "convert it to UTF-8 plain text first (e.g. save as .txt in an editor); nothing was written"
        ) from None
    if b"\x00" in data:
        raise InputError(f"{source}: the document holds NUL bytes, so it is not plain text; nothing was written")
    if target.exists() and target.read_bytes() != data:
        raise InputError(
            f"documents/{file_name} exists with different text; nothing was written. "
            "Compare the two, then pass another --id or replace the file deliberately."
        )
    text, _ = read_text(source)
    assert text is not None

    # every check passed: write, in an order that a rerun completes after any failure
    if not target.exists():
        docs_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data, expected=fingerprint(b""))
        result.copied = True
    if by_id is None:
        row = {
            "id": doc_id,
            "file": file_name,
            "title": title or _first_line(text),
            "url": url,
            "publisher": publisher,
            "accessed": (today or date.today()).isoformat(),
            "sha256": sha,
            "note": "",
        }
        if index_exists:
            rewrite_records(index, {}, append=[row])
        else:
            header = format_record(schema.DOCUMENTS.columns) + "\n"
            line = format_record([row[c] for c in schema.DOCUMENTS.columns]) + "\n"
            atomic_write_text(index_path, header + line, expected=fingerprint(b""))
        result.registered = True

    result.candidates = propose(text, doc_id, settings, _existing_claims(root, doc_id))
    _write_candidates(result)
    return result


def _existing_claims(root: Path, doc_id: str) -> list[tuple[str, int, int]]:
    return [(k.id, k.start, k.end) for k in curated_claims(root, doc_id)]


def _write_candidates(result: ExtractResult) -> None:
    """Never overwrite a candidates file: it may hold the reviewer's accept marks."""
    path = result.candidates_path
    text = candidates_csv(result.candidates)
    if path.exists():
        if path.read_bytes() != text.encode("utf-8"):
            result.candidates_kept = True
            result.notes.append(
                f"candidates/{path.name} exists and differs from a fresh proposal; it was kept as it is "
                "(it may hold your accept marks). Move it away to propose again."
            )
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text, expected=fingerprint(b""))
    result.candidates_written = True


# -- measuring the detector -------------------------------------------------------------
@dataclass(frozen=True)
class Curated:
    """A hand-curated claim's span (and its labels, to score the detector's guesses)."""

    id: str
    start: int
    end: int
    topic: str = ""
    claim_type: str = ""


@dataclass(frozen=True)
class Scores:
    """Precision and recall by span overlap, with the counts behind them."""

    candidates: int
    candidates_hit: int  # candidates overlapping at least one curated claim
    claims: int
    claims_found: int  # curated claims overlapped by at least one candidate
    topic_agree: int  # hits whose topic guess equals that of a curated claim they overlap
    type_agree: int  # hits whose claim type guess equals that of a curated claim they overlap
    missed: tuple[str, ...]  # ids of curated claims no candidate overlaps
    spurious: tuple[str, ...]  # quotes of candidates that overlap no curated claim

    @property
    def precision(self) -> float:
        return self.candidates_hit / self.candidates if self.candidates else 0.0

    @property
    def recall(self) -> float:
        return self.claims_found / self.claims if self.claims else 0.0


def score(candidates: Iterable[Candidate], curated: Iterable[Curated]) -> Scores:
    """A candidate is a hit when its span overlaps a curated claim's quote span."""
    cands = list(candidates)
    claims = list(curated)

    def over(c: Candidate) -> list[Curated]:
        return [k for k in claims if c.start < k.end and k.start < c.end]

    hits = [(c, over(c)) for c in cands if over(c)]
    found = {k.id for k in claims if any(c.start < k.end and k.start < c.end for c in cands)}
    return Scores(
        candidates=len(cands),
        candidates_hit=len(hits),
        claims=len(claims),
        claims_found=len(found),
        topic_agree=sum(any(c.topic == k.topic for k in ks) for c, ks in hits),
        type_agree=sum(any(c.claim_type == k.claim_type for k in ks) for c, ks in hits),
        missed=tuple(k.id for k in claims if k.id not in found),
        spurious=tuple(c.quote for c in cands if not over(c)),
    )


def curated_claims(review: str | Path, document_id: str) -> list[Curated]:
    """The claims of one document in claims.csv, as spans with their labels."""
    claims = read_csv(Path(review) / "claims.csv", "claims.csv", schema.CLAIMS)
    out = []
    for rec in claims.records:
        v = rec.values
        if v.get("document") == document_id and v.get("start", "").isdigit() and v.get("end", "").isdigit():
            out.append(Curated(v.get("id", ""), int(v["start"]), int(v["end"]), v.get("topic", ""), v.get("claim_type", "")))
    return out


def measure(review: str | Path, document_id: str) -> Scores:
    """Score the detector on a document whose claims were curated by hand in claims.csv."""
    root = Path(review).resolve()
    index = read_csv(root / "documents" / "index.csv", "documents/index.csv", schema.DOCUMENTS)
    row = _index_row(index.records, "id", document_id)
    if row is None:
        raise InputError(f"document {document_id!r} is not in documents/index.csv")
    text, _ = read_text(root / "documents" / row.values.get("file", ""))
    if text is None:
        raise InputError(f"documents/{row.values.get('file')} is missing")
    cands = propose(text, document_id, load_settings(root))
    return score(cands, curated_claims(root, document_id))
