"""Evidence review workbench: the public API that notebooks and the command line use.

The package follows the data flow, one subpackage per stage; each may import only from its own
subpackage and from the stages below it:

- `review`   the files of a review (schema, vocabularies, settings, CSV and BibTeX, documents, quotes)
- `rules`    the GRADE engine, the verdict table, every check, and the `Review` that applies them
- `intake`   new material: documents segmented, claims proposed and accepted, references imported
- `rating`   reviewers' independent sheets, their agreement, the consensus, stored certainty
- `history`  the review at a git revision and what changed between two
- `report`   the evidence report (HTML, PDF, ClaimReview, CSV)
- `notebook` tables for notebooks, the rating form, and the notebook template
- `cli`      the `evidence` command
"""

from .review.problems import Problem
from .review.settings import Settings, load_settings
from .rules.grade import Rating, StudyInfo, rate, symbols
from .rules.review import Review, load_review

__all__ = [
    "Problem",
    "Rating",
    "Review",
    "Settings",
    "StudyInfo",
    "load_review",
    "load_settings",
    "rate",
    "rating_form",
    "symbols",
    "tables",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    """`tables` and `rating_form` on first use: they pull in the report model and ipywidgets, too heavy for every import."""
    if name == "tables":
        from .notebook import tables

        return tables
    if name == "rating_form":
        from .notebook.rating_form import rating_form

        return rating_form
    raise AttributeError(f"module 'evidencebench' has no attribute {name!r}")
