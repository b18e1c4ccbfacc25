"""Every rule of a review, run at once: `check_review` returns all problems, sorted."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date

from ..review import provenance, schema, vocab
from ..review.files import FileTrouble, kind_of, list_folder
from ..review.identity import StudyIndex, identity_of
from ..review.loader import ReviewData as Review
from ..review.loader import document_path
from ..review.problems import Problem, problem
from ..review.references import DOI_RE, PMID_RE
from . import grade
from .pico import pico_problems
from .report_settings import report_settings_problems
from .screening import screening_problems


def check_review(review: Review) -> list[Problem]:
    """Every problem in the review, from loading and from every rule, sorted and without duplicates."""
    problems = list(review.load_problems)
    for rule in (_values, _links, _documents, _quotes, _references, _ratings, pico_problems, report_settings_problems, screening_problems):
        problems.extend(rule(review))
    return sorted(set(problems))


BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no cell should hold (tab and line ends are allowed: cells may span lines)."""


# -- column values ---------------------------------------------------------------------
def _allowed(f: schema.Field, review: Review) -> tuple[str, ...] | None:
    if f.enum_from_setting:
        return tuple(getattr(review.settings, f.enum_from_setting))
    return f.enum


def _values(review: Review) -> Iterator[Problem]:
    """Every cell against its column's definition, one column at a time.

    Each test runs on the column's distinct values first (a set, built in C), and only a column
    that holds a bad value is walked row by row to say where: on a clean review that is no walk.
    """
    for table in schema.TABLES:
        csvfile = review.files[table.name]
        if not csvfile.readable:
            continue
        rel = csvfile.rel
        present = set(csvfile.header)
        lines = [rec.line for rec in csvfile.records]
        for f in table.fields:
            if f.name not in present:
                continue
            column = [rec.values.get(f.name, "") for rec in csvfile.records]
            bad = _bad_values(f, set(column), review)
            if not bad:
                continue
            for line, value in zip(lines, column, strict=True):
                if value in bad:
                    yield from _value_problems(rel, line, f, value, review)
        if table.primary_key == ("id",):
            seen: dict[str, int] = {}
            for rec in csvfile.records:
                ident = rec.values.get("id", "")
                if ident and ident in seen:
                    yield problem(rel, rec.line, "duplicate-id", f"id {ident!r} is already used on line {seen[ident]}")
                seen.setdefault(ident, rec.line)


def _bad_values(f: schema.Field, distinct: set[str], review: Review) -> set[str]:
    """The distinct values of column `f` that break one of its rules (`_value_problems` says which)."""
    bad: set[str] = set()
    if BAD_CONTROL.search("\n".join(distinct)):  # one scan of the whole column first
        bad |= {v for v in distinct if BAD_CONTROL.search(v)}
    if f.required and "" in distinct:
        bad.add("")
    filled = distinct - {""}
    allowed = _allowed(f, review)
    if allowed is not None:
        if f.separator is None:
            bad |= filled - set(allowed)
        else:
            bad |= {v for v in filled if any(part not in allowed for part in f.values(v))}
    if f.type == "integer":
        bad |= {v for v in filled if not (v.isascii() and v.isdigit())}
    elif f.type == "date":
        bad |= {v for v in filled if not _is_date(v)}
    if f.pattern:
        pattern = re.compile(f.pattern)
        bad |= {v for v in filled if not pattern.fullmatch(v)}
    return bad


def _value_problems(rel: str, line: int, f: schema.Field, value: str, review: Review) -> Iterator[Problem]:
    """What is wrong with one cell value of column `f`."""
    control = BAD_CONTROL.search(value)
    if control:
        yield problem(rel, line, "value-control-character", f"{f.name} holds control character {control.group(0)!r}")
    if value == "":
        if f.required:
            yield problem(rel, line, "value-required", f"{f.name} is empty")
        return
    allowed = _allowed(f, review)
    if allowed is not None and any(v not in allowed for v in f.values(value)):
        several = f" (several are separated by {f.separator!r})" if f.separator else ""
        yield problem(rel, line, "value-vocabulary", f"{f.name} {value!r} is not one of: {', '.join(allowed)}{several}")
    if f.type == "integer" and not re.fullmatch(r"\d+", value):
        yield problem(rel, line, "value-type", f"{f.name} {value!r} is not a whole number")
    if f.type == "date" and not _is_date(value):
        yield problem(rel, line, "value-type", f"{f.name} {value!r} is not a date YYYY-MM-DD")
    if f.pattern and not re.fullmatch(f.pattern, value):
        yield problem(rel, line, "value-pattern", f"{f.name} {value!r} does not match {f.pattern}")


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


# -- links between files -----------------------------------------------------------------
def _links(review: Review) -> Iterator[Problem]:
    claims = review.files["claims"]
    evidence = review.files["evidence"]
    claim_ids = {r.values.get("id") for r in claims.records}
    if claims.readable and review.files["documents"].readable:
        for rec in claims.records:
            doc = rec.values.get("document", "")
            if doc and doc not in review.documents:
                yield problem(claims.rel, rec.line, "unknown-document", f"document {doc!r} is not in documents/index.csv")
    cited: set[str] = set()
    # an unreadable refs/ or .bib file is already a fatal problem; its keys are not "unknown"
    refs_readable = not any(p.fatal and (p.file == "refs" or p.file.startswith("refs/")) for p in review.load_problems)
    if evidence.readable:
        pairs: dict[tuple[str, str], int] = {}
        for rec in evidence.records:
            c, r = rec.values.get("claim", ""), rec.values.get("reference", "")
            cited.add(r)
            if c and claims.readable and c not in claim_ids:
                yield problem(evidence.rel, rec.line, "unknown-claim", f"claim {c!r} is not in claims.csv")
            if r and r not in review.references and refs_readable:
                near = [k for k in review.references if k.lower() == r.lower()]
                extra = f" (did you mean {near[0]!r}?)" if near else ""
                yield problem(evidence.rel, rec.line, "unknown-reference", f"no reference with key {r!r}{extra}")
            if (c, r) in pairs:
                yield problem(evidence.rel, rec.line, "duplicate-link", f"{c} × {r} is already linked on line {pairs[(c, r)]}")
            pairs.setdefault((c, r), rec.line)
        for key, ref in review.references.items():
            if key not in cited:
                yield problem(ref.file, ref.line, "reference-uncited", f"{key} is not linked to any claim")


# -- documents and quotes ----------------------------------------------------------------
def _documents(review: Review) -> Iterator[Problem]:
    index = review.files["documents"]
    if not index.readable:
        return
    known = set()
    for doc in review.documents.values():
        known.add(doc.file)
        if not doc.file or document_path(review.root, doc.file) is None:
            continue  # no file, or document-path already says the name leaves documents/
        if doc.text is None and not os.path.lexists(review.root / "documents" / doc.file):
            yield problem(index.rel, doc.line, "document-file-missing", f"documents/{doc.file} does not exist")
        elif doc.changed:
            yield problem(
                index.rel, doc.line, "document-changed",
                f"documents/{doc.file} has sha256 {doc.actual_sha256[:12]}…, the index records {doc.sha256[:12]}…",
            )
    try:
        paths = list_folder(review.root / "documents", "*")
    except FileTrouble as trouble:
        yield problem("documents", 1, "file-unreadable", f"documents/ cannot be listed: {trouble.reason}")
        return
    for path in paths:
        try:
            other = kind_of(path)
        except OSError:
            continue
        if other is not None and other != "a folder" and path.name not in known:
            yield problem(f"documents/{path.name}", 1, "file-special", f"documents/{path.name} is {other}; it was not read")
        elif path.suffix == ".txt" and path.name not in known:
            yield problem(f"documents/{path.name}", 1, "document-unindexed", "text is not in documents/index.csv")


def _quotes(review: Review) -> Iterator[Problem]:
    claims = review.files["claims"]
    if not claims.readable:
        return
    folded_cache: dict[str, tuple[str, list[int]]] = {}
    for rec in claims.records:
        v = rec.values
        doc = review.documents.get(v.get("document", ""))
        quote = v.get("quote", "")
        if doc is None or doc.text is None or not quote:
            continue
        try:
            start, end = int(v.get("start", "")), int(v.get("end", ""))
        except ValueError:
            start, end = -1, -1
        if provenance.matches_at(doc.text, quote, start, end):
            continue
        if doc.id not in folded_cache:
            folded_cache[doc.id] = provenance.fold(doc.text)
        found = provenance.anchor(
            doc.text, quote, v.get("prefix", ""), v.get("suffix", ""), max(start, 0), folded_cache[doc.id]
        )
        if found is None:
            yield problem(
                claims.rel, rec.line, "quote-not-found",
                f"claim {v.get('id')}: quote {_short(quote)!r} is not in documents/{doc.file}",
            )
        else:
            yield problem(
                claims.rel, rec.line, "quote-moved",
                f"claim {v.get('id')}: quote is now at {found.start}-{found.end} (recorded {v.get('start')}-{v.get('end')})",
            )


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# -- references ------------------------------------------------------------------------------
def _references(review: Review) -> Iterator[Problem]:
    studies: StudyIndex[str] = StudyIndex()  # the duplicate rule `refs import` uses too
    for key, ref in review.references.items():
        where = (ref.file, ref.line)
        if not ref.get("title"):
            yield problem(*where, "reference-field", f"{key}: title is missing")
        url = ref.get("url")
        if not url:
            yield problem(*where, "reference-unverified", f"{key}: no url of the page it was checked against")
        elif not re.match(r"https?://\S+$", url):
            yield problem(*where, "reference-unverified", f"{key}: url {url[:60]!r} is not an http(s) address")
        raw_doi, pmid = ref.get("doi"), ref.pmid
        if raw_doi and not DOI_RE.match(ref.doi):
            yield problem(*where, "doi-malformed", f"{key}: doi {raw_doi!r} is not a DOI")
        if pmid and not PMID_RE.match(pmid):
            yield problem(*where, "pmid-malformed", f"{key}: pmid {pmid!r} is not digits")
        if not raw_doi and not pmid and ref.entry_type not in vocab.AGENCY_ENTRY_TYPES:
            yield problem(*where, "reference-no-identifier", f"{key}: @{ref.entry_type} has neither doi nor pmid")
        for name, allowed in (("design", vocab.DESIGNS), ("population", vocab.POPULATIONS)):
            value = ref.get(name)
            if value not in allowed:
                shown = f"{value!r} is not one of: {', '.join(allowed)}" if value else "is missing"
                yield problem(*where, "reference-field", f"{key}: {name} {shown}")
        review_of = ref.get("review_of")
        if review_of and review_of not in vocab.DESIGNS:
            yield problem(*where, "reference-field", f"{key}: review_of {review_of!r} is not a design")
        identity = identity_of(ref.fields)
        found = studies.find(identity)
        if found is not None:
            yield problem(*where, "duplicate-study", f"{key} is the same study as {found[0]} ({identity.shown(found[1])})")
        studies.add(identity, key)


# -- GRADE judgments, certainty and verdict -------------------------------------------------------
def _ratings(review: Review) -> Iterator[Problem]:
    claims = review.files["claims"]
    if not claims.readable or not review.files["evidence"].readable:
        return  # ratings depend on the links; the unreadable file is already reported
    rel = claims.rel
    dangling = {
        c for c, r in zip(review.evidence["claim"].tolist(), review.evidence["reference"].tolist(), strict=True)
        if r not in review.references
    }
    rated: dict[tuple, grade.Rating] = {}
    for rec in claims.records:
        v = rec.values
        cid = v.get("id", "")
        judgments = grade.judgments_of(v)
        valid = grade.judgments_valid(judgments)
        for d in vocab.DOWNGRADE_DOMAINS:
            if judgments[d] in ("serious", "very serious") and not v.get(f"{d}_reason", "").strip():
                yield problem(rel, rec.line, "reason-missing", f"claim {cid}: {d} is {judgments[d]!r} without {d}_reason")
        if any(judgments[u] not in ("", "none") for u in vocab.UPGRADE_DOMAINS) and not v.get("upgrade_reason", "").strip():
            yield problem(rel, rec.line, "reason-missing", f"claim {cid}: an upgrade is applied without upgrade_reason")
        if not v.get("rationale", "").strip():
            yield problem(rel, rec.line, "rationale-missing", f"claim {cid}: verdict {v.get('verdict')!r} has no rationale")
        if not valid or cid in dangling:
            continue  # value-vocabulary or unknown-reference already says what is wrong
        studies = review.studies_for(cid)
        key = (tuple(studies), tuple(judgments.values()))
        rating = rated.get(key)
        if rating is None:  # many claims share a body of evidence's shape: rate each shape once
            rating = rated[key] = grade.rate(studies, judgments)
        stored = v.get("certainty", "")
        if rating.certainty is None and stored:
            yield problem(rel, rec.line, "certainty-without-evidence", f"claim {cid}: certainty {stored!r} but nothing is rated")
        elif rating.certainty is not None and stored != rating.certainty:
            yield problem(
                rel, rec.line, "certainty-mismatch",
                f"claim {cid}: stored {stored or 'nothing'!r}, the judgments give {rating.certainty!r} "
                f"(start {rating.start}, -{rating.downgrades} +{rating.upgrades})",
            )
        stored_verdict = v.get("verdict", "")
        if stored_verdict in vocab.VERDICTS and not grade.verdict_allowed(stored_verdict, rating.verdict):
            yield problem(
                rel, rec.line, "verdict-mismatch",
                f"claim {cid}: stored {stored_verdict!r}, the rules give {rating.verdict!r} "
                f"(direction {rating.direction}, certainty {rating.certainty or 'none'})",
            )
        if grade.needs_indirectness(v.get("claim_type", ""), studies) and judgments["indirectness"] == "not serious":
            yield problem(
                rel, rec.line, "indirectness-required",
                f"claim {cid} is about people but every rated study is in animals or cells",
            )
