"""The review through time: the review as it stood at a git revision and what changed between two.

May import `review` and `rules`; nothing else.
"""
