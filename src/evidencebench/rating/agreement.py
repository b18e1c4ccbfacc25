"""How far two independent raters agree, and where they must meet to settle.

Ordered scales (each GRADE domain, certainty) use Cohen's kappa with linear weights, so
'serious' against 'very serious' counts as a smaller disagreement than against 'not
serious'; the verdict is nominal and uses unweighted kappa. Kappa is undefined when both
raters used one and the same category throughout (no variation to agree beyond chance):
it is then reported as missing, beside the percent agreement, never as 1 or 0.
Each rater's certainty is computed by the GRADE engine from their own judgments and their own
stances on the links when they rated the links (otherwise the review's), exactly as claims.csv's
certainty is. Link stances are compared over the links both raters read, as an ordered scale
(contradicts < indirect < supports) with linear weights; the exposure and the kind of outcome
each rater recorded are compared as nominal scales.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..review import vocab
from ..rules import grade
from ..rules.kappa import Agreement as Agreement  # re-exported: one definition for rating and screening
from ..rules.kappa import cohen_kappa as cohen_kappa  # re-exported: it lives below both stages that use it
from ..rules.review import Review
from .sheets import LinkRating, Rating, RatingSheet


@dataclass(frozen=True)
class Scale:
    name: str
    levels: tuple[str, ...]
    ordered: bool


SCALES: tuple[Scale, ...] = (
    *(Scale(d, vocab.DOWNGRADE_LEVELS, True) for d in vocab.DOWNGRADE_DOMAINS),
    *(Scale(u, vocab.UPGRADE_LEVELS[u], True) for u in vocab.UPGRADE_DOMAINS),
    Scale("certainty", vocab.CERTAINTY_LEVELS, True),
    Scale("verdict", vocab.VERDICTS, False),
)

STANCE_ORDER: tuple[str, ...] = ("contradicts", "indirect", "supports")
LINK_SCALES: tuple[Scale, ...] = (
    Scale("link stance", STANCE_ORDER, True),
    Scale("link outcome kind", vocab.OUTCOME_KINDS, False),
)
"""Scales compared link by link; `link exposure` is added per review (its vocabulary is a setting)."""


@dataclass(frozen=True)
class Difference:
    item: str
    first: str
    second: str


@dataclass
class AgreementReport:
    first: str
    second: str
    claims: list[str]  # rated by both, in claims.csv order
    scales: list[Agreement]
    conflicts: dict[str, list[Difference]] = field(default_factory=dict)
    reasons: dict[str, tuple[str, str]] = field(default_factory=dict)  # claim -> (first's, second's)
    only_first: list[str] = field(default_factory=list)
    only_second: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # links both rated, in evidence.csv order
    link_conflicts: dict[tuple[str, str], list[Difference]] = field(default_factory=dict)
    link_reasons: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


def studies_seen_by(review: Review, sheet: RatingSheet | None, claim: str) -> list[grade.StudyInfo]:
    """The claim's studies with the stances this rater gave them (the review's where they gave none)."""
    studies = review.studies_for(claim)
    if sheet is None or not sheet.links:
        return studies
    out = []
    for s in studies:
        mine = sheet.links.get((claim, s.key))
        out.append(grade.StudyInfo(s.key, s.design, s.population, mine.stance, s.review_of) if mine else s)
    return out


def certainty_of(review: Review, rating: Rating, sheet: RatingSheet | None = None) -> str | None:
    """The certainty this rater's judgments give on the body of evidence as this rater read it."""
    return grade.rate(studies_seen_by(review, sheet, rating.claim), rating.judgments).certainty


def values(review: Review, rating: Rating, sheet: RatingSheet | None = None) -> dict[str, str | None]:
    """Every scale's value for one rating (certainty computed, None without rated evidence)."""
    return {**rating.judgments, "certainty": certainty_of(review, rating, sheet), "verdict": rating.verdict}


def link_values(link: LinkRating) -> dict[str, str | None]:
    """A link reading on the link scales."""
    return {"link stance": link.stance, "link outcome kind": link.values["outcome_kind"], "link exposure": link.values["exposure"]}


def _agreement(scale: Scale, pairs: list[tuple[str | None, str | None]]) -> Agreement:
    coded = [(scale.levels.index(a), scale.levels.index(b)) for a, b in pairs if a in scale.levels and b in scale.levels]
    a = [x for x, _ in coded]
    b = [y for _, y in coded]
    kappa = cohen_kappa(a, b, len(scale.levels), weighted=scale.ordered)
    return Agreement(scale.name, len(coded), sum(x == y for x, y in coded), kappa, scale.ordered)


def compare(review: Review, first: RatingSheet, second: RatingSheet) -> AgreementReport:
    """Agreement of two sheets on every scale, over the claims (and links) both rated, and the conflicts to settle."""
    order = [r.values.get("id", "") for r in review.files["claims"].records]
    both = [c for c in order if c in first.ratings and c in second.ratings]
    report = AgreementReport(
        first.name,
        second.name,
        both,
        [],
        only_first=[c for c in order if c in first.ratings and c not in second.ratings],
        only_second=[c for c in order if c in second.ratings and c not in first.ratings],
    )
    pairs = {c: (values(review, first.ratings[c], first), values(review, second.ratings[c], second)) for c in both}
    for scale in SCALES:
        report.scales.append(_agreement(scale, [(pairs[c][0][scale.name], pairs[c][1][scale.name]) for c in both]))
    order = list(dict.fromkeys(zip(review.evidence["claim"].tolist(), review.evidence["reference"].tolist(), strict=True)))
    report.links = [k for k in order if k in first.links and k in second.links]
    if report.links:
        link_pairs = {k: (link_values(first.links[k]), link_values(second.links[k])) for k in report.links}
        exposure = Scale("link exposure", tuple(review.settings.exposures), False)
        for scale in (*LINK_SCALES, exposure):
            report.scales.append(_agreement(scale, [(va[scale.name], vb[scale.name]) for va, vb in link_pairs.values()]))
        for k, (va, vb) in link_pairs.items():
            diffs = [Difference(n, va[n] or "—", vb[n] or "—") for n in va if va[n] != vb[n]]
            if diffs:
                report.link_conflicts[k] = diffs
                report.link_reasons[k] = (first.links[k].reasons, second.links[k].reasons)
    for c in both:
        va, vb = pairs[c]
        diffs = [Difference(s.name, va[s.name] or "—", vb[s.name] or "—") for s in SCALES if va[s.name] != vb[s.name]]
        if diffs:
            report.conflicts[c] = diffs
            report.reasons[c] = (first.ratings[c].reasons, second.ratings[c].reasons)
    return report


# -- rendering ---------------------------------------------------------------------------------
def _quote(review: Review, claim: str) -> str:
    rows = review.claims.loc[review.claims["id"] == claim]
    if rows.empty:
        return ""
    text = " ".join(str(rows.iloc[0]["claim"] or rows.iloc[0]["quote"]).split())
    return text if len(text) <= 90 else text[:89] + "…"


def render_text(review: Review, report: AgreementReport) -> str:
    """The agreement report as plain text for the terminal."""
    r = report
    out = [f"Agreement of {r.first} and {r.second} on {len(r.claims)} claim(s) both rated", ""]
    out.append(f"{'item':<22} {'n':>3} {'agree':>6} {'kappa':>6}  weights")
    for a in r.scales:
        pct = f"{a.percent:.0f}%" if a.percent is not None else "—"
        out.append(f"{a.scale:<22} {a.n:>3} {pct:>6} {a.kappa_text():>6}  {'linear' if a.weighted else 'none'}")
    out.append("(kappa — : both raters used a single category, so chance-corrected agreement is undefined)")
    if r.only_first or r.only_second:
        out.append("")
        if r.only_first:
            out.append(f"rated only by {r.first}: {', '.join(r.only_first)}")
        if r.only_second:
            out.append(f"rated only by {r.second}: {', '.join(r.only_second)}")
    if r.links:
        out.append(f"(link scales over {len(r.links)} link(s) both rated)")
    out += ["", f"Conflicts to settle: {len(r.conflicts)} claim(s), {len(r.link_conflicts)} link(s)"]
    for claim, diffs in r.conflicts.items():
        out.append(f"{claim}: {_quote(review, claim)}")
        for d in diffs:
            out.append(f"  {d.item}: {r.first} {d.first} / {r.second} {d.second}")
        ra, rb = r.reasons[claim]
        if ra or rb:
            out.append(f"  reasons: {r.first}: {ra or '—'} | {r.second}: {rb or '—'}")
    for (claim, key), diffs in r.link_conflicts.items():
        out.append(f"{claim} / {key}: " + "; ".join(f"{d.item}: {r.first} {d.first} / {r.second} {d.second}" for d in diffs))
    return "\n".join(out)


def agreement_table(report: AgreementReport) -> list[str]:
    """The agreement per scale as Markdown table lines (n, percent agreement, kappa, weights).

    One rendering for the meeting notes, the methods page and the report, so the figures a reader
    sees are the ones `evidence agree` prints.
    """
    out = ["| item | n | agreement | kappa | weights |", "|---|---:|---:|---:|---|"]
    for a in report.scales:
        pct = f"{a.percent:.0f}%" if a.percent is not None else "—"
        out.append(f"| {a.scale} | {a.n} | {pct} | {a.kappa_text()} | {'linear' if a.weighted else 'none'} |")
    return out


def render_markdown(review: Review, report: AgreementReport) -> str:
    """The agreement table and every conflict, as a document to settle them from."""
    r = report
    out = [f"# Agreement of {r.first} and {r.second}", "", f"{len(r.claims)} claim(s) rated by both.", ""]
    out += agreement_table(r)
    out += ["", "Kappa is shown as — when both raters used a single category (it is then undefined).", ""]
    if r.only_first or r.only_second:
        out += [f"- Rated only by {r.first}: {', '.join(r.only_first) or '—'}",
                f"- Rated only by {r.second}: {', '.join(r.only_second) or '—'}", ""]  # fmt: skip
    out += [f"## Conflicts to settle ({len(r.conflicts)})", ""]
    if r.conflicts:
        out += ["Record each decision as a row of `ratings/consensus.csv` (same columns as a rating sheet).", ""]
    for claim, diffs in r.conflicts.items():
        out += [f"### {claim}", "", f"> {_quote(review, claim)}", "", f"| item | {r.first} | {r.second} |", "|---|---|---|"]
        out += [f"| {d.item} | {d.first} | {d.second} |" for d in diffs]
        ra, rb = r.reasons[claim]
        out += ["", f"- {r.first}: {ra or '—'}", f"- {r.second}: {rb or '—'}", "", "Consensus: ", ""]
    if r.link_conflicts:
        out += [f"## Links to settle ({len(r.link_conflicts)})", "",
                "Record each decision as a row of `ratings/consensus.links.csv`.", "",
                f"| claim | reference | item | {r.first} | {r.second} |", "|---|---|---|---|---|"]  # fmt: skip
        for (claim, key), diffs in r.link_conflicts.items():
            out += [f"| {claim} | {key} | {d.item} | {d.first} | {d.second} |" for d in diffs]
    return "\n".join(out).rstrip() + "\n"
