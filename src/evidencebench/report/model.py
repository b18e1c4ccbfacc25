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
    source_location: str = ""  # where on the checked page the finding is stated
    url: str = ""  # the page the reference was checked against

    @property
    def rated(self) -> bool:
        """Whether the study enters the body of evidence (supports or contradicts)."""
        return self.stance in ("supports", "contradicts")

    @property
    def participants(self) -> int | None:
        """`n` as a number when it is one plain count (\"134 + 611 leaf samples\" is not)."""
        text = self.n.replace(",", "").strip()
        return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class Judgment:
    domain: str
    label: str
    value: str
    reason: str
    upgrade: bool

    @property
    def changes_certainty(self) -> bool:
        """Whether the judgment lowers or raises certainty (so its reason must be shown)."""
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
    central: bool = False  # one of its document's central claims (claims.csv `central` = yes)

    @property
    def anchor(self) -> str:
        """The claim's id in the HTML page, for links to it."""
        return f"claim-{self.id}"

    @property
    def certainty(self) -> str | None:
        """The certainty the GRADE engine derives; None without rated evidence."""
        return self.rating.certainty

    @property
    def certainty_words(self) -> str:
        """Certainty in words ('no rated evidence' when none)."""
        return glossary.certainty_words(self.certainty)

    @property
    def symbols(self) -> str:
        """Certainty as GRADE's circles."""
        return grade.symbols(self.certainty)

    @cached_property
    def rated_studies(self) -> list[StudyView]:
        """The studies that support or contradict the claim: the body of evidence."""
        return [s for s in self.studies if s.rated]

    @cached_property
    def indirect_studies(self) -> list[StudyView]:
        """The studies shown beside the claim but not rated."""
        return [s for s in self.studies if not s.rated]

    @property
    def studies_rated_first(self) -> list[StudyView]:
        """The rated studies (the body of evidence) before those linked as indirect only."""
        return self.rated_studies + self.indirect_studies

    @cached_property
    def designs(self) -> str:
        """Kinds of rated studies, e.g. '1 randomised trial, 2 animal experiments'."""
        return describe_designs(s.design for s in self.rated_studies)

    @property
    def studies_summary(self) -> str:
        """What evidence stands behind the claim, in a few words."""
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
        """The upgrades that raise certainty."""
        return [j for j in self.judgments if j.upgrade and j.changes_certainty]

    @property
    def downgraded_for(self) -> list[str]:
        """The domains that lower certainty, in words."""
        return [j.label.lower() for j in self.judgments if not j.upgrade and j.changes_certainty]

    @property
    def upgraded_for(self) -> list[str]:
        """The domains that raise certainty, in words."""
        return [j.label.lower() for j in self.judgments if j.upgrade and j.changes_certainty]

    @property
    def key_reason(self) -> str:
        """The rationale's first sentence, for tables."""
        return first_sentence(self.rationale)

    @property
    def is_health_claim(self) -> bool:
        """Efficacy, dosage and safety claims: what the product does to people."""
        return self.claim_type in vocab.CLAIMS_ABOUT_PEOPLE

    @property
    def changed_certainty(self) -> list[Judgment]:
        """The judgments that lowered or raised certainty: the footnotes of a summary table."""
        if self.rating.start is None:
            return []
        return [j for j in self.judgments if j.changes_certainty]

    @property
    def participants(self) -> Participants:
        """People in the rated studies done in humans (`n` of each reference)."""
        human = [s for s in self.rated_studies if s.population == "humans"]
        counts = [s.participants for s in human]
        return Participants(
            total=sum(n for n in counts if n is not None),
            counted=sum(n is not None for n in counts),
            not_stated=sum(n is None for n in counts),
            other=len(self.rated_studies) - len(human),
        )

    @property
    def certainty_explained(self) -> str:
        """Why the certainty is what it is, in words, including where it started.

        A reader who sees "low" beside five "not serious" judgments needs to be told that
        observational evidence starts low; otherwise the level looks arbitrary.
        """
        r = self.rating
        if r.start is None:
            return "Not rated: no study supports or contradicts the claim, so there is no body of evidence to rate."
        if r.start == "high":
            start = (
                f"Starts at high because the rated evidence includes experiments (or reviews of them) "
                f"that measure the outcome directly ({self.designs})."
            )
        else:
            start = (
                f"Starts at low because none of the rated studies is an experiment that measures the "
                f"outcome directly ({self.designs})."
            )
        down = [f"{j.label.lower()} ({j.value})" for j in self.changed_certainty if not j.upgrade]
        up = [f"{j.label.lower()} ({j.value})" for j in self.changed_certainty if j.upgrade]
        steps = []
        if down:
            steps.append(f"lowered by {_levels(r.downgrades)} for {_join(down)}")
        if up:
            steps.append(f"raised by {_levels(r.upgrades)} for {_join(up)}")
        if not steps:
            return f"{start} No GRADE domain lowered or raised it, so it stays {r.certainty}."
        return f"{start} It was {' and '.join(steps)}: {r.certainty}."

    @property
    def evidence_says(self) -> str:
        """What the rated studies show, worded so it never reads as more support than the verdict."""
        rated = self.rated_studies
        if not self.studies:
            return "No study is linked to this claim."
        if not rated:
            return (
                "No study supports or contradicts the claim; the linked studies bear on it only "
                "indirectly and are not rated."
            )
        pro = sum(s.stance == "supports" for s in rated)
        con = len(rated) - pro
        certainty = self.certainty
        if self.rating.direction == "mixed":
            return f"The rated studies point different ways ({pro} for the claim, {con} against it): no conclusion either way."
        toward = self.rating.direction == "supports"
        lead, one = _share(pro if toward else con, len(rated))
        verb = "points" if one else "point"
        phrase = "the claim's way" if toward else "against the claim"
        if self.verdict == "misleading":
            return f"{lead} {verb} {phrase}, but only for something weaker than what is claimed; see the rationale."
        if toward and self.verdict == "supported":
            return f"{lead} {verb} the claim's way, with {certainty} certainty."
        if toward and self.verdict == "partly supported":
            return f"{lead} {verb} the claim's way, but with only {certainty} certainty, so it is only partly supported."
        if not toward and self.verdict == "contradicted":
            return f"{lead} {verb} against the claim, with {certainty} certainty."
        if toward:
            return f"{lead} {verb} the claim's way, but with {certainty} certainty: too uncertain to count as support."
        return f"{lead} {verb} against the claim, but with {certainty} certainty: too uncertain to show it false."


@dataclass(frozen=True)
class Participants:
    total: int  # people in the rated human studies that state a plain count
    counted: int  # rated human studies that state one
    not_stated: int  # rated human studies that do not
    other: int  # rated studies not done in people (animals, cells, samples)

    def __str__(self) -> str:
        parts = []
        if self.counted:
            parts.append(f"{self.total:,} people ({plural(self.counted, 'study', 'studies')})")
        if self.not_stated:
            parts.append(f"not stated for {plural(self.not_stated, 'study in people', 'studies in people')}")
        if self.other:
            parts.append(f"{plural(self.other, 'study', 'studies')} not in people")
        return "; ".join(parts) or "—"


@dataclass(frozen=True)
class TopicView:
    name: str
    slug: str
    claims: tuple[ClaimView, ...]
    question: str = ""  # the topic's review question (settings `questions`), PICO-style


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
        """The documents by id."""
        return {d.id: d for d in self.documents}

    @cached_property
    def claims_by_document(self) -> dict[str, list[ClaimView]]:
        """Indexed once: the bottom lines and each document's highlighted text need its claims."""
        out: dict[str, list[ClaimView]] = {}
        for claim in self.claims:
            out.setdefault(claim.document, []).append(claim)
        return out

    @property
    def base_url(self) -> str | None:
        """The folder address the report is published at, ending in '/', or None (not set)."""
        base = self.settings.base_url
        return None if not base else base if base.endswith("/") else base + "/"

    def page_url(self, fragment: str = "") -> str:
        """The HTML report's address (absolute when base_url is set), with an optional #fragment."""
        url = (self.base_url or "") + HTML_NAME
        return f"{url}#{fragment}" if fragment else url

    def claim_url(self, claim: ClaimView) -> str:
        """The url of a claim's section of the report (absolute when base_url is set)."""
        return self.page_url(claim.anchor)

    def document_meta(self, document_id: str) -> DocumentMeta:
        """What the report says of a document's source (publisher, date); empty for an unknown id."""
        doc = self.documents_by_id.get(document_id)
        return document_meta(doc) if doc is not None else DocumentMeta("", "")

    @property
    def health_claims(self) -> list[ClaimView]:
        """Claims about what the product does to people (efficacy, dosage, safety)."""
        return [c for c in self.claims if c.is_health_claim]

    @property
    def background_claims(self) -> list[ClaimView]:
        """Every other claim (composition, mechanism, background)."""
        return [c for c in self.claims if not c.is_health_claim]

    @property
    def claims(self) -> list[ClaimView]:
        """Every claim, topic by topic in the settings' order."""
        return [c for t in self.topics for c in t.claims]

    @property
    def cited_keys(self) -> list[str]:
        """Reference keys in citation-number order."""
        return sorted(self.numbers, key=self.numbers.__getitem__)

    def verdict_counts(self) -> dict[str, int]:
        """How many claims have each verdict, in the vocabulary's order (unknown verdicts after)."""
        counts = Counter(c.verdict for c in self.claims)
        ordered = {v: counts.pop(v, 0) for v in vocab.VERDICTS}
        return {**ordered, **dict(sorted(counts.items()))}

    def evidence_map(self) -> dict[str, dict[str, int]]:
        """topic -> certainty column -> number of claims."""
        return {
            t.name: {col: n for col, n in zip(MAP_COLUMNS, _map_row(t.claims), strict=True)}
            for t in self.topics
        }


@dataclass(frozen=True)
class DocumentMeta:
    author: str
    published: str  # YYYY-MM-DD


_NOTE_PART = re.compile(r"^\s*(author|published)\s*:\s*(.+?)\s*$")


def document_meta(doc: Document) -> DocumentMeta:
    """Author and publication date of a document, when its index note records them.

    `evidence extract` writes what a page's metadata gives into the note as labelled parts
    ("author: …; published: YYYY-MM-DD"); nothing is guessed when the note has none.
    """
    found = {}
    for part in (doc.note or "").split(";"):
        m = _NOTE_PART.match(part)
        if m:
            found.setdefault(m.group(1), m.group(2))
    published = found.get("published", "")
    return DocumentMeta(found.get("author", ""), published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else "")


def plural(n: int, one: str, many: str) -> str:
    """'1 claim', '2 claims': never '1 claim(s)'."""
    return f"{n} {one if n == 1 else many}"


def _levels(n: int) -> str:
    return plural(n, "level", "levels")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _share(k: int, n: int) -> tuple[str, bool]:
    """('The 1 rated study', singular), ('All 3 rated studies', plural), ('2 of the 3 rated studies', plural)."""
    if n == 1:
        return "The 1 rated study", True
    if k == n:
        return ("Both rated studies" if n == 2 else f"All {n} rated studies"), False
    return f"{k} of the {n} rated studies", k == 1


def _map_row(claims: tuple[ClaimView, ...]) -> list[int]:
    counts = Counter(c.certainty or UNRATED_COLUMN for c in claims)
    return [counts.get(col, 0) for col in MAP_COLUMNS]


def describe_designs(designs) -> str:
    """Designs counted in words, most frequent first, e.g. '2 randomised trials, 1 case report'."""
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
    """Text as a url fragment (lower case, dashes)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "topic"


def _text(value) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def _int(value) -> int | None:
    try:
        return None if value is None or value is pd.NA else int(value)
    except (TypeError, ValueError):
        return None


def _index_evidence(review: Review) -> dict[str, list[tuple[str, str, str, str]]]:
    links: dict[str, list[tuple[str, str, str, str]]] = {}
    ev = review.evidence
    where = ev["source_location"] if "source_location" in ev.columns else [""] * len(ev)
    for claim, ref, stance, finding, location in zip(
        ev["claim"], ev["reference"], ev["stance"], ev["finding"], where, strict=True
    ):
        links.setdefault(_text(claim), []).append((_text(ref), _text(stance), _text(finding), _text(location)))
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
    """Everything the report shows, computed once from the review, so every output renders the same numbers."""
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
        topics.append(TopicView(topic, slug, tuple(claims), review.settings.questions.get(topic, "")))
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
    links: list[tuple[str, str, str, str]],
    refs: dict[str, Reference],
    numbers: dict[str, int],
    labels: dict[str, str],
    review: Review,
) -> ClaimView:
    values = {k: _text(v) for k, v in row.items()}
    studies = []
    infos = []
    for key, stance, finding, location in links:
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
        studies.append(
            StudyView(key, number, stance, finding, get("design"), get("population"), get("n"), label, location, get("url"))
        )
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
        central=values.get("central", "") == "yes",
    )
