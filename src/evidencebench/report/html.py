"""The HTML page: one Jinja2 template, autoescaped, with CSS and the figure inlined.

Every value from the review is escaped by Jinja; the only markup let through unescaped
is ours (the stylesheet, the SVG figure, citeproc's inline tags after `bibliography`
checked them, and the methods' **bold**/`code` marks applied after escaping).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..review import vocab
from ..rules import grade
from . import glossary
from .bibliography import Entry
from .model import MAP_COLUMNS, ReportModel, StudyView

VERDICT_ICONS = {
    "supported": "✓",
    "partly supported": "◐",
    "mixed evidence": "±",
    "insufficient evidence": "?",
    "misleading": "!",
    "contradicted": "✗",
}


def safe_url(url: str | None) -> str | None:
    """Only http(s) addresses become links; anything else (javascript:, data:) stays text."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def rich(text: str) -> Markup:
    """Escape, then render the two marks the methods text uses: **bold** and `code`."""
    out = str(escape(text))
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"`(.+?)`", r"<code>\1</code>", out)
    return Markup(out)


def css_class(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "none").lower()).strip("-") or "none"


@cache
def verdict_badge(verdict: str) -> Markup:
    """Colour, icon and words: the verdict never rests on colour alone."""
    icon = VERDICT_ICONS.get(verdict, "•")
    return Markup(
        f'<span class="verdict v-{css_class(verdict)}"><span class="icon" aria-hidden="true">{icon}</span> '
        f"{escape(verdict or 'no verdict')}</span>"
    )


@cache
def certainty_badge(certainty: str | None) -> Markup:
    return Markup(
        f'<span class="certainty c-{css_class(certainty)}"><span class="sym" aria-hidden="true">'
        f"{grade.symbols(certainty)}</span> {escape(glossary.certainty_words(certainty))}</span>"
    )


def cite(study: StudyView) -> Markup:
    if study.number is None:
        return Markup('<span class="cite missing">[?]</span>')
    return Markup(f'<a class="cite" href="#ref-{escape(study.key)}">[{study.number}]</a>')


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("evidencebench.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(safe_url=safe_url, rich=rich, css_class=css_class, design_label=glossary.design_label)
    env.globals.update(
        verdict_badge=verdict_badge,
        certainty_badge=certainty_badge,
        cite=cite,
        stance_label=glossary.stance_label,
        certainty_words=glossary.certainty_words,
        symbols=grade.symbols,
    )
    return env


@cache
def stylesheet() -> Markup:
    css = (files("evidencebench.report") / "templates" / "report.css").read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError("report.css must not contain '</'")
    return Markup(css)


def summary(model: ReportModel) -> dict:
    """The plain-words summary: counts by verdict and what they add up to."""
    counts = model.verdict_counts()
    total = sum(counts.values())

    def share(*verdicts: str) -> int:
        return sum(counts.get(v, 0) for v in verdicts)

    people = [c for c in model.claims if c.claim_type in vocab.CLAIMS_ABOUT_PEOPLE]
    return {
        "total": total,
        "people": len(people),
        "people_supported": sum(c.verdict == "supported" for c in people),
        "people_against": sum(c.verdict in ("contradicted", "misleading") for c in people),
        "counts": counts,
        "backed": share("supported"),
        "against": share("contradicted", "misleading"),
        "open": share("partly supported", "mixed evidence", "insufficient evidence"),
        "documents": len(model.documents),
        "references": len(model.references),
    }


def verdict_rules() -> list[tuple[str, str, str]]:
    rows = []
    for direction, levels, result in grade.VERDICT_RULES:
        shown = glossary.NO_RATED_EVIDENCE if levels == (None,) else ", ".join(str(x) for x in levels)
        rows.append((direction, shown, result))
    return rows


def render_html(model: ReportModel, entries: dict[str, Entry], figure_svg: str) -> str:
    cited_by: dict[str, list[str]] = {}
    for claim in model.claims:
        for study in claim.studies:
            ids = cited_by.setdefault(study.key, [])
            if not ids or ids[-1] != claim.id:
                ids.append(claim.id)
    template = _environment().get_template("report.html.j2")
    return template.render(
        m=model,
        settings=model.settings,
        build=model.build,
        entries=entries,
        cited_by=cited_by,
        figure=Markup(figure_svg),
        map_columns=MAP_COLUMNS,
        evidence_map=model.evidence_map(),
        css=stylesheet(),
        summary=summary(model),
        methods=grade.methods_rules(),
        verdict_rules=verdict_rules(),
        downgrade_steps=grade.DOWNGRADE_STEPS,
        upgrade_steps=grade.UPGRADE_STEPS,
        vocab=vocab,
        glossary=glossary,
        version=_version(),
    )


def _version() -> str:
    """The installed package's version (the report states which tool built it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("evidencebench")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
