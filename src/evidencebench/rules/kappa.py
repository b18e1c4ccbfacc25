"""Cohen's kappa: chance-corrected agreement of two raters, one rule for every stage that has two.

Rating (GRADE judgments, verdicts, link stances) and screening (include or exclude) both report
how far two blinded reviewers agreed. The statistic lives here, below both stages, so that each can
use it without importing the other: the workflow stages never import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
    """Agreement of two reviewers on one scale, over the items both judged."""

    scale: str
    n: int
    agreed: int
    kappa: float | None
    weighted: bool = False

    @property
    def percent(self) -> float | None:
        """Percent agreement, None when nothing was judged by both."""
        return 100 * self.agreed / self.n if self.n else None

    def kappa_text(self, nothing: str = "no items") -> str:
        """Kappa as printed: '—' when undefined (one category throughout), `nothing` when n is 0."""
        if self.kappa is None:
            return "—" if self.n else nothing
        return f"{self.kappa:.2f}"
