"""Everything the report shows, computed once from a Review.

HTML, PDF, JSON-LD and CSV all render this one model, so they cannot disagree; and it is
built in a single pass (evidence indexed by claim once), so a large review stays fast.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..review import vocab
from ..review.documents import Document
from ..review.references import Reference
from ..review.settings import Settings
from ..rules import grade
from ..rules.review import Review
from . import glossary
from .buildinfo import BuildInfo
from .csl import short_label
from .quotes import QuoteContext, quote_in_context

HTML_NAME = "evidence-report.html"

UNRATED_COLUMN = glossary.NO_RATED_EVIDENCE
MAP_COLUMNS: tuple[str, ...] = (*reversed(vocab.CERTAINTY_LEVELS), UNRATED_COLUMN)
"""Evidence-map columns: certainty from high to very low, then claims with nothing rated."""


@dataclass(frozen=True)
class StudyView:
    key: str
    number: int | None  # citation number; None when the key is not in refs/*.bib
    stance: str
    finding: str
    design: str
    population: str
    n: str
    label: str  # short author-year label

    @property
    def rated(self) -> bool:
        return self.stance in ("supports", "contradicts")


@dataclass(frozen=True)
class Judgment:
    domain: str
    label: str
    value: str
    reason: str
    upgrade: bool

    @property
    def changes_certainty(self) -> bool:
        return self.value not in ("", "not serious", "none")


@dataclass(frozen=True)
class ClaimView:
    id: str
    document: str
    topic: str
    claim_type: str
    quote: str
    claim: str
    verdict: str
    rationale: str
    decided_by: str
    rating: grade.Rating
    judgments: tuple[Judgment, ...]
    upgrade_reason: str
    studies: tuple[StudyView, ...]
    context: QuoteContext | None
    values: dict[str, str] = field(repr=False)  # the claims.csv row as text, for exports

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"

    @property
    def certainty(self) -> str | None:
        return self.rating.certainty

    @property
    def certainty_words(self) -> str:
        return glossary.certainty_words(self.certainty)

    @property
    def symbols(self) -> str:
        return grade.symbols(self.certainty)

    @property
    def rated_studies(self) -> list[StudyView]:
        return [s for s in self.studies if s.rated]

    @property
    def indirect_studies(self) -> list[StudyView]:
        return [s for s in self.studies if not s.rated]

    @property
    def designs(self) -> str:
        """Kinds of rated studies, e.g. '1 randomised trial, 2 animal experiments'."""
        return describe_designs(s.design for s in self.rated_studies)

    @property
    def studies_summary(self) -> str:
        rated, indirect = len(self.rated_studies), len(self.indirect_studies)
        if not rated and not indirect:
            return "no studies linked"
        text = f"{rated} rated" + (f": {self.designs}" if rated else "")
        return text + (f"; {indirect} indirect only" if indirect else "")

    @property
    def certainty_path(self) -> str:
        """How the level was reached, e.g. 'low: started at high, lowered by 2 levels'."""
        r = self.rating
        if r.start is None:
            return f"{glossary.NO_RATED_EVIDENCE}: no study supports or contradicts the claim"
        steps = [f"{verb} by {n} level{'s' if n > 1 else ''}"
                 for n, verb in ((r.downgrades, "lowered"), (r.upgrades, "raised")) if n]
        return f"{r.certainty}: started at {r.start}, " + (" and ".join(steps) or "not lowered or raised")

    @property
    def upgrades_applied(self) -> list[Judgment]:
        return [j for j in self.judgments if j.upgrade and j.changes_certainty]

    @property
    def downgraded_for(self) -> list[str]:
        return [j.label.lower() for j in self.judgments if not j.upgrade and j.changes_certainty]

    @property
    def upgraded_for(self) -> list[str]:
        return [j.label.lower() for j in self.judgments if j.upgrade and j.changes_certainty]

    @property
    def key_reason(self) -> str:
        return first_sentence(self.rationale)


@dataclass(frozen=True)
class TopicView:
    name: str
    slug: str
    claims: tuple[ClaimView, ...]


@dataclass
class ReportModel:
    settings: Settings
    build: BuildInfo
    documents: list[Document]
    topics: list[TopicView]
    references: dict[str, Reference]
    numbers: dict[str, int]  # reference key -> citation number, in order of first citation

    @cached_property
    def documents_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    @property
    def claims(self) -> list[ClaimView]:
        return [c for t in self.topics for c in t.claims]

    @property
    def cited_keys(self) -> list[str]:
        return sorted(self.numbers, key=self.numbers.__getitem__)

    def verdict_counts(self) -> dict[str, int]:
        counts = Counter(c.verdict for c in self.claims)
        ordered = {v: counts.pop(v, 0) for v in vocab.VERDICTS}
        return {**ordered, **dict(sorted(counts.items()))}

    def evidence_map(self) -> dict[str, dict[str, int]]:
        """topic -> certainty column -> number of claims."""
        return {
            t.name: {col: n for col, n in zip(MAP_COLUMNS, _map_row(t.claims), strict=True)}
            for t in self.topics
        }


def _map_row(claims: tuple[ClaimView, ...]) -> list[int]:
    counts = Counter(c.certainty or UNRATED_COLUMN for c in claims)
    return [counts.get(col, 0) for col in MAP_COLUMNS]


def describe_designs(designs) -> str:
    counts = Counter(designs)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{n} {_plural(glossary.design_label(d), n)}" for d, n in ordered)


_IRREGULAR = {"study": "studies", "analysis": "analyses", "data": "data", "series": "series"}


def _plural(label: str, n: int) -> str:
    if n == 1:
        return label
    head, _, last = label.rpartition(" ")
    return (head + " " if head else "") + _IRREGULAR.get(last, last + "s")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“‘(])")


def first_sentence(text: str, limit: int = 240) -> str:
    """The rationale's first sentence, for tables where the whole text would not fit."""
    text = " ".join(text.split())
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + "…"
    return sentence


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "topic"


def _text(value) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def _int(value) -> int | None:
    try:
        return None if value is None or value is pd.NA else int(value)
    except (TypeError, ValueError):
        return None


def _index_evidence(review: Review) -> dict[str, list[tuple[str, str, str]]]:
    links: dict[str, list[tuple[str, str, str]]] = {}
    ev = review.evidence
    for claim, ref, stance, finding in zip(
        ev["claim"], ev["reference"], ev["stance"], ev["finding"], strict=True
    ):
        links.setdefault(_text(claim), []).append((_text(ref), _text(stance), _text(finding)))
    return links


def _judgments(values: dict[str, str]) -> tuple[Judgment, ...]:
    out = [
        Judgment(d, glossary.domain_label(d), values.get(d, ""), values.get(f"{d}_reason", ""), False)
        for d in vocab.DOWNGRADE_DOMAINS
    ]
    reason = values.get("upgrade_reason", "")
    out += [
        Judgment(u, glossary.domain_label(u), values.get(u, ""), reason, True) for u in vocab.UPGRADE_DOMAINS
    ]
    return tuple(out)


def build_model(review: Review, build: BuildInfo) -> ReportModel:
    links = _index_evidence(review)
    refs = review.references
    columns = [c for c in review.claims.columns if c != "line"]
    rows = review.claims[columns].to_dict("records")

    order = list(review.settings.topics)
    order += [t for t in dict.fromkeys(_text(r["topic"]) for r in rows) if t not in order]
    by_topic: dict[str, list[dict]] = {t: [] for t in order}
    for row in rows:
        by_topic[_text(row["topic"])].append(row)

    numbers: dict[str, int] = {}
    labels: dict[str, str] = {}
    topics: list[TopicView] = []
    slugs: set[str] = set()
    for topic in order:
        claims = []
        for row in by_topic[topic]:
            claims.append(_claim_view(row, links.get(_text(row["id"]), []), refs, numbers, labels, review))
        slug = slugify(topic)
        while slug in slugs:
            slug += "-x"
        slugs.add(slug)
        topics.append(TopicView(topic, slug, tuple(claims)))
    for key in sorted(refs):  # uncited references still belong in the bibliography
        numbers.setdefault(key, len(numbers) + 1)
    return ReportModel(
        settings=review.settings,
        build=build,
        documents=list(review.documents.values()),
        topics=topics,
        references=refs,
        numbers=numbers,
    )


def _claim_view(
    row: dict,
    links: list[tuple[str, str, str]],
    refs: dict[str, Reference],
    numbers: dict[str, int],
    labels: dict[str, str],
    review: Review,
) -> ClaimView:
    values = {k: _text(v) for k, v in row.items()}
    studies = []
    infos = []
    for key, stance, finding in links:
        ref = refs.get(key)
        if ref is not None:
            number = numbers.setdefault(key, len(numbers) + 1)
            infos.append(grade.StudyInfo(key, ref.get("design"), ref.get("population"), stance, ref.get("review_of")))
        else:
            number = None
        get = ref.get if ref is not None else (lambda _name: "")
        if key not in labels:
            labels[key] = short_label(ref) if ref is not None else key
        label = labels[key]
        studies.append(StudyView(key, number, stance, finding, get("design"), get("population"), get("n"), label))
    judgments = grade.judgments_of(values)
    doc = review.documents.get(values["document"])
    context = quote_in_context(
        doc.text if doc else None, values["quote"], _int(row.get("start")), _int(row.get("end"))
    )
    return ClaimView(
        id=values["id"],
        document=values["document"],
        topic=values["topic"],
        claim_type=values["claim_type"],
        quote=values["quote"],
        claim=values["claim"],
        verdict=values["verdict"],
        rationale=values["rationale"],
        decided_by=values.get("decided_by", ""),
        rating=grade.rate(infos, judgments),
        judgments=_judgments(values),
        upgrade_reason=values.get("upgrade_reason", ""),
        studies=tuple(studies),
        context=context,
        values=values,
    )
