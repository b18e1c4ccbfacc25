"""The PRISMA 2020 flow diagram: numbers computed from the data that add up, drawn the same every time.

A test fails when the numbers do not reconcile (identified − duplicates − others = screened;
screened − excluded = sought; sought − not retrieved = assessed; assessed − excluded = included;
included = references in refs/ that came through screening), when screening a record in or out
does not move them, and when the kratom review's migrated searches and screening records stop
matching what docs/methods.md reports.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest

from evidencebench import load_review
from evidencebench.intake.searchimport import import_search
from evidencebench.report import build_report
from evidencebench.report.prisma import prisma_figure, prisma_svg, prisma_view
from evidencebench.review.screening import read_screening, searches_of
from evidencebench.rules.screening import flow
from evidencebench.screening.promote import promote
from evidencebench.screening.sheets import ReviewerSheet, ScreeningDecision

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def reconcile(f) -> None:
    """The equations of the diagram, written out here so a change in `Flow.unreconciled` cannot hide one."""
    assert f.identified == sum(s.records for s in f.sources)
    assert f.identified - f.duplicates - f.removed_other == f.screened
    assert f.removed_other >= 0
    assert f.screened - f.excluded_screening - f.awaiting_screening == f.sought
    assert f.sought - f.not_retrieved == f.assessed
    assert f.assessed - f.excluded_full_text - f.awaiting_assessment == f.included
    assert f.included == f.in_refs
    assert f.unreconciled() == []


# -- the kratom review ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kratom():
    return load_review(ROOT)


def test_kratom_flow_numbers(kratom):
    f = flow(kratom)
    reconcile(f)
    assert (f.identified, f.duplicates, f.removed_other, f.screened) == (123, 6, 0, 117)
    assert (f.excluded_screening, f.sought, f.not_retrieved, f.assessed) == (12, 105, 35, 70)
    assert f.excluded_reasons == (("redundant", 12),) and f.included == 58
    assert [(s.source, s.records, s.searches, s.recorded) for s in f.sources] == [("store of public web pages", 123, 315, False)]
    assert f.reviewers == ("reviewer-1",) and not f.counts_recorded


def test_every_kratom_reference_came_through_screening(kratom):
    library = read_screening(ROOT).records
    included = {k for k, o in flow(kratom).outcomes.items() if o.status == "included"}
    assert included == set(kratom.references) == {k for k in kratom.references if k in library}


def test_kratom_searches_are_the_queries_of_the_methods(kratom):
    rows = [r.values for r in kratom.files["searches"].records]
    groups = {}
    for r in rows:
        groups[r["group"]] = groups.get(r["group"], 0) + 1
    assert groups == {"pharmacology": 56, "human": 50, "safety": 56, "sleep": 50, "verification-a": 56, "verification-c": 47}
    methods = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    section = methods[methods.index("## 3. Sources and searches") : methods.index("## 4. Inclusion and verification")]
    tabled = [q.replace("\\|", "|") for q in re.findall(r"^\| \d+ \| (.*) \|$", section, re.M)]
    assert tabled == [r["query"] for r in rows if r["group"] != "verification-c"]
    assert all(r["date"] == "2026-11-26" for r in rows if r["group"] != "verification-c")
    assert all(r["records"] == "" for r in rows), "counts were not recorded; none may be made up"


def test_kratom_left_out_references_are_records_with_their_reasons(kratom):
    """Every row of methods section 7 is a screening record with its reason as the decision's note,
    or one of the rows that name no record of their own (a duplicate, pages ignored by rule)."""
    methods = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    section = methods[methods.index("## 7. References considered and left out") : methods.index("## 8. Limits")]
    rows = [[c.strip() for c in re.split(r" \| ", r)] for r in re.findall(r"^\| (.*) \|$", section, re.M)][1:]
    sheet = (ROOT / "screening" / "reviewer-1.csv").read_text(encoding="utf-8")
    not_records = [r for r in rows if r[2].replace("`", "") not in sheet]
    assert [r[0][:25] for r in not_records] == [
        "Duplicate `garciaromeu202",
        'Vendor and blog pages on ',
        "Smith et al. 2022, J Addi",
        "Commercial and blog pages",
    ]
    library = read_screening(ROOT).records
    assert searches_of(library["garciaromeu2020kratom"]) == ("human", "safety")
    assert searches_of(library["smith2022assessment"]) == ("safety", "human")
    left_out = [k for k, o in flow(kratom).outcomes.items() if o.excluded]
    assert len(left_out) == 59 and all(not library[k].get("url") for k in left_out)


def test_kratom_check_and_flow_fail_when_a_reference_leaves_refs(tmp_path: Path):
    copy = tmp_path / "kratom"
    copy.mkdir()
    for name in ("pyproject.toml", "claims.csv", "evidence.csv", "searches.csv", "documents", "refs", "screening"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, copy / name)
    bib = copy / "refs" / "sleep.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text[: text.index("@article{rosen2019chronic")], encoding="utf-8")  # its last entry is gone
    review = load_review(copy)
    assert "screening-not-promoted" in {p.code for p in review.check()}
    assert flow(review).unreconciled() == ["included = included records in refs/: 58 ≠ 57"]


# -- screening in and out moves the numbers --------------------------------------------------------------
@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    shutil.copytree(DATA / "valid", root)
    import_search(root, DATA / "import" / "library-pubmed.nbib", search="pubmed-1", query="kratom")
    import_search(root, DATA / "import" / "library-pubmed.ris", search="pubmed-2", source="PubMed", query="kratom")
    import_search(root, DATA / "import" / "embase.ris", search="embase-1", query="kratom")
    return root


def numbers(root: Path) -> dict[str, object]:
    f = flow(load_review(root))
    reconcile(f)
    return {k: v for k, v in dataclasses.asdict(f).items() if k not in ("outcomes", "sources", "reviewers")}


def save(root: Path, *decisions: tuple[str, str, str, str]) -> None:
    ReviewerSheet(load_review(root), "ana").save([ScreeningDecision(*d) for d in decisions])


def test_screening_records_in_and_out_changes_the_diagram(library: Path):
    keys = list(read_screening(library).records)
    n = numbers(library)
    assert (n["identified"], n["duplicates"], n["screened"], n["awaiting_screening"], n["sought"]) == (8, 3, 5, 5, 0)
    save(library, (keys[0], "title-abstract", "exclude", "wrong population"))
    assert (numbers(library)["excluded_screening"], numbers(library)["awaiting_screening"]) == (1, 4)
    save(library, *((k, "title-abstract", "include", "") for k in keys[1:]))
    n = numbers(library)
    assert (n["sought"], n["awaiting_assessment"], n["assessed"]) == (4, 4, 4)
    save(library, (keys[1], "full-text", "exclude", "not retrieved"), (keys[2], "full-text", "exclude", "wrong outcome"))
    n = numbers(library)
    assert (n["not_retrieved"], n["assessed"], n["excluded_reasons"]) == (1, 3, (("wrong outcome", 1),))
    save(library, (keys[3], "full-text", "include", ""), (keys[4], "full-text", "include", ""))
    with pytest.raises(AssertionError):
        numbers(library)  # included, but not yet references: the flow does not add up
    promote(load_review(library))
    n = numbers(library)
    assert (n["included"], n["in_refs"], n["awaiting_assessment"]) == (2, 2, 0)
    save(library, (keys[0], "title-abstract", "include", ""))  # screened back in
    n = numbers(library)
    assert (n["excluded_screening"], n["sought"], n["awaiting_assessment"]) == (0, 5, 1)


def test_recorded_counts_make_other_removals_visible(library: Path):
    csv = library / "searches.csv"
    text = csv.read_text(encoding="utf-8")
    assert ",kratom,2" in text and text.count(",2,,\n") == 1  # embase-1 recorded the 2 records of its export
    csv.write_text(text.replace(",2,,\n", ",7,,\n"), encoding="utf-8")  # the database said 7: 5 were not exported
    f = flow(load_review(library))
    assert (f.identified, f.duplicates, f.removed_other, f.screened) == (13, 3, 5, 5)
    reconcile(f)


def test_unreconciled_numbers_are_named():
    f = flow(load_review(ROOT))
    broken = dataclasses.replace(f, assessed=f.assessed + 1)
    assert len(broken.unreconciled()) == 2
    assert dataclasses.replace(f, duplicates=f.duplicates + 1).unreconciled()


# -- the drawing -------------------------------------------------------------------------------------------
def test_the_svg_is_deterministic_self_contained_and_says_the_numbers(kratom):
    f = flow(kratom)
    svg = prisma_svg(f)
    assert svg == prisma_svg(flow(load_review(ROOT)))
    tree = ET.fromstring(svg)
    texts = " ".join(t.text or "" for t in tree.iter("{http://www.w3.org/2000/svg}text")).replace("\u00a0", " ")
    for phrase in ("Records screened (n = 117)", "Reports not retrieved (n = 35)", "Studies included in review (n = 58)",
                   "Duplicate records removed (n = 6)", "redundant (n = 12)", "not known *"):  # fmt: skip
        assert phrase in texts
    assert not re.search(r"(href|src)\s*=", svg) and svg.count("http") == 1  # the xmlns only
    assert "<image" not in svg and "<script" not in svg


def test_hostile_names_stay_text(library: Path):
    csv = library / "searches.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",Embase,", ',"<script>alert(1)</script>",'), encoding="utf-8")
    svg = prisma_svg(flow(load_review(library)))
    ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_a_review_without_searches_or_screening_has_no_diagram(tmp_path: Path):
    root = tmp_path / "review"
    shutil.copytree(DATA / "valid", root)
    review = load_review(root)
    assert prisma_view(review) is None and prisma_figure(review) is None
    page = build_report(review, tmp_path / "out", pdf=False)[0].read_text(encoding="utf-8")
    assert 'id="prisma"' not in page


def test_the_report_shows_the_diagram_in_html_and_pdf(library: Path, tmp_path: Path):
    from pypdf import PdfReader

    keys = list(read_screening(library).records)
    save(library, *((k, "title-abstract", "include", "") for k in keys))
    save(library, (keys[0], "full-text", "exclude", "wrong outcome"))
    written = build_report(load_review(library), tmp_path / "out", pdf=True)
    page = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    assert 'id="prisma"' in page and 'class="prisma-flow"' in page and "Reports excluded (n\u00a0=\u00a01):" in page
    pdf = next(p for p in written if p.suffix == ".pdf")
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.read_bytes())).pages))
    assert "PRISMA2020flow" in text and "Recordsscreened(n=5)" in text and "Reportsexcluded(n=1):" in text  # the drawing's text


def test_the_kratom_notebook_shows_the_diagram():
    notebook = json.loads((ROOT / "notebooks" / "overview.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert any("prisma_figure" in c for c in cells)
    figure = prisma_figure(load_review(ROOT))
    assert "included 58 (in refs/: 58)" in repr(figure) and "<svg" in figure._repr_html_()
