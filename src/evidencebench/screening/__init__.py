"""Screening the records of searches: each reviewer's blinded decisions at title-abstract and full
text, their agreement (kappa) and conflicts, and included records promoted into refs/.

The files are read by `review.screening` and what the decisions mean (the outcome of a record,
the PRISMA flow, what `check` reports) is `rules.screening`; this stage writes. May import `review`
and `rules`; nothing else.
"""
