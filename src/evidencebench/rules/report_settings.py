"""Settings the report depends on: where it is published, and the question of each topic.

A report that is only read locally may leave `base_url` unset (its ClaimReview urls are then
relative to the HTML page). Once the review says it is to be published (`publish = true`),
relative urls would make every ClaimReview unusable to search engines, so `check` asks for
`base_url` then, and only then: a draft review is not held up by a publishing detail.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..review.loader import ReviewData
from ..review.problems import Problem, problem
from ..review.settings import line_of_key


def report_settings_problems(review: ReviewData) -> Iterator[Problem]:
    """Problems with the settings the report needs to be published (base_url with publish = true)."""
    settings = review.settings
    if settings.publish and not settings.base_url:
        yield problem(
            "pyproject.toml",
            line_of_key(review.root, "publish"),
            "base-url-missing",
            "publish = true but base_url is not set, so ClaimReview urls would be relative to the page",
        )
    for topic in settings.questions:
        if topic not in settings.topics:
            yield problem(
                "pyproject.toml",
                line_of_key(review.root, topic),
                "settings-question-topic",
                f"questions has an entry for {topic!r}, which is not one of the topics ({', '.join(settings.topics)})",
            )
