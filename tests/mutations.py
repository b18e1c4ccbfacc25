"""Random damage to a text file, for the property-based tests of import and check."""

from __future__ import annotations

from hypothesis import strategies as st


def mutate(draw: st.DrawFn, text: str, snippets: list[str], times: int = 5, span: int = 80) -> str:
    """`text` after one to `times` random edits: a span (at most `span` characters) deleted,
    duplicated or replaced by a snippet, a snippet or stray text inserted, or two lines swapped."""
    for _ in range(draw(st.integers(1, times))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + span)))
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "replace"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.one_of(st.sampled_from(snippets), st.text(max_size=6))) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "replace":
            text = text[:i] + draw(st.sampled_from(snippets)) + text[j:]
        else:
            lines = text.split("\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text
