"""How far two independent raters agree, and where they must meet to settle.

Ordered scales (each GRADE domain, certainty) use Cohen's kappa with linear weights, so
'serious' against 'very serious' counts as a smaller disagreement than against 'not
serious'; the verdict is nominal and uses unweighted kappa. Kappa is undefined when both
raters used one and the same category throughout (no variation to agree beyond chance):
it is then reported as missing, beside the percent agreement, never as 1 or 0.
Each rater's certainty is computed by the GRADE engine from their own judgments and the
review's evidence links, exactly as claims.csv's certainty is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..review import vocab
from ..rules import grade
from ..rules.review import Review
from .sheets import Rating, RatingSheet


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


def cohen_kappa(a: Sequence[int], b: Sequence[int], categories: int, weighted: bool) -> float | None:
    """Cohen's kappa of two ratings coded 0..categories-1; linear weights when `weighted`.

    kappa = 1 - sum(w * observed) / sum(w * expected), with disagreement weight
    w_ij = |i - j| / (k - 1) (weighted) or 1 for i != j (unweighted); expected from the
    product of the two raters' marginal proportions. None when expected disagreement is 0.
    """
    n = len(a)
    if n == 0 or n != len(b):
        return None
    k = categories
    observed = [[0.0] * k for _ in range(k)]
    for i, j in zip(a, b, strict=True):
        observed[i][j] += 1 / n
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]

    def w(i: int, j: int) -> float:
        return abs(i - j) / (k - 1) if weighted else float(i != j)

    seen = sum(w(i, j) * observed[i][j] for i in range(k) for j in range(k))
    chance = sum(w(i, j) * rows[i] * cols[j] for i in range(k) for j in range(k))
    if chance <= 1e-12:
        return None
    return 1 - seen / chance


@dataclass(frozen=True)
class Agreement:
    """Agreement on one scale over the claims both raters rated."""

    scale: str
    n: int
    agreed: int
    kappa: float | None
    weighted: bool

    @property
    def percent(self) -> float | None:
        return 100 * self.agreed / self.n if self.n else None


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


def certainty_of(review: Review, rating: Rating) -> str | None:
    return grade.rate(review.studies_for(rating.claim), rating.judgments).certainty


def values(review: Review, rating: Rating) -> dict[str, str | None]:
    """Every scale's value for one rating (certainty computed, None without rated evidence)."""
    return {**rating.judgments, "certainty": certainty_of(review, rating), "verdict": rating.verdict}


def compare(review: Review, first: RatingSheet, second: RatingSheet) -> AgreementReport:
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
    pairs = {c: (values(review, first.ratings[c]), values(review, second.ratings[c])) for c in both}
    for scale in SCALES:
        coded = [
            (scale.levels.index(va), scale.levels.index(vb))
            for va, vb in ((pairs[c][0][scale.name], pairs[c][1][scale.name]) for c in both)
            if va is not None and vb is not None
        ]
        a = [x for x, _ in coded]
        b = [y for _, y in coded]
        kappa = cohen_kappa(a, b, len(scale.levels), weighted=scale.ordered)
        report.scales.append(Agreement(scale.name, len(coded), sum(x == y for x, y in coded), kappa, scale.ordered))
    for c in both:
        va, vb = pairs[c]
        diffs = [Difference(s.name, va[s.name] or "—", vb[s.name] or "—") for s in SCALES if va[s.name] != vb[s.name]]
        if diffs:
            report.conflicts[c] = diffs
            report.reasons[c] = (first.ratings[c].reasons, second.ratings[c].reasons)
    return report


# -- rendering ---------------------------------------------------------------------------------
def _fmt_kappa(a: Agreement) -> str:
    if a.kappa is None:
        return "—" if a.n else "no items"
    return f"{a.kappa:.2f}"


def _quote(review: Review, claim: str) -> str:
    rows = review.claims.loc[review.claims["id"] == claim]
    if rows.empty:
        return ""
    text = " ".join(str(rows.iloc[0]["claim"] or rows.iloc[0]["quote"]).split())
    return text if len(text) <= 90 else text[:89] + "…"


def render_text(review: Review, report: AgreementReport) -> str:
    r = report
    out = [f"Agreement of {r.first} and {r.second} on {len(r.claims)} claim(s) both rated", ""]
    out.append(f"{'item':<22} {'n':>3} {'agree':>6} {'kappa':>6}  weights")
    for a in r.scales:
        pct = f"{a.percent:.0f}%" if a.percent is not None else "—"
        out.append(f"{a.scale:<22} {a.n:>3} {pct:>6} {_fmt_kappa(a):>6}  {'linear' if a.weighted else 'none'}")
    out.append("(kappa — : both raters used a single category, so chance-corrected agreement is undefined)")
    if r.only_first or r.only_second:
        out.append("")
        if r.only_first:
            out.append(f"rated only by {r.first}: {', '.join(r.only_first)}")
        if r.only_second:
            out.append(f"rated only by {r.second}: {', '.join(r.only_second)}")
    out += ["", f"Conflicts to settle: {len(r.conflicts)} claim(s)"]
    for claim, diffs in r.conflicts.items():
        out.append(f"{claim}: {_quote(review, claim)}")
        for d in diffs:
            out.append(f"  {d.item}: {r.first} {d.first} / {r.second} {d.second}")
        ra, rb = r.reasons[claim]
        if ra or rb:
            out.append(f"  reasons: {r.first}: {ra or '—'} | {r.second}: {rb or '—'}")
    return "\n".join(out)


def render_markdown(review: Review, report: AgreementReport) -> str:
    r = report
    out = [f"# Agreement of {r.first} and {r.second}", "", f"{len(r.claims)} claim(s) rated by both.", ""]
    out += ["| item | n | agreement | kappa | weights |", "|---|---:|---:|---:|---|"]
    for a in r.scales:
        pct = f"{a.percent:.0f}%" if a.percent is not None else "—"
        out.append(f"| {a.scale} | {a.n} | {pct} | {_fmt_kappa(a)} | {'linear' if a.weighted else 'none'} |")
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
    return "\n".join(out).rstrip() + "\n"
