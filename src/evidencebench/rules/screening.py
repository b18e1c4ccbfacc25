"""What screening decisions mean, what `check` holds them to, and the PRISMA 2020 flow they add up to.

A record's fate at each stage follows from the sheets by one rule, used by `check`, the flow
diagram, the report and `evidence screen` alike:

- a decision in consensus.csv settles the stage;
- otherwise, when every reviewer who decided agrees (at full text: on the reason too, since the
  reasons are counted), that is the decision; a single reviewer's decision stands;
- when they disagree it is a conflict, and the record waits at that stage until it is settled.

Only records included at title-abstract are assessed in full text. An exclusion at full text for
the reason `not retrieved` is what PRISMA 2020 counts as a report not retrieved; the others are
counted by reason. A record included at full text is a study of the review: it must be in refs/
(`evidence screen promote` copies it), where `check` asks it for its verification fields like any
reference.

The flow's first numbers come from searches.csv: records identified are the `records` each search
found; where a search did not record them, each screening record naming it counts once. A record
naming several searches was found several times and kept once, so the others are duplicates; what
the searches found and the library does not hold (unreadable, untitled, or already a reference)
was removed for other reasons. Every box therefore follows from data, and `Flow.unreconciled`
says when the boxes do not add up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..review import vocab
from ..review.identity import StudyIndex, identity_of
from ..review.loader import ReviewData
from ..review.problems import Problem, problem
from ..review.references import Reference
from ..review.screening import CONSENSUS, FOLDER, Decision, ScreeningData, record_title, screening_of, searches_of

TITLE_ABSTRACT, FULL_TEXT = vocab.SCREENING_STAGES
UNKNOWN_SOURCE = "source not recorded"


# -- what the sheets decide --------------------------------------------------------------------------
@dataclass(frozen=True)
class StageOutcome:
    """The settled decision on a record at one stage; `decision` is None while it awaits one."""

    decision: str | None = None
    reason: str = ""
    conflict: bool = False  # reviewers disagree and no consensus settled it
    by: tuple[str, ...] = ()  # the sheets whose decisions count


@dataclass(frozen=True)
class RecordOutcome:
    """Where one record of the library stands: its decision at each stage, and so its box in the flow."""

    key: str
    title_abstract: StageOutcome
    full_text: StageOutcome  # always undecided unless included at title-abstract

    @property
    def status(self) -> str:
        """One of: awaiting screening, excluded at screening, awaiting assessment, not retrieved,
        excluded at full text, included."""
        ta, ft = self.title_abstract.decision, self.full_text.decision
        if ta is None:
            return "awaiting screening"
        if ta == "exclude":
            return "excluded at screening"
        if ft is None:
            return "awaiting assessment"
        if ft == "include":
            return "included"
        return "not retrieved" if self.full_text.reason == vocab.NOT_RETRIEVED else "excluded at full text"

    @property
    def excluded(self) -> bool:
        """Whether the record left the review at some stage."""
        return self.status in ("excluded at screening", "not retrieved", "excluded at full text")


def _row_errors(d: Decision, review: ReviewData, data: ScreeningData) -> list[tuple[str, str]]:
    """(code, message) for everything wrong with one sheet row on its own."""
    out: list[tuple[str, str]] = []
    if not d.record:
        out.append(("value-required", "record is empty"))
    elif d.record not in data.records:
        out.append(("screening-unknown-record", f"record {d.record!r} is not in {FOLDER}/*.bib"))
    if not d.stage:
        out.append(("value-required", "stage is empty"))
    elif d.stage not in vocab.SCREENING_STAGES:
        out.append(("value-vocabulary", f"stage {d.stage!r} is not one of: {', '.join(vocab.SCREENING_STAGES)}"))
    if not d.decision:
        out.append(("value-required", "decision is empty"))
    elif d.decision not in vocab.SCREENING_DECISIONS:
        out.append(("value-vocabulary", f"decision {d.decision!r} is not one of: {', '.join(vocab.SCREENING_DECISIONS)}"))
    reasons = review.settings.exclusion_reasons
    if d.decision == "exclude" and not d.reason:
        out.append(("screening-reason", f"{d.record}: excluded at {d.stage or 'a stage'} without a reason"))
    elif d.decision == "include" and d.reason:
        out.append(("screening-reason", f"{d.record}: included, but reason {d.reason!r} is given"))
    elif d.reason and d.reason not in reasons:
        out.append(("value-vocabulary", f"reason {d.reason!r} is not one of: {', '.join(reasons)}"))
    if d.sheet == CONSENSUS and not d.decided_by:
        out.append(("value-required", f"{d.record}: decided_by is empty (who settled the conflict)"))
    return out


def valid_decisions(review: ReviewData, data: ScreeningData | None = None) -> list[Decision]:
    """The rows that count: well-formed, naming a known record, and the first for their record and
    stage on their sheet (`check` reports the others)."""
    data = data or screening_of(review)
    seen: set[tuple[str, str, str]] = set()
    out = []
    for d in data.decisions():
        if _row_errors(d, review, data) or (d.sheet, d.record, d.stage) in seen:
            continue
        seen.add((d.sheet, d.record, d.stage))
        out.append(d)
    return out


def settle(decisions: list[Decision], stage: str) -> StageOutcome:
    """The outcome of one record at one stage from its rows there (see the module docstring)."""
    consensus = [d for d in decisions if d.sheet == CONSENSUS]
    if consensus:
        return StageOutcome(consensus[0].decision, consensus[0].reason, False, (CONSENSUS,))
    own = sorted((d for d in decisions if d.sheet != CONSENSUS), key=lambda d: d.sheet)
    if not own:
        return StageOutcome()
    sheets = tuple(d.sheet for d in own)
    kinds = {d.decision for d in own}
    reasons = {d.reason for d in own if d.decision == "exclude"}
    if len(kinds) > 1 or (stage == FULL_TEXT and len(reasons) > 1):
        return StageOutcome(None, "", True, sheets)
    return StageOutcome(own[0].decision, own[0].reason, False, sheets)


def outcomes(review: ReviewData, data: ScreeningData | None = None) -> dict[str, RecordOutcome]:
    """Every record of the library with its outcome, in library order."""
    data = data or screening_of(review)
    by_record: dict[tuple[str, str], list[Decision]] = {}
    for d in valid_decisions(review, data):
        by_record.setdefault((d.record, d.stage), []).append(d)
    out = {}
    for key in data.records:
        ta = settle(by_record.get((key, TITLE_ABSTRACT), []), TITLE_ABSTRACT)
        ft = settle(by_record.get((key, FULL_TEXT), []), FULL_TEXT) if ta.decision == "include" else StageOutcome()
        out[key] = RecordOutcome(key, ta, ft)
    return out


def promoted(review: ReviewData, data: ScreeningData | None = None) -> dict[str, str]:
    """Library record key -> the key of the reference in refs/ it became (same key, else same study)."""
    data = data or screening_of(review)
    index: StudyIndex[str] = StudyIndex()
    for key, ref in review.references.items():
        index.add(identity_of(ref.fields), key)
    out = {}
    for key, rec in data.records.items():
        if key in review.references:
            out[key] = key
        elif (found := index.find(identity_of(rec.fields))) is not None:
            out[key] = found[0]
    return out


# -- searches ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Search:
    """One row of searches.csv, as the flow needs it."""

    id: str
    source: str
    records: int | None  # None when not recorded
    group: str
    line: int


def searches(review: ReviewData) -> dict[str, Search]:
    """The rows of searches.csv by id (the first of a duplicated id; `check` reports the rest)."""
    out: dict[str, Search] = {}
    csvfile = review.files.get("searches")
    if csvfile is None or not csvfile.readable:
        return out
    for rec in csvfile.records:
        v = rec.values
        ident = (v.get("id") or "").strip()
        if not ident or ident in out:
            continue
        raw = (v.get("records") or "").strip()
        count = int(raw) if raw.isascii() and raw.isdigit() else None
        out[ident] = Search(ident, (v.get("source") or "").strip(), count, (v.get("group") or "").strip(), rec.line)
    return out


def resolve(name: str, rows: dict[str, Search]) -> list[Search]:
    """The searches a record's `search` name stands for: one search by id, or every search of a group."""
    if name in rows:
        return [rows[name]]
    return [s for s in rows.values() if s.group == name]


# -- the PRISMA 2020 flow -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceCount:
    source: str
    records: int  # records identified from this source
    searches: int  # searches of this source in searches.csv
    recorded: bool  # every search of the source recorded how many records it found


@dataclass(frozen=True)
class Flow:
    """The numbers of a PRISMA 2020 flow diagram, each computed from the review's files."""

    sources: tuple[SourceCount, ...]
    identified: int
    duplicates: int
    removed_other: int
    screened: int
    excluded_screening: int
    awaiting_screening: int
    sought: int
    not_retrieved: int
    assessed: int
    excluded_reasons: tuple[tuple[str, int], ...]  # full-text exclusions by reason, vocabulary order
    awaiting_assessment: int
    included: int
    in_refs: int  # included records that are references in refs/
    conflicts: int  # records waiting at a stage because reviewers disagree
    reviewers: tuple[str, ...]
    searches: int
    counts_recorded: bool  # every search recorded how many records it found
    outcomes: dict[str, RecordOutcome] = field(default_factory=dict, repr=False, compare=False)

    @property
    def excluded_full_text(self) -> int:
        """Records excluded at full text, over every reason."""
        return sum(n for _, n in self.excluded_reasons)

    def unreconciled(self) -> list[str]:
        """Every equation of the diagram that does not hold, in words (empty when the flow adds up)."""
        checks = [
            ("identified − duplicates − removed for other reasons = screened",
             self.identified - self.duplicates - self.removed_other, self.screened),
            ("identified = the sum over sources", sum(s.records for s in self.sources), self.identified),
            ("screened − excluded − awaiting screening = sought for retrieval",
             self.screened - self.excluded_screening - self.awaiting_screening, self.sought),
            ("sought − not retrieved = assessed", self.sought - self.not_retrieved, self.assessed),
            ("assessed − excluded − awaiting assessment = included",
             self.assessed - self.excluded_full_text - self.awaiting_assessment, self.included),
            ("included = included records in refs/", self.included, self.in_refs),
        ]  # fmt: skip
        out = [f"{what}: {left} ≠ {right}" for what, left, right in checks if left != right]
        if self.removed_other < 0:
            out.append(f"removed for other reasons is negative ({self.removed_other}): a search found fewer records than name it")
        return out


def flow(review: ReviewData, data: ScreeningData | None = None) -> Flow:
    """The PRISMA 2020 numbers of a review, from searches.csv, the screening library and the sheets."""
    data = data or screening_of(review)
    rows = searches(review)
    fates = outcomes(review, data)
    identified: Counter[str] = Counter()
    for s in rows.values():
        if s.records is not None:
            identified[s.source or UNKNOWN_SOURCE] += s.records
    duplicates = 0
    for rec in data.records.values():
        names = searches_of(rec)
        duplicates += max(len(names) - 1, 0)
        if not names:
            identified[UNKNOWN_SOURCE] += 1
        for name in names:
            found = resolve(name, rows)
            if not found:
                identified[UNKNOWN_SOURCE] += 1
            elif any(s.records is None for s in found):
                identified[found[0].source or UNKNOWN_SOURCE] += 1
    per_source: dict[str, list[Search]] = {}
    for s in rows.values():
        per_source.setdefault(s.source or UNKNOWN_SOURCE, []).append(s)
    order = list(per_source) + [src for src in identified if src not in per_source]
    sources = tuple(
        SourceCount(
            src,
            identified.get(src, 0),
            len(per_source.get(src, [])),
            bool(per_source.get(src)) and all(s.records is not None for s in per_source[src]),
        )
        for src in order
    )
    status = Counter(o.status for o in fates.values())
    reasons = Counter(
        o.full_text.reason for o in fates.values() if o.status == "excluded at full text"
    )
    vocabulary = [r for r in review.settings.exclusion_reasons if r != vocab.NOT_RETRIEVED]
    ordered = [(r, reasons[r]) for r in vocabulary if reasons[r]] + sorted(
        (r, n) for r, n in reasons.items() if r not in vocabulary
    )
    screened = len(data.records)
    total = sum(identified.values())
    sought = screened - status["excluded at screening"] - status["awaiting screening"]
    links = promoted(review, data)
    return Flow(
        sources=sources,
        identified=total,
        duplicates=duplicates,
        removed_other=total - duplicates - screened,
        screened=screened,
        excluded_screening=status["excluded at screening"],
        awaiting_screening=status["awaiting screening"],
        sought=sought,
        not_retrieved=status["not retrieved"],
        assessed=sought - status["not retrieved"],
        excluded_reasons=tuple(ordered),
        awaiting_assessment=status["awaiting assessment"],
        included=status["included"],
        in_refs=sum(1 for key, o in fates.items() if o.status == "included" and key in links),
        conflicts=sum(1 for o in fates.values() if o.title_abstract.conflict or o.full_text.conflict),
        reviewers=tuple(data.reviewers),
        searches=len(rows),
        counts_recorded=bool(rows) and all(s.records is not None for s in rows.values()),
        outcomes=fates,
    )


# -- what check reports -----------------------------------------------------------------------------
def screening_problems(review: ReviewData) -> Iterator[Problem]:
    """Problems of searches.csv's cross-references and of the screening library and sheets.

    Unscreened records get only problems of their own format; a record becomes subject to the
    reference rules only once it is included and copied into refs/.
    """
    rows = searches(review)
    ids = set(rows)
    rel = review.files["searches"].rel if "searches" in review.files else "searches.csv"
    for s in rows.values():
        if s.group and s.group in ids:
            yield problem(rel, s.line, "search-group-clash", f"group {s.group!r} of search {s.id} is also the id of a search")
    data = screening_of(review)
    if not data.present:
        return
    yield from data.problems
    named: Counter[str] = Counter()
    for key, rec in data.records.items():
        where = (rec.file, rec.line)
        if not record_title(rec):
            yield problem(*where, "screening-record-field", f"{key}: neither title nor description")
        names = searches_of(rec)
        if not names:
            yield problem(*where, "screening-record-field", f"{key}: names no search (field `search`)")
        for name in names:
            named[name] += 1
            if not resolve(name, rows):
                shown = "searches.csv has no such id or group" if rows else "there is no searches.csv"
                yield problem(*where, "screening-unknown-search", f"{key}: search {name!r}: {shown}")
    yield from _too_few(rows, named, rel)
    seen: dict[tuple[str, str, str], int] = {}
    for d in data.decisions():
        errors = _row_errors(d, review, data)
        for code, message in errors:
            yield problem(d.file, d.line, code, message)
        if errors:
            continue
        first = seen.setdefault((d.sheet, d.record, d.stage), d.line)
        if first != d.line:
            yield problem(d.file, d.line, "screening-duplicate-decision", f"{d.record} at {d.stage} is already decided on line {first}")
    fates = outcomes(review, data)
    for d in valid_decisions(review, data):
        fate = fates.get(d.record)
        if d.stage == FULL_TEXT and fate is not None and fate.title_abstract.decision == "exclude":
            yield problem(d.file, d.line, "screening-stage-order", f"{d.record} has a full-text decision but was excluded at title-abstract")
    links = promoted(review, data)
    for key, fate in fates.items():
        rec = data.records[key]
        if fate.status == "included" and key not in links:
            yield problem(rec.file, rec.line, "screening-not-promoted", f"{key} was included at full text but is not in refs/")
        elif fate.excluded and key in links:
            ref: Reference = review.references[links[key]]
            yield problem(ref.file, ref.line, "screening-excluded-reference", f"{ref.key} is in refs/, but screening record {key} was {fate.status}")


def _too_few(rows: dict[str, Search], named: Counter[str], rel: str) -> Iterator[Problem]:
    """A search (or group) said to have found fewer records than the library says it found."""
    for s in rows.values():
        if s.records is not None and named[s.id] > s.records:
            yield problem(rel, s.line, "search-records-too-few", f"search {s.id} found {s.records} record(s), but {named[s.id]} name it")
    groups: dict[str, list[Search]] = {}
    for s in rows.values():
        if s.group:
            groups.setdefault(s.group, []).append(s)
    for group, members in groups.items():
        if group in rows or any(s.records is None for s in members):
            continue
        found = sum(s.records or 0 for s in members)
        naming = named[group] + sum(named[s.id] for s in members)
        if naming > found:
            yield problem(rel, members[0].line, "search-records-too-few", f"group {group} found {found} record(s), but {naming} name it or its searches")

