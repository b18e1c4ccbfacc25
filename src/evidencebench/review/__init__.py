"""The files of a review, read and written safely: the lowest layer.

Holds the column schema and vocabularies, the review's settings, CSV and BibTeX reading,
documents, quote provenance, atomic writes, problem records and `ReviewData` (a folder read into
typed frames). It imports nothing else from the package; every other layer builds on it.
"""
