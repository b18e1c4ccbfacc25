"""Reviewers and agreement: how far two independent raters agreed, for the methods section.

The numbers come from `rating/` (the sheets in ratings/ and Cohen's kappa); this module only
reads them for the report. A review without ratings/ has no such part, and a folder that
cannot be read (a half-filled sheet, a change in the rating code) gives a one-line note
instead: the report is never held up by it, but neither does it hide that the part is missing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..rules.review import Review
from . import glossary
from .model import plural

log = logging.getLogger(__name__)

RATINGS_FOLDER = "ratings"


@dataclass(frozen=True)
class ScaleAgreement:
    label: str
    n: int
    percent: float | None
    kappa: float | None
    weighted: bool

    @property
    def percent_text(self) -> str:
        """Percent agreement as the report prints it."""
        return "—" if self.percent is None else f"{self.percent:.0f} %"

    @property
    def kappa_text(self) -> str:
        """Kappa as the report prints it ('not defined' when both raters used one category)."""
        if self.kappa is None:
            return "not defined" if self.n else "—"
        return f"{self.kappa:.2f}"


@dataclass(frozen=True)
class AgreementSummary:
    reviewers: tuple[str, ...] = ()
    claims: int = 0  # claims both reviewers rated
    disagreements: int = 0  # claims on which they differed somewhere
    consensus: int | None = None  # claims settled in ratings/consensus.csv, when there is one
    scales: tuple[ScaleAgreement, ...] = field(default=())
    note: str = ""  # why there are no figures, when there are none


def _label(scale: str) -> str:
    return {"certainty": "Certainty", "verdict": "Verdict"}.get(scale) or glossary.domain_label(scale)


def agreement_summary(review: Review) -> AgreementSummary | None:
    """None without a ratings/ folder; otherwise the figures, or a note saying why there are none."""
    folder = review.root / RATINGS_FOLDER
    try:
        if not folder.is_dir():
            return None
    except OSError:
        return None
    try:
        from ..rating.agreement import compare
        from ..rating.sheets import read_ratings

        sheets, consensus = read_ratings(review)
        if len(sheets) != 2:
            names = ", ".join(sorted(sheets)) or "none"
            return AgreementSummary(
                reviewers=tuple(sorted(sheets)),
                note=f"{RATINGS_FOLDER}/ holds {plural(len(sheets), 'reviewer sheet', 'reviewer sheets')} ({names}); "
                "agreement is reported for two.",
            )
        first, second = (sheets[name] for name in sorted(sheets))
        result = compare(review, first, second)
        scales = tuple(
            ScaleAgreement(_label(a.scale), a.n, a.percent, a.kappa, a.weighted) for a in result.scales
        )
        return AgreementSummary(
            reviewers=(result.first, result.second),
            claims=len(result.claims),
            disagreements=len(result.conflicts),
            consensus=len(consensus.ratings) if consensus is not None else None,
            scales=scales,
        )
    except Exception as err:  # any failure here must leave the rest of the report intact
        log.warning("reviewer agreement left out of the report: %s", err)
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return AgreementSummary(note=f"The rating sheets in {RATINGS_FOLDER}/ could not be read ({first_line}).")
