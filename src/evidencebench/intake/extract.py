"""Propose candidate claims from a new document, for a reviewer to accept or reject.

`propose` is pure (text in, candidates out) so notebooks and the precision/recall
measurement call it directly; `extract` adds the file work: the verbatim text under
documents/ (for a saved web page or a PDF, the text extracted from it, with the original
kept beside it; see `sources`), its row in documents/index.csv and `candidates/<doc-id>.csv`.
Nothing here touches claims.csv: candidates join it only through `accept`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

from ..review import provenance, schema
from ..review.atomic import atomic_write_bytes, atomic_write_text, fingerprint
from ..review.csvfile import Record, format_record, read_csv, rewrite_records
from ..review.documents import read_text
from ..review.errors import InputError
from ..review.settings import Settings, load_settings
from .detect import detect, lexicon_pattern
from .segment import segment, wordset
from .sources import Source, read_source

_CLAIM_COLUMNS = ("document", "topic", "claim_type", "quote", "start", "end", "prefix", "suffix", "claim")

CANDIDATES = schema.Table(
    name="candidates",
    path="candidates/<document>.csv",
    title="Candidate claims",
    description="Sentences the detector proposes from one document; a reviewer marks `accept`.",
    fields=(
        schema.Field("accept", "yes to add the row to claims.csv, no to reject; empty: not decided.", required=False),
        *(schema.CLAIMS.field(c) for c in _CLAIM_COLUMNS),
        *(replace(schema.CLAIMS.field(c), required=False) for c in ("exposure", "population")),
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
        """The candidate as a candidates CSV row (every value as text)."""
        return {k: str(v) for k, v in asdict(self).items()}


@dataclass
class ExtractResult:
    """What `extract` did, for the command to print."""

    document_id: str
    document_file: str
    candidates_path: Path
    candidates: list[Candidate]
    kind: str = "text"  # text | html | pdf: what the original was
    original_file: str = ""  # the web page or PDF kept beside the text, under documents/
    copied: bool = False  # the text was written to documents/
    original_copied: bool = False
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
    outcomes = lexicon_pattern(s for group in lexicon.values() for s in group)
    words = re.findall(r"[a-zà-ÿ][a-zà-ÿ\-]{3,}", text.lower())
    counts = Counter(w for w in words if w not in _STOPWORDS and not (outcomes and outcomes.fullmatch(w)))
    if not counts:
        return ()
    top, n = counts.most_common(1)[0]
    return (top,) if n >= 3 else ()


NO_TOPIC = "no matching topic"


def topic_guess(sentence: str, heading: str, settings: Settings) -> tuple[str, str]:
    """The topic whose lexicon words the sentence holds most, and how sure that guess is.

    Words match whole (see `detect.lexicon_pattern`). The section heading only breaks a tie
    or stands in when the sentence names no topic at all, and the note says so; when
    neither names one, the topic is left empty and the note says "no matching topic"
    rather than guessing.
    """
    order = [t for t in settings.topics if t in settings.lexicon]
    patterns = {t: lexicon_pattern(settings.lexicon[t]) for t in order}
    lower, head = sentence.lower(), heading.lower()

    def hits(pattern: re.Pattern[str] | None, text: str) -> int:
        return len(pattern.findall(text)) if pattern else 0

    scores = {t: hits(patterns[t], lower) + 0.5 * hits(patterns[t], head) for t in order}
    best = max(order, key=lambda t: scores[t], default="")
    if not best or scores[best] == 0:
        names = ", ".join(settings.topics)
        return "", f"topic: {NO_TOPIC} (the sentence and its heading name none of {names}); set it by hand"
    tied = [t for t in order if t != best and scores[t] == scores[best]]
    if scores[best] < 1:
        return best, f"topic: from the section heading only ({heading!r})"
    if tied:
        return best, f"topic: tie with {', '.join(tied)}"
    return best, ""


def guess_topic(sentence: str, heading: str, settings: Settings) -> str:
    """The topic `topic_guess` picks, without its note (empty when no topic matches)."""
    return topic_guess(sentence, heading, settings)[0]


def propose(
    text: str,
    document_id: str,
    settings: Settings,
    existing: Iterable[tuple[str, int, int]] = (),
) -> list[Candidate]:
    """Candidate claims of one document; `existing` is (claim id, start, end) already curated."""
    existing = list(existing)
    subject = subject_terms(text, settings.lexicon)
    outcomes = lexicon_pattern(s for group in settings.lexicon.values() for s in group)
    out = []
    for seg in segment(text):
        if seg.kind == "heading":
            continue
        found = detect(seg.text, subject, list_item=seg.kind == "item", outcomes=outcomes)
        if not found.is_claim:
            continue
        prefix, suffix = provenance.context(text, seg.start, seg.end)
        topic, topic_note = topic_guess(seg.text, seg.heading, settings)
        reason = found.reason + (f"; {topic_note}" if topic_note else "")
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
    """A document id from a file name: lower-case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "document"


def choose_title(explicit: str | None, source: Source, text: str, stem: str) -> tuple[str, str]:
    """The title to record and, unless it was given or came from metadata, a note saying where it came from.

    The first line of a text is often a notice, a byline or the first sentence, so it is used
    only when the segmenter reads it as a heading; otherwise the title says plainly that it
    was named after the file, which a reviewer then corrects.
    """
    if explicit:
        return explicit.strip(), ""
    if source.title:
        return source.title, ""
    segs = segment(text)
    if segs and segs[0].kind == "heading":
        first = segs[0].text.strip()[:200]
        return first, f"title: the {source.described} has no title metadata; took its first heading {first!r} (set another with --title)"
    fallback = f"{stem} (no title found; named after its file)"
    return fallback, (
        f"title: none found (no metadata, and the text does not open with a heading); recorded {fallback!r}. "
        "Pass --title, or edit the title in documents/index.csv"
    )


_ORIGINAL = re.compile(r"\boriginal: (?P<file>.+?) \((?:saved web page|PDF)\), sha256 (?P<sha>[0-9a-f]{64})")


def original_of(note: str) -> tuple[str, str] | None:
    """The original file and its SHA-256 that an extracted document's index note records."""
    m = _ORIGINAL.search(note or "")
    return (m.group("file"), m.group("sha")) if m else None


def _index_note(source: Source, original_name: str, original_sha: str) -> str:
    """The index row's note for a document read from a web page or PDF: what to check it against."""

    def clean(value: str) -> str:
        return " ".join(value.replace(";", ",").split())

    parts = [f"original: {original_name} ({source.described}), sha256 {original_sha}", f"text extracted with {source.tool}"]
    if source.author:
        parts.append(f"author: {clean(source.author)}")
    if source.date:
        parts.append(f"{source.date_label}: {source.date}")
    return "; ".join(parts)


def _index_row(index_records: list[Record], column: str, value: str) -> Record | None:
    return next((r for r in index_records if r.values.get(column) == value), None)


def _accessed(accessed: str | date | None, today: date | None) -> str:
    if isinstance(accessed, date):
        return accessed.isoformat()
    if accessed:
        value = accessed.strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        raise InputError(f"--accessed {accessed!r} is not a date: write it as YYYY-MM-DD (e.g. 2025-01-31)")
    return (today or date.today()).isoformat()


def extract(
    review: str | Path,
    document: str | Path,
    doc_id: str | None = None,
    title: str | None = None,
    url: str = "",
    publisher: str = "",
    today: date | None = None,
    accessed: str | date | None = None,
) -> ExtractResult:
    """Register `document` in the review and write its candidates file; idempotent.

    A plain-text document is stored as it is; a saved web page or a PDF is stored as the
    text extracted from it (documents/<id>.txt, which every quote points into) with the
    original beside it (documents/<id>.html or .pdf), whose hash the index note records.
    Title, URL and publisher come from the page's metadata unless given here.

    Refuses (InputError, nothing written) when the id is registered with another text or
    original, when the text or original is registered under another id, or when documents/
    holds a different file under a name the copy would take.
    """
    root = Path(review).resolve()
    source_path = Path(document).resolve()
    if not source_path.is_file():
        raise InputError(f"{document}: no such file")
    settings = load_settings(root)
    doc_id = doc_id or slug(source_path.stem)
    if not re.fullmatch(schema.ID_PATTERN, doc_id):
        raise InputError(f"document id {doc_id!r} is not allowed: use lower-case letters, digits, '.', '_' or '-'")
    accessed_on = _accessed(accessed, today)
    docs_dir = root / "documents"
    source, data = read_source(source_path)
    inside = source_path.parent == docs_dir.resolve()
    if source.kind == "text":
        file_name, original_name = (source_path.name if inside else f"{doc_id}.txt"), ""
        text_bytes = data
    else:
        file_name = f"{doc_id}.txt"
        original_name = source_path.name if inside else f"{doc_id}{source.original_suffix}"
        text_bytes = source.text.encode("utf-8")
    sha = fingerprint(text_bytes)
    original_sha = fingerprint(data) if original_name else ""

    index_path = docs_dir / "index.csv"
    index = read_csv(index_path, "documents/index.csv", schema.DOCUMENTS)
    index_exists = index_path.exists()
    if index_exists and not index.readable:
        raise InputError("documents/index.csv cannot be read:\n" + "\n".join(str(p) for p in index.problems))

    result = ExtractResult(doc_id, file_name, root / "candidates" / f"{doc_id}.csv", [], source.kind, original_name)
    by_id = _index_row(index.records, "id", doc_id)
    if by_id is not None:
        recorded = original_of(by_id.values.get("note", ""))
        same = (recorded is not None and recorded[1] == original_sha) or by_id.values.get("sha256") == sha
        if not same:
            theirs = recorded[1] if recorded and original_sha else by_id.values.get("sha256", "")
            ours = original_sha if recorded and original_sha else sha
            raise InputError(
                f"document {doc_id!r} is already registered (documents/index.csv:{by_id.line}) with different text "
                f"(sha256 {theirs[:12]}…, this file {ours[:12]}…); nothing was written. "
                "A changed document is never re-read silently: review the change and run `evidence anchor`, "
                "or register the new text under a new --id."
            )
        result.document_file = file_name = by_id.values.get("file", file_name)
        result.original_file = original_name = recorded[0] if recorded else original_name
        if any(v for v in (title, url, publisher, accessed)):
            result.notes.append("already registered: --title/--url/--publisher/--accessed ignored (edit documents/index.csv)")
    else:
        for other in index.records:
            theirs = original_of(other.values.get("note", ""))
            if other.values.get("sha256") == sha or (original_sha and theirs and theirs[1] == original_sha):
                raise InputError(
                    f"this {source.described} is already registered as {other.values.get('id')!r} "
                    f"(documents/index.csv:{other.line}); run again with --id {other.values.get('id')}"
                )
        for name in filter(None, (file_name, original_name)):
            taken = _index_row(index.records, "file", name) or next(
                (r for r in index.records if (o := original_of(r.values.get("note", ""))) and o[0] == name), None
            )
            if taken is not None:
                raise InputError(f"documents/{name} is already registered as {taken.values.get('id')!r}; choose another --id")

    target = docs_dir / file_name
    original_target = docs_dir / original_name if original_name else None
    if original_target is not None and original_target.exists() and original_target.read_bytes() != data:
        raise InputError(
            f"documents/{original_name} exists and is not this file; nothing was written. "
            "Compare the two, then pass another --id or replace the file deliberately."
        )
    if by_id is not None and source.kind != "text" and target.exists():
        text_bytes = target.read_bytes()  # registered: its stored text is the one quoted, whatever a new extraction gives
    elif target.exists() and target.read_bytes() != text_bytes:
        raise InputError(
            f"documents/{file_name} exists with different text; nothing was written. "
            "Compare the two, then pass another --id or replace the file deliberately."
        )
    elif by_id is not None and fingerprint(text_bytes) != by_id.values.get("sha256"):
        raise InputError(
            f"documents/{file_name} is missing and extracting the original again gives other text than the one "
            f"registered (a newer {source.tool or 'extractor'}?); restore documents/{file_name} from version control"
        )
    text = text_bytes.decode("utf-8", errors="replace")
    doc_title, title_note = choose_title(title, source, text, source_path.stem)

    # every check passed: write, in an order that a rerun completes after any failure
    docs_dir.mkdir(parents=True, exist_ok=True)
    if original_target is not None and not original_target.exists():
        atomic_write_bytes(original_target, data, expected=fingerprint(b""))
        result.original_copied = True
    if not target.exists():
        atomic_write_bytes(target, text_bytes, expected=fingerprint(b""))
        result.copied = True
    if by_id is None:
        row = {
            "id": doc_id,
            "file": file_name,
            "title": doc_title,
            "url": url or source.url,
            "publisher": publisher or source.publisher,
            "accessed": accessed_on,
            "sha256": sha,
            "note": _index_note(source, original_name, original_sha) if original_name else "",
        }
        if index_exists:
            rewrite_records(index, {}, append=[row])
        else:
            header = format_record(schema.DOCUMENTS.columns) + "\n"
            line = format_record([row[c] for c in schema.DOCUMENTS.columns]) + "\n"
            atomic_write_text(index_path, header + line, expected=fingerprint(b""))
        result.registered = True
        if title_note:
            result.notes.append(title_note)
        used = _metadata_used(source, title, url, publisher)
        if used:
            result.notes.append(f"from the {source.described}'s metadata: {used}")

    result.candidates = propose(text, doc_id, settings, _existing_claims(root, doc_id))
    if result.candidates and not any(c.topic for c in result.candidates):
        result.notes.append(
            f"{NO_TOPIC} for any candidate: the document names none of this review's topics "
            f"({', '.join(settings.topics)}); it may lie outside the review, or the topic lexicon needs its words"
        )
    _write_candidates(result)
    return result


def _metadata_used(source: Source, title: str | None, url: str, publisher: str) -> str:
    """Which metadata values went into the index row, in words, for the command to print."""
    used = []
    if source.title and not title:
        used.append(f"title {source.title!r}")
    if source.author:
        used.append(f"author {source.author!r} (in the note)")
    if source.date:
        used.append(f"{source.date_label} {source.date} (in the note)")
    if source.url and not url:
        used.append(f"url {source.url}")
    if source.publisher and not publisher:
        used.append(f"publisher {source.publisher!r}")
    return ", ".join(used)


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
        """Share of candidates that hit a curated claim (0 when there are none)."""
        return self.candidates_hit / self.candidates if self.candidates else 0.0

    @property
    def recall(self) -> float:
        """Share of curated claims some candidate found (0 when there are none)."""
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
