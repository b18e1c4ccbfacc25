"""The HTML page: one Jinja2 template, autoescaped, with CSS and the figure inlined.

Every value from the review is escaped by Jinja; the only markup let through unescaped
is ours (the stylesheet, the SVG figure, citeproc's inline tags after `bibliography`
checked them, the methods' **bold**/`code` marks applied after escaping, and the
ClaimReview JSON-LD, whose `<`, `>` and `&` are written as unicode escapes so it cannot end its element).

The same template renders the page for print (`for_print=True`, the PDF's source): without
the parts only a screen can use (the filter, back links, the embedded JSON-LD) and with each
quote shown alone, its surrounding text being in the appendix. WeasyPrint's time grows with
every box it lays out, so what a printed page cannot use is not given to it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..review import vocab
from ..rules import grade
from . import glossary
from .agreement import AgreementSummary
from .bibliography import Entry
from .bottomline import bottom_lines
from .claimreview import RATING_VALUES
from .links import doi_url, pmc_url, pubmed_url, safe_url
from .model import MAP_COLUMNS, ClaimView, Judgment, ReportModel, StudyView, plural
from .prisma import PrismaView
from .quotes import segments

VERDICT_ICONS = {
    "supported": "✓",
    "partly supported": "◐",
    "mixed evidence": "±",
    "insufficient evidence": "?",
    "misleading": "!",
    "contradicted": "✗",
}


def rich(text: str) -> Markup:
    """Escape, then render the two marks the methods text uses: **bold** and `code`."""
    out = str(escape(text))
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"`(.+?)`", r"<code>\1</code>", out)
    return Markup(out)


def css_class(text: str | None) -> str:
    """A value as a CSS class name (lower case, dashes), so styles can key on verdicts and levels."""
    return re.sub(r"[^a-z0-9]+", "-", (text or "none").lower()).strip("-") or "none"


@cache
def verdict_badge(verdict: str, plain: bool = False) -> Markup:
    """Colour, icon and words: the verdict never rests on colour alone.

    `plain` (print) gives icon and words as bare text, coloured by the element around it if
    at all: every inline element costs WeasyPrint layout time, and the words carry the meaning.
    """
    icon = VERDICT_ICONS.get(verdict, "•")
    words = escape(verdict or "no verdict")
    if plain:
        return Markup(f"{icon} {words}")
    return Markup(
        f'<span class="verdict v-{css_class(verdict)}"><span class="icon" aria-hidden="true">{icon}</span> {words}</span>'
    )


@cache
def certainty_badge(certainty: str | None, plain: bool = False) -> Markup:
    """Certainty as symbols and words: never conveyed by the symbols alone."""
    sym, words = grade.symbols(certainty), escape(glossary.certainty_words(certainty))
    if plain:
        return Markup(f"{sym} {words}")
    return Markup(
        f'<span class="certainty c-{css_class(certainty)}"><span class="sym" aria-hidden="true">{sym}</span> {words}</span>'
    )


def cite(study: StudyView) -> Markup:
    """A citation number linking to the bibliography entry ('[?]' when the key is not in refs/)."""
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
        plural=plural,
        entry_html=entry_html,
        reference_links=reference_links,
        fulltext=fulltext,
        grade_lines=grade_lines,
        footnotes=footnotes,
        heat=heat,
    )
    return env


@cache
def stylesheet() -> Markup:
    """The report's CSS, checked so it cannot close the <style> element it is inlined into."""
    css = (files("evidencebench.report") / "templates" / "report.css").read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError("report.css must not contain '</'")
    return Markup(css)


GROUPS = (
    ("health", "health claims", "what the product does to people: efficacy, dosage and safety"),
    ("background", "background claims", "chemistry, mechanism, how common something is, and general facts"),
)


def _group_sentence(name: str, what: str, claims: list[ClaimView]) -> str:
    """'27 health claims (…): none is supported; 4 are only partly supported; 23 have insufficient evidence.'"""
    n = len(claims)
    head = f"{plural(n, name[:-1], name)} ({what})"
    if not n:
        return f"No {name} ({what})."
    counts = {v: sum(c.verdict == v for c in claims) for v in vocab.VERDICTS}
    parts = []
    for verdict, k in counts.items():
        one, many = glossary.VERDICT_PREDICATES[verdict]
        if k:
            parts.append(f"{k} {one if k == 1 else many}")
        elif verdict == "supported":
            parts.append(f"none {one}")
    return f"{head}: " + "; ".join(parts) + "."


def summary(model: ReportModel) -> dict:
    """The plain-words summary: counts by verdict, health claims kept apart from background."""
    groups = {"health": model.health_claims, "background": model.background_claims}
    counts = {
        v: {g: sum(c.verdict == v for c in claims) for g, claims in groups.items()}
        for v in model.verdict_counts()
    }
    return {
        "total": len(model.claims),
        "counts": counts,
        "groups": [(key, name, what, len(groups[key]), _group_sentence(name, what, groups[key])) for key, name, what in GROUPS],
        "documents": len(model.documents),
        "references": len(model.references),
    }


def verdict_rules() -> list[tuple[str, str, str]]:
    """The verdict rule table as rows (direction, certainty, verdict) for the methods section."""
    rows = []
    for direction, levels, result in grade.VERDICT_RULES:
        shown = glossary.NO_RATED_EVIDENCE if levels == (None,) else ", ".join(str(x) for x in levels)
        rows.append((direction, shown, result))
    return rows


def entry_html(entry: Entry) -> Markup:
    """The formatted reference with its printed DOI made a link to the resolver."""
    text = entry.html
    url = doi_url(entry.doi)
    if url:
        shown = str(escape(f"https://doi.org/{entry.doi}"))
        if shown in text:
            text = text.replace(shown, f'<a href="{escape(url)}">{shown}</a>', 1)
    return Markup(text)


def reference_links(model: ReportModel, entry: Entry) -> list[tuple[str, str, str]]:
    """(label, address, shown) for the identifiers of a reference that the entry does not link."""
    out = []
    url = doi_url(entry.doi)
    if url and f"https://doi.org/{entry.doi}" not in entry.text:
        out.append(("DOI", url, entry.doi))
    url = pubmed_url(entry.pmid)
    if url:
        out.append(("PubMed", url, entry.pmid))
    ref = model.references.get(entry.key)
    pmcid = ref.get("pmcid") if ref is not None else ""
    url = pmc_url(pmcid)
    if url:
        out.append(("PMC", url, pmcid))
    return out


def fulltext(model: ReportModel, document_id: str) -> Markup | None:
    """A document's verbatim text with every located quote highlighted and linked to its claim.

    Each quote gets an anchor (`quote-<claim>`) where it starts, so the claim can link to it,
    and a link back to the claim where it ends; overlapping quotes share the highlight.
    """
    doc = model.documents_by_id.get(document_id)
    if doc is None or doc.text is None:
        return None
    spans = [(c.id, c.context.start, c.context.end) for c in model.claims_by_document.get(document_id, []) if c.context]
    out = []
    for seg in segments(doc.text, spans):
        out += [f'<span class="qa" id="quote-{escape(cid)}"></span>' for cid in seg.starts]
        body = escape(seg.text)
        out.append(f"<mark>{body}</mark>" if seg.claims else str(body))
        out += [f'<a class="qref" href="#claim-{escape(cid)}">{escape(cid)}</a>' for cid in seg.ends]
    return Markup("".join(out))


def grade_lines(claim: ClaimView) -> dict:
    """The GRADE judgments compactly: those that changed certainty or carry a reason, in full;
    the quiet ones named in one line, so five "not serious" rows do not bury the one that matters."""
    rows, quiet = [], []
    applied = claim.rating.start is not None
    for j in claim.judgments:
        if j.upgrade:
            continue
        if j.changes_certainty or j.reason:
            steps = grade.DOWNGRADE_STEPS.get(j.value, 0)
            effect = ("no change" if not steps else f"−{steps}") if applied else ""  # nothing to lower when unrated
            rows.append((j.label, j.value or "—", effect, j.reason))
        else:
            quiet.append(j.label.lower())
    upgrades = [j for j in claim.judgments if j.upgrade and j.changes_certainty]
    for i, j in enumerate(upgrades):
        rows.append((j.label, j.value, f"+{grade.UPGRADE_STEPS.get(j.value, 0)}", "" if i else claim.upgrade_reason))
    return {
        "applied": applied,
        "rows": rows,
        "not_serious": quiet,
        "upgrades": bool(upgrades),
        "upgrade_reason": "" if upgrades else claim.upgrade_reason,
    }


@dataclass(frozen=True)
class Footnotes:
    """(letter, claim, judgment) for each judgment that changed a claim's certainty: the
    summary-of-findings convention of explaining every downgrade in a footnote."""

    items: list[tuple[str, ClaimView, Judgment]]
    by_claim: dict[str, list[tuple[str, Judgment]]]

    def __bool__(self) -> bool:
        return bool(self.items)


def footnotes(topic_claims: tuple[ClaimView, ...]) -> Footnotes:
    """Lettered per topic table, as a summary of findings letters them, and indexed by claim so
    each row finds its markers without scanning every footnote (a large review stays linear)."""
    items: list[tuple[str, ClaimView, Judgment]] = []
    by_claim: dict[str, list[tuple[str, Judgment]]] = {}
    for claim in topic_claims:
        for j in claim.changed_certainty:
            letter = _letter(len(items))
            items.append((letter, claim, j))
            by_claim.setdefault(claim.id, []).append((letter, j))
    return Footnotes(items, by_claim)


def _letter(i: int) -> str:
    """a … z, aa, ab, …: footnote markers that never run out."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[i] if i < 26 else _letter(i // 26 - 1) + letters[i % 26]


def heat(n: int, top: int) -> int:
    """0 (none) to 4 (the most claims in any cell): the shade of an evidence-map cell."""
    return 0 if n <= 0 or top <= 0 else 1 + min(3, (n * 4 - 1) // top)


def filter_css(model: ReportModel) -> Markup:
    """Rules that hide what the topic and verdict radios exclude: a filter that works
    without JavaScript and makes no request. Class names are slugs ([a-z0-9-]), never text."""
    rules = []
    for topic in model.topics:
        rules.append(f"body:has(#f-topic-{topic.slug}:checked) .filterable:not(.ft-{topic.slug}) {{ display: none; }}")
    for verdict in vocab.VERDICTS:
        v = css_class(verdict)
        rules.append(f"body:has(#f-verdict-{v}:checked) .filterable-claim:not(.fv-{v}) {{ display: none; }}")
    return Markup("@media screen {\n" + "\n".join(rules) + "\n}")


def render_html(
    model: ReportModel,
    entries: dict[str, Entry],
    figure_svg: str,
    jsonld: str | None = None,
    agreement: AgreementSummary | None = None,
    for_print: bool = False,
    publish_problems: list[str] | None = None,
    prisma: PrismaView | None = None,
) -> str:
    """The page; `jsonld` (the claimreview.jsonld text) is embedded verbatim when given."""
    if jsonld is not None and ("<" in jsonld or ">" in jsonld):
        raise ValueError("JSON-LD must have <, > escaped before it is embedded")
    cited_by: dict[str, list[str]] = {}
    for claim in model.claims:
        for study in claim.studies:
            ids = cited_by.setdefault(study.key, [])
            if not ids or ids[-1] != claim.id:
                ids.append(claim.id)
    evidence_map = model.evidence_map()
    top = max((n for row in evidence_map.values() for n in row.values()), default=0)
    template = _environment().get_template("report.html.j2")
    return template.render(
        m=model,
        settings=model.settings,
        build=model.build,
        entries=entries,
        cited_by=cited_by,
        figure=Markup(figure_svg),
        map_columns=MAP_COLUMNS,
        evidence_map=evidence_map,
        map_top=top,
        css=stylesheet(),
        filter_css=filter_css(model),
        summary=summary(model),
        bottom_lines=bottom_lines(model),
        methods=grade.methods_rules(),
        verdict_rules=verdict_rules(),
        rating_scale=rating_scale(),
        downgrade_steps=grade.DOWNGRADE_STEPS,
        upgrade_steps=grade.UPGRADE_STEPS,
        vocab=vocab,
        glossary=glossary,
        version=_version(),
        jsonld=Markup(jsonld) if jsonld is not None else None,
        agreement=agreement,
        for_print=for_print,
        publish_problems=publish_problems or [],
        prisma=prisma,
        usual_decider=_usual_decider(model),
    )


def _usual_decider(model: ReportModel) -> str:
    """Who decided most claims' judgments: the printed report says it once instead of 40 times."""
    counts = Counter(c.decided_by for c in model.claims if c.decided_by)
    return counts.most_common(1)[0][0] if counts else ""


def rating_scale() -> list[tuple[int, list[str]]]:
    """ClaimReview ratingValue -> the verdicts mapped to it, best first."""
    by_value: dict[int, list[str]] = {}
    for verdict in vocab.VERDICTS:
        by_value.setdefault(RATING_VALUES.get(verdict, 3), []).append(verdict)
    return sorted(by_value.items(), reverse=True)


def _version() -> str:
    """The installed package's version (the report states which tool built it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("evidencebench")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
