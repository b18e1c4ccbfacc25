"""Write the engine's certainty and rule verdict into claims.csv after judgments change.

Only the `certainty` and `verdict` cells of rows that disagree are rewritten; a reviewer's
'misleading' verdict is kept, and every other byte of the file stays as it was.
"""

from __future__ import annotations

from ..review.csvfile import rewrite_records
from ..rules import grade
from ..rules.review import Review


def rerate(review: Review, dry_run: bool = False) -> list[tuple[str, str, str, str, str]]:
    """Returns (claim, old certainty, new certainty, old verdict, new verdict) per changed row."""
    claims = review.files["claims"]
    changes: dict[int, dict[str, str]] = {}
    report = []
    for i, rec in enumerate(claims.records):
        v = rec.values
        judgments = grade.judgments_of(v)
        if not grade.judgments_valid(judgments):
            continue  # check reports the bad value
        rating = grade.rate(review.studies_for(v.get("id", "")), judgments)
        new_cert = rating.certainty or ""
        old_verdict = v.get("verdict", "")
        new_verdict = old_verdict if grade.verdict_allowed(old_verdict, rating.verdict) else rating.verdict
        if new_cert != v.get("certainty", "") or new_verdict != old_verdict:
            changes[i] = {"certainty": new_cert, "verdict": new_verdict}
            report.append((v.get("id", ""), v.get("certainty", ""), new_cert, old_verdict, new_verdict))
    if changes and not dry_run:
        rewrite_records(claims, changes)
    return report
