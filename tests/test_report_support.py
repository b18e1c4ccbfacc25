"""Builders of small and large reviews on disk for the report tests (no tests here).

`write_hostile_review` makes a tiny review whose every free-text field carries markup
and spreadsheet formulas; `write_synthetic_review` makes a large one for timing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from evidencebench.rating.rerate import rerate
from evidencebench.review import schema, vocab
from evidencebench.rules import grade
from evidencebench.rules.review import Review, load_review

XSS = "<script>alert(1)</script>"
CELL_BREAK = "</td>"

DOC_TEXT = (
    "Sleep aids are popular. "
    f"Kratom {XSS} makes you sleep {CELL_BREAK} within minutes, say fans. "
    "Take 5 g at bedtime for deep rest. "
    "Red vein kratom is the calmest kind.\n"
    "Nothing else is claimed here.\n"
)

QUOTES = {
    "x-01": f"Kratom {XSS} makes you sleep {CELL_BREAK} within minutes",
    "x-02": "Take 5 g at bedtime for deep rest.",
    "x-03": "Red vein kratom is the calmest kind.",
}

BIB = r"""@article{trial2020,
  author = {Doe, Jane and Roe, Richard},
  title = {A trial of kratom <script>alert(1)</script> for sleep </td> in {DNA}-tested adults},
  journal = {Journal of Sleep \& Rest},
  year = {2020},
  volume = {3},
  number = {2},
  pages = {10--20},
  doi = {10.1234/trial.2020},
  url = {https://example.org/trial},
  design = {rct},
  population = {humans},
  n = {40},
}

@article{mice2019,
  author = {Mouse, Mickey and M{\"u}ller, J{\"o}rg and others},
  title = {Sedation in mice},
  journal = {Animal Sleep},
  year = {2019},
  pmid = {1234567},
  url = {https://example.org/"><script>alert(2)</script>},
  design = {animal-experiment},
  population = {animals},
}

@article{survey2021,
  author = {Poll, Paula},
  title = {What users say about kratom colours},
  journal = {Survey Letters},
  year = {2021},
  doi = {10.1234/survey.2021},
  url = {https://example.org/survey},
  design = {cross-sectional},
  population = {humans},
  n = {500},
}
"""


PICO = {"exposure": "product", "outcome_kind": "effect", "outcome": "sleep onset", "source_location": "abstract: results"}
"""What every test link says its study examined (a kratom product, an effect in people)."""


def _csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buf.getvalue()


def _claim(cid: str, topic: str, claim_type: str, text: str, claim: str, **extra: str) -> dict[str, str]:
    start = text.index(QUOTES[cid])
    row = {
        "id": cid,
        "document": "doc",
        "topic": topic,
        "claim_type": claim_type,
        "quote": QUOTES[cid],
        "start": str(start),
        "end": str(start + len(QUOTES[cid])),
        "claim": claim,
        "exposure": "product",
        "population": "humans",
        **{d: "not serious" for d in vocab.DOWNGRADE_DOMAINS},
        **{u: "none" for u in vocab.UPGRADE_DOMAINS},
        "verdict": "insufficient evidence",
        "rationale": f"@risk {XSS} and {CELL_BREAK} in a rationale.",
    }
    row.update(extra)
    return row


def write_hostile_review(root: Path, style: str = "apa", with_git_ignore: bool = False) -> Path:
    """A tiny, `check`-clean review whose texts are full of markup and formulas."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "documents").mkdir(exist_ok=True)
    (root / "refs").mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(
        "[tool.evidencebench]\n"
        f'title = "Review of {XSS} claims {CELL_BREAK}"\n'
        'topics = ["sleep onset", "dosage", "colour", "unused topic"]\n'
        f'citation_style = "{style}"\n'
        'author = "Test <b>reviewers</b>"\n',
        encoding="utf-8",
    )
    if with_git_ignore:
        (root / ".gitignore").write_text("reports/\n")
    data = DOC_TEXT.encode("utf-8")
    (root / "documents" / "doc.txt").write_bytes(data)
    (root / "documents" / "index.csv").write_text(
        _csv(
            schema.DOCUMENTS.columns,
            [
                {
                    "id": "doc",
                    "file": "doc.txt",
                    "title": f"{XSS} Sleep {CELL_BREAK} article",
                    "accessed": "2026-01-02",
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "note": "Written for the tests.",
                }
            ],
        ),
        encoding="utf-8",
    )
    claims = [
        _claim(
            "x-01", "sleep onset", "efficacy", DOC_TEXT,
            f"In people, kratom {XSS} brings on sleep {CELL_BREAK} within minutes.",
            imprecision="serious", imprecision_reason=f"=SUM(A1) one small trial {CELL_BREAK}",
        ),
        _claim("x-02", "dosage", "dosage", DOC_TEXT, "Five grams of kratom at bedtime gives deep sleep."),
        _claim("x-03", "colour", "efficacy", DOC_TEXT, "Red-vein kratom sedates more than other kinds."),
    ]
    (root / "claims.csv").write_text(_csv(schema.CLAIMS.columns, claims), encoding="utf-8")
    links = [
        {"claim": "x-01", "reference": "trial2020", "stance": "supports", **PICO,
         "finding": f'=HYPERLINK("http://evil.example") {XSS} slept sooner {CELL_BREAK}'},
        {"claim": "x-01", "reference": "mice2019", "stance": "indirect", **PICO, "finding": "+Mice slept more."},
        {"claim": "x-03", "reference": "survey2021", "stance": "contradicts", **PICO, "outcome_kind": "perceived effect",
         "finding": "-Users reported no difference between colours."},
    ]
    (root / "evidence.csv").write_text(_csv(schema.EVIDENCE.columns, links), encoding="utf-8")
    (root / "refs" / "x.bib").write_text(BIB, encoding="utf-8")
    rerate(load_review(root))
    return root


def load_clean(root: Path) -> Review:
    review = load_review(root)
    problems = review.check()
    assert not problems, "\n".join(map(str, problems))
    return review


def write_synthetic_review(root: Path, n_claims: int, n_refs: int, links_per_claim: int = 3) -> Path:
    """A large review for timing: one document, n_claims claims, each linked to a few of n_refs refs."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "documents").mkdir(exist_ok=True)
    (root / "refs").mkdir(exist_ok=True)
    sentences = [f"Kratom claim number {i} says it helps sleep in way {i % 7}. " for i in range(n_claims)]
    text = "".join(sentences)
    data = text.encode("utf-8")
    (root / "documents" / "doc.txt").write_bytes(data)
    (root / "documents" / "index.csv").write_text(
        _csv(schema.DOCUMENTS.columns, [{"id": "doc", "file": "doc.txt", "title": "Synthetic",
                                         "accessed": "2026-01-01", "sha256": hashlib.sha256(data).hexdigest()}])
    )
    designs = ["rct", "cohort", "animal-experiment", "cross-sectional", "in-vitro", "case-series"]
    populations = {"animal-experiment": "animals", "in-vitro": "cells"}
    bib = []
    for r in range(n_refs):
        design = designs[r % len(designs)]
        bib.append(
            f"@article{{ref{r},\n  author = {{Author{r % 97}, A. and Second, B. and Third, C.}},\n"
            f"  title = {{Study {r} of kratom and sleep}},\n  journal = {{Journal {r % 13}}},\n"
            f"  year = {{{2000 + r % 25}}},\n  volume = {{{r % 40}}},\n  pages = {{{r}--{r + 9}}},\n"
            f"  doi = {{10.5555/syn.{r}}},\n  url = {{https://example.org/ref{r}}},\n"
            f"  design = {{{design}}},\n  population = {{{populations.get(design, 'humans')}}},\n}}\n"
        )
    (root / "refs" / "synthetic.bib").write_text("\n".join(bib))
    stances = ["supports", "supports", "contradicts", "indirect"]
    claims, links = [], []
    offset = 0
    topics = ("sedation", "anxiety", "pain", "dosage")
    for i, sentence in enumerate(sentences):
        quote = sentence.strip()
        cid = f"s-{i:05d}"
        infos = []
        for k in range(links_per_claim if i % 10 else 0):  # every tenth claim has no evidence
            r = (i + k * 7919) % n_refs
            design = designs[r % len(designs)]
            # animal and cell studies are indirect for a claim about people
            stance = stances[(i + k) % len(stances)] if design not in populations else "indirect"
            links.append({"claim": cid, "reference": f"ref{r}", "stance": stance, **PICO,
                          "finding": f"Finding {k} for claim {i}."})
            infos.append(grade.StudyInfo(f"ref{r}", design, populations.get(design, "humans"), stance))
        judgments = {**{d: "not serious" for d in vocab.DOWNGRADE_DOMAINS}, **{u: "none" for u in vocab.UPGRADE_DOMAINS}}
        rating = grade.rate(infos, judgments)
        claims.append({
            "id": cid, "document": "doc", "topic": topics[i % 4], "claim_type": "efficacy", "quote": quote,
            "start": str(offset), "end": str(offset + len(quote)), "claim": f"Kratom helps sleep ({i}).",
            "exposure": "product", "population": "humans",
            **judgments, "certainty": rating.certainty or "", "verdict": rating.verdict,
            "rationale": f"Rationale {i}. Second sentence.",
        })
        offset += len(sentence)
    (root / "claims.csv").write_text(_csv(schema.CLAIMS.columns, claims))
    (root / "evidence.csv").write_text(_csv(schema.EVIDENCE.columns, links))
    return root
