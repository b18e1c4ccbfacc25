"""The rules a review is held to: the GRADE engine, the verdict table and every check.

Also `Review` (rules/review.py): the files of a review with these rules applied. May import
`review` only.
"""
