"""Benchmark: `refs import` of a large BibTeX export against bibtexparser's parse of the same file.

Issue 11 found import time growing with the square of the number of entries (13,000 entries:
35 s, where bibtexparser parses them in under a second). This script generates N BibTeX
entries (default 13,000) shaped like a reference manager's export — shared key stems, @string
macros, `#` concatenation, DOIs as resolver URLs, some entries repeating a key or lacking one —
and, in one run, times:

- the floor: `bibtexparser.parse_string` of the file (its default middlewares), and
- `import_references` of the same file into an empty review (parse, clean, deduplicate, key,
  write), then a second import of it (everything a duplicate, nothing written).

It prints both times and the ratios (target: import at most 3x the parse). Each figure is the
best of `--repeat` runs, since the machine may be shared:

    python benchmarks/import_bench.py                 # 13,000 entries
    python benchmarks/import_bench.py --sizes 3250 13000 26000   # shows the growth is linear
"""

from __future__ import annotations

import argparse
import platform
import random
import tempfile
import time
from pathlib import Path

import bibtexparser

from evidencebench.intake.importing import import_references

WORDS = ["sleep", "kratom", "dose", "pain", "anxiety", "trial", "survey", "extract", "tea", "night",
         "receptor", "opioid", "withdrawal", "cohort", "adults", "users", "effect", "alkaloid"]  # fmt: skip
FAMILIES = ["Smith", "Garcia-Romeu", "Müller", "Nakamura", "Okafor", "Lindqvist", "Quintanilla-Dieck", "Doe"]


def generate(n: int, seed: int = 1) -> str:
    """n entries; about one in fifty repeats a key, one in a hundred has none."""
    rnd = random.Random(seed)
    out = ['@string{jtsr = {Journal of Test Sleep Research}}\n@string{suppl = { (Supplement)}}\n']
    for i in range(n):
        family = rnd.choice(FAMILIES)
        year = 1990 + i % 35
        key = "" if i % 100 == 7 else f"{family.split('-')[0]}{year}" if i % 50 == 3 else f"{family}{year}x{i}"
        journal = "jtsr # suppl" if i % 10 == 0 else "jtsr" if i % 3 == 0 else "{Journal of Tests}"
        doi = f"http://dx.doi.org/10.5555/BENCH.{i}" if i % 4 == 0 else f"10.5555/bench.{i}"
        title = " ".join(rnd.choices(WORDS, k=7))
        out.append(
            f"@article{{{key},\n  author = {{{family}, A. and Other, B. and {{Test Study Group}}}},\n"
            f"  title = {{{title.capitalize()}: record {i}}},\n  journal = {journal},\n  year = {year},\n"
            f"  volume = {{{i % 40}}},\n  pages = {{{i}--{i + 9}}},\n  doi = {{{doi}}},\n}}\n"
        )
    return "\n".join(out)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(n: int, repeat: int) -> dict[str, float]:
    text = generate(n)
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.bib"
        export.write_text(text, encoding="utf-8")
        parse = best(lambda: bibtexparser.parse_string(text), repeat)
        imports: list[float] = []
        again: list[float] = []
        added = 0
        for r in range(repeat):
            review = Path(tmp) / f"review{r}"
            (review / "refs").mkdir(parents=True)
            start = time.perf_counter()
            summary = import_references(review, export)
            imports.append(time.perf_counter() - start)
            added = len(summary.added)
            start = time.perf_counter()
            second = import_references(review, export)
            again.append(time.perf_counter() - start)
            assert not second.added, "a second import added entries"
    return {"entries": n, "added": added, "parse": parse, "import": min(imports), "again": min(again)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[13_000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"Python {platform.python_version()}, bibtexparser {bibtexparser.__version__}, {platform.machine()}")
    print(f"{'entries':>8} {'added':>7} {'parse s':>8} {'import s':>9} {'ratio':>6} {'again s':>8} {'ratio':>6}")
    for n in args.sizes:
        m = measure(n, args.repeat)
        print(
            f"{m['entries']:>8,} {m['added']:>7,} {m['parse']:>8.2f} {m['import']:>9.2f} "
            f"{m['import'] / m['parse']:>5.2f}x {m['again']:>8.2f} {m['again'] / m['parse']:>5.2f}x"
        )


if __name__ == "__main__":
    main()
