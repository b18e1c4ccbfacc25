# One-off: claims.csv from the seed with neutral judgments (the review then sets them).
import csv
from evidencebench import vocab
from evidencebench.schema import CLAIMS
rows=list(csv.DictReader(open('research/claims-seed.csv',encoding='utf-8')))
with open('claims.csv','w',newline='',encoding='utf-8') as fh:
    w=csv.DictWriter(fh,fieldnames=CLAIMS.columns,lineterminator='\n'); w.writeheader()
    for r in rows:
        d={c:'' for c in CLAIMS.columns}; d.update(r)
        for dd in vocab.DOWNGRADE_DOMAINS: d[dd]='not serious'
        for u in vocab.UPGRADE_DOMAINS: d[u]='none'
        d['verdict']='insufficient evidence'; d['rationale']='DRAFT'
        w.writerow(d)
