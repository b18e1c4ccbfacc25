"""The claim detector's rules (issue 14): whole words, cue families, quotations, pointing back,
the subject as context, topics said plainly; and the titles extract records."""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from evidencebench.intake.detect import detect, lexicon_pattern
from evidencebench.intake.extract import NO_TOPIC, extract, propose, topic_guess
from evidencebench.intake.segment import segment
from evidencebench.review import schema
from evidencebench.review.csvfile import read_csv
from evidencebench.review.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
VALERIAN = ("valerian",)
TODAY = date(2026, 1, 2)


# -- whole words ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "The plants are sold in containers at garden centres.",  # not "contain"
        "New regulations on herbal labels take effect next year.",  # not "regulate", not an effect
        "The Black Forest is home to many valerian plants.",  # not "rest"
        "Valerian tea is brewed from the dried root.",
        "Valerian is sold at the store.",  # names the product, asserts nothing checkable
    ],
)
def test_word_fragments_and_the_product_name_alone_are_no_claim(sentence):
    found = detect(sentence, VALERIAN)
    assert not found.is_claim, found.reason


def test_whole_words_still_match_their_inflections():
    assert detect("Valerian contains valerenic acid.", VALERIAN).cues["composition"] == ("contains",)
    assert detect("It helps regulate the sleep-wake cycle.", VALERIAN).cues["effect"] == ("helps", "regulate")


def test_the_product_name_is_context_not_a_cue():
    found = detect("Melatonin was discovered in 1958.", ("melatonin",))
    assert not found.is_claim
    # without a subject, the hormone's name is a mechanism cue as before
    assert detect("Melatonin levels rise in the evening.").cues["mechanism"] == ("melatonin",)
    # with it, a sentence about the product needs a cue of its own
    assert detect("Melatonin levels rise in the evening and help people fall asleep.", ("melatonin",)).is_claim


# -- cue families ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "family"),
    [
        ("Her review found weak positive findings for valerian.", "evidence"),
        ("The evidence was inconclusive.", "evidence"),
        ("Trials of the herb have produced mixed results.", "evidence"),
        ("Knowledge about valerian is limited because there have been few high-quality studies.", "evidence"),
        ("Two guidelines recommended against using melatonin for chronic insomnia.", "evidence"),
        ("Valerian was more effective than placebo in two trials.", "comparison"),
        ("Its effect resembles that of a mild sedative.", "comparison"),
        ("Valerian may combat the restlessness of a stressful day.", "effect"),
        ("Kava also produces a numbing sensation in the mouth.", "effect"),
        ("Do not combine valerian with alcohol or sedatives.", "safety"),
        ("It should not be taken along with alcohol or sedatives.", "safety"),
        ("Pregnant women should talk to a doctor before using valerian.", "safety"),
        ("Take it about two hours before bed.", "dose"),
    ],
)
def test_cue_families(sentence, family):
    found = detect(sentence, VALERIAN)
    assert found.is_claim and family in found.cues, found.reason
    assert f"{family}:" in found.reason


def test_safety_advice_with_no_risk_named_is_no_claim():
    assert not detect("Talk to your doctor.", VALERIAN).is_claim
    assert detect("Talk to your doctor before using valerian if you are pregnant.", VALERIAN).claim_type == "safety"


def test_hedges_are_kept_not_used_to_drop():
    found = detect("Studies suggest valerian may be modestly helpful for some people.", VALERIAN)
    assert found.is_claim and found.hedges == ("may", "suggest", "some people")


def test_use_and_prevalence_need_a_health_word():
    assert detect("Valerian has been used medicinally since the times of early Greece and Rome.", VALERIAN).is_claim
    assert detect("Today, valerian is used as a dietary supplement for insomnia.", VALERIAN).claim_type == "prevalence"
    found = detect("It has been used for centuries as a recreational and ceremonial drink.", VALERIAN)
    assert not found.is_claim and "no health word" in found.reason


def test_study_design_without_a_result_is_no_claim():
    found = detect("The study tested whether valerian reduced pain in people with knee osteoarthritis.", VALERIAN)
    assert not found.is_claim and found.reason.startswith("study design")
    assert not detect("Participants were randomly assigned to valerian or a placebo to test its effects.", VALERIAN).is_claim
    kept = detect("Celecoxib, a drug effective in managing pain, was also compared with placebo.", VALERIAN)
    assert kept.is_claim and "study design clause set aside" in kept.reason


# -- quotations, pointing back, site text ----------------------------------------------------------
def test_claims_inside_quotations():
    found = detect("“Valerian is no miracle, but for mild insomnia it is worth a try,” Dr. Smith said.", VALERIAN)
    assert found.is_claim and "quotation" in found.cues
    assert not detect("He called the shop “a treasure trove of odd jars and bottles,” she said.", VALERIAN).is_claim


def test_a_quotation_of_several_sentences_stays_one_segment():
    text = "“Kava works. It calmed me down within an hour,” she said. Then she left.\n"
    assert [s.text for s in segment(text)] == [
        "“Kava works. It calmed me down within an hour,” she said.",
        "Then she left.",
    ]


def test_citation_markers_stay_with_their_sentence():
    text = "Evidence for it remains weak.[1][4]\n\nIt is a plant.[2] In summer it flowers.[3]\n"
    assert [s.text for s in segment(text)] == [
        "Evidence for it remains weak.[1][4]",
        "It is a plant.[2]",
        "In summer it flowers.[3]",
    ]


@pytest.mark.parametrize("sentence", ["This can make it hard to sleep.", "It works.", "They may cause headaches."])
def test_short_claims_that_point_back(sentence):
    found = detect(sentence, VALERIAN)
    assert found.is_claim and "points back" in found.reason


@pytest.mark.parametrize(
    "sentence",
    [
        "It is.",
        "This fact sheet provides basic information about valerian, its usefulness and safety.",
        "To view the advisory, please visit the FDA web site at www.fda.gov.",
        "A spokesperson for the company declined to comment.",
        "Imagine waking up refreshed and free of pain every morning.",
        "The company was proud to announce a new valerian blend for better sleep.",
    ],
)
def test_site_public_relations_and_hypothetical_text_is_no_claim(sentence):
    assert not detect(sentence, VALERIAN).is_claim


# -- topics ---------------------------------------------------------------------------------------
def test_lexicon_entries_match_whole_words_and_plurals():
    pattern = lexicon_pattern(["rest", "anxi", "hour before", " mg", "dose"])
    assert pattern is not None
    for hit in ("rest", "restless", "restful", "anxiety", "anxious", "hours before", "an hour before", "300 mg", "dosing"):
        assert pattern.search(hit), hit
    for miss in ("forest", "restore", "restricted", "300 mgx"):
        assert not pattern.search(miss), miss


def test_topic_guess_says_plainly_when_no_topic_matches():
    settings = Settings()
    assert topic_guess("Take it two hours before going out.", "", settings)[0] == "dosage"
    topic, note = topic_guess("Glucosamine is sold in the Black Forest region.", "", settings)
    assert topic == "" and NO_TOPIC in note and "sedation, anxiety, pain, dosage" in note
    topic, note = topic_guess("It works within a week.", "Sleep and valerian", settings)
    assert topic == "sedation" and "section heading only" in note


def test_no_matching_topic_is_written_into_the_reason():
    text = "Glucosamine may reduce cartilage loss in the knee, one trial found.\n"
    [cand] = propose(text, "g", Settings())
    assert cand.topic == "" and f"topic: {NO_TOPIC}" in cand.detector_reason


# -- titles ------------------------------------------------------------------------------------------
def _row(root: Path, doc_id: str) -> dict[str, str]:
    index = read_csv(root / "documents" / "index.csv", "i", schema.DOCUMENTS)
    return next(r.values for r in index.records if r.values["id"] == doc_id)


def test_title_of_a_plain_text_is_its_first_heading_or_a_plain_fallback(valid_review: Path, tmp_path: Path):
    headed = tmp_path / "headed.txt"
    headed.write_text("Valerian for Sleep\nValerian may help some people sleep.\n", encoding="utf-8")
    result = extract(valid_review, headed, today=TODAY)
    assert _row(valid_review, "headed")["title"] == "Valerian for Sleep"
    assert any("took its first heading 'Valerian for Sleep'" in n for n in result.notes)

    bare = tmp_path / "bare-notes.txt"
    bare.write_text("[Copied from a forum post.] Valerian may help some people sleep.\n", encoding="utf-8")
    result = extract(valid_review, bare, today=TODAY)
    assert _row(valid_review, "bare-notes")["title"] == "bare-notes (no title found; named after its file)"
    assert any(n.startswith("title: none found") and "--title" in n for n in result.notes)

    given = tmp_path / "given.txt"
    given.write_text("Valerian may help some people sleep, a trial found.\n", encoding="utf-8")
    assert extract(valid_review, given, title="A given title", today=TODAY).notes == []
    assert _row(valid_review, "given")["title"] == "A given title"


# -- the measurement in docs/extract.md is the benchmark's ------------------------------------------
def test_docs_show_the_figures_the_benchmark_computes():
    spec = importlib.util.spec_from_file_location("extract_eval", ROOT / "benchmarks" / "extract_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    results = module.evaluate()
    table = "\n".join(module._table(results, markdown=True))
    docs = (ROOT / "docs" / "extract.md").read_text(encoding="utf-8")
    assert table in docs, "re-run `python benchmarks/extract_eval.py --markdown` and update docs/extract.md"
    overall = results["overall"]
    assert overall["detector"].f1 > overall["every sentence"].f1  # better than proposing every sentence
    figures = re.search(r"held out \(4\)\*\* \| (\d+) \| (\d+) \| (\d+) \|", docs)
    assert figures is not None
