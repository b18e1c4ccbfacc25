"""A review folder read into one object: documents, claims, evidence links, references.

Loading never raises on bad input: whatever could be read is in the frames, and every
problem met on the way is kept in `load_problems` for `check` to report.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from . import schema, vocab
from .csvfile import CsvFile, read_csv
from .documents import Document, read_text
from .problems import Problem, problem
from .references import BibFile, Reference, read_bib
from .settings import Settings, SettingsError, read_settings


@dataclass(frozen=True)
class StudyInfo:
    """What the GRADE engine needs to know of one linked study: its design, population and stance."""

    key: str
    design: str
    population: str
    stance: str
    review_of: str = ""


def judgments_of(values: Mapping[str, str]) -> dict[str, str]:
    """The eight judgment cells of a claims.csv row (missing cells as '')."""
    return {d: values.get(d, "") or "" for d in vocab.JUDGMENT_FIELDS}


@dataclass
class ReviewData:
    """The files of a review as read: typed frames, documents, references and load problems.

    This layer knows no rules; `evidencebench.Review` adds rating and checking on top.
    """

    root: Path
    settings: Settings
    documents: dict[str, Document]
    claims: pd.DataFrame
    evidence: pd.DataFrame
    references: dict[str, Reference]
    files: dict[str, CsvFile]
    bibfiles: list[BibFile]
    load_problems: list[Problem] = field(default_factory=list)
    _links_cache: dict | None = field(default=None, init=False, repr=False)
    _judgments_cache: dict | None = field(default=None, init=False, repr=False)

    # -- derived views -------------------------------------------------------------
    def studies_for(self, claim_id: str) -> list[StudyInfo]:
        links = self._links_by_claim().get(claim_id, [])
        out = []
        for key, stance in links:
            ref = self.references.get(key)
            if ref is None:
                continue
            out.append(
                StudyInfo(key, ref.get("design"), ref.get("population"), stance, ref.get("review_of"))
            )
        return out

    def _links_by_claim(self) -> dict[str, list[tuple[str, str]]]:
        cache = self._links_cache
        if cache is None:
            cache = {}
            for c, r, s in zip(self.evidence["claim"], self.evidence["reference"], self.evidence["stance"], strict=True):
                cache.setdefault(c, []).append((r, s))
            self._links_cache = cache
        return cache

    def judgments(self, claim_id: str) -> dict[str, str]:
        """The eight GRADE judgments of a claim as stored (first row of a duplicated id)."""
        cache = self._judgments_cache
        if cache is None:
            cache = {}
            for rec in self.files["claims"].records:
                cache.setdefault(rec.values.get("id", ""), judgments_of(rec.values))
            self._judgments_cache = cache
        return cache[claim_id]

    def documents_table(self) -> pd.DataFrame:
        cols = ["id", "title", "url", "publisher", "accessed", "sha256"]
        rows = [{c: getattr(d, c) for c in cols} for d in self.documents.values()]
        return pd.DataFrame(rows, columns=cols).set_index("id")

    def reference_table(self) -> pd.DataFrame:
        cols = ["key", "author", "year", "title", "journal", "design", "population", "n", "doi", "pmid", "url"]
        rows = [{"key": r.key, **{c: r.get(c) for c in cols[1:]}} for r in self.references.values()]
        return pd.DataFrame(rows, columns=cols).astype("string")

    def _repr_html_(self) -> str:
        topics = self.claims["topic"].value_counts().reindex(self.settings.topics, fill_value=0)
        items = "".join(f"<li>{html.escape(str(t))}: {n} claims</li>" for t, n in topics.items())
        return (
            f"<div><strong>{html.escape(self.settings.title)}</strong>"
            f"<p>{len(self.documents)} document(s), {len(self.claims)} claims, "
            f"{len(self.evidence)} evidence links, {len(self.references)} references.</p>"
            f"<ul>{items}</ul></div>"
        )

    def __repr__(self) -> str:
        return (
            f"Review({self.settings.title!r}: {len(self.documents)} documents, {len(self.claims)} claims, "
            f"{len(self.evidence)} links, {len(self.references)} references)"
        )


def _frame(csvfile: CsvFile, table: schema.Table, settings: Settings) -> pd.DataFrame:
    """Typed frame of a CSV's records; values that fail their type become missing (check says so)."""
    data = {c: [r.values.get(c, "") for r in csvfile.records] for c in table.columns}
    frame = pd.DataFrame(data, columns=table.columns).astype("string")
    for f in table.fields:
        if f.type == "integer":
            frame[f.name] = pd.to_numeric(frame[f.name], errors="coerce").astype("Int64")
        elif f.name == "certainty":
            frame[f.name] = frame[f.name].replace("", pd.NA)
    frame["line"] = pd.array([r.line for r in csvfile.records], dtype="Int64")
    return frame


def document_path(root: Path, name: str) -> Path | None:
    """The document's path, or None when the name would leave documents/."""
    if not name:
        return None
    folder = (root / "documents").resolve()
    target = (folder / name).resolve()
    return target if target.is_relative_to(folder) else None


R = TypeVar("R", bound="ReviewData")


def read_review(path: str | Path = ".", cls: type[R] = ReviewData) -> R:  # type: ignore[assignment]
    """Read a review folder (the one holding claims.csv) into `cls`; never raises on bad input."""
    root = Path(path).resolve()
    problems: list[Problem] = []
    try:
        settings = read_settings(root)
    except SettingsError as err:
        settings = Settings()
        problems.append(problem("pyproject.toml", err.line, "settings-invalid", str(err)))
    if not root.is_dir():
        problems.append(problem(str(path), 0, "review-not-found", f"{path} is not a folder"))
    files = {t.name: read_csv(root / t.path, t.path, t) for t in schema.TABLES}
    for f in files.values():
        problems.extend(f.problems)
    frames = {name: _frame(files[name], schema.table(name), settings) for name in files}

    documents: dict[str, Document] = {}
    for rec in files["documents"].records:
        v = rec.values
        text, actual = None, None
        target = document_path(root, v.get("file", ""))
        if v.get("file") and target is None:
            problems.append(problem(files["documents"].rel, rec.line, "document-path", f"file {v.get('file')!r} is outside documents/"))
        elif target is not None:
            text, actual = read_text(target)
            if text is not None and "\ufffd" in text and b"\xef\xbf\xbd" not in target.read_bytes():
                problems.append(problem(f"documents/{v.get('file')}", 1, "text-encoding", "the document is not valid UTF-8"))
        documents.setdefault(
            v.get("id", ""),
            Document(
                id=v.get("id", ""),
                file=v.get("file", ""),
                title=v.get("title", ""),
                url=v.get("url", ""),
                publisher=v.get("publisher", ""),
                accessed=v.get("accessed", ""),
                sha256=v.get("sha256", ""),
                note=v.get("note", ""),
                text=text,
                actual_sha256=actual,
                line=rec.line,
            ),
        )

    bibfiles = [read_bib(p, str(p.relative_to(root))) for p in sorted((root / "refs").glob("*.bib"))]
    references: dict[str, Reference] = {}
    folded: dict[str, Reference] = {}
    for bib in bibfiles:
        problems.extend(bib.problems)
        for ref in bib.references:
            other = folded.get(ref.key.lower())
            if other is not None:
                code = "bib-duplicate-key" if other.key == ref.key else "bib-key-case"
                problems.append(
                    problem(ref.file, ref.line, code, f"key {ref.key!r} is already used at {other.file}:{other.line}")
                )
                continue
            folded[ref.key.lower()] = ref
            references[ref.key] = ref
    return cls(
        root=root,
        settings=settings,
        documents=documents,
        claims=frames["claims"],
        evidence=frames["evidence"],
        references=references,
        files=files,
        bibfiles=bibfiles,
        load_problems=problems,
    )
