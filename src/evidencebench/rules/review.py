"""The review with its rules: a loaded review folder that can rate each claim and check itself.

`load_review` is what notebooks and the command line call. The files are read by the review layer
(`review.loader`); this class adds the GRADE engine and the checks on top, so the data layer never
needs to know the rules.
"""

from __future__ import annotations

from pathlib import Path

from ..review.loader import ReviewData, document_path, read_review
from ..review.problems import Problem
from . import grade
from .check import check_review

__all__ = ["Review", "document_path", "load_review"]


class Review(ReviewData):
    """A review folder loaded into typed frames, with its claims rated and checked on demand."""

    def rating(self, claim_id: str) -> grade.Rating:
        """The certainty, direction and verdict the GRADE engine derives for one claim.

        Computed from the stored judgments and the rated links, so it is what `check` compares
        the stored certainty and verdict against.
        """
        return grade.rate(self.studies_for(claim_id), self.judgments(claim_id))

    def check(self) -> list[Problem]:
        """Every problem in the review, sorted: what `evidence check` prints.

        Collects, never raises: an empty list means the review is clean.
        """
        return check_review(self)

    def _next_steps(self) -> list[tuple[str, str]]:
        """The repr's suggestions, led by the calls only a `Review` (with its rules) can answer."""
        ids = [i for i in self.claims["id"] if isinstance(i, str) and i]
        claim = ids[0] if ids else "..."
        return [
            ("review.check()", "every problem in the review (empty when clean)"),
            *super()._next_steps()[:1],
            (f"review.rating({claim!r})", "the certainty and verdict the GRADE engine derives for one claim"),
            (f"review.studies_for({claim!r})", "the studies linked to one claim, with their stances"),
            *super()._next_steps()[1:],
        ]


def load_review(path: str | Path = ".") -> Review:
    """Load a review folder (the one holding claims.csv; default: the current folder).

    Never raises on bad input: what could be read is in the frames, and every problem met on the
    way is kept for `check` to report.
    """
    return read_review(path, Review)
