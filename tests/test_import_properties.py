"""Property-based tests of `refs import` (Hypothesis): damaged exports never crash it.

Valid BibTeX, RIS and MEDLINE exports are mutated at random — spans deleted, duplicated or
swapped, syntax characters, tags, control characters and stray text inserted — and imported
into a review that already has references. Whatever the input:

- the import ends normally (unreadable records are reported, never raised);
- every file of refs/ other than the target keeps every byte, and the target only grows at its end;
- what it wrote reads back without a BibTeX problem, and `check` finds no duplicate it let in;
- a second import of the same file adds nothing and changes no byte.

Bounded (a few dozen examples per format, no deadline) so the suite stays fast.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import mutate

from evidencebench.intake.importing import import_references
from evidencebench.review.identity import StudyIndex, identity_of
from evidencebench.review.references import read_bib

DATA = Path(__file__).resolve().parent / "data" / "import"
SEEDS = {
    "bib": [DATA / "jabref-library.bib", DATA / "colleague.bib"],
    "ris": [DATA / "ovid-medline.ris", DATA / "embase.ris", DATA / "zotero-export.ris"],
    "nbib": [DATA / "library-pubmed.nbib", DATA / "pubmed-export.nbib"],
}
EXISTING = {
    "refs/a.bib": (
        "\ufeff% kept byte for byte\r\n@article{example2020kratom,\r\n  author = {Example, Erin},\r\n"
        "  title = {Kratom tea and sleep onset in adults: an invented cohort used as a test fixture},\r\n"
        "  year = {2020},\r\n  doi = {10.5555/test.2020.021},\r\n}\r\n"
    ),
    "refs/imported.bib": "@misc{old,\n  title = {An old entry},\n  author = {{R Core Team}},\n}",  # no final newline
}
SNIPPETS = [
    "{", "}", '"', "#", "@", ",", "=", "\n", "\r\n", "\r", "\\", "\t", "\x00", "\x1b", "\ufeff", "ü", "  ",
    " and ", "{R Core Team}", "@string{x = {y}}", "@article{", "@article{,", "crossref = {Example2020}",
    "TY  - JOUR\n", "ER  - \n", "AU  - Smith JA\n", "DO  - http://dx.doi.org/10.5555/A.1\n", "TI  - ",
    "PMID- 90000001\n", "PMID- 0\n", "FAU - ", "CN  - Group\n", "1. \n", "<i>", "doi:", "\n\n",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> tuple[str, str]:
    """(suffix, text): one seed export of `kind` with one to five random mutations."""
    seed = draw(st.sampled_from(SEEDS[kind]))
    text = mutate(draw, seed.read_text(encoding="utf-8-sig"), SNIPPETS)
    return seed.suffix, text


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "refs").glob("*")) if p.is_file()}


def _import_twice(suffix: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "review"
        (root / "refs").mkdir(parents=True)
        for rel, content in EXISTING.items():
            (root / rel).write_bytes(content.encode("utf-8"))
        export = Path(tmp) / f"export{suffix}"
        export.write_bytes(text.encode("utf-8"))
        before = _snapshot(root)

        first = import_references(root, export)  # must not raise, whatever the damage
        after = _snapshot(root)
        assert after["refs/a.bib"] == before["refs/a.bib"]
        assert after["refs/imported.bib"].startswith(before["refs/imported.bib"])
        assert bool(first.added) == (after != before)

        studies: StudyIndex[str] = StudyIndex()
        for rel in after:
            bib = read_bib(root / rel, rel)
            assert not bib.problems, [str(p) for p in bib.problems]
            for ref in bib.references:  # check's duplicate rule: nothing import let in
                identity = identity_of(ref.fields)
                assert studies.find(identity) is None, (ref.key, ref.fields)
                studies.add(identity, ref.key)

        again = import_references(root, export)
        assert not again.added and not again.written, [(k, r.fields) for k, r in again.added]
        assert _snapshot(root) == after


SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(mutated("bib"))
def test_mutated_bibtex_imports_safely_and_idempotently(case: tuple[str, str]) -> None:
    _import_twice(*case)


@SETTINGS
@given(mutated("ris"))
def test_mutated_ris_imports_safely_and_idempotently(case: tuple[str, str]) -> None:
    _import_twice(*case)


@SETTINGS
@given(mutated("nbib"))
def test_mutated_medline_imports_safely_and_idempotently(case: tuple[str, str]) -> None:
    _import_twice(*case)


@settings(max_examples=100, deadline=None, database=None)
@given(st.text(max_size=40))
def test_names_are_idempotent_and_never_crash(name: str) -> None:
    from evidencebench.review.identity import bibtex_name, first_family

    once = bibtex_name(name)
    assert bibtex_name(once) == once
    first_family(name)
