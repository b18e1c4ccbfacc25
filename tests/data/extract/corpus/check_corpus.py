"""Check the annotated corpus: every annotation sentence is in its text, verbatim and in order.

Run from anywhere: `python tests/data/extract/corpus/check_corpus.py`. Prints one line per
article (sentences, claims, words) and exits non-zero on the first problem it finds.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def check(txt: Path) -> tuple[int, int, int]:
    text = txt.read_text(encoding="utf-8")
    ann = txt.with_name(txt.stem + ".annotations.csv")
    with ann.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["sentence", "claim"]:
            raise SystemExit(f"{ann.name}: header is {reader.fieldnames}, expected ['sentence', 'claim']")
        rows = list(reader)
    cursor = 0
    claims = 0
    for n, row in enumerate(rows, start=2):
        sentence, claim = row["sentence"], row["claim"]
        if claim not in ("yes", "no"):
            raise SystemExit(f"{ann.name}:{n}: claim must be yes or no, not {claim!r}")
        if not sentence or sentence != sentence.strip():
            raise SystemExit(f"{ann.name}:{n}: empty sentence or stray whitespace")
        at = text.find(sentence, cursor)
        if at < 0:
            where = "earlier in the text (out of order)" if sentence in text else "nowhere in the text"
            raise SystemExit(f"{ann.name}:{n}: sentence found {where}: {sentence[:70]!r}")
        # nothing but whitespace and list markers may sit between two annotated sentences
        gap = text[cursor:at].replace("•", "").replace("-", "")
        if gap.strip():
            raise SystemExit(f"{ann.name}:{n}: unannotated text before this sentence: {gap.strip()[:70]!r}")
        cursor = at + len(sentence)
        claims += claim == "yes"
    if text[cursor:].strip():
        raise SystemExit(f"{ann.name}: unannotated text at the end: {text[cursor:].strip()[:70]!r}")
    return len(rows), claims, len(text.split())


def main() -> int:
    texts = sorted(HERE.glob("*.txt"))
    if not texts:
        raise SystemExit("no .txt files found")
    total_s = total_c = 0
    for txt in texts:
        sentences, claims, words = check(txt)
        total_s, total_c = total_s + sentences, total_c + claims
        print(f"{txt.stem:38} {sentences:3} sentences {claims:3} claims {words:4} words")
    print(f"{'total':38} {total_s:3} sentences {total_c:3} claims ({len(texts)} articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
