"""New material entering a review: documents segmented, claims proposed and accepted, moved quotes
re-anchored, and references imported from BibTeX, RIS and MEDLINE exports.

May import `review` and `rules`; nothing else.
"""
