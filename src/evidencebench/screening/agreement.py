"""How far two reviewers' screening decisions agree, and which records they must meet to settle.

Computed as rating agreement is (`rating.agreement`): Cohen's kappa from `rules.kappa` beside the
percent agreement and the number of records both decided, per stage. Include or exclude is a
nominal scale, so kappa is unweighted; at full text the exclusion reasons are compared too, over the
records both excluded, because the flow diagram counts them. Kappa is undefined (shown as missing,
never as 1 or 0) when both used one and the same category throughout.

A conflict is a record and stage on which the two differ (at full text, also on the reason); it is
listed with both decisions and, once settled in screening/consensus.csv, with the settlement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..review import vocab
from ..review.errors import InputError
from ..review.loader import ReviewData
from ..review.screening import CONSENSUS, Decision, record_title, screening_of
from ..rules.kappa import Agreement, cohen_kappa
from ..rules.screening import FULL_TEXT, valid_decisions


@dataclass(frozen=True)
class ScreeningConflict:
    record: str
    stage: str
    first: str  # "exclude (wrong population)", "include"
    second: str
    settled: str = ""  # the consensus decision, when recorded


@dataclass
class ScreeningAgreement:
    first: str
    second: str
    scales: list[Agreement]
    conflicts: list[ScreeningConflict] = field(default_factory=list)
    only_first: dict[str, list[str]] = field(default_factory=dict)  # stage -> records only the first decided
    only_second: dict[str, list[str]] = field(default_factory=dict)

    @property
    def unsettled(self) -> list[ScreeningConflict]:
        """The conflicts not yet settled."""
        return [c for c in self.conflicts if not c.settled]


def _shown(d: Decision) -> str:
    return f"{d.decision} ({d.reason})" if d.decision == "exclude" and d.reason else d.decision


def pick_reviewers(review: ReviewData, names: list[str] | None = None) -> tuple[str, str]:
    """The two reviewers to compare: those named, or the only two with a sheet."""
    reviewers = screening_of(review).reviewers
    if names:
        if len(names) != 2 or any(n not in reviewers for n in names):
            raise InputError(f"name two reviewers among: {', '.join(reviewers) or '(none)'}")
        return names[0], names[1]
    if len(reviewers) != 2:
        raise InputError(
            f"found {len(reviewers)} screening sheet(s) ({', '.join(reviewers) or 'none'}); "
            "agreement compares two: name them with --reviewer A --reviewer B"
        )
    return reviewers[0], reviewers[1]


def compare(review: ReviewData, first: str, second: str) -> ScreeningAgreement:
    """Agreement of two reviewers' sheets, per stage, and every conflict between them."""
    rows: dict[str, dict[tuple[str, str], Decision]] = {first: {}, second: {}, CONSENSUS: {}}
    for d in valid_decisions(review):
        if d.sheet in rows:
            rows[d.sheet].setdefault((d.record, d.stage), d)
    order = {key: i for i, key in enumerate(screening_of(review).records)}
    report = ScreeningAgreement(first, second, [])
    for stage in vocab.SCREENING_STAGES:
        a, b = ({k: d for k, d in rows[name].items() if k[1] == stage} for name in (first, second))
        both = sorted(set(a) & set(b), key=lambda k: order.get(k[0], len(order)))
        report.only_first[stage] = sorted((k[0] for k in set(a) - set(b)), key=lambda r: order.get(r, len(order)))
        report.only_second[stage] = sorted((k[0] for k in set(b) - set(a)), key=lambda r: order.get(r, len(order)))
        levels = vocab.SCREENING_DECISIONS
        pairs = [(levels.index(a[k].decision), levels.index(b[k].decision)) for k in both]
        report.scales.append(_agreement(f"{stage} decision", pairs, len(levels)))
        if stage == FULL_TEXT:
            reasons = tuple(review.settings.exclusion_reasons)
            excluded = [k for k in both if a[k].decision == b[k].decision == "exclude" and a[k].reason in reasons and b[k].reason in reasons]
            report.scales.append(
                _agreement("full-text reason", [(reasons.index(a[k].reason), reasons.index(b[k].reason)) for k in excluded], len(reasons))
            )
        for k in both:
            da, db = a[k], b[k]
            differ = da.decision != db.decision or (stage == FULL_TEXT and da.decision == "exclude" and da.reason != db.reason)
            if differ:
                settled = rows[CONSENSUS].get(k)
                report.conflicts.append(ScreeningConflict(k[0], stage, _shown(da), _shown(db), _shown(settled) if settled else ""))
    return report


def _agreement(scale: str, pairs: list[tuple[int, int]], categories: int) -> Agreement:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    return Agreement(scale, len(pairs), sum(x == y for x, y in pairs), cohen_kappa(a, b, categories, weighted=False))


def agreement_table(report: ScreeningAgreement) -> list[str]:
    """The agreement per scale as Markdown table lines, one rendering for the terminal and the notes."""
    out = ["| scale | n | agreement | kappa |", "|---|---:|---:|---:|"]
    for a in report.scales:
        pct = f"{a.percent:.0f}%" if a.percent is not None else "—"
        out.append(f"| {a.scale} | {a.n} | {pct} | {a.kappa_text('no records')} |")
    return out


def render_text(review: ReviewData, report: ScreeningAgreement) -> str:
    """Agreement per stage, then every conflict with both decisions and its settlement, if any."""
    r = report
    records = screening_of(review).records
    out = [f"Screening agreement of {r.first} and {r.second}", ""]
    out.append(f"{'scale':<26} {'n':>4} {'agree':>6} {'kappa':>6}")
    for a in r.scales:
        pct = f"{a.percent:.0f}%" if a.percent is not None else "—"
        out.append(f"{a.scale:<26} {a.n:>4} {pct:>6} {a.kappa_text('no records'):>6}")
    out.append("(Cohen's kappa, unweighted; — : both used a single category, so it is undefined)")
    for stage in vocab.SCREENING_STAGES:
        if r.only_first.get(stage):
            out.append(f"decided at {stage} only by {r.first}: {len(r.only_first[stage])} record(s)")
        if r.only_second.get(stage):
            out.append(f"decided at {stage} only by {r.second}: {len(r.only_second[stage])} record(s)")
    out += ["", f"Conflicts: {len(r.conflicts)} ({len(r.unsettled)} not settled; settle them in screening/consensus.csv "
            "with `evidence screen decide --reviewer consensus --by NAME`)"]  # fmt: skip
    for c in r.conflicts:
        title = record_title(records[c.record]) if c.record in records else ""
        title = title if len(title) <= 70 else title[:69] + "…"
        settled = f" -> settled: {c.settled}" if c.settled else ""
        out.append(f"{c.record} ({c.stage}): {r.first} {c.first} / {r.second} {c.second}{settled}  {title}")
    return "\n".join(out)
