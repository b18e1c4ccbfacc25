# One-off: merge the helpers' research/*.bib into refs/<theme>.bib without duplicates.
import re, sys
sys.path.insert(0, "src")
from evidencebench.references import BibFile, parse_and_collect, normalise_title
from pathlib import Path

themes = ["pharmacology", "human", "safety", "sleep"]
raw_blocks = {}
entries = []
for t in themes:
    text = Path(f"research/{t}.bib").read_text(encoding="utf-8")
    bf = BibFile(Path(t), t); parse_and_collect(text, bf)
    assert not bf.problems, bf.problems
    blocks = re.split(r"\n(?=@)", text.strip())
    for b in blocks:
        key = re.match(r"@\w+\{([^,]+),", b).group(1)
        raw_blocks[(t, key)] = b.strip()
    for r in bf.references:
        entries.append((t, r))
alias = {"unknown2018severity": "anon2018severity"}
chosen = {}
order = []
def ident(r):
    return r.doi or r.pmid or normalise_title(r.get("title"))
for t, r in entries:
    k = alias.get(r.key, r.key)
    i = ident(r)
    if i in chosen:
        ct, cr = chosen[i]
        if len(r.fields) > len(cr.fields):
            chosen[i] = (ct, r)  # keep the file where it first appeared, richer fields
            raw_blocks[(ct, cr.key)] = raw_blocks[(t, r.key)]
        print("dup", r.key, "->", chosen[i][1].key, file=sys.stderr)
        continue
    chosen[i] = (t, r); order.append(i)
out = {t: [] for t in themes}
for i in order:
    t, r = chosen[i]
    blk = raw_blocks[(t, r.key)]
    oldkey = re.match(r"@\w+\{([^,]+),", blk).group(1)
    blk = blk.replace("{" + oldkey + ",", "{" + alias.get(oldkey, oldkey) + ",", 1)
    out[t].append(blk)
Path("refs").mkdir(exist_ok=True)
for t, blocks in out.items():
    Path(f"refs/{t}.bib").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    print(t, len(blocks))
