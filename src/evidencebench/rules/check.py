"""Every rule of a review, run at once: `check_review` returns all problems, sorted."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from itertools import repeat

from ..review import provenance, schema, vocab
from ..review.files import FileTrouble, kind_of, list_folder
from ..review.identity import StudyIndex, doi_key, fold, identity_of, pmid_key, year_of
from ..review.loader import ReviewData as Review
from ..review.loader import StudyInfo, document_path
from ..review.pause import cycle_collector_paused
from ..review.problems import FORBIDDEN_CONTROL, Problem, problem
from ..review.references import DOI_RE, PMID_RE
from . import grade
from .pico import pico_problems
from .report_settings import report_settings_problems
from .screening import screening_problems


def check_review(review: Review) -> list[Problem]:
    """Every problem in the review, from loading and from every rule, sorted and without duplicates."""
    problems = list(review.load_problems)
    with cycle_collector_paused():
        for rule in (_values, _links, _documents, _quotes, _references, _ratings, pico_problems, report_settings_problems, screening_problems):
            problems.extend(rule(review))
    return sorted(set(problems))




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
        lines = csvfile.lines
        for f in table.fields:
            if f.name not in present:
                continue
            column = csvfile.column(f.name)
            if not csvfile.has_control and _allowed(f, review) is None and f.type == "string" and not f.pattern:
                # free text: only emptiness can be wrong, and a scan for "" needs no set of the column
                bad = {""} if f.required and "" in column else set()
            else:
                bad = _bad_values(f, set(column), review, csvfile.has_control)
            if not bad:
                continue
            for line, value in zip(lines, column, strict=True):
                if value in bad:
                    yield from _value_problems(rel, line, f, value, review)
        if table.primary_key == ("id",):
            ids = csvfile.column("id")
            if len(set(ids)) == len(ids):
                continue  # every id distinct: nothing to walk
            seen: dict[str, int] = {}
            for ident, line in zip(ids, lines, strict=True):
                if ident and ident in seen:
                    yield problem(rel, line, "duplicate-id", f"id {ident!r} is already used on line {seen[ident]}")
                seen.setdefault(ident, line)


def _bad_values(f: schema.Field, distinct: set[str], review: Review, controls: bool = True) -> set[str]:
    """The distinct values of column `f` that break one of its rules (`_value_problems` says which).

    `controls` False says the file holds no control character at all, so none is looked for.
    """
    bad: set[str] = set()
    if controls and FORBIDDEN_CONTROL.search("\n".join(distinct)):  # one scan of the whole column first
        bad |= {v for v in distinct if FORBIDDEN_CONTROL.search(v)}
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
    control = FORBIDDEN_CONTROL.search(value)
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
    claim_ids = set(claims.column("id"))
    if claims.readable and review.files["documents"].readable:
        documents = claims.column("document")
        unknown = set(documents) - set(review.documents) - {""}
        for doc, line in zip(documents, claims.lines, strict=True):
            if doc in unknown:
                yield problem(claims.rel, line, "unknown-document", f"document {doc!r} is not in documents/index.csv")
    # an unreadable refs/ or .bib file is already a fatal problem; its keys are not "unknown"
    refs_readable = not any(p.fatal and (p.file == "refs" or p.file.startswith("refs/")) for p in review.load_problems)
    if evidence.readable:
        link_claims, link_refs = evidence.column("claim"), evidence.column("reference")
        cited = set(link_refs)
        unknown_claims = set(link_claims) - claim_ids - {""} if claims.readable else set()
        unknown_refs = cited - review.references.keys() - {""} if refs_readable else set()
        pairs = list(zip(link_claims, link_refs, strict=True))
        repeated = len(set(pairs)) != len(pairs)
        if unknown_claims or unknown_refs or repeated:  # walk the rows only to say where
            first: dict[tuple[str, str], int] = {}
            for (c, r), line in zip(pairs, evidence.lines, strict=True):
                if c in unknown_claims:
                    yield problem(evidence.rel, line, "unknown-claim", f"claim {c!r} is not in claims.csv")
                if r in unknown_refs:
                    near = [k for k in review.references if k.lower() == r.lower()]
                    extra = f" (did you mean {near[0]!r}?)" if near else ""
                    yield problem(evidence.rel, line, "unknown-reference", f"no reference with key {r!r}{extra}")
                if (c, r) in first:
                    yield problem(evidence.rel, line, "duplicate-link", f"{c} × {r} is already linked on line {first[(c, r)]}")
                first.setdefault((c, r), line)
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
    columns = [claims.column(c) for c in ("id", "document", "quote", "start", "end", "prefix", "suffix")]
    for i, (cid, doc_id, quote, start_cell, end_cell, prefix, suffix) in enumerate(zip(*columns, strict=True)):
        doc = review.documents.get(doc_id)
        if doc is None or doc.text is None or not quote:
            continue
        try:
            start, end = int(start_cell), int(end_cell)
        except ValueError:
            start, end = -1, -1
        if provenance.matches_at(doc.text, quote, start, end):
            continue
        if doc.id not in folded_cache:
            folded_cache[doc.id] = provenance.fold(doc.text)
        found = provenance.anchor(doc.text, quote, prefix, suffix, max(start, 0), folded_cache[doc.id])
        line = claims.lines[i]
        if found is None:
            yield problem(
                claims.rel, line, "quote-not-found",
                f"claim {cid}: quote {_short(quote)!r} is not in documents/{doc.file}",
            )
        else:
            yield problem(
                claims.rel, line, "quote-moved",
                f"claim {cid}: quote is now at {found.start}-{found.end} (recorded {start_cell}-{end_cell})",
            )


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# -- references ------------------------------------------------------------------------------
def _references(review: Review) -> Iterator[Problem]:
    designs, populations = set(vocab.DESIGNS), set(vocab.POPULATIONS)
    for key, ref in review.references.items():
        fields = ref.fields
        get = fields.get
        if not get("title"):
            yield problem(ref.file, ref.line, "reference-field", f"{key}: title is missing")
        url = get("url", "")
        if not url:
            yield problem(ref.file, ref.line, "reference-unverified", f"{key}: no url of the page it was checked against")
        elif not _HTTP_URL.match(url):
            yield problem(ref.file, ref.line, "reference-unverified", f"{key}: url {url[:60]!r} is not an http(s) address")
        raw_doi, pmid = get("doi", ""), get("pmid", "").strip()
        if raw_doi and not DOI_RE.match(ref.doi):
            yield problem(ref.file, ref.line, "doi-malformed", f"{key}: doi {raw_doi!r} is not a DOI")
        if pmid and not PMID_RE.match(pmid):
            yield problem(ref.file, ref.line, "pmid-malformed", f"{key}: pmid {pmid!r} is not digits")
        if not raw_doi and not pmid and ref.entry_type not in vocab.AGENCY_ENTRY_TYPES:
            yield problem(ref.file, ref.line, "reference-no-identifier", f"{key}: @{ref.entry_type} has neither doi nor pmid")
        design, population, review_of = get("design", ""), get("population", ""), get("review_of", "")
        if design not in designs or population not in populations:
            for name, value, allowed in (("design", design, vocab.DESIGNS), ("population", population, vocab.POPULATIONS)):
                if value not in allowed:
                    shown = f"{value!r} is not one of: {', '.join(allowed)}" if value else "is missing"
                    yield problem(ref.file, ref.line, "reference-field", f"{key}: {name} {shown}")
        if review_of and review_of not in designs:
            yield problem(ref.file, ref.line, "reference-field", f"{key}: review_of {review_of!r} is not a design")
    yield from _duplicate_studies(review)


_HTTP_URL = re.compile(r"https?://\S+$")


def _duplicate_studies(review: Review) -> Iterator[Problem]:
    """References that are the same study, by the rule `refs import` uses too (`StudyIndex`).

    A reference can only match another through a DOI, a PMID or a (title, year) pair that some
    other reference shares, so the full identity (whose first-author name is the costly part) is
    computed only for references with such a shared part; the others can neither match nor be
    matched, and leaving them out of the index changes no answer.
    """
    refs = list(review.references.values())
    fields = [ref.fields for ref in refs]
    dois = [doi_key(f.get("doi", "")) for f in fields]
    pmids = [pmid_key(f.get("pmid", "")) for f in fields]
    titles = [(fold(f.get("title", "")), year_of(f.get("year", "") or f.get("date", ""))) for f in fields]
    shared = {part for column in (dois, pmids) for part, n in Counter(column).items() if n > 1 and part}
    shared |= {part for part, n in Counter(titles).items() if n > 1 and part[0]}
    if not shared:
        return
    keys = list(zip(dois, pmids, titles, strict=True))
    studies: StudyIndex[str] = StudyIndex()
    for ref, (doi, pmid, title_year) in zip(refs, keys, strict=True):
        if doi not in shared and pmid not in shared and title_year not in shared:
            continue
        identity = identity_of(ref.fields)
        found = studies.find(identity)
        if found is not None:
            yield problem(ref.file, ref.line, "duplicate-study", f"{ref.key} is the same study as {found[0]} ({identity.shown(found[1])})")
        studies.add(identity, ref.key)


# -- GRADE judgments, certainty and verdict -------------------------------------------------------
def _ratings(review: Review) -> Iterator[Problem]:
    """Reasons, rationale, certainty, verdict and indirectness of every claim against the rules.

    Claims are read column by column; the engine rates each distinct shape of evidence (the rated
    studies' stances, designs and populations, the eight judgments and the claim type) once,
    however many claims share it.
    """
    claims = review.files["claims"]
    if not claims.readable or not review.files["evidence"].readable:
        return  # ratings depend on the links; the unreadable file is already reported
    rel = claims.rel
    evidence = review.files["evidence"]
    link_claims, link_refs, link_stances = evidence.column("claim"), evidence.column("reference"), evidence.column("stance")
    missing = set(link_refs) - review.references.keys()
    dangling = {c for c, r in zip(link_claims, link_refs, strict=True) if r in missing} if missing else set()
    # what the engine reads of a rated study: its stance, design, reviewed design and population,
    # numbered, so a claim's body of evidence is a short sorted tuple of numbers
    shapes: dict[tuple[str, ...], int] = {}
    code = {
        key: 2 * shapes.setdefault((ref.get("design"), ref.get("review_of"), ref.get("population")), len(shapes))
        for key, ref in review.references.items()
    }
    bodies: dict[str, list[int]] = {}
    for c, r, stance in zip(link_claims, link_refs, link_stances, strict=True):
        if stance == "supports":
            bodies.setdefault(c, []).append(code.get(r, -2))
        elif stance == "contradicts":
            bodies.setdefault(c, []).append(code.get(r, -2) + 1)
    ids, lines = claims.column("id"), claims.lines
    judgment_columns = [claims.column(d) for d in vocab.JUDGMENT_FIELDS]
    # reasons and rationale, column by column: a row is visited only when a reason is due
    for d, column in zip(vocab.DOWNGRADE_DOMAINS, judgment_columns, strict=False):
        if not {"serious", "very serious"} & set(column):
            continue
        for cid, line, level, reason in zip(ids, lines, column, claims.column(f"{d}_reason"), strict=True):
            if level in ("serious", "very serious") and not reason.strip():
                yield problem(rel, line, "reason-missing", f"claim {cid}: {d} is {level!r} without {d}_reason")
    upgrade_columns = judgment_columns[len(vocab.DOWNGRADE_DOMAINS) :]
    if any(set(column) - {"", "none"} for column in upgrade_columns):
        for cid, line, reason, *levels in zip(ids, lines, claims.column("upgrade_reason"), *upgrade_columns, strict=True):
            if any(level not in ("", "none") for level in levels) and not reason.strip():
                yield problem(rel, line, "reason-missing", f"claim {cid}: an upgrade is applied without upgrade_reason")
    verdicts = claims.column("verdict")
    for cid, line, rationale, stored_verdict in zip(ids, lines, claims.column("rationale"), verdicts, strict=True):
        if not rationale or rationale.isspace():
            yield problem(rel, line, "rationale-missing", f"claim {cid}: verdict {stored_verdict!r} has no rationale")
    # certainty, verdict and indirectness depend only on a claim's shape of evidence, its judgments,
    # its type and what it stores: each distinct case is judged once (zip and map run in C), and the
    # claims are walked only when some case is wrong
    judgments = list(zip(*judgment_columns, strict=True))
    valid = {v: grade.judgments_valid(dict(zip(vocab.JUDGMENT_FIELDS, v, strict=True))) for v in set(judgments)}
    body_keys = map(tuple, map(sorted, map(bodies.get, ids, repeat(()))))
    cases = list(zip(zip(body_keys, judgments, claims.column("claim_type"), strict=True), claims.column("certainty"), verdicts, strict=True))
    shape_list = list(shapes)
    verdicts_of: dict[tuple, list[tuple[str, str]]] = {}
    for case in set(cases):
        (body, values, claim_type), stored, stored_verdict = case
        if valid[values] and -2 not in body and -1 not in body:  # an unknown reference: unknown-reference says so
            verdicts_of[case] = _rating_problems(body, values, claim_type, stored, stored_verdict, shape_list)
    if any(verdicts_of.values()):
        for cid, line, case in zip(ids, lines, cases, strict=True):
            if cid in dangling:
                continue
            for code, text in verdicts_of.get(case, ()):
                yield problem(rel, line, code, f"claim {cid}{text}")


def _rating_problems(
    body: tuple[int, ...], values: tuple[str, ...], claim_type: str, stored: str, stored_verdict: str, shapes: list[tuple[str, ...]]
) -> list[tuple[str, str]]:
    """(code, message after the claim id) for one case: a body of evidence (numbered shapes, see
    `_ratings`), eight judgments, a claim type and the stored certainty and verdict."""
    studies = [
        StudyInfo("", design, population, "contradicts" if number % 2 else "supports", review_of)
        for number in body
        for design, review_of, population in (shapes[number // 2],)
    ]
    rating = grade.rate(studies, dict(zip(vocab.JUDGMENT_FIELDS, values, strict=True)))
    found = []
    if rating.certainty is None and stored:
        found.append(("certainty-without-evidence", f": certainty {stored!r} but nothing is rated"))
    elif rating.certainty is not None and stored != rating.certainty:
        found.append((
            "certainty-mismatch",
            f": stored {stored or 'nothing'!r}, the judgments give {rating.certainty!r} "
            f"(start {rating.start}, -{rating.downgrades} +{rating.upgrades})",
        ))
    if stored_verdict in vocab.VERDICTS and not grade.verdict_allowed(stored_verdict, rating.verdict):
        found.append((
            "verdict-mismatch",
            f": stored {stored_verdict!r}, the rules give {rating.verdict!r} "
            f"(direction {rating.direction}, certainty {rating.certainty or 'none'})",
        ))
    if grade.needs_indirectness(claim_type, studies) and values[vocab.JUDGMENT_FIELDS.index("indirectness")] == "not serious":
        found.append(("indirectness-required", " is about people but every rated study is in animals or cells"))
    return found
