"""Each reviewer's screening sheet: what a reviewer is shown, what they may decide, and how it is saved.

The command line (`evidence screen next` / `decide`) and the notebook form
(`evidencebench.notebook.screening_form`) are thin layers over this module, so everything that
matters is tested without either: which facts a reviewer sees, what a complete decision is, which
records still wait for them, and how a decision reaches their sheet.

Blinding is the point, as for ratings. A reviewer sees a record's bibliographic facts (title or
description, authors, year, journal, abstract, identifiers, the searches that found it) and their
own earlier decisions; `ReviewerSheet` opens `screening/<reviewer>.csv` and no other sheet, so no
one sees another reviewer's decisions or the consensus before `evidence screen agree` compares them.

Saving goes through the same safe writes as every other tool (`csvfile.read_csv` and
`rewrite_records`): a record and stage already on the sheet has its row replaced, a new one is
appended, every other byte stays, and the write is refused when the sheet changed on disk since it
was read. A sheet that does not exist yet is created holding only its header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..review import vocab
from ..review.atomic import atomic_write_text, fingerprint
from ..review.csvfile import CsvFile, format_record, read_csv, rewrite_records
from ..review.errors import InputError
from ..review.loader import ReviewData
from ..review.screening import CONSENSUS, FOLDER, SHEET, forget_screening, record_title, screening_of, searches_of
from ..rules.screening import FULL_TEXT, TITLE_ABSTRACT, outcomes

__all__ = [
    "RecordCard",
    "ReviewerSheet",
    "SaveResult",
    "ScreeningDecision",
    "queue",
    "record_card",
    "record_keys",
    "reviewer_name",
    "validate",
]

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")


# -- what a reviewer sees ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordCard:
    """One record as a blinded reviewer sees it: bibliographic facts only, no one's decision."""

    key: str
    position: int  # 1-based place in the library
    total: int
    title: str  # the title, or the description the record was recorded with
    described: bool  # True when `title` is a description (the record has no title of its own)
    authors: str
    year: str
    journal: str
    abstract: str
    doi: str
    pmid: str
    url: str
    searches: tuple[str, ...]
    note: str


def record_keys(review: ReviewData) -> list[str]:
    """The library's record keys in file order: the order reviewers work through."""
    return list(screening_of(review).records)


def record_card(review: ReviewData, key: str) -> RecordCard:
    """What a reviewer is shown of one record; KeyError for an unknown key."""
    records = screening_of(review).records
    if key not in records:
        raise KeyError(f"no record {key!r} in {FOLDER}/*.bib")
    ref = records[key]
    keys = list(records)
    get = ref.get
    return RecordCard(
        key=key, position=keys.index(key) + 1, total=len(keys), title=record_title(ref),
        described=not get("title"), authors=get("author"), year=get("year"), journal=get("journal"),
        abstract=get("abstract"), doi=get("doi"), pmid=get("pmid"), url=get("url"), searches=searches_of(ref),
        note=get("note"),
    )  # fmt: skip


# -- what a reviewer records -------------------------------------------------------------------------
@dataclass(frozen=True)
class ScreeningDecision:
    """One reviewer's decision on one record at one stage."""

    record: str
    stage: str
    decision: str  # include | exclude
    reason: str = ""  # one of the review's exclusion_reasons when excluded
    note: str = ""


def reviewer_name(name: str, consensus: bool = False) -> str:
    """The reviewer's name as a sheet's file stem, or InputError saying what is allowed.

    'consensus' is the sheet of settled conflicts, written only when `consensus` is asked for."""
    name = name.strip()
    if name == CONSENSUS and consensus:
        return name
    if not _NAME.fullmatch(name) or name == CONSENSUS:
        raise InputError(f"reviewer name {name!r}: use lower-case letters, digits, '.', '_' or '-' (not '{CONSENSUS}')")
    return name


def validate(review: ReviewData, decision: ScreeningDecision) -> list[str]:
    """Everything that stops this decision from being saved, in words (empty when it can be saved).

    A full-text decision needs the record to have been included at title-abstract (by the settled
    outcome), because only those are assessed; an exclusion needs a reason from the review's list."""
    errors = []
    records = screening_of(review).records
    if decision.record not in records:
        return [f"record {decision.record!r} is not in {FOLDER}/*.bib"]
    if decision.stage not in vocab.SCREENING_STAGES:
        errors.append(f"stage: choose one of: {', '.join(vocab.SCREENING_STAGES)}")
    if decision.decision not in vocab.SCREENING_DECISIONS:
        errors.append(f"decision: choose one of: {', '.join(vocab.SCREENING_DECISIONS)}")
    reasons = review.settings.exclusion_reasons
    if decision.decision == "exclude" and decision.reason not in reasons:
        errors.append(f"reason: an exclusion needs one of: {', '.join(reasons)}")
    if decision.decision == "include" and decision.reason:
        errors.append("reason: an included record has no exclusion reason")
    if decision.stage == FULL_TEXT:
        fate = outcomes(review)[decision.record]
        if fate.title_abstract.decision != "include":
            state = "is still awaiting its title-abstract decision" if fate.title_abstract.decision is None else "was excluded at title-abstract"
            errors.append(f"{decision.record} {state}; only records included there are assessed in full text")
    return errors


def queue(review: ReviewData, decided: Iterable[tuple[str, str]], stage: str) -> list[str]:
    """The records still waiting for this reviewer at `stage`, in library order.

    `decided` are the (record, stage) pairs on the reviewer's own sheet. At full text only records
    included at title-abstract wait (by the settled outcome, which names no reviewer's decision)."""
    done = set(decided)
    keys = record_keys(review)
    if stage == TITLE_ABSTRACT:
        return [k for k in keys if (k, stage) not in done]
    fates = outcomes(review)
    return [k for k in keys if fates[k].title_abstract.decision == "include" and (k, stage) not in done]


# -- the reviewer's own sheet ------------------------------------------------------------------------
@dataclass(frozen=True)
class SaveResult:
    """What a save wrote: the sheet (relative path), and how many rows were added or replaced."""

    sheet: str
    appended: int
    replaced: int

    def __str__(self) -> str:
        return f"{self.appended} decision(s) added to and {self.replaced} replaced in {self.sheet}"


class ReviewerSheet:
    """One reviewer's own sheet, screening/<reviewer>.csv: the only screening sheet it ever opens."""

    def __init__(self, review: ReviewData, reviewer: str, folder: str | Path = FOLDER, decided_by: str = "") -> None:
        """Name the sheet; nothing is read or written until `decisions()` or `save()`.

        The consensus sheet is opened by naming reviewer 'consensus' with `decided_by` (who settles)."""
        if reviewer.strip() == CONSENSUS and not decided_by.strip():
            raise InputError("the consensus sheet records who settled each conflict: give decided_by (--by NAME)")
        self.review = review
        self.reviewer = reviewer_name(reviewer, consensus=bool(decided_by.strip()))
        self.decided_by = " ".join(decided_by.split())
        base = Path(folder) if Path(folder).is_absolute() else review.root / folder
        self.path = base / f"{self.reviewer}.csv"
        try:
            self.rel = str(self.path.resolve().relative_to(review.root))
        except ValueError:
            self.rel = str(self.path)

    def _read(self) -> CsvFile | None:
        """The sheet, None when it does not exist yet, InputError when it cannot be written back safely."""
        if not self.path.exists():
            return None
        sheet = read_csv(self.path, self.rel, SHEET)
        bad = [str(p) for p in sheet.problems if p.fatal or p.code in ("csv-unknown-column", "csv-column-count", "csv-missing-optional-column")]
        if bad:
            raise InputError("\n".join(bad))
        return sheet

    def decisions(self) -> dict[tuple[str, str], ScreeningDecision]:
        """This reviewer's decisions by (record, stage); rows without a decision are not decisions yet."""
        sheet = self._read()
        out: dict[tuple[str, str], ScreeningDecision] = {}
        for rec in sheet.records if sheet else []:
            v = {k: (val or "").strip() for k, val in rec.values.items()}
            if not v.get("decision"):
                continue
            out.setdefault(
                (v.get("record", ""), v.get("stage", "")),
                ScreeningDecision(v.get("record", ""), v.get("stage", ""), v.get("decision", ""), v.get("reason", ""), v.get("note", "")),
            )
        return out

    def save(self, decisions: ScreeningDecision | Sequence[ScreeningDecision]) -> SaveResult:
        """Write decisions (one, or several at once) to the sheet; InputError, writing nothing, when any is incomplete."""
        items = [decisions] if isinstance(decisions, ScreeningDecision) else list(decisions)
        errors = [f"{d.record} ({d.stage}): {e}" for d in items for e in validate(self.review, d)]
        if errors:
            raise InputError("\n".join(errors))
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, format_record(SHEET.columns) + "\n", expected=fingerprint(b""))
        sheet = self._read()
        assert sheet is not None
        index: dict[tuple[str, str], int] = {}
        for i, rec in enumerate(sheet.records):
            index.setdefault(((rec.values.get("record") or "").strip(), (rec.values.get("stage") or "").strip()), i)
        changes: dict[int, dict[str, str]] = {}
        appends: dict[tuple[str, str], dict[str, str]] = {}
        for d in items:
            row = {
                "record": d.record, "stage": d.stage, "decision": d.decision, "reason": d.reason.strip(),
                "note": " ".join(d.note.split()), "decided_by": self.decided_by,
            }  # fmt: skip
            where = index.get((d.record, d.stage))
            if where is None:
                appends[(d.record, d.stage)] = row
            else:
                changes[where] = row
        rewrite_records(sheet, changes, list(appends.values()))
        forget_screening(self.review)  # the review's view of the sheets is stale now
        return SaveResult(self.rel, len(appends), len(changes))
