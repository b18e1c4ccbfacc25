"""Review notebooks made from one template, so every topic notebook has the same shape.

`evidence notebook TOPIC` writes notebooks/<topic>.ipynb for a new topic; the cells only
call the package and assert, so a second review gets working notebooks without new code.
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNEL = {"name": "evidencebench", "display_name": "Python (evidencebench)", "language": "python"}

SETUP = """\
from IPython.display import Markdown, display

from evidencebench import load_review, tables

tables.setup_display()
review = load_review("..")
m = tables.model(review)
assert review.check() == [], review.check()  # the data is clean before we read it
review"""


OVERVIEW_VERDICT = "contradicted"
"""The verdict whose claims the overview lists as an example of `tables.claims_view`."""


def _notebook(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def topic_notebook(topic: str, intro: str = "", extra_cells: list | None = None) -> nbformat.NotebookNode:
    """A review notebook for one topic: claims, evidence, judgments, verdicts, summary."""
    cells = [
        new_markdown_cell(
            f"# Review: {topic}\n\n{intro or 'The claims of this topic, the studies that bear on each, the GRADE judgments and the verdicts.'}\n\n"
            "Every table below comes from the `evidencebench` package; this notebook only calls it and asserts. "
            "Quotes are the document's words, shown for review — not endorsed."
        ),
        new_code_cell(SETUP),
        new_markdown_cell("## The claims\n\nEach row is one atomic claim: the document's words, the claim restated so it can be tested, "
                          "the certainty of the evidence (GRADE) and the verdict."),
        new_code_cell(f'TOPIC = "{topic}"\ntables.claims_table(m, TOPIC)'),
        new_code_cell(
            "ids = list(review.claims.loc[review.claims['topic'] == TOPIC, 'id'])\n"
            "assert ids, f'no claims on {TOPIC}'\n"
            "assert list(tables.claims_table(m, TOPIC).index) == ids  # every claim of the topic is shown\n"
            "assert tables.strongest_verdict_allowed(m) == []  # no verdict stronger than its certainty allows\n"
            "len(ids)"
        ),
        new_markdown_cell("## Claim by claim\n\nFor each claim: its rating in one line, the studies linked to it (stance and what each found), "
                          "and the GRADE judgments with their reasons. Studies marked *indirect* are shown but not rated."),
        new_code_cell(
            "for cid in ids:\n"
            "    c = tables.claim_view(m, cid)\n"
            "    display(Markdown(f'### {cid}\\n\\n> {c.quote}\\n\\n**Restated:** {c.claim}\\n\\n**{tables.rating_line(m, cid)}**\\n\\n{c.rationale}'))\n"
            "    display(tables.studies_table(m, cid))\n"
            "    display(tables.judgments_table(m, cid))"
        ),
        *(extra_cells or []),
        new_markdown_cell("## Summary"),
        new_code_cell("print(tables.topic_summary(m, TOPIC))"),
    ]
    return _notebook(cells)


def overview_notebook() -> nbformat.NotebookNode:
    """The overview notebook: documents, verdicts by topic, the evidence map, a claims view, references."""
    cells = [
        new_markdown_cell("# Overview\n\nThe documents under review, how many claims each topic has, the verdicts, "
                          "and the evidence map (topic × certainty). Topic notebooks go claim by claim; "
                          "`rate.ipynb` is where a reviewer rates them."),
        new_code_cell(SETUP),
        new_markdown_cell("## Documents\n\nThird-party texts kept verbatim; empty URL or publisher means *not known*."),
        new_code_cell("review.documents_table()"),
        new_markdown_cell("## Verdicts by topic"),
        new_code_cell("tables.verdicts_by_topic(m)"),
        new_markdown_cell("## Evidence map\n\nHow many claims sit at each GRADE certainty level; *no rated evidence* means no study "
                          "supports or contradicts the claim directly."),
        new_code_cell("tables.evidence_map_figure(m)"),
        new_code_cell("assert tables.evidence_map(m).to_numpy().sum() == len(review.claims)\n"
                      "assert tables.strongest_verdict_allowed(m) == []"),
        new_markdown_cell(f"## Claims the evidence contradicts\n\n`tables.claims_view` lists claims to read, filtered by "
                          f"`topic`, `verdict` or `document` (`review.claims` is the raw frame of claims.csv). "
                          f"Here: the claims whose verdict is *{OVERVIEW_VERDICT}*."),
        new_code_cell(f"tables.claims_view(m, verdict={OVERVIEW_VERDICT!r})"),
        new_markdown_cell("## References\n\nEvery study cited, with the page it was checked against."),
        new_code_cell("review.reference_table()[['key', 'year', 'title', 'design', 'population', 'n', 'doi', 'url']]"),
    ]
    return _notebook(cells)


RATE_INTRO = """\
# Rate claims

One reviewer rates the claims, one at a time, **blinded**: for each claim you see the document's words in their
context, the claim restated, and the linked studies as bibliographic facts (title, design, population, n, the page
to check). You do not see the judgments, certainty or verdict in `claims.csv`, the stances or findings in
`evidence.csv`, or anyone else's sheet.

For each claim you record

- for **each linked study**: the stance it can carry for the claim (supports, contradicts, indirect), the exposure
  it studied, the kind of outcome, and (for supports and contradicts) what it measured and where on its page the
  finding is stated;
- the eight **GRADE judgments**, with a reason for every domain that lowers or raises certainty;
- the **verdict**, and why.

*Save this claim* writes your sheets `ratings/<you>.csv` and `ratings/<you>.links.csv` through the same safe
writes as the command line (only your rows change; a sheet changed on disk meanwhile is never overwritten).
Nothing is written until you press it. When two reviewers are done, `evidence agree --reviewer A --reviewer B`
measures their agreement and lists what to settle."""


def rating_notebook() -> nbformat.NotebookNode:
    """The rating notebook: a reviewer's form over `evidencebench.notebook.rating_form`."""
    cells = [
        new_markdown_cell(RATE_INTRO),
        new_code_cell(
            "from evidencebench import load_review, rating_form\n\n"
            'review = load_review("..")\n'
            'REVIEWER = ""  # your name as on your sheet (e.g. "reviewer-3"), or type it into the form'
        ),
        new_markdown_cell("## The form\n\nRun the notebook (*Run → Run All Cells*), enter your name, then pick a claim, "
                          "read it, fill in every field and press *Save this claim*. A claim marked ✓ is on your sheet "
                          "already; opening it shows what you saved, to revise."),
        new_code_cell("form = rating_form(review, reviewer=REVIEWER)\nform"),
        new_markdown_cell("## Your progress\n\nThe claims on your sheet so far (run this cell again after saving)."),
        new_code_cell("sorted(form.sheets.ratings()) if form.sheets else 'no reviewer named yet'"),
    ]
    return _notebook(cells)
