"""The screening library and the screening sheets of a review, as read: no rules, nothing raised.

Records from a search are screened before any of them becomes a reference. `evidence refs import`
adds them to the screening library, `screening/*.bib`, each naming in its `search` field the
searches (rows of searches.csv, or groups of rows) that found it; every reviewer records decisions
on a sheet of their own, `screening/<reviewer>.csv`; conflicts are settled in
`screening/consensus.csv`. This module reads those files; what a decision means and what `check`
holds them to is `rules.screening`.

The library lives apart from refs/ on purpose: a record nobody has screened is not a reference, so
nothing may ask it for a url, a design or a citing link. Only its own format (a parse error, a
duplicate key) can be wrong, and that is all the problems reading it collects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import schema, vocab
from .csvfile import CsvFile, read_csv
from .files import FileTrouble, list_folder
from .problems import Problem, problem
from .references import BibFile, Reference, read_bib

FOLDER = "screening"
"""The folder of the screening library (*.bib) and the screening sheets (*.csv), under the review root."""
CONSENSUS = "consensus"
"""The sheet stem of settled decisions: screening/consensus.csv."""
SEPARATOR = "; "
"""Between the searches a record names in its `search` field."""

SHEET = schema.Table(
    name="screening",
    path="screening/<reviewer>.csv",
    title="Screening sheet",
    description=(
        "One reviewer's decisions on the records of the screening library, one row per record and stage, "
        "written without seeing anyone else's (or, in consensus.csv, the decisions that settled a conflict)."
    ),
    primary_key=("record", "stage"),
    fields=(
        schema.Field("record", "Key of a record in screening/*.bib."),
        schema.Field(
            "stage",
            "title-abstract: screened on title and abstract; full-text: assessed in full (only records included at "
            "title-abstract).",
            enum=vocab.SCREENING_STAGES,
        ),
        schema.Field("decision", "The reviewer's decision at this stage.", enum=vocab.SCREENING_DECISIONS),
        schema.Field(
            "reason",
            f"Why the record was excluded; the vocabulary is the `exclusion_reasons` setting ('{vocab.NOT_RETRIEVED}' "
            "counts as a report not retrieved). Empty when included.",
            required=False,
            enum_from_setting="exclusion_reasons",
        ),
        schema.Field("note", "The reviewer's own words on the decision.", required=False),
        schema.Field(
            "decided_by",
            "In consensus.csv: who settled the conflict (the reviewers who met, or the adjudicator). Empty on a "
            "reviewer's own sheet.",
            required=False,
        ),
    ),
)

RECORD_FIELDS: tuple[schema.Field, ...] = (
    schema.Field("key", "BibTeX key; unique across screening/*.bib, and kept when the record is promoted to refs/."),
    schema.Field(
        "title",
        "Title as the export gave it. A record the review knows only by a description (e.g. a page left out in "
        "earlier notes) has `description` instead.",
        required=False,
    ),
    schema.Field("description", "What the record is, in the review's words, when there is no title to give.", required=False),
    schema.Field(
        "search",
        "The searches that found the record: ids or groups of searches.csv, separated by '; ', the one it was "
        "imported from first. A record found by several searches is one record: the others count as duplicates.",
        separator=SEPARATOR,
    ),
    schema.Field("abstract", "Abstract as exported, shown to reviewers at title-abstract stage.", required=False),
    schema.Field("note", "Anything a reviewer should know about the record (e.g. which pages of it were seen).", required=False),
)
"""Fields of screening/*.bib records that the workbench reads; any other field is kept as it is."""


class HasRoot(Protocol):
    root: Path


def record_title(ref: Reference) -> str:
    """What a reviewer reads the record by: its title, or the description it was recorded with."""
    return ref.get("title") or ref.get("description")


def searches_of(ref: Reference) -> tuple[str, ...]:
    """The searches (or groups) a record names, each once, in the order given."""
    parts = (p.strip() for p in ref.get("search").split(SEPARATOR.strip()))
    return tuple(dict.fromkeys(p for p in parts if p))


@dataclass(frozen=True)
class Decision:
    """One row of a screening sheet, as written (whether it is valid is for `rules.screening`)."""

    sheet: str  # the reviewer (the sheet's file stem), or "consensus"
    record: str
    stage: str
    decision: str
    reason: str
    note: str
    decided_by: str
    file: str
    line: int


@dataclass
class ScreeningData:
    """The screening library and sheets of one review: records by key, sheets by name, load problems."""

    records: dict[str, Reference] = field(default_factory=dict)
    bibfiles: list[BibFile] = field(default_factory=list)
    sheets: dict[str, CsvFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def present(self) -> bool:
        """Whether the review screens at all (a library file or a sheet exists)."""
        return bool(self.bibfiles or self.sheets)

    @property
    def reviewers(self) -> list[str]:
        """The reviewers with a sheet, in name order (the consensus sheet is not a reviewer's)."""
        return sorted(name for name in self.sheets if name != CONSENSUS)

    def decisions(self) -> list[Decision]:
        """Every row of every readable sheet, sheet by sheet in name order."""
        out = []
        for name in sorted(self.sheets):
            sheet = self.sheets[name]
            if not sheet.readable:
                continue
            for rec in sheet.records:
                v = {k: (val or "").strip() for k, val in rec.values.items()}
                out.append(
                    Decision(
                        name, v.get("record", ""), v.get("stage", ""), v.get("decision", ""), v.get("reason", ""),
                        v.get("note", ""), v.get("decided_by", ""), sheet.rel, rec.line,
                    )
                )
        return out


def read_screening(root: str | Path) -> ScreeningData:
    """Read screening/*.bib and screening/*.csv under `root`; a review without screening/ reads as empty."""
    root = Path(root).resolve()
    folder = root / FOLDER
    out = ScreeningData()
    try:
        bibs = list_folder(folder, "*.bib")
        csvs = list_folder(folder, "*.csv")
    except FileTrouble as trouble:
        out.problems.append(problem(FOLDER, 1, "file-unreadable", f"{FOLDER}/ cannot be listed: {trouble.reason}"))
        return out
    folded: dict[str, Reference] = {}
    for path in bibs:
        bib = read_bib(path, f"{FOLDER}/{path.name}")
        out.bibfiles.append(bib)
        out.problems.extend(bib.problems)
        for ref in bib.references:
            other = folded.get(ref.key.lower())
            if other is not None:
                code = "bib-duplicate-key" if other.key == ref.key else "bib-key-case"
                out.problems.append(problem(ref.file, ref.line, code, f"key {ref.key!r} is already used at {other.file}:{other.line}"))
                continue
            folded[ref.key.lower()] = ref
            out.records[ref.key] = ref
    for path in csvs:
        sheet = read_csv(path, f"{FOLDER}/{path.name}", SHEET)
        out.sheets[path.stem] = sheet
        out.problems.extend(sheet.problems)
    return out


def screening_of(review: HasRoot) -> ScreeningData:
    """The review's screening data, read once per loaded review (a loaded review is a snapshot)."""
    cached = review.__dict__.get("_screening_data")
    if cached is None:
        cached = read_screening(review.root)
        review.__dict__["_screening_data"] = cached
    return cached


def forget_screening(review: HasRoot) -> None:
    """Drop the review's cached screening data, after a tool wrote to the sheets or the library."""
    review.__dict__.pop("_screening_data", None)
