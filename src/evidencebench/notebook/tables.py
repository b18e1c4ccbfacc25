"""Tables for notebooks: the report's model as pandas frames, shown as readable HTML.

Notebooks and the report show the same numbers because both read `report.model`; this
module only reshapes it. No dates, commit ids or random ids appear here, so notebook outputs
stay deterministic and nbval can compare them.

The functions return plain DataFrames (to filter, assert on, or export); `setup_display()` makes
every DataFrame a notebook shows render through `html_table`: text left-aligned, ids unbroken,
long text wrapped at a readable width, urls and DOIs as links, no positional index. Styling is
inline (`style="..."` on each cell) rather than a `<style>` block, because JupyterLab strips
`<style>` from a notebook that is not trusted yet, which is how a committed notebook first opens.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from ..report.buildinfo import BuildInfo
from ..report.model import MAP_COLUMNS, ClaimView, ReportModel, build_model
from ..review import vocab
from ..rules.review import Review

__all__ = [
    "EvidenceMapFigure",
    "advice_vs_studies",
    "claim_view",
    "claims_table",
    "claims_view",
    "evidence_map",
    "evidence_map_figure",
    "html_table",
    "judgments_table",
    "model",
    "rating_line",
    "setup_display",
    "strongest_verdict_allowed",
    "studies_table",
    "topic_summary",
    "verdicts_by_topic",
]

_FIXED_BUILD = BuildInfo(date="", data_version="", commit=None, dirty=False)


# -- readable HTML for any frame -------------------------------------------------------------------
_CELL = "text-align:left;vertical-align:top"
_STYLES = {
    "id": _CELL + ";white-space:nowrap",
    "short": _CELL + ";white-space:nowrap",
    "number": "text-align:right;vertical-align:top;white-space:nowrap",
    "text": _CELL + ";white-space:pre-line;min-width:14em;max-width:32em;overflow-wrap:break-word",
    "token": _CELL + ";min-width:8em;max-width:18em;overflow-wrap:anywhere",
    "url": _CELL + ";min-width:10em;max-width:22em;overflow-wrap:anywhere",
}
_HEAD = "text-align:left;vertical-align:bottom;white-space:nowrap"
_LINKED = {"doi": "https://doi.org/{}", "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}/"}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_SHORT = 28
"""Text up to this many characters stays on one line (verdicts, designs, certainty words)."""
_ID_LENGTH = 40
"""Values without spaces up to this length are ids or codes and are never broken."""


def _text(value) -> str:
    """A cell's text: missing values empty, whole floats without '.0'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if value != value else format(value, "g")
    return str(value)


def _kind(name: str, series: pd.Series) -> str:
    """How a column is shown: id, short, number, text, token (long code), url, doi or pmid."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return "number"
    lowered = name.lower()
    if lowered in _LINKED:
        return lowered
    values = [t for t in (_text(v) for v in series) if t]
    if lowered == "url" or (values and all(v.startswith(("https://", "http://")) for v in values)):
        return "url"
    if values and all(_NUMBER.fullmatch(v) for v in values):
        return "number"
    longest = max((len(v) for v in values), default=0)
    if all(not any(ch.isspace() for ch in v) for v in values):
        return "id" if longest <= _ID_LENGTH else "token"
    return "short" if longest <= _SHORT else "text"


def _cell(kind: str, text: str) -> str:
    """One cell's inner HTML: escaped text, or a link for urls and identifiers."""
    if not text:
        return ""
    if kind == "url" and text.startswith(("https://", "http://")):
        shown = text.split("://", 1)[1].rstrip("/")
        return f'<a href="{html.escape(text)}" target="_blank" rel="noopener noreferrer">{html.escape(shown)}</a>'
    if kind in _LINKED:
        href = _LINKED[kind].format(text)
        return f'<a href="{html.escape(href)}" target="_blank" rel="noopener noreferrer">{html.escape(text)}</a>'
    return html.escape(text)


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a meaningful index made into columns and a positional index dropped."""
    index = frame.index
    positional = isinstance(index, pd.RangeIndex) and index.name is None
    out = frame if positional else frame.reset_index()
    if isinstance(out.columns, pd.MultiIndex):
        out = out.set_axis([" / ".join(_text(p) for p in col if _text(p)) for col in out.columns], axis=1)
    return out


def html_table(frame: pd.DataFrame, max_rows: int | None = None) -> str:
    """A frame as readable, deterministic HTML with inline styles (see the module docstring).

    `max_rows` (default: pandas' `display.max_rows`) keeps the first rows and says how many
    more there are.
    """
    flat = _flat(frame)
    limit = max_rows if max_rows is not None else pd.get_option("display.max_rows")
    shown = flat if not limit or len(flat) <= limit else flat.iloc[:limit]
    names = [_text(c) for c in flat.columns]
    kinds = [_kind(n, flat.iloc[:, i]) for i, n in enumerate(names)]
    head = "".join(
        f'<th style="{_HEAD.replace("text-align:left", "text-align:right") if k == "number" else _HEAD}">{html.escape(n)}</th>'
        for n, k in zip(names, kinds, strict=True)
    )
    style = {k: _STYLES.get(k, _STYLES["url"]) for k in set(kinds)}
    rows = [
        "<tr>" + "".join(
            f'<td style="{style[k]}">{_cell(k, _text(v))}</td>' for k, v in zip(kinds, row, strict=True)
        ) + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    ]  # fmt: skip
    more = len(flat) - len(shown)
    if more:
        rows.append(f'<tr><td colspan="{len(names)}" style="{_CELL}"><em>… {more} more rows</em></td></tr>')
    return (
        '<div style="overflow-x:auto;max-width:100%">'
        '<table class="evidencebench-table" style="border-collapse:collapse;margin-left:0;margin-right:auto;'
        'table-layout:auto;width:auto">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def setup_display() -> None:
    """Show whole quotes and findings, and every DataFrame as a readable table; notebooks call this once.

    Outside IPython only the pandas options are set.
    """
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.width", 200)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kernel
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, html_table)


# -- the report model as frames --------------------------------------------------------------------
def model(review: Review) -> ReportModel:
    """The report model without build date or commit (those are volatile): what every table reads."""
    return build_model(review, _FIXED_BUILD)


def _model_of(source: Review | ReportModel) -> ReportModel:
    """Functions meant for a researcher's first call take a review or an already built model."""
    return source if isinstance(source, ReportModel) else model(source)  # type: ignore[arg-type]


def claims_view(
    source: Review | ReportModel,
    topic: str | None = None,
    verdict: str | None = None,
    document: str | None = None,
) -> pd.DataFrame:
    """The claims to read, one row each, optionally only one topic, verdict or document.

    Unlike `review.claims` (the raw typed frame, every column of claims.csv including offsets and
    judgment cells) this shows what a reader needs: the document's words, the claim restated,
    certainty and verdict, and what evidence stands behind them. A filter value that is not in
    the review's vocabulary raises ValueError naming the values there are.
    """
    m = _model_of(source)
    allowed = {
        "topic": [t.name for t in m.topics],
        "verdict": list(vocab.VERDICTS),
        "document": [d.id for d in m.documents],
    }
    for name, value in (("topic", topic), ("verdict", verdict), ("document", document)):
        if value is not None and value not in allowed[name]:
            raise ValueError(f"{name} {value!r} is not one of: {', '.join(allowed[name])}")
    rows = [
        {
            "claim": c.id,
            "document": c.document,
            "topic": c.topic,
            "type": c.claim_type,
            "quote": c.quote,
            "restated": c.claim,
            "certainty": f"{c.certainty_words} {c.symbols}",
            "verdict": c.verdict,
            "studies": c.studies_summary,
        }
        for c in m.claims
        if (topic is None or c.topic == topic)
        and (verdict is None or c.verdict == verdict)
        and (document is None or c.document == document)
    ]
    columns = ["claim", "document", "topic", "type", "quote", "restated", "certainty", "verdict", "studies"]
    return pd.DataFrame(rows, columns=columns).astype("string")


def _claims(m: ReportModel, topic: str | None) -> list[ClaimView]:
    return [c for c in m.claims if topic is None or c.topic == topic]


def claims_table(m: ReportModel, topic: str | None = None) -> pd.DataFrame:
    """One row per claim: what the document says, the testable claim, certainty and verdict."""
    rows = [
        {
            "claim": c.id,
            "quote": c.quote,
            "restated": c.claim,
            "type": c.claim_type,
            "certainty": c.certainty_words,
            "symbols": c.symbols,
            "verdict": c.verdict,
            "studies": c.studies_summary,
        }
        for c in _claims(m, topic)
    ]
    return pd.DataFrame(rows).set_index("claim") if rows else pd.DataFrame()


def studies_table(m: ReportModel, claim_id: str) -> pd.DataFrame:
    """The studies linked to one claim: citation number, design, population, stance, finding."""
    claim = claim_view(m, claim_id)
    rows = [
        {
            "ref": f"[{s.number}] {s.key}" if s.number else s.key,
            "design": s.design,
            "population": s.population,
            "n": s.n,
            "stance": s.stance,
            "finding": s.finding,
        }
        for s in claim.studies
    ]
    return pd.DataFrame(rows, columns=["ref", "design", "population", "n", "stance", "finding"])


def judgments_table(m: ReportModel, claim_id: str) -> pd.DataFrame:
    """GRADE judgments of one claim with their reasons."""
    claim = claim_view(m, claim_id)
    rows = [{"domain": j.label, "judgment": j.value, "reason": j.reason if j.changes_certainty else ""} for j in claim.judgments]
    return pd.DataFrame(rows).set_index("domain")


def rating_line(m: ReportModel, claim_id: str) -> str:
    """One line a reader can scan: verdict, certainty in words and symbols, how it was reached."""
    c = claim_view(m, claim_id)
    r = c.rating
    how = f"start {r.start}, {r.downgrades} down, {r.upgrades} up" if r.start else "nothing rated"
    return f"{c.id}: {c.verdict} — certainty {c.certainty_words} {c.symbols} ({how})"


def claim_view(m: ReportModel, claim_id: str) -> ClaimView:
    """Everything the report shows about one claim (quote, context, studies, judgments, rating)."""
    for c in m.claims:
        if c.id == claim_id:
            return c
    raise KeyError(f"no claim {claim_id!r}")


def evidence_map(m: ReportModel) -> pd.DataFrame:
    """Topic × certainty: how many claims sit at each level."""
    data = m.evidence_map()
    return pd.DataFrame.from_dict(data, orient="index", columns=list(MAP_COLUMNS)).rename_axis("topic")


_MAP_COLOURS = ("#f4f7fb", "#9ec1e0", "#2c6aa0", "#173f66")
"""The report figure's colour ramp (report/figures.py), from no claims to the most claims."""


def _ramp(share: float) -> str:
    """The colour at `share` (0..1) of the ramp, linearly between its stops, as #rrggbb."""
    stops = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in _MAP_COLOURS]
    pos = max(0.0, min(1.0, share)) * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    frac = pos - i
    rgb = (round(a + (b - a) * frac) for a, b in zip(stops[i], stops[i + 1], strict=True))
    return "#" + "".join(f"{v:02x}" for v in rgb)


class EvidenceMapFigure:
    """The evidence map as a heat-map table in sanitised HTML.

    A notebook opens untrusted, and JupyterLab then shows neither SVG nor `<style>`; a table
    coloured with inline styles shows at once, and nbval compares it as text, so a changed
    count fails the notebook test (a PNG would not be compared).
    """

    def __init__(self, counts: dict[str, dict[str, int]], columns: tuple[str, ...] = MAP_COLUMNS) -> None:
        """`counts`: topic -> certainty column -> number of claims (`ReportModel.evidence_map()`)."""
        self.counts = counts
        self.columns = columns

    def _repr_html_(self) -> str:
        """The heat map: darker cells hold more claims; the biggest count sets the darkest colour."""
        top = max((n for row in self.counts.values() for n in row.values()), default=0) or 1
        pad = "padding:0.45em 0.8em;border:2px solid #fff"
        head = "".join(f'<th style="{pad};text-align:center;white-space:nowrap;vertical-align:bottom">{html.escape(c)}</th>'
                       for c in self.columns)  # fmt: skip
        rows = []
        for topic, row in self.counts.items():
            cells = []
            for col in self.columns:
                n = row.get(col, 0)
                share = n / top
                ink = "#ffffff" if share > 0.5 else "#1b1b1b"
                weight = "bold" if n else "normal"
                cells.append(f'<td style="{pad};background-color:{_ramp(share)};color:{ink};font-weight:{weight};'
                             f'text-align:center;min-width:4.5em">{n}</td>')  # fmt: skip
            rows.append(f'<tr><th style="{pad};text-align:left;white-space:nowrap">{html.escape(topic)}</th>{"".join(cells)}</tr>')
        return (
            '<figure style="margin:0">'
            '<table class="evidencebench-evidence-map" style="border-collapse:collapse;margin-left:0;table-layout:auto">'
            f'<thead><tr><th style="{pad}"></th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            '<figcaption style="font-size:90%;color:#555;margin-top:0.4em">Number of claims per topic (rows) at each '
            "GRADE certainty level (columns); darker cells hold more claims.</figcaption></figure>"
        )

    def __repr__(self) -> str:
        total = sum(n for row in self.counts.values() for n in row.values())
        return f"EvidenceMapFigure({len(self.counts)} topics × {len(self.columns)} certainty columns, {total} claims)"


def evidence_map_figure(m: ReportModel) -> EvidenceMapFigure:
    """The report's evidence map (topic × certainty) as a figure that shows in an untrusted notebook."""
    return EvidenceMapFigure(m.evidence_map(), MAP_COLUMNS)


def verdicts_by_topic(m: ReportModel) -> pd.DataFrame:
    """Topic × verdict counts, verdicts in the vocabulary's order."""
    rows = {t.name: {v: sum(c.verdict == v for c in t.claims) for v in vocab.VERDICTS} for t in m.topics}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(vocab.VERDICTS)).rename_axis("topic")


def advice_vs_studies(m: ReportModel, topic: str, claim_types: tuple[str, ...] = ("dosage",)) -> pd.DataFrame:
    """The document's advice beside what each linked study reported (doses, time courses)."""
    rows = []
    for c in _claims(m, topic):
        if c.claim_type not in claim_types:
            continue
        for s in c.studies:
            rows.append({"claim": c.id, "the document says": c.quote, "study": s.key, "design": s.design,
                         "n": s.n, "what the study reported": s.finding})
    return pd.DataFrame(rows, columns=["claim", "the document says", "study", "design", "n", "what the study reported"])


def topic_summary(m: ReportModel, topic: str) -> str:
    """A closing paragraph in words, generated from the verdicts so it cannot go stale."""
    claims = _claims(m, topic)
    if not claims:
        return f"No claims on {topic}."
    counts = {v: sum(c.verdict == v for c in claims) for v in vocab.VERDICTS}
    parts = [f"{n} {v}" for v, n in counts.items() if n]
    rated = [c for c in claims if c.certainty]
    best = max((vocab.CERTAINTY_LEVELS.index(c.certainty) for c in rated), default=None)
    best_text = f"the highest certainty reached is {vocab.CERTAINTY_LEVELS[best]}" if best is not None else "no claim has rated evidence"
    return (
        f"{_count(len(claims), 'claim', 'claims')} on {topic}: " + ", ".join(parts) + f"; {best_text}. "
        + _count(sum(not c.certainty for c in claims), "claim has", "claims have")
        + " no study that supports or contradicts it directly."
    )


def _count(n: int, one: str, many: str) -> str:
    """'1 claim' or '3 claims'."""
    return f"{n} {one if n == 1 else many}"


def strongest_verdict_allowed(m: ReportModel) -> list[str]:
    """Claims whose verdict is stronger than their certainty allows (should be empty)."""
    from ..rules import grade

    return [c.id for c in m.claims if not grade.verdict_allowed(c.verdict, c.rating.verdict)]
