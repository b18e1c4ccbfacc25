"""Write settled judgments into claims.csv: where both raters agree, or the consensus says.

Only the judgment cells (the eight levels, and a domain's reason when one is given or the
level changed), certainty, verdict and `decided_by` are written, through
`csvfile.rewrite_records`: every other cell and row keeps its bytes, and the write is
refused if claims.csv changed since it was read. `decided_by` records who decided and by
which route; the raters' full reasons stay in ratings/ under version control.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..review import vocab
from ..review.csvfile import rewrite_records
from ..review.errors import InputError
from ..rules import grade
from ..rules.review import Review
from .sheets import LinkRating, Rating, RatingSheet, labelled_reasons

REASON_COLUMN = {d: f"{d}_reason" for d in vocab.DOWNGRADE_DOMAINS} | {u: "upgrade_reason" for u in vocab.UPGRADE_DOMAINS}


@dataclass(frozen=True)
class Decision:
    claim: str
    judgments: dict[str, str]
    verdict: str
    route: str  # agreement | consensus
    reasons: dict[str, str]  # domain (or "upgrade") -> reason text
    decided_by: str = ""  # from the consensus sheet: who decided


@dataclass
class WriteResult:
    changed: dict[str, dict[str, str]] = field(default_factory=dict)  # claim -> new cell values
    unresolved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _join_reasons(texts: list[str]) -> str:
    """Several reviewers' reasons for one judgment as one text: each its own sentence, in order.

    Joining with "; " wrote "comparison group.; self-reported …" into the review, which reads as a
    slip in a published footnote; sentences keep each reviewer's words and read cleanly."""
    parts = [text.strip() for text in texts if text.strip()]
    if len(parts) <= 1:
        return parts[0] if parts else ""  # one reason: exactly as written
    sentences = []
    for i, text in enumerate(parts):
        first = re.match(r"[a-z]+", text)
        if i and first and (len(first.group()) > 1 or text[1:2] in ("", " ")):  # a word, not "n=26"
            text = text[0].upper() + text[1:]
        sentences.append(text if text[-1] in ".!?" else text + ".")
    return " ".join(sentences)


def _merge_reasons(*ratings: Rating) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for r in ratings:
        for domain, text in labelled_reasons(r.reasons).items():
            if text not in out.setdefault(domain, []):
                out[domain].append(text)
    return {d: _join_reasons(texts) for d, texts in out.items()}


def decide(first: RatingSheet, second: RatingSheet, consensus: RatingSheet | None) -> tuple[list[Decision], list[str]]:
    """Decisions for every claim that is settled, and the ids of those that are not."""
    decisions, unresolved = [], []
    claims = list(dict.fromkeys([*first.ratings, *second.ratings, *(consensus.ratings if consensus else {})]))
    for c in claims:
        if consensus is not None and c in consensus.ratings:
            r = consensus.ratings[c]
            decisions.append(Decision(c, r.judgments, r.verdict, "consensus", _merge_reasons(r), r.decided_by))
        elif c in first.ratings and c in second.ratings and first.ratings[c].same_as(second.ratings[c]):
            a, b = first.ratings[c], second.ratings[c]
            decisions.append(Decision(c, a.judgments, a.verdict, "agreement", _merge_reasons(a, b)))
        else:
            unresolved.append(c)
    return decisions, unresolved


def decided_by(decision: Decision, first: str, second: str, by: str, consensus_rel: str) -> str:
    """The `decided_by` cell: who decided and by which route, so claims.csv says how each judgment was reached."""
    if decision.route == "consensus":
        who = decision.decided_by or f"consensus of {first} and {second}"
        return f"{who} ({consensus_rel}); recorded by {by}"
    return f"{first} and {second} agreed independently; recorded by {by}"


def write_decisions(
    review: Review,
    first: RatingSheet,
    second: RatingSheet,
    consensus: RatingSheet | None,
    by: str,
    dry_run: bool = False,
) -> WriteResult:
    """Write every settled claim's judgments, certainty and verdict into claims.csv (only those cells), and say what
    is not settled."""
    if not by.strip():
        raise InputError("say who records the decisions: --by NAME")
    claims = review.files["claims"]
    if not claims.readable:
        raise InputError("claims.csv cannot be read; run `evidence check`")
    decisions, unresolved = decide(first, second, consensus)
    settled_links, _ = decide_links(first, second, consensus)
    result = WriteResult(unresolved=unresolved)
    index = {}
    for i, rec in enumerate(claims.records):
        index.setdefault(rec.values.get("id", ""), i)
    changes: dict[int, dict[str, str]] = {}
    for d in decisions:
        i = index[d.claim]
        current = claims.records[i].values
        new = _cells(review, d, current, result, settled_links)
        new["decided_by"] = decided_by(d, first.name, second.name, by.strip(), consensus.rel if consensus else "")
        diff = {k: v for k, v in new.items() if current.get(k, "") != v}
        if diff:  # unchanged rows are not touched: running twice writes nothing
            changes[i] = diff
            result.changed[d.claim] = diff
    if changes and not dry_run:
        rewrite_records(claims, changes)
    return result


def _cells(
    review: Review,
    d: Decision,
    current: dict[str, str],
    result: WriteResult,
    links: dict[tuple[str, str], LinkRating] | None = None,
) -> dict[str, str]:
    cells = dict(d.judgments)
    upgrade_texts = [d.reasons[u] for u in (*vocab.UPGRADE_DOMAINS, "upgrade") if u in d.reasons]
    for domain in vocab.DOWNGRADE_DOMAINS:
        column = REASON_COLUMN[domain]
        level_changed = current.get(domain, "") != d.judgments[domain]
        if domain in d.reasons:
            cells[column] = d.reasons[domain]
        elif level_changed:
            cells[column] = ""
        needs = d.judgments[domain] != "not serious"
        if needs and not cells.get(column, current.get(column, "")):
            result.warnings.append(f"{d.claim}: {domain} is {d.judgments[domain]!r} with no reason; label one in the ratings")
    upgraded = any(d.judgments[u] != "none" for u in vocab.UPGRADE_DOMAINS)
    upgrades_changed = any(current.get(u, "") != d.judgments[u] for u in vocab.UPGRADE_DOMAINS)
    if upgrade_texts:
        cells["upgrade_reason"] = _join_reasons(upgrade_texts)
    elif upgrades_changed:
        cells["upgrade_reason"] = ""
    if upgraded and not cells.get("upgrade_reason", current.get("upgrade_reason", "")):
        result.warnings.append(f"{d.claim}: an upgrade is applied with no reason; label one ('upgrade: ...')")
    studies = [
        grade.StudyInfo(s.key, s.design, s.population, links[(d.claim, s.key)].stance, s.review_of)
        if links and (d.claim, s.key) in links else s
        for s in review.studies_for(d.claim)
    ]  # certainty on the links as settled, which are written to evidence.csv beside it
    rating = grade.rate(studies, d.judgments)
    cells["certainty"] = rating.certainty or ""
    cells["verdict"] = d.verdict
    if not grade.verdict_allowed(d.verdict, rating.verdict):
        result.warnings.append(
            f"{d.claim}: verdict {d.verdict!r} disagrees with the rule verdict {rating.verdict!r} "
            f"({rating.certainty or 'no'} certainty, direction {rating.direction}); `evidence check` will flag it"
        )
    if current.get("verdict", "") != d.verdict:
        result.warnings.append(f"{d.claim}: verdict {current.get('verdict', '')!r} -> {d.verdict!r}: reread the rationale")
    return cells


LINK_SETTLED: tuple[str, ...] = ("stance", "exposure", "outcome_kind")
"""What two readings must share for a link to be settled without a consensus row."""


def decide_links(
    first: RatingSheet, second: RatingSheet, consensus: RatingSheet | None
) -> tuple[dict[tuple[str, str], LinkRating], list[tuple[str, str]]]:
    """The reading each link settles on (consensus, else both readers agreeing), and the unsettled links."""
    settled: dict[tuple[str, str], LinkRating] = {}
    unresolved = []
    for key in dict.fromkeys([*first.links, *second.links, *(consensus.links if consensus else {})]):
        if consensus is not None and key in consensus.links:
            settled[key] = consensus.links[key]
        elif key in first.links and key in second.links and all(
            first.links[key].values[f] == second.links[key].values[f] for f in LINK_SETTLED
        ):
            settled[key] = first.links[key]
        else:
            unresolved.append(key)
    return settled, unresolved


def write_link_decisions(
    review: Review, first: RatingSheet, second: RatingSheet, consensus: RatingSheet | None, dry_run: bool = False
) -> tuple[dict[tuple[str, str], dict[str, str]], list[tuple[str, str]]]:
    """Write settled stances (and exposure, outcome kind) into evidence.csv.

    Outcome, source location and finding are written only from consensus rows that give them:
    the two readers' own words stay on their sheets, and evidence.csv keeps its text otherwise.
    """
    evidence = review.files["evidence"]
    if not evidence.readable:
        raise InputError("evidence.csv cannot be read; run `evidence check`")
    settled, unresolved = decide_links(first, second, consensus)
    index = {}
    for i, rec in enumerate(evidence.records):
        index.setdefault((rec.values.get("claim", ""), rec.values.get("reference", "")), i)
    changes: dict[int, dict[str, str]] = {}
    changed: dict[tuple[str, str], dict[str, str]] = {}
    is_consensus = set(consensus.links) if consensus else set()
    for key, reading in settled.items():
        if key not in index:
            continue
        current = evidence.records[index[key]].values
        fields = ("stance", "exposure", "outcome_kind", "outcome", "source_location", "finding") if key in is_consensus else LINK_SETTLED
        new = {f: reading.values[f] for f in fields if reading.values.get(f, "") and current.get(f, "") != reading.values[f]}
        if new:
            changes[index[key]] = new
            changed[key] = new
    if changes and not dry_run:
        rewrite_records(evidence, changes)
    return changed, unresolved
