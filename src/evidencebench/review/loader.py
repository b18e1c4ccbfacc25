"""A review folder read into one object: documents, claims, evidence links, references.

Loading never raises on bad input: whatever could be read is in the frames, and every
problem met on the way is kept in `load_problems` for `check` to report.
"""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from . import schema, vocab
from .csvfile import CsvFile, file_problem, read_csv
from .documents import Document
from .files import FileTrouble, list_folder, read_bytes
from .pause import cycle_collector_paused
from .problems import Problem, problem
from .references import BibFile, Reference, read_bib
from .settings import Settings, SettingsError, line_of_key, read_settings, unknown_keys
from .styles import unknown_style_message


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
    references: dict[str, Reference]
    files: dict[str, CsvFile]
    bibfiles: list[BibFile]
    load_problems: list[Problem] = field(default_factory=list)
    _links_cache: dict | None = field(default=None, init=False, repr=False)
    _judgments_cache: dict | None = field(default=None, init=False, repr=False)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False)

    # -- typed frames, built on first use (`check` reads the files' columns directly) --------
    @property
    def claims(self) -> pd.DataFrame:
        """claims.csv as a typed frame: one row per record, a `line` column for messages."""
        return self._typed("claims")

    @property
    def evidence(self) -> pd.DataFrame:
        """evidence.csv as a typed frame: one row per link, a `line` column for messages."""
        return self._typed("evidence")

    def _typed(self, name: str) -> pd.DataFrame:
        frame = self._frames.get(name)
        if frame is None:
            frame = self._frames[name] = _frame(self.files[name], schema.table(name))
        return frame

    # -- derived views -------------------------------------------------------------
    def studies_for(self, claim_id: str) -> list[StudyInfo]:
        """The linked studies of one claim, with each link's stance: what the GRADE engine rates.

        Links to a key missing from refs/*.bib are left out (`check` reports them).
        """
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
            evidence = self.files["evidence"]
            for c, r, s in zip(evidence.column("claim"), evidence.column("reference"), evidence.column("stance"), strict=True):
                cache.setdefault(c, []).append((r, s))
            self._links_cache = cache
        return cache

    def judgments(self, claim_id: str) -> dict[str, str]:
        """The eight GRADE judgments of a claim as stored (first row of a duplicated id)."""
        cache = self._judgments_cache
        if cache is None:
            cache = {}
            claims = self.files["claims"]
            columns = [claims.column(d) for d in vocab.JUDGMENT_FIELDS]
            for cid, *values in zip(claims.column("id"), *columns, strict=True):
                if cid not in cache:
                    cache[cid] = dict(zip(vocab.JUDGMENT_FIELDS, values, strict=True))
            self._judgments_cache = cache
        return cache[claim_id]

    def documents_table(self) -> pd.DataFrame:
        """The documents under review, one row each by id (title, url, publisher, accessed, sha256)."""
        cols = ["id", "title", "url", "publisher", "accessed", "sha256"]
        rows = [{c: getattr(d, c) for c in cols} for d in self.documents.values()]
        return pd.DataFrame(rows, columns=cols).set_index("id")

    def reference_table(self) -> pd.DataFrame:
        """Every reference in refs/*.bib, one row each, with the fields the review relies on."""
        cols = ["key", "author", "year", "title", "journal", "design", "population", "n", "doi", "pmid", "url"]
        rows = [{"key": r.key, **{c: r.get(c) for c in cols[1:]}} for r in self.references.values()]
        return pd.DataFrame(rows, columns=cols).astype("string")

    def _next_steps(self) -> list[tuple[str, str]]:
        """(call, what it gives) pairs the repr suggests; `Review` adds the calls that need the rules."""
        topic = self.settings.topics[0] if self.settings.topics else "..."
        return [
            (f"tables.claims_view(review, topic={topic!r})", "the claims to read (filters: topic, verdict, document)"),
            ("review.claims", "the raw typed frame of claims.csv"),
        ]

    def _summary(self) -> str:
        return (
            f"{_count(len(self.documents), 'document')}, {_count(len(self.claims), 'claim')}, "
            f"{_count(len(self.evidence), 'evidence link')}, {_count(len(self.references), 'reference')}"
        )

    def _topic_counts(self) -> list[tuple[str, int]]:
        counts = self.claims["topic"].value_counts()
        topics = list(self.settings.topics) + [t for t in counts.index if t not in self.settings.topics]
        return [(str(t), int(counts.get(t, 0))) for t in topics]

    def _repr_html_(self) -> str:
        """A summary card for notebooks; inline styles, because an untrusted notebook drops <style>."""
        e = html.escape
        cell = "text-align:left;padding:0.2em 0.8em 0.2em 0;white-space:nowrap"
        topics = "".join(
            f'<tr><td style="{cell}">{e(t)}</td><td style="{cell};text-align:right">{n}</td></tr>'
            for t, n in self._topic_counts()
        )
        steps = "".join(
            f'<li><code style="white-space:nowrap">{e(call)}</code>: {e(what)}</li>' for call, what in self._next_steps()
        )
        return (
            f'<div class="evidencebench-review" style="max-width:48em"><strong>{e(self.settings.title)}</strong>'
            f"<p>{e(self._summary())}.</p>"
            f'<table style="border-collapse:collapse;margin-left:0"><thead><tr>'
            f'<th style="{cell}">topic</th><th style="{cell};text-align:right">claims</th></tr></thead>'
            f"<tbody>{topics}</tbody></table>"
            f"<p>What to call next:</p><ul>{steps}</ul></div>"
        )

    def _repr_pretty_(self, p, cycle: bool) -> None:
        """IPython's text form: the summary, claims per topic, and what to call next."""
        lines = [repr(self), *(f"  {t}: {n} claims" for t, n in self._topic_counts()), "What to call next:"]
        lines += [f"  {call}  # {what}" for call, what in self._next_steps()]
        p.text("\n".join(lines))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.settings.title!r}: {self._summary()})"


def _count(n: int, noun: str) -> str:
    """'1 claim', '72 claims'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _frame(csvfile: CsvFile, table: schema.Table) -> pd.DataFrame:
    """Typed frame of a CSV's records; values that fail their type become missing (check says so)."""
    data = {c: csvfile.column(c) for c in table.columns}
    frame = pd.DataFrame(data, columns=table.columns).astype("string")
    for f in table.fields:
        if f.type == "integer":
            frame[f.name] = pd.to_numeric(frame[f.name], errors="coerce").astype("Int64")
        elif f.name == "certainty":
            frame[f.name] = frame[f.name].replace("", pd.NA)
    frame["line"] = pd.array(csvfile.lines, dtype="Int64")
    return frame


def document_path(root: Path, name: str) -> Path | None:
    """The document's path, or None when the name would leave documents/."""
    if not name or "\x00" in name:  # no file can be named with a NUL
        return None
    folder = root / "documents"
    plain = folder / name
    if "/" not in name and "\\" not in name and name not in (".", ".."):
        try:
            if not plain.is_symlink():  # a plain name in the folder: nothing to resolve
                return plain
        except (OSError, ValueError):
            pass
    folder = folder.resolve()
    target = (folder / name).resolve()
    return target if target.is_relative_to(folder) else None


R = TypeVar("R", bound="ReviewData")


def read_review(path: str | Path = ".", cls: type[R] = ReviewData) -> R:  # type: ignore[assignment]
    """Read a review folder (the one holding claims.csv) into `cls`; never raises on bad input."""
    with cycle_collector_paused():  # many small objects and no cycles: see review/pause.py
        return _read_review(path, cls)


def _read_review(path: str | Path, cls: type[R]) -> R:
    root = Path(path).resolve()
    problems: list[Problem] = []
    try:
        settings = read_settings(root)
    except SettingsError as err:
        settings = Settings()
        problems.append(problem("pyproject.toml", max(err.line, 1), "settings-invalid", str(err)))
    except FileTrouble as trouble:
        settings = Settings()
        problems.append(file_problem("pyproject.toml", trouble, "pyproject.toml"))
    for line, key, close in unknown_keys(root):
        hint = f"; did you mean {close!r}?" if close else ""
        problems.append(problem("pyproject.toml", line, "settings-unknown-key", f"[tool.evidencebench] has no setting {key!r}{hint}"))
    style_trouble = unknown_style_message(settings.citation_style)
    if style_trouble:
        problems.append(problem("pyproject.toml", max(line_of_key(root, "citation_style"), 1), "settings-citation-style", style_trouble))
    if not root.is_dir():
        problems.append(problem(str(path), 0, "review-not-found", f"{path} is not a folder"))
    files = {
        t.name: CsvFile(root / t.path, t.path) if t.optional and not os.path.lexists(root / t.path) else read_csv(root / t.path, t.path, t)
        for t in schema.TABLES
    }  # an optional file (searches.csv) that is absent reads as empty
    for f in files.values():
        problems.extend(f.problems)

    documents: dict[str, Document] = {}
    for rec in files["documents"].records:
        v = rec.values
        text, actual = None, None
        target = document_path(root, v.get("file", ""))
        if v.get("file") and target is None:
            where = "cannot name a file (it holds a NUL character)" if "\x00" in v["file"] else "is outside documents/"
            problems.append(problem(files["documents"].rel, rec.line, "document-path", f"file {v.get('file')!r} {where}"))
        elif target is not None:
            try:
                data = read_bytes(target)
            except FileTrouble as trouble:
                if trouble.kind != "missing":  # a missing file is check's document-file-missing
                    problems.append(file_problem(f"documents/{v.get('file')}", trouble, "the document"))
            else:
                text, actual = data.decode("utf-8", errors="replace"), hashlib.sha256(data).hexdigest()
                if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
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

    try:
        bib_paths = list_folder(root / "refs", "*.bib")
    except FileTrouble as trouble:
        bib_paths = []
        problems.append(problem("refs", 1, "file-unreadable", f"refs/ cannot be listed: {trouble.reason}"))
    bibfiles = [read_bib(p, str(p.relative_to(root))) for p in bib_paths]
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
        references=references,
        files=files,
        bibfiles=bibfiles,
        load_problems=problems,
    )
