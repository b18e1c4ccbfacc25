"""Rating claims one by one in a notebook: what a reviewer sees, and how one claim's ratings are saved.

The notebook form (`evidencebench.notebook.rating_form`) is a thin layer over this module, so
everything that matters is tested without widgets: which facts a reviewer is shown, what counts as
a complete rating, and how it reaches the reviewer's sheets.

Blinding is the point. A reviewer sees the claim, its quote inside the document's own text, and the
linked studies as bibliographic facts (title, design, population, n, url); never the judgments,
certainty, verdict or rationale in claims.csv, never a stance or finding from evidence.csv, and
never another reviewer's sheet: `ReviewerSheets` opens `ratings/<reviewer>.csv` and
`ratings/<reviewer>.links.csv` and no other file under ratings/.

Saving goes through the command line's safe writes (`csvfile.read_csv` + `rewrite_records`): a
claim already on the sheet (a blank row from `evidence agree --sheet`, or an earlier save) has its
cells replaced, a new one is appended, every other byte stays, and the write is refused when the
sheet changed on disk since it was read. A sheet that does not exist yet is created holding only
the header, so after the first save it holds exactly the claims rated so far and `evidence agree`
reads it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..review import provenance, vocab
from ..review.atomic import atomic_write_text, fingerprint
from ..review.csvfile import CsvFile, format_record, read_csv, rewrite_records
from ..review.errors import InputError
from ..rules import grade
from ..rules.review import Review
from .sheets import CONSENSUS, JUDGMENTS, LINK_FIELDS, LINK_RATINGS, LINKS_SUFFIX, RATINGS

__all__ = [
    "REASON_LABELS",
    "ClaimCard",
    "ClaimRating",
    "LinkReading",
    "ReviewerSheets",
    "SaveResult",
    "StudyCard",
    "claim_card",
    "claim_ids",
    "compose_reasons",
    "derived_rating",
    "reviewer_name",
    "split_reasons",
    "validate",
    "warnings_for",
]

CONTEXT_WINDOW = 300
"""Characters of document text shown on each side of the quote: enough for the sentence around it."""

REASON_LABELS: tuple[str, ...] = (*vocab.DOWNGRADE_DOMAINS, "upgrade")
"""The labelled parts of a sheet's `reasons` cell the form asks for: one per downgrade domain and one
for the upgrades (`consensus` carries them into claims.csv's `<domain>_reason` and `upgrade_reason`)."""

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
_LABEL = re.compile(rf"\b({'|'.join(JUDGMENTS)}|upgrade)\s*:\s*", re.I)


# -- what a reviewer sees --------------------------------------------------------------------------
@dataclass(frozen=True)
class StudyCard:
    """A linked study as a blinded reviewer sees it: bibliographic facts only, no stance or finding."""

    reference: str
    title: str
    authors: str
    year: str
    journal: str
    design: str
    population: str
    n: str
    url: str
    doi: str
    known: bool = True  # False when the key is not in refs/*.bib (check reports it)


@dataclass(frozen=True)
class ClaimCard:
    """One claim as a blinded reviewer sees it: the words, where they stand, and the studies linked.

    `before`, `in_text` and `after` are the document's own text: around the quote, cut at word
    boundaries, and the quote itself (all empty when the document or the quote cannot be found). Nothing here comes from the judgment,
    certainty, verdict, rationale or decided_by cells of claims.csv.
    """

    id: str
    position: int  # 1-based place in claims.csv
    total: int
    document: str
    document_title: str
    topic: str
    claim_type: str
    claim: str  # the claim restated as one testable sentence
    exposure: str
    population: str
    quote: str  # as claims.csv holds it
    before: str
    in_text: str  # the document's own characters at the quote (typographic quotes and all)
    after: str
    studies: tuple[StudyCard, ...]


def claim_ids(review: Review) -> list[str]:
    """Claim ids in claims.csv order, each once: the order a reviewer works through."""
    return list(dict.fromkeys(r.values.get("id", "") for r in review.files["claims"].records if r.values.get("id")))


def links_of(review: Review, claim: str) -> list[str]:
    """The reference keys linked to a claim in evidence.csv order, each once (the links to read)."""
    keys = [r.values.get("reference", "") for r in review.files["evidence"].records if r.values.get("claim") == claim]
    return list(dict.fromkeys(k for k in keys if k))


def claim_card(review: Review, claim: str) -> ClaimCard:
    """What the reviewer is shown for one claim; KeyError for an unknown id."""
    ids = claim_ids(review)
    if claim not in ids:
        raise KeyError(f"no claim {claim!r} in claims.csv")
    row = next(r.values for r in review.files["claims"].records if r.values.get("id") == claim)
    doc = review.documents.get(row.get("document", ""))
    before, in_text, after = _context(doc.text if doc else None, row.get("quote", ""), row.get("start", ""), row.get("end", ""))
    return ClaimCard(
        id=claim,
        position=ids.index(claim) + 1,
        total=len(ids),
        document=row.get("document", ""),
        document_title=doc.title if doc else "",
        topic=row.get("topic", ""),
        claim_type=row.get("claim_type", ""),
        claim=row.get("claim", ""),
        exposure=row.get("exposure", ""),
        population=row.get("population", ""),
        quote=row.get("quote", ""),
        before=before,
        in_text=in_text,
        after=after,
        studies=tuple(_study(review, key) for key in links_of(review, claim)),
    )


def _study(review: Review, key: str) -> StudyCard:
    ref = review.references.get(key)
    if ref is None:
        return StudyCard(key, "(not in refs/*.bib)", "", "", "", "", "", "", "", "", known=False)
    get = ref.get
    return StudyCard(
        key, get("title"), get("author"), get("year"), get("journal"), get("design"), get("population"),
        get("n"), get("url"), get("doi"),
    )


def _offset(cell: str) -> int | None:
    try:
        return int(cell)
    except (TypeError, ValueError):
        return None


def _context(text: str | None, quote: str, start_cell: str, end_cell: str) -> tuple[str, str, str]:
    """The document text before, at and after the quote, where the stored offsets (or a search) put it."""
    if not text or not quote:
        return "", "", ""
    start, end = _offset(start_cell), _offset(end_cell)
    if start is None or end is None or not provenance.matches_at(text, quote, start, end):
        found = provenance.anchor(text, quote, near=start or 0)
        if found is None:
            return "", "", ""
        start, end = found.start, found.end
    lo, hi = max(0, start - CONTEXT_WINDOW), min(len(text), end + CONTEXT_WINDOW)
    before, after = text[lo:start], text[end:hi]
    if lo > 0:
        before = "…" + before[before.find(" ") + 1 :] if " " in before else "…" + before
    if hi < len(text):
        after = after[: after.rfind(" ")] + "…" if " " in after else after + "…"
    return before, text[start:end], after


# -- what a reviewer records -----------------------------------------------------------------------
@dataclass
class LinkReading:
    """One reviewer's reading of one evidence link: the stance it can carry and what the study examined."""

    reference: str
    stance: str = ""
    exposure: str = ""
    outcome_kind: str = ""
    outcome: str = ""
    source_location: str = ""
    finding: str = ""
    reasons: str = ""

    def values(self) -> dict[str, str]:
        """The link sheet's reading cells (stance ... finding), stripped."""
        return {name: getattr(self, name).strip() for name in LINK_FIELDS}


@dataclass
class ClaimRating:
    """One reviewer's rating of one claim: eight GRADE judgments, verdict, reasons, and every link's reading.

    `reasons` maps a label of `REASON_LABELS` to its text, and "" to the general reason (why this
    verdict); `compose_reasons` turns it into the sheet's single `reasons` cell.
    """

    claim: str
    judgments: dict[str, str] = field(default_factory=dict)
    verdict: str = ""
    reasons: dict[str, str] = field(default_factory=dict)
    links: list[LinkReading] = field(default_factory=list)


def compose_reasons(reasons: Mapping[str, str]) -> str:
    """The sheet's `reasons` cell: the general reason first, then 'domain: text' parts.

    The general reason comes first because `sheets.labelled_reasons` reads a labelled part up to the
    next label, so text after a label would be carried into that domain's reason.
    """
    general = " ".join(reasons.get("", "").split())
    parts = [general] if general else []
    for label in REASON_LABELS:
        text = " ".join(reasons.get(label, "").split())
        if text:
            parts.append(f"{label}: {text}")
    return "; ".join(parts)


def split_reasons(cell: str) -> dict[str, str]:
    """A `reasons` cell read back into {label: text}, the unlabelled opening as "" (inverse of compose)."""
    marks = list(_LABEL.finditer(cell))
    head = cell[: marks[0].start()] if marks else cell
    out = {"": head.strip().rstrip(";").strip()} if head.strip() else {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(cell)
        text = cell[m.end() : end].strip().rstrip(";").strip()
        label = m.group(1).lower()
        label = "upgrade" if label in vocab.UPGRADE_DOMAINS else label
        if text:
            out[label] = f"{out[label]}; {text}" if label in out else text
    return out


def reviewer_name(name: str) -> str:
    """The reviewer's name as a sheet's file stem, or InputError saying what is allowed."""
    name = name.strip()
    if not _NAME.fullmatch(name) or name == CONSENSUS or name.endswith(LINKS_SUFFIX):
        raise InputError(
            f"reviewer name {name!r}: use lower-case letters, digits, '.', '_' or '-' "
            f"(not '{CONSENSUS}', not ending in '{LINKS_SUFFIX}')"
        )
    return name


def validate(review: Review, rating: ClaimRating) -> list[str]:
    """Everything that stops this rating from being saved, in words (empty when it can be saved).

    A complete rating has every judgment and the verdict from their vocabularies, a reason for the
    verdict and for each domain that lowers or raises certainty, and a reading of every link of the
    claim; supporting or contradicting links also say what was measured and where it is stated.
    """
    errors: list[str] = []
    if rating.claim not in claim_ids(review):
        return [f"claim {rating.claim!r} is not in claims.csv"]
    for name in JUDGMENTS:
        allowed = RATINGS.field(name).enum or ()
        if rating.judgments.get(name, "") not in allowed:
            errors.append(f"{name}: choose one of: {', '.join(allowed)}")
    if rating.verdict not in vocab.VERDICTS:
        errors.append(f"verdict: choose one of: {', '.join(vocab.VERDICTS)}")
    if not rating.reasons.get("", "").strip():
        errors.append("reasons: say why you reach this verdict")
    for domain in vocab.DOWNGRADE_DOMAINS:
        if rating.judgments.get(domain, "") in vocab.DOWNGRADE_LEVELS[1:] and not rating.reasons.get(domain, "").strip():
            errors.append(f"{domain}: say why it is {rating.judgments[domain]}")
    raised = [u for u in vocab.UPGRADE_DOMAINS if rating.judgments.get(u, "none") not in ("", "none")]
    if raised and not rating.reasons.get("upgrade", "").strip():
        errors.append(f"upgrade: say why you raise certainty ({', '.join(raised)})")
    expected = links_of(review, rating.claim)
    given = [link.reference for link in rating.links]
    for key in given:
        if key not in expected:
            errors.append(f"{key}: not a link of {rating.claim} in evidence.csv")
    for key in expected:
        if key not in given:
            errors.append(f"{key}: read this link too (stance, exposure, outcome kind)")
    if len(set(given)) != len(given):
        errors.append("a link is read twice")
    vocabularies = {
        "stance": vocab.STANCES,
        "exposure": tuple(review.settings.exposures),
        "outcome_kind": vocab.OUTCOME_KINDS,
    }
    for link in rating.links:
        cells = link.values()
        for name, allowed in vocabularies.items():
            if cells[name] not in allowed:
                errors.append(f"{link.reference}: {name}: choose one of: {', '.join(allowed)}")
        if cells["stance"] in ("supports", "contradicts"):
            errors += [
                f"{link.reference}: {name}: needed when the study {cells['stance']} the claim"
                for name in ("outcome", "source_location")
                if not cells[name]
            ]
    return errors


def derived_rating(review: Review, rating: ClaimRating) -> grade.Rating:
    """The certainty and verdict the GRADE engine derives from this reviewer's judgments and stances.

    Computed the way `evidence agree` computes each rater's certainty, so the reviewer sees what
    their own rating implies; None certainty when no link they read supports or contradicts.
    """
    return grade.rate(_own_studies(review, rating), {d: rating.judgments.get(d, "") for d in JUDGMENTS})


def _own_studies(review: Review, rating: ClaimRating) -> list[grade.StudyInfo]:
    """The claim's studies with this reviewer's stances (a link they did not read counts as unrated)."""
    stances = {link.reference: link.stance for link in rating.links}
    return [
        grade.StudyInfo(s.key, s.design, s.population, stances.get(s.key, ""), s.review_of)
        for s in review.studies_for(rating.claim)
    ]


def warnings_for(review: Review, rating: ClaimRating) -> list[str]:
    """Things worth a second look that do not stop a save (the reviewer may have reasons)."""
    if validate(review, rating):
        return []
    derived = derived_rating(review, rating)
    out = []
    if not grade.verdict_allowed(rating.verdict, derived.verdict):
        out.append(
            f"your judgments and stances give {derived.verdict!r} (certainty {derived.certainty or 'none'}); "
            f"{rating.verdict!r} would be flagged once it is written into claims.csv"
        )
    claim_type = claim_card(review, rating.claim).claim_type
    if grade.needs_indirectness(claim_type, _own_studies(review, rating)) and rating.judgments.get("indirectness") == "not serious":
        out.append("the claim is about people but rests only on animal or cell work: indirectness should be serious or worse")
    return out


# -- the reviewer's own sheets ---------------------------------------------------------------------
@dataclass(frozen=True)
class SaveResult:
    """What a save wrote: the sheets (relative paths) and whether the claim's row was new."""

    claim: str
    sheet: str
    links_sheet: str
    appended: bool
    links_appended: int
    links_changed: int
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        verb = "added to" if self.appended else "updated in"
        return f"{self.claim} {verb} {self.sheet}; {self.links_appended + self.links_changed} link(s) in {self.links_sheet}"


class ReviewerSheets:
    """One reviewer's own pair of sheets under ratings/: the only rating files the form ever opens."""

    def __init__(self, review: Review, reviewer: str, folder: str | Path = "ratings") -> None:
        """Name the sheets; nothing is read or written until `ratings()` or `save()`."""
        self.review = review
        self.reviewer = reviewer_name(reviewer)
        base = Path(folder) if Path(folder).is_absolute() else review.root / folder
        self.path = base / f"{self.reviewer}.csv"
        self.links_path = base / f"{self.reviewer}{LINKS_SUFFIX}.csv"
        self.rel = self._rel(self.path)
        """The claims sheet's path relative to the review, as messages show it."""

    def _rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.review.root))
        except ValueError:
            return str(path)

    def _read(self, path: Path, table) -> CsvFile | None:
        """The sheet, None when it does not exist yet, InputError when it cannot be written back safely."""
        if not path.exists():
            return None
        sheet = read_csv(path, self._rel(path), table)
        bad = [str(p) for p in sheet.problems if p.fatal or p.code in ("csv-unknown-column", "csv-column-count")]
        if bad:
            raise InputError("\n".join(bad))
        return sheet

    def ratings(self) -> dict[str, ClaimRating]:
        """This reviewer's saved ratings by claim (rows still blank are not ratings yet)."""
        sheet = self._read(self.path, RATINGS)
        links = self._read(self.links_path, LINK_RATINGS)
        readings: dict[str, list[LinkReading]] = {}
        for rec in links.records if links else []:
            v = rec.values
            if any(v.get(n, "").strip() for n in LINK_FIELDS):
                reading = LinkReading(v.get("reference", ""), **{n: v.get(n, "") for n in LINK_FIELDS}, reasons=v.get("reasons", ""))
                readings.setdefault(v.get("claim", ""), []).append(reading)
        out: dict[str, ClaimRating] = {}
        for rec in sheet.records if sheet else []:
            v = rec.values
            claim = v.get("claim", "").strip()
            if claim in out or not any(v.get(n, "").strip() for n in (*JUDGMENTS, "verdict", "reasons")):
                continue
            out[claim] = ClaimRating(
                claim,
                {n: v.get(n, "") for n in JUDGMENTS},
                v.get("verdict", ""),
                split_reasons(v.get("reasons", "")),
                readings.get(claim, []),
            )
        return out

    def blank(self) -> list[str]:
        """Claims whose row on the sheet is still empty (a sheet from `evidence agree --sheet` lists every claim).

        `evidence agree` refuses a sheet with empty rows, so the form says how many are left.
        """
        sheet = self._read(self.path, RATINGS)
        rows = sheet.records if sheet else []
        return [r.values.get("claim", "") for r in rows
                if not any(r.values.get(n, "").strip() for n in (*JUDGMENTS, "verdict", "reasons"))]  # fmt: skip

    def save(self, rating: ClaimRating) -> SaveResult:
        """Write one claim's row and its links' rows; InputError when the rating is incomplete.

        Both sheets are read (and created holding only their header when missing) before either is
        written, and each write is atomic and refused if the file changed since it was read.
        """
        errors = validate(self.review, rating)
        if errors:
            raise InputError("\n".join(errors))
        for path, table in ((self.path, RATINGS), (self.links_path, LINK_RATINGS)):
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_text(path, format_record(table.columns) + "\n", expected=fingerprint(b""))
        sheet = self._read(self.path, RATINGS)
        links = self._read(self.links_path, LINK_RATINGS)
        assert sheet is not None and links is not None
        row = {"claim": rating.claim, **{n: rating.judgments[n] for n in JUDGMENTS},
               "verdict": rating.verdict, "reasons": compose_reasons(rating.reasons)}  # fmt: skip
        link_rows = [
            {"claim": rating.claim, "reference": link.reference, **link.values(), "reasons": " ".join(link.reasons.split())}
            for link in rating.links
        ]
        link_changes, link_appends = _place(links, link_rows, ("claim", "reference"))
        changes, appends = _place(sheet, [row], ("claim",))
        rewrite_records(links, link_changes, link_appends)
        rewrite_records(sheet, changes, appends)
        return SaveResult(
            rating.claim, self._rel(self.path), self._rel(self.links_path), bool(appends),
            len(link_appends), len(link_changes), tuple(warnings_for(self.review, rating)),
        )


def _place(
    sheet: CsvFile, rows: Sequence[dict[str, str]], key: tuple[str, ...]
) -> tuple[dict[int, dict[str, str]], list[dict[str, str]]]:
    """Which rows replace an existing record (by record index) and which are appended."""
    index: dict[tuple[str, ...], int] = {}
    for i, rec in enumerate(sheet.records):
        index.setdefault(tuple(rec.values.get(k, "").strip() for k in key), i)
    changes: dict[int, dict[str, str]] = {}
    appends: list[dict[str, str]] = []
    for row in rows:
        where = index.get(tuple(row[k] for k in key))
        if where is None:
            appends.append(row)
        else:
            changes[where] = row
    return changes, appends
