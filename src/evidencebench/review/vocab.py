"""Controlled vocabularies: the one place that says which values a column may take.

Everything else (validation, the data dictionary, the Table Schemas, report labels and
the GRADE engine) reads these lists, so a value is added or renamed here only.
"""

from __future__ import annotations

CLAIM_TYPES: tuple[str, ...] = (
    "efficacy",
    "mechanism",
    "composition",
    "dosage",
    "safety",
    "prevalence",
    "background",
)
"""Efficacy, dosage and safety claims are about effects in people; the GRADE engine
treats laboratory and animal evidence for them as indirect."""

CLAIMS_ABOUT_PEOPLE: frozenset[str] = frozenset({"efficacy", "dosage", "safety"})

DOWNGRADE_DOMAINS: tuple[str, ...] = (
    "risk_of_bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication_bias",
)
DOWNGRADE_LEVELS: tuple[str, ...] = ("not serious", "serious", "very serious")

UPGRADE_DOMAINS: tuple[str, ...] = ("large_effect", "dose_response", "plausible_confounding")
UPGRADE_LEVELS: dict[str, tuple[str, ...]] = {
    "large_effect": ("none", "large", "very large"),
    "dose_response": ("none", "present"),
    "plausible_confounding": ("none", "present"),
}

JUDGMENT_FIELDS: tuple[str, ...] = (*DOWNGRADE_DOMAINS, *UPGRADE_DOMAINS)
"""The eight GRADE judgment columns of a claim, in the order the tables show them."""

CERTAINTY_LEVELS: tuple[str, ...] = ("very low", "low", "moderate", "high")
"""Ordered from lowest to highest; the index is the number of filled circles minus one."""

VERDICTS: tuple[str, ...] = (
    "supported",
    "partly supported",
    "mixed evidence",
    "insufficient evidence",
    "misleading",
    "contradicted",
)

STANCES: tuple[str, ...] = ("supports", "contradicts", "indirect")
"""`indirect` links are shown to readers but do not enter the body of evidence that is
rated: they bear on the claim only through mechanism or a neighbouring question."""

DESIGNS: tuple[str, ...] = (
    "rct",
    "non-randomised-trial",
    "pharmacokinetic",
    "cohort",
    "case-control",
    "cross-sectional",
    "case-series",
    "case-report",
    "qualitative",
    "surveillance",
    "systematic-review",
    "narrative-review",
    "animal-experiment",
    "in-vitro",
    "chemical-analysis",
    "regulatory-statement",
    "guideline",
)

EXPERIMENTAL_DESIGNS: frozenset[str] = frozenset(
    {"rct", "pharmacokinetic", "animal-experiment", "in-vitro", "chemical-analysis"}
)
"""Designs whose body of evidence starts at high certainty: the investigator controls the
exposure and measures the outcome directly. Every other design starts low."""

POPULATIONS: tuple[str, ...] = ("humans", "animals", "cells", "none")
"""Whom a study was done in, and whom a claim speaks of (`none`: a claim about a product or a
molecule, such as what a plant contains)."""

OUTCOME_KINDS: tuple[str, ...] = (
    "effect",
    "perceived effect",
    "adverse effects",
    "reasons for use",
    "prevalence",
    "composition",
    "mechanism",
    "pharmacokinetics",
    "statement",
)
"""What a linked study measured for the claim. `perceived effect` is people's own report of what a
product did to them; `reasons for use` and `prevalence` say why or how often people use
something, never what it does; `statement` is an agency's or a guideline's word."""

USE_OUTCOMES: frozenset[str] = frozenset({"reasons for use", "prevalence"})
"""Outcomes that describe use, not effect: they cannot count for or against a claim about an effect."""

DEFAULT_EXPOSURES: tuple[str, ...] = ("product", "active compound", "other substance", "non-drug", "none")
"""The exposure vocabulary when a review defines none (`exposures` in its settings)."""

AGENCY_ENTRY_TYPES: frozenset[str] = frozenset({"misc", "online", "techreport", "report"})
"""BibTeX entry types that may stand on an official page alone, without DOI or PMID."""

SCREENING_STAGES: tuple[str, ...] = ("title-abstract", "full-text")
"""The two screening stages, in order: a record is read by title and abstract first, and only one
included there is sought and assessed in full text (PRISMA 2020's "screened" and "assessed")."""

SCREENING_DECISIONS: tuple[str, ...] = ("include", "exclude")
"""A reviewer's decision on a record at one stage; an exclusion carries a reason."""

NOT_RETRIEVED = "not retrieved"
"""The exclusion reason PRISMA 2020 counts apart, as "reports not retrieved": the record could not be
assessed because no usable report of it was obtained."""

DEFAULT_EXCLUSION_REASONS: tuple[str, ...] = (
    "wrong population",
    "wrong exposure",
    "wrong comparator",
    "wrong outcome",
    "wrong study design",
    "wrong publication type",
    "duplicate",
    NOT_RETRIEVED,
)
"""The exclusion reasons when a review defines none (`exclusion_reasons` in its settings): the
PICO-shaped reasons screening tools offer, so exclusions can be counted by reason."""
