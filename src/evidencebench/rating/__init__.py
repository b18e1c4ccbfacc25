"""Reviewers' judgments: independent rating sheets, their agreement (kappa), the recorded
consensus, and the derived certainty and verdict stored back in claims.csv.

May import `review` and `rules`; nothing else.
"""
