"""Evidence review workbench: the public API that notebooks and the CLI use."""

from .grade import Rating, StudyInfo, rate, symbols
from .problems import Problem
from .review import Review, load_review
from .settings import Settings, load_settings

__all__ = [
    "Problem",
    "Rating",
    "Review",
    "Settings",
    "StudyInfo",
    "load_review",
    "load_settings",
    "rate",
    "symbols",
]
__version__ = "0.1.0"
