"""Which sentences make a checkable health claim, and what kind of claim.

A transparent rule set rather than a trained model: a reviewer can read why a sentence
was proposed (`reason`), and a missed claim is fixed by adding a cue here. Every cue is
a regular expression on the lower-cased sentence; a sentence is a claim when it holds a
cue of one of the families below and is not boilerplate (questions, calls to action,
site furniture). Hedged claims are kept: "may help" is still a claim a reader takes home,
so the hedge is recorded rather than used to drop the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT = r"(?:mg|milligrams?|g|grams?|mcg|µg|ml|iu|capsules?|tablets?|pills?|gummies|teaspoons?|tsp|tablespoons?|tbsp|drops|servings?)"

CUES: dict[str, tuple[str, ...]] = {
    "dose": (
        rf"\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?\s*{_UNIT}\b",
        r"\bdos(?:e|es|age|ages|ing)\b",
        r"\bhours? before\b",
        r"\bbefore bed(?:time)?\b",
        r"\b(?:per|a|each) day\b",
        r"\bdaily\b",
        r"\b(?:once|twice|three times) (?:a|per) (?:day|week)\b",
        r"\bstart(?:ing)? (?:with a )?low\b",
    ),
    "safety": (
        r"\bsafe(?:ty|ly|r)?\b",
        r"\bside[- ]effects?\b",
        r"\badverse\b",
        r"\brisks?\b",
        r"\btoxic",
        r"\boverdos",
        r"\baddict",
        r"\bdependen",
        r"\bwithdrawal\b",
        r"\bharm",
        r"\bdanger",
        r"\bcaution\b",
        r"\bpregnan",
        r"\bbreastfeed",
        r"\bcontraindicat",
        r"\bexcessive\b",
        r"\bunwanted\b",
        r"\bliver\b",
        r"\btolerat",
        r"\b(?:diarrh|nausea|vomit|headaches?\b|dizz|constipat|stomach upset|upset stomach|palpitation)",
        r"\bavoid\b",
        r"\bexceed\b",
        r"\bshould not (?:take|use)\b",
        r"\b(?:kidney|heart|liver) (?:disease|problems?|injury|damage|failure)\b",
        r"\b(?:medical|doctor'?s|physician'?s) advice\b",
        r"\binteract(?:s|ions?)? with (?:medications?|drugs|medicines?|alcohol)\b",
        r"\b(?:guidance|advice) of (?:a|your) (?:doctor|physician|healthcare)",
        r"\bconsult (?:a|your) (?:doctor|physician|healthcare)",
    ),
    "effect": (
        r"\bhelp(?:s|ed|ing|ful)?\b",
        r"\bpromot",
        r"\binduc",
        r"\bimprov",
        r"\breduc",
        r"\brelie(?:f|ve|ves|ving)\b",
        r"\balleviat",
        r"\beas(?:e|es|ing|ier)\b",
        r"\bboost",
        r"\benhanc",
        r"\bsupports?\b",
        r"\beffective(?:ness)?\b",
        r"\bbenefi",
        r"\btreat",
        r"\bprevent",
        r"\bcures?\b",
        r"\bcalming\b",
        r"\bsooth",
        r"\brestor",
        r"\bregulat",
        r"\bprotect",
        r"\b(?:fall|falls|falling) asleep\b",
        r"\b(?:linked|tied) to\b",
        r"\bassociated with\b",
        r"\bcorrelat",
        r"\b(?:less|fewer|better|calmer|deeper|faster|sooner)\b",
        r"\b(?:customers?|users?|reviewers?|buyers?) (?:say|says|report|reports|swear)\b",
        r"\bsays (?:one|a|another) (?:customer|user|reviewer|buyer)\b",
        r"\bsedative\b",
        r"\banalges",
        r"\bworks?\b",
        r"\blead(?:s)? to\b",
        r"\bhinder",
        r"\bdisrupt",
        r"\binterfere",
        r"\blower(?:s|ed|ing)?\b",
        r"\bincreas",
        r"\bdecreas",
        r"\bshorten",
    ),
    "mechanism": (
        r"\binteract",
        r"\bbind",
        r"\breceptors?\b",
        r"\bneurotransmitter",
        r"\bactivat",
        r"\binhibit",
        r"\bblock(?:s|ing)?\b",
        r"\bagonist",
        r"\bantagonist",
        r"\bmodulat",
        r"\binfluenc",
        r"\bstimulat",
        r"\bmechanism",
        r"\bpathways?\b",
        r"\bhormones?\b",
        r"\bgaba\b",
        r"\bserotonin\b",
        r"\bdopamine\b",
        r"\bcortisol\b",
        r"\bmelatonin\b",
        r"\bnervous system\b",
    ),
    "composition": (
        r"\bcontain",
        r"\brich in\b",
        r"\bsource of\b",
        r"\bcompounds?\b",
        r"\balkaloids?\b",
        r"\bingredients?\b",
        r"\bderived from\b",
        r"\bmade from\b",
        r"\bconsists? of\b",
        r"\bpacked with\b",
        r"\bhigh in\b",
    ),
    "prevalence": (
        r"\bpopular",
        r"\bcommon(?:ly)?\b",
        r"\bmany (?:people|individuals|users|adults|americans|consumers|of us)\b",
        r"\bmillions\b",
        r"\d+(?:\.\d+)?\s*(?:%|percent\b)",
        r"\bwidely\b",
        r"\bincreasingly\b",
        r"\bmost (?:people|adults|users)\b",
        r"\bprevalen",
        r"\bone in (?:three|four|five|ten)\b",
        r"\bgaining\b",
        r"\bknown for\b",
        r"\bstruggle",
        r"\btradition",
        r"\bcenturies\b",
        r"\bfor (?:over |more than )?[\d,]+ years\b",
    ),
}

HEDGES: tuple[str, ...] = (
    r"\bmay\b",
    r"\bmight\b",
    r"\bcan\b",
    r"\bcould\b",
    r"\bpotential(?:ly)?\b",
    r"\bpossibl[ey]\b",
    r"\bperhaps\b",
    r"\blikely\b",
    r"\bsuggests?\b",
    r"\bappears? to\b",
    r"\bseems? to\b",
    r"\bbelieve[sd]?\b",
    r"\bsaid to\b",
    r"\bclaimed to\b",
    r"\bthought to\b",
    r"\breportedly\b",
    r"\banecdotal(?:ly)?\b",
    r"\bsome (?:studies|research|evidence|users|people)\b",
    r"\btends? to\b",
    r"\btypically\b",
    r"\busually\b",
    r"\bgenerally\b",
)

_BOILERPLATE = re.compile(
    r"^(?:click|subscribe|sign up|buy|shop|order|read (?:on|more)|learn more|share|follow us|contact"
    r"|©|copyright|disclaimer|this article|in this article|last updated|written by|medically reviewed"
    r"|\[test fixture)",
    re.I,
)
_META = re.compile(r"\b(?:this (?:article|post|page|guide)|these statements have not been evaluated)\b", re.I)

_COMPILED = {family: tuple(re.compile(p) for p in pats) for family, pats in CUES.items()}
_HEDGES = tuple(re.compile(p) for p in HEDGES)

TYPE_ORDER: tuple[tuple[str, str], ...] = (
    ("safety", "safety"),
    ("dose", "dosage"),
    ("effect", "efficacy"),
    ("mechanism", "mechanism"),
    ("composition", "composition"),
    ("prevalence", "prevalence"),
)
"""Cue family -> claim type, in the order that decides a sentence holding several."""


@dataclass(frozen=True)
class Detection:
    """The detector's verdict on one sentence, with the evidence for it."""

    is_claim: bool
    cues: dict[str, tuple[str, ...]]  # family -> the words that matched
    hedges: tuple[str, ...]
    claim_type: str
    reason: str


def _found(patterns: tuple[re.Pattern[str], ...], text: str) -> tuple[str, ...]:
    seen: list[str] = []
    for pat in patterns:
        for m in pat.finditer(text):
            word = m.group(0).strip()
            if word not in seen:
                seen.append(word)
    return tuple(seen)


_INSTRUCTION = re.compile(
    r"(?:^|[,;:]\s*)(?:take|start|begin|try|use|increase|do not|don't|never|avoid)\b"
    r"|\brecommend|\bshould\b|\bbest taken\b",
)
_ABOUT_PRODUCT_FAMILIES = frozenset({"dose", "safety", "mechanism"})


def claim_type(lower: str, cues: dict[str, tuple[str, ...]], about_subject: bool) -> str:
    """The first family of TYPE_ORDER present decides, with two exceptions.

    A dose cue makes a dosage claim only in an instruction ("take 300 mg"), not in a
    report of what a trial gave. A sentence that names neither the product nor a dose,
    safety or mechanism, and has no figure, states background (what insomnia is, how
    common stress is), whatever its cues.
    """
    if not about_subject and not (cues.keys() & _ABOUT_PRODUCT_FAMILIES) and not re.search(r"\d", lower):
        return "background"
    for family, kind in TYPE_ORDER:
        if family not in cues:
            continue
        if family == "dose" and not _INSTRUCTION.search(lower) and len(cues) > 1:
            continue
        return kind
    return "background"


def detect(sentence: str, subject_terms: tuple[str, ...] = (), list_item: bool = False) -> Detection:
    """Decide whether `sentence` is a claim; `subject_terms` name what the document sells.

    List items on a product page are read as being about the product ("Deeper sleep").
    """
    text = sentence.strip()
    lower = text.lower()
    hedges = _found(_HEDGES, lower)
    if text.endswith("?"):
        return Detection(False, {}, hedges, "", "question, not an assertion")
    if _BOILERPLATE.match(text) or _META.search(text):
        return Detection(False, {}, hedges, "", "site text (call to action, disclaimer or meta)")
    if len(text.split()) < 4:
        return Detection(False, {}, hedges, "", "too short to assert anything")
    cues = {f: words for f, pats in _COMPILED.items() if (words := _found(pats, lower))}
    if not cues:
        return Detection(False, {}, hedges, "", "no effect, mechanism, dose, safety or prevalence cue")
    about = list_item or not subject_terms or mentions_subject(lower, subject_terms)
    kind = claim_type(lower, cues, about)
    reason = "; ".join(f"{family}: {', '.join(words)}" for family, words in cues.items())
    if kind == "background" and subject_terms:
        reason += "; not about " + "/".join(subject_terms)
    return Detection(True, cues, hedges, kind, reason)


_ANAPHORA = re.compile(r"\b(?:it|its|it’s|it's|they|their|these|this|such|the supplement|the herb|the product)\b")


def mentions_subject(lower: str, subject_terms: tuple[str, ...]) -> bool:
    """The sentence names the product, or points back to it ("it", "these strains")."""
    return any(t in lower for t in subject_terms) or bool(_ANAPHORA.search(lower))
