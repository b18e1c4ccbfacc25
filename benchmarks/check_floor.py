"""Benchmark: `check` against the floor of its own work, measured in the same run.

The floor is the least any checker must do on the same review: read the three CSV files with
pandas, parse every BibTeX file with bibtexparser, read every document and find each quote in it.
`check` does that and applies every rule; the ratios say what the rules cost on top.

    python benchmarks/check_floor.py                  # 10k and 100k claims, best of 3 runs each
    python benchmarks/check_floor.py --sizes 10000 --runs 5

Each measurement runs in a fresh interpreter, so peak memory (max RSS) belongs to that work alone;
the interpreter start and imports are left out of the time and are the same for both sides.
`check` pauses Python's cycle collector while it loads and checks (see evidencebench/review/pause.py);
the last two columns compare it with the floor paused the same way too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import generate  # the same synthetic review as the other benchmarks

FLOOR = """
import json, resource, sys, time
from pathlib import Path
import bibtexparser, pandas as pd
import evidencebench  # same imports as the check side, so only the work differs
root = Path(sys.argv[1])
t = time.perf_counter()
frames = {name: pd.read_csv(root / name, dtype=str, keep_default_na=False)
          for name in ("documents/index.csv", "claims.csv", "evidence.csv")}
for bib in sorted((root / "refs").glob("*.bib")):
    bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
texts = {row.id: (root / "documents" / row.file).read_text(encoding="utf-8")
         for row in frames["documents/index.csv"].itertuples()}
claims = frames["claims.csv"]
found = 0
for doc, quote, start in zip(claims["document"], claims["quote"], claims["start"]):
    text = texts[doc]
    s = int(start)
    found += text.startswith(quote, s) or text.find(quote) >= 0
elapsed = time.perf_counter() - t
print(json.dumps({"s": elapsed, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "found": found}))
"""

FLOOR_PAUSED = FLOOR.replace("t = time.perf_counter()", "import gc; gc.disable()\nt = time.perf_counter()", 1)
"""The same floor with the cycle collector paused, as `check` pauses it: the fairest comparison."""

CHECK = """
import json, resource, sys, time
from evidencebench import load_review
t = time.perf_counter()
problems = load_review(sys.argv[1]).check()
elapsed = time.perf_counter() - t
print(json.dumps({"s": elapsed, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "problems": len(problems)}))
"""


def run(code: str, root: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"benchmark step failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per side; the best (least) time and memory count")
    args = parser.parse_args()
    print(
        f"{'claims':>8} {'floor s':>8} {'check s':>8} {'time ratio':>10} {'floor MiB':>10} {'check MiB':>10} "
        f"{'memory ratio':>12} {'paused floor s':>14} {'its ratio':>9}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "review"
            generate(root, n, max(n // 2, 1), 200)
            floors, paused, checks = [], [], []
            for _ in range(args.runs):  # alternate, so drift on the machine hits every side alike
                floors.append(run(FLOOR, root))
                paused.append(run(FLOOR_PAUSED, root))
                checks.append(run(CHECK, root))
            if any(c["problems"] for c in checks):
                print(f"  note: check found {checks[0]['problems']} problem(s) in the synthetic review")
            f_s, p_s, c_s = (min(x["s"] for x in side) for side in (floors, paused, checks))
            f_m, c_m = min(f["peak_mib"] for f in floors), min(c["peak_mib"] for c in checks)
            print(
                f"{n:>8} {f_s:>8.2f} {c_s:>8.2f} {c_s / f_s:>9.2f}x {f_m:>10.0f} {c_m:>10.0f} {c_m / f_m:>11.2f}x "
                f"{p_s:>14.2f} {c_s / p_s:>8.2f}x"
            )
    print(f"(best of {args.runs} runs per side, each in a fresh interpreter; {time.strftime('%Y-%m-%d')})")


if __name__ == "__main__":
    main()
