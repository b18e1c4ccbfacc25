"""Benchmark: load + check (and report, when available) on synthetic reviews.

Prints wall time and peak memory (max RSS of a fresh process per size), so that the
figures in benchmarks/README.md can be re-measured on any machine:

    python benchmarks/bench.py                 # 1k, 10k, 100k claims; report at 10k
    python benchmarks/bench.py --sizes 10000   # one size
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evidencebench.review import vocab
from evidencebench.review.schema import CLAIMS

WORDS = ["sleep", "dose", "kratom", "anxiety", "pain", "relief", "evening", "tea", "extract", "receptor", "effect", "study", "adults", "trial", "survey", "night", "calm", "muscle", "routine", "users", "reported", "mild", "strong"]


def generate(root: Path, claims: int, refs: int, docs: int = 200, seed: int = 1) -> None:
    """A valid review: every quote is in its document, every key resolves, ratings agree."""
    rnd = random.Random(seed)
    (root / "documents").mkdir(parents=True)
    (root / "refs").mkdir()
    (root / "pyproject.toml").write_text('[tool.evidencebench]\ntitle = "Synthetic benchmark review"\n')
    texts = []
    with (root / "documents" / "index.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "file", "title", "url", "publisher", "accessed", "sha256", "note"])
        for d in range(docs):
            size = rnd.randint(5_000, 20_000)
            sentences = []
            while sum(map(len, sentences)) < size:
                sentences.append(f"S{len(sentences)} " + " ".join(rnd.choices(WORDS, k=12)) + ".")
            text = " ".join(sentences)
            path = root / "documents" / f"d{d}.txt"
            path.write_text(text, encoding="utf-8")
            texts.append((text, sentences))
            w.writerow([f"d{d}", f"d{d}.txt", f"Document {d}", "", "", "2026-01-01",
                        hashlib.sha256(path.read_bytes()).hexdigest(), ""])
    with (root / "refs" / "refs.bib").open("w", encoding="utf-8") as fh:
        for r in range(refs):
            fh.write(f"@article{{r{r},\n  author = {{Author{r}, A. and Other, B.}},\n  title = {{Study number {r} of "
                     f"{rnd.choice(WORDS)}}},\n  journal = {{Journal}},\n  year = {{{2000 + r % 25}}},\n  doi = {{10.5555/bench.{r}}},\n"
                     f"  url = {{https://example.org/{r}}},\n  design = {{cross-sectional}},\n  population = {{humans}},\n}}\n\n")
    links = []
    with (root / "claims.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=CLAIMS.columns, lineterminator="\n")
        w.writeheader()
        for c in range(claims):
            d = c % docs
            text, sentences = texts[d]
            s = (c // docs) % len(sentences)
            start = sum(len(x) + 1 for x in sentences[:s])
            quote = sentences[s]
            row = {k: "" for k in CLAIMS.columns}
            row.update(id=f"c{c}", document=f"d{d}", topic=vocab_topic(c), claim_type="efficacy", quote=quote,
                       start=start, end=start + len(quote), prefix=text[max(0, start - 32):start],
                       suffix=text[start + len(quote):start + len(quote) + 32], claim=f"Claim {c}.",
                       exposure="product", population="humans",
                       certainty="low", verdict="partly supported", rationale="Synthetic.")
            for dom in vocab.DOWNGRADE_DOMAINS:
                row[dom] = "not serious"
            for up in vocab.UPGRADE_DOMAINS:
                row[up] = "none"
            w.writerow(row)
            for k in {c % refs, (c * 7 + 3) % refs}:
                links.append((f"c{c}", f"r{k}"))
    cited = {r for _, r in links}
    links += [(f"c{r % claims}", f"r{r}") for r in range(refs) if f"r{r}" not in cited]
    with (root / "evidence.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["claim", "reference", "stance", "exposure", "outcome_kind", "outcome", "source_location", "finding"])
        for c, r in dict.fromkeys(links):
            w.writerow([c, r, "supports", "product", "effect", "sleep onset", "abstract: results", "Synthetic finding."])


def vocab_topic(c: int) -> str:
    return ("sedation", "anxiety", "pain", "dosage")[c % 4]


def measure(root: Path, what: str) -> dict:
    """Run one step in a fresh interpreter so max RSS belongs to that step alone."""
    code = f"""
import json, resource, sys, time
t = time.perf_counter()
from evidencebench import load_review
review = load_review({str(root)!r})
problems = review.check()
out = {{"load_check_s": time.perf_counter() - t, "problems": len(problems)}}
if {what!r} == "report":
    from evidencebench.report import build_report
    t = time.perf_counter()
    build_report(review, __import__("pathlib").Path({str(root)!r}) / "reports", pdf=False)
    out["report_s"] = time.perf_counter() - t
out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--report-at", type=int, default=10_000, help="also time `report` at this size (0: never)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, max RSS of this process before: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"{'claims':>8} {'refs':>6} {'docs':>5} {'load+check s':>13} {'peak MiB':>9} {'report s':>9} problems")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "review"
            t = time.perf_counter()
            generate(root, n, max(n // 2, 1), 200)
            gen = time.perf_counter() - t
            what = "report" if n == args.report_at else "check"
            r = measure(root, what)
            if "error" in r:
                print(f"{n:>8} error: {r['error']}")
                continue
            rep = f"{r['report_s']:.1f}" if "report_s" in r else "-"
            print(f"{n:>8} {n // 2:>6} {200:>5} {r['load_check_s']:>13.2f} {r['peak_mib']:>9.0f} {rep:>9} {r['problems']}"
                  f"   (generated in {gen:.1f} s)")


if __name__ == "__main__":
    main()
