"""Precision, recall and F1 of the claim detector on the annotated corpus of real articles.

The corpus (tests/data/extract/corpus/, see its README.md) holds nine public-domain or
CC BY-SA articles, each with every sentence annotated `claim` yes or no. This script runs
the detector (`evidencebench.intake.extract.propose`, with the review's default settings)
on each article and scores it against the annotations, beside a baseline that proposes
every sentence, so the figures in docs/extract.md can be reproduced on any machine:

    .venv/bin/python benchmarks/extract_eval.py             # table per article and overall
    .venv/bin/python benchmarks/extract_eval.py --errors    # also list misses and false alarms (development articles)
    .venv/bin/python benchmarks/extract_eval.py --markdown  # the table as docs/extract.md shows it

Matching is by character span: the annotated sentences are located in the text in order
(as `check_corpus.py` does), and a proposed span matches an annotated sentence when the two
overlap by at least half of the shorter one. So a detector that cut sentences differently
is neither rewarded nor punished for it.

- A proposal is a true positive when it matches an annotated claim; otherwise a false alarm.
- An annotated claim is found when some proposal matches it.
- Precision = true positives / proposals; recall = claims found / claims; F1 their harmonic mean.

Baselines: "every sentence" proposes every annotated sentence, headings and titles included
(recall 1 by construction); "every non-heading sentence" proposes every segment the
segmenter does not take for a heading, which is what the detector starts from.

The articles are in two groups. While the rules of issue 14 were written, the misses and
false alarms of the five DEVELOPMENT articles were read and acted on; those of the four
held-out articles were not (only the first run's, before any change, were seen). So the
held-out line is the fairer estimate for a new text, the development line an optimistic one.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evidencebench.intake.extract import propose
from evidencebench.intake.segment import segment
from evidencebench.review.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "extract" / "corpus"
DEVELOPMENT = frozenset(
    {"nccih-valerian", "nccih-sleep-disorders", "livertox-kava-kava", "nccam-gait-glucosamine-chondroitin", "wikipedia-kava"}
)
"""Articles whose errors were read while the rules were written; the others are held out."""


@dataclass(frozen=True)
class Sentence:
    """One annotated sentence and where it is in its article."""

    start: int
    end: int
    text: str
    claim: bool


@dataclass
class Tally:
    """Counts behind precision and recall, with the sentences behind the errors."""

    proposals: int = 0
    true_positives: int = 0
    claims: int = 0
    found: int = 0
    false_alarms: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.proposals if self.proposals else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.claims if self.claims else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Tally) -> None:
        self.proposals += other.proposals
        self.true_positives += other.true_positives
        self.claims += other.claims
        self.found += other.found
        self.false_alarms += other.false_alarms
        self.missed += other.missed


def annotated(slug: str) -> tuple[str, list[Sentence]]:
    """The article's text and its annotated sentences, located in order (as check_corpus.py does)."""
    text = (CORPUS / f"{slug}.txt").read_text(encoding="utf-8")
    with (CORPUS / f"{slug}.annotations.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out, cursor = [], 0
    for row in rows:
        at = text.find(row["sentence"], cursor)
        if at < 0:
            raise SystemExit(f"{slug}.annotations.csv: sentence not found in order: {row['sentence'][:60]!r}")
        cursor = at + len(row["sentence"])
        out.append(Sentence(at, cursor, row["sentence"], row["claim"] == "yes"))
    return text, out


def _matches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two spans match when they overlap by at least half of the shorter one."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap > 0 and 2 * overlap >= min(a[1] - a[0], b[1] - b[0])


def score(text: str, gold: list[Sentence], spans: Iterable[tuple[int, int]]) -> Tally:
    """Score proposed spans against the annotated sentences of one article."""
    spans = list(spans)
    claims = [s for s in gold if s.claim]
    tally = Tally(proposals=len(spans), claims=len(claims))
    for span in spans:
        if any(_matches(span, (s.start, s.end)) for s in claims):
            tally.true_positives += 1
        else:
            tally.false_alarms.append(" ".join(text[span[0] : span[1]].split()))
    for s in claims:
        if any(_matches(span, (s.start, s.end)) for span in spans):
            tally.found += 1
        else:
            tally.missed.append(s.text)
    return tally


def evaluate(settings: Settings | None = None) -> dict[str, dict[str, Tally]]:
    """For each article (and "overall"): the detector's and the baselines' tallies."""
    settings = settings or Settings()
    results: dict[str, dict[str, Tally]] = {}
    names = ("detector", "every sentence", "every non-heading sentence")
    overall = {name: Tally() for name in names}
    groups = {"development (5)": {name: Tally() for name in names}, "held out (4)": {name: Tally() for name in names}}
    for path in sorted(CORPUS.glob("*.annotations.csv")):
        slug = path.name.removesuffix(".annotations.csv")
        text, gold = annotated(slug)
        row = {
            "detector": score(text, gold, ((c.start, c.end) for c in propose(text, slug, settings))),
            "every sentence": score(text, gold, ((s.start, s.end) for s in gold)),
            "every non-heading sentence": score(
                text, gold, ((s.start, s.end) for s in segment(text) if s.kind != "heading")
            ),
        }
        results[slug] = row
        group = groups["development (5)" if slug in DEVELOPMENT else "held out (4)"]
        for name, tally in row.items():
            overall[name].add(tally)
            group[name].add(tally)
    results.update(groups)
    results["overall"] = overall
    return results


def _table(results: dict[str, dict[str, Tally]], markdown: bool) -> list[str]:
    head = ["article", "claims", "proposed", "TP", "precision", "recall", "F1", "baseline P", "baseline F1", "non-heading F1"]
    rows = []
    for slug, row in results.items():
        d, b, n = row["detector"], row["every sentence"], row["every non-heading sentence"]
        summary = slug == "overall" or slug.startswith(("development", "held out"))
        name = f"**{slug}**" if markdown and summary else slug
        rows.append(
            [name, str(d.claims), str(d.proposals), str(d.true_positives), f"{d.precision:.2f}", f"{d.recall:.2f}",
             f"{d.f1:.2f}", f"{b.precision:.2f}", f"{b.f1:.2f}", f"{n.f1:.2f}"]
        )  # fmt: skip
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
        return lines + ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    return [fmt.format(*head)] + [fmt.format(*r) for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list missed claims and false alarms per article")
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    parser.add_argument(
        "--held-out", action="store_true", help="with --errors: list the held-out articles' errors too (then they are held out no more)"
    )
    args = parser.parse_args(argv)
    results = evaluate()
    print("\n".join(_table(results, args.markdown)))
    overall = results["overall"]
    for name in ("every sentence", "every non-heading sentence"):
        t = overall[name]
        print(f"\nbaseline, {name}: {t.proposals} proposed, P {t.precision:.2f} R {t.recall:.2f} F1 {t.f1:.2f}", end="")
    print()
    if args.errors:
        articles = {p.name.removesuffix(".annotations.csv") for p in CORPUS.glob("*.annotations.csv")}
        for slug, row in results.items():
            if slug not in articles or (slug not in DEVELOPMENT and not args.held_out):
                continue
            d = row["detector"]
            for quote in d.missed:
                print(f"{slug}: MISSED  {quote}")
            for quote in d.false_alarms:
                print(f"{slug}: FALSE   {quote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
