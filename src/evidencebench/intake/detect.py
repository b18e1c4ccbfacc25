"""Which sentences make a checkable health claim, and what kind of claim.

A transparent rule set rather than a trained model: a reviewer can read why a sentence
was proposed (`reason`), and a missed claim is fixed by adding a cue here. Every cue is a
regular expression matched as whole words on the lower-cased sentence ("contain" does not
fire inside "containers", "regulate" not inside "regulations").

Cue families are of two strengths:

- **strong**: an effect, a mechanism, a safety warning, a dose, a study result or the state
  of the evidence, a comparison, or a quotation about a health outcome. One is enough.
- **weak**: composition ("contains alkaloids") and prevalence or use ("popular", "used for
  centuries"). These need context: a health word in the sentence (sleep, anxiety, remedy,
  symptoms ...), or, for composition, the sentence being about the document's subject.

The document's subject (the product it is about) is context, never a cue: a sentence is not
a claim because it names the product, and a cue word that is the product's own name (e.g.
"melatonin" in an article about melatonin) does not count.

Sentences are dropped when they are questions, site furniture (calls to action, navigation,
links, disclaimers, statements about the document itself), public-relations or hypothetical
framing, or study design with no result ("participants were randomly assigned ...": the
design clause is set aside before cues are looked for). Hedged claims are kept: "may help"
is still a claim a reader takes home, so the hedge is recorded rather than used to drop it.
Short sentences that point back ("This can make it hard to sleep.") are kept when they hold
a strong cue; the reason says that the claim's subject is in the sentence before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def _words(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Whole-word patterns: a match may not start or end inside a word."""
    return tuple(re.compile(rf"(?<!\w)(?:{p})(?!\w)") for p in patterns)


_UNIT = r"(?:mg|milligrams?|g|grams?|mcg|µg|ml|iu|capsules?|tablets?|pills?|gummies|teaspoons?|tsp|tablespoons?|tbsp|drops|servings?)"
_HEALTH_PRO = r"(?:doctor|physician|pharmacist|nurse|health ?care (?:provider|practitioner|professional)|healthcare (?:provider|practitioner|professional)|health (?:provider|practitioner|professional))"

STRONG: dict[str, tuple[str, ...]] = {
    "dose": (
        rf"\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?\s*{_UNIT}",
        r"dos(?:e|es|age|ages|ing)",
        r"(?:an |one |two |three |\d+ )?(?:hours?|minutes) before",
        r"before (?:bed|bedtime)",
        r"(?:per|a|each) day",
        r"daily",
        r"(?:once|twice|three times) (?:a|per) (?:day|week|night)",
        r"start(?:ing)? (?:with a )?low",
    ),
    "safety": (
        r"safe|safer|safely|safety|unsafe",
        r"side[- ]effects?",
        r"adverse",
        r"risks?|risky",
        r"toxic|toxicity|hepatotoxic(?:ity)?",
        r"overdos(?:e|es|ed|ing)",
        r"addict(?:ion|ive|ed|s)?",
        r"dependen(?:ce|cy|t)",
        r"withdrawal",
        r"abuse",
        r"harm(?:s|ed|ful)?",
        r"danger(?:s|ous)?",
        r"caution|cautious(?:ly)?",
        r"pregnan(?:t|cy|cies)",
        r"breast-?feeding|nursing mothers",
        r"contraindicat(?:ed|ion|ions)",
        r"excessive",
        r"unwanted",
        r"fatal",
        r"tolerat(?:e|es|ed|ing)|well[- ]tolerated",
        r"diarrh(?:ea|oea)|nausea|vomit(?:ing)?|headaches?|dizz(?:y|iness)|constipation|stomach upset|upset stomach|palpitations?|itching|rash(?:es)?",
        r"avoid(?:s|ed|ing)?",
        r"exceed(?:s|ed|ing)?",
        r"should not (?:be )?(?:take|taken|use|used|combine|combined|mix|mixed)",
        r"(?:do|does|must) not (?:take|use|combine|mix|drive|exceed)",
        r"never (?:take|use|combine|mix)",
        r"(?:kidney|heart|liver) (?:disease|problems?|injury|damage|failure)",
        r"liver",
        r"(?:medical|doctor'?s|physician'?s) advice",
        r"interact(?:s|ions?)? with (?:\w+ ){0,3}?(?:medications?|drugs|medicines?|alcohol|sedatives?|other)",
        rf"(?:guidance|advice) of (?:a|your) {_HEALTH_PRO}",
        rf"consult (?:a|your|with a|with your) {_HEALTH_PRO}",
        r"hospitali[sz](?:ed|ation|ations)",
        r"poison(?:ing|ings|ed)?",
    ),
    "effect": (
        r"help(?:s|ed|ing|ful)?",
        r"promot(?:e|es|ed|ing)",
        r"induc(?:e|es|ed|ing|tion)",
        r"improv(?:e|es|ed|ing|ement|ements)",
        r"reduc(?:e|es|ed|ing|tion|tions)",
        r"relie(?:f|ve|ves|ved|ving)",
        r"alleviat(?:e|es|ed|ing)",
        r"eas(?:e|es|ed|ing|ier)",
        r"boost(?:s|ed|ing)?",
        r"enhanc(?:e|es|ed|ing)",
        r"support(?:s|ed|ing)?",
        r"effective(?:ly|ness)?|efficacy|efficacious",
        r"benefi(?:t|ts|ted|ting|cial)",
        r"treat(?:s|ed|ing)?",
        r"prevent(?:s|ed|ing|ion)?",
        r"cur(?:e|es|ed|ing)",
        r"calming",
        r"sooth(?:e|es|ed|ing)",
        r"restor(?:e|es|ed|ing|ative)",
        r"regulat(?:e|es|ed|ing)",
        r"protect(?:s|ed|ing|ive)?",
        r"(?:fall|falls|falling|fell) asleep",
        r"(?:linked|tied) to",
        r"associated with",
        r"correlat(?:e|es|ed|ing|ion)",
        r"less|fewer|better|calmer|deeper|faster|sooner",
        r"(?:customers?|users?|reviewers?|buyers?) (?:say|says|report|reports|swear)",
        r"says (?:one|a|another) (?:customer|user|reviewer|buyer)",
        r"sedatives?|sedating|hypnotic|anxiolytic|analgesics?|relaxants?|euphori(?:a|c)",
        r"relax(?:es|ed|ing)?",
        r"works?|worked|working",
        r"leads? to",
        r"hinder(?:s|ed|ing)?",
        r"disrupt(?:s|ed|ing|ion)?",
        r"interfer(?:e|es|ed|ing|ence)",
        r"lower(?:s|ed|ing)?",
        r"increas(?:e|es|ed|ing)",
        r"decreas(?:e|es|ed|ing)",
        r"shorten(?:s|ed|ing)?",
        r"worsen(?:s|ed|ing)?",
        r"combat(?:s|ed|ing|ting)?|counteract(?:s|ed|ing)?",
        r"caus(?:e|es|ed|ing)",
        r"(?<!\btake )(?<!\btakes )(?<!\btook )(?<!\btaking )(?<!\bin )(?<!\binto )effects?",
        r"produc(?:e|es|ed|ing) (?:\w+ ){0,3}?(?:effects?|sensations?|feelings?|relief|sedation|euphoria|drowsiness)",
        r"(?:make|makes|making|made) (?:it |you |people |them |one )?(?:hard|harder|easier|easy|difficult|impossible) to",
        r"keeps? (?:you |people |them )?(?:awake|up at night)",
        r"useful(?:ness)?",
        r"numb(?:s|ing|ness)?",
    ),
    "evidence": (
        r"(?:studies|study|research|trials?|reviews?|evidence|data|analys[ie]s|meta-analys[ie]s|experiments?|surveys?|report)"
        r" (?:\w+ ){0,3}?(?:found|finds?|show|shows|showed|shown|suggest|suggests|suggested|indicate|indicates|indicated"
        r"|reported|demonstrate|demonstrates|demonstrated|conclude|concluded|concludes|confirm|confirmed|estimated)",
        r"(?<!\bis )(?<!\bare )(?<!\bbe )(?<!\bwas )(?<!\bwere )(?<!\bbeen )found"
        r"(?! (?:in|on|at|naturally|throughout|only|mainly|mostly|primarily|around|across|worldwide|nearly)\b)",
        r"(?:has|have|had) (?:not )?(?:yet )?been (?:shown|proven|demonstrated|established|found|linked|associated|reported)",
        r"not (?:yet )?(?:been )?(?:established|proven)",
        r"(?:inconclusive|inconsistent|conflicting|contradictory|mixed|weak|strong|limited|little|insufficient|sufficient"
        r"|moderate|good|poor|robust|preliminary|promising|low-quality|high-quality|some|no|not enough|enough|scant)"
        r"(?: (?:positive|negative|quality|clinical|scientific))? (?:evidence|findings|results|data|support|proof)",
        r"(?:high|low|good|poor|better)[- ]quality (?:studies|trials|evidence|research)",
        r"(?:evidence|research|knowledge|data|information|science|findings|results) (?:\w+ ){0,6}?(?:is|are|was|were|remains?|remained)"
        r" (?:\w+ ){0,2}?(?:inconclusive|inconsistent|limited|lacking|scarce|sparse|weak|unclear|mixed|conflicting|insufficient"
        r"|strong|clear|preliminary|promising)",
        r"inconclusive",
        r"no (?:information|data) (?:is|are) available",
        r"results? (?:were|was|are|is) (?:mixed|positive|negative|inconclusive|promising|disappointing)",
        r"recommended against|(?:strongly|most|first-line|widely) recommended",
        r"guidelines? (?:recommend|advise|suggest|discourage)\w*",
        r"statistically significant|significant(?:ly)? (?:improv\w+|reduc\w+|increas\w+|decreas\w+|effects?|differences?|benefits?)",
        r"placebo-controlled|randomi[sz]ed controlled",
    ),
    "comparison": (
        r"(?<!\bwas )(?<!\bwere )(?<!\bbe )compared (?:with|to)",
        r"comparable to|similar to|resembl(?:e|es|ed|ing)",
        r"(?:more|less|better|worse|stronger|weaker|safer|slower|faster) than(?! (?:\d|a |an |one |two |three |half |twice ))",
        r"as (?:effective|good|safe|strong|potent|helpful) as",
        r"than (?:a |the )?placebo",
        r"outperform(?:s|ed|ing)?|superior to|inferior to",
    ),
    "mechanism": (
        r"interact(?:s|ed|ing|ion|ions)?",
        r"bind(?:s|ing)?|bound to",
        r"receptors?",
        r"neurotransmitters?",
        r"activat(?:e|es|ed|ing|ion)",
        r"inhibit(?:s|ed|ing|ion|ors?)?",
        r"block(?:s|ed|ing|ers?)?",
        r"agonists?|antagonists?",
        r"modulat(?:e|es|ed|ing|ion)",
        r"influenc(?:e|es|ed|ing)",
        r"stimulat(?:e|es|ed|ing|ion)",
        r"mechanisms?",
        r"pathways?",
        r"hormones?",
        r"gaba\w*",
        r"serotonin|dopamine|norepinephrine|cortisol|melatonin",
        r"nervous system",
        r"half-life|metaboli[sz](?:e|es|ed|ing)|metabolism|absorb(?:s|ed)?|absorption|enzymes?",
        r"pharmacolog(?:y|ical)",
        r"(?:released|produced|secreted) by",
    ),
}
"""Families of which one cue is enough."""

WEAK: dict[str, tuple[str, ...]] = {
    "composition": (
        r"contain(?:s|ed|ing)?",
        r"rich in",
        r"source of",
        r"compounds?",
        r"alkaloids?",
        r"(?:active )?ingredients?",
        r"constituents?",
        r"packed with",
        r"high in",
    ),
    "prevalence": (
        r"popular(?:ity)?",
        r"common(?:ly)?",
        r"many (?:people|individuals|users|adults|americans|consumers|patients|of us)",
        r"millions",
        r"\d+(?:\.\d+)?\s*(?:%|percent)",
        r"widely",
        r"increasingly",
        r"most (?:people|adults|users)",
        r"prevalen(?:ce|t)",
        r"one in (?:three|four|five|ten)",
        r"gaining",
        r"known for",
        r"struggl(?:e|es|ed|ing)",
        r"tradition(?:al|ally)?",
        r"centuries",
        r"for (?:over |more than )?[\d,]+ years",
        r"rare(?:ly)?|frequent(?:ly)?",
        r"used (?:\w+ ){0,2}?(?:medicinally|therapeutically)",
        r"(?:used|using|taken|consumed|prescribed|valued|sold|promoted|given|employed|turning to)"
        r" (?:\w+ ){0,4}?(?:as|for|to treat|against)",
        r"(?:traditional|folk|herbal|ayurvedic|chinese|complementary|alternative|integrative) medicine",
        r"treatments? (?:for|of)",
        r"remed(?:y|ies)",
    ),
}
"""Families that need a health word in the sentence (composition: or the subject named)."""

HEALTH: tuple[str, ...] = (
    r"sleep\w*|asleep|insomnia|slumber|drows\w*|sedat\w*|jet lag|shift work",
    r"relax\w*|calm\w*|rest(?:s|ed|ful|less|lessness)?",
    r"anxi\w*|stress\w*|worr(?:y|ies)|mood|moods|depress\w*|panic|nervous\w*|tension|menopaus\w*|premenstrual",
    r"pain\w*|analges\w*|ache|aches|headaches?|migraines?|arthritis|osteoarthritis|joints?|muscles?|cramp\w*|inflammat\w*",
    r"symptoms?|disorders?|diseases?|conditions?|illness(?:es)?|sick\w*|health|healthy|wellbeing|well-being",
    r"medic\w*|remed(?:y|ies)|therap\w*|treatments?|cures?|patients?|clinical|placebo|supplements?|sleep aids?|herbal",
    r"liver|kidneys?|heart|blood pressure|cognit\w*|memory|fatigue|nausea|convulsions?|seizures?|immune|digest\w*",
)
"""Words that put a weak cue in a health context (the review's topic lexicon is added to these)."""

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
    r"\bproposed to\b",
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
    r"|©|copyright|disclaimer|this article|in this article|last updated?|updated|written by|medically reviewed"
    r"|skip to|back to|see also|related|advertisement|image|photo|credit|please (?:visit|see|click|call|contact)"
    r"|for (?:more|further|additional) information|find (?:more )?information|\[test fixture)",
    re.I,
)
_META = re.compile(
    r"\b(?:this (?:article|post|page|guide|fact ?sheet|website|site|publication|document|advisory|booklet|brochure"
    r"|section|video|podcast)|these statements have not been evaluated|for (?:more|further|additional) information"
    r"|please (?:visit|see|click|call|contact))\b|https?://|www\.",
    re.I,
)
_PUBLIC_RELATIONS = re.compile(
    r"\b(?:declined to comment|did not (?:immediately )?respond|could not be reached|press release|spokes(?:person|man|woman)"
    r"|(?:is|are|were|was) (?:proud|pleased|excited|thrilled|delighted) to|announced?|our (?:founder|team|mission|store"
    r"|shop|brand|newsletter|company))\b",
    re.I,
)
_HYPOTHETICAL = re.compile(r"^(?:imagine|picture yourself|what if|suppose|let's say|let’s say)\b", re.I)
_DESIGN = re.compile(
    r"(?<!\w)(?:(?:tested|test|testing|tests|evaluated?|evaluating|assess(?:ed|es)?|examined?|investigated?|determined?"
    r"|studied|asked|measured) whether|(?:was|were|is|are) designed to|designed to test|to (?:test|evaluate|assess|examine"
    r"|investigate|determine|compare|validate|measure|see whether|find out)|(?:was|were|are|is) (?:randomly )?assigned"
    r"|(?:was|were) (?:also )?compared (?:with|to)|(?:was|were) (?:randomi[sz]ed|enrolled|recruited))(?!\w)[^;]*",
)
"""A clause of study design: set aside before cues are looked for (it names outcomes, asserts none)."""

_COMPILED = {family: _words(*pats) for family, pats in {**STRONG, **WEAK}.items()}
_HEALTH = _words(*HEALTH)
_HEDGES = tuple(re.compile(p) for p in HEDGES)
_QUOTED = re.compile(r"[“\"]([^”\"]{8,})[”\"]")
_ATTRIBUTION = _words(
    r"says?|said|states?|stated|told|tells|explain(?:s|ed)|add(?:s|ed)|claim(?:s|ed)|according to|wrote|writes"
    r"|report(?:s|ed)|recall(?:s|ed)|swear(?:s)?"
)[0]
_NAMES = re.compile(r"(?<!\w)[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|on|in|&)\s+)?[A-Z][\w'’-]*)+")
"""Runs of capitalised words: names of institutions, books, places; their words are no cues
("National Center for Complementary and Alternative Medicine")."""
_POINTS_BACK = re.compile(r"^(?:this|that|these|those|it|they|such|both)\b", re.I)
_ANAPHORA = re.compile(r"\b(?:it|its|it’s|it's|they|their|these|this|such|the supplement|the herb|the product)\b")

TYPE_ORDER: tuple[tuple[str, str], ...] = (
    ("safety", "safety"),
    ("dose", "dosage"),
    ("effect", "efficacy"),
    ("comparison", "efficacy"),
    ("evidence", "efficacy"),
    ("quotation", "efficacy"),
    ("mechanism", "mechanism"),
    ("composition", "composition"),
    ("prevalence", "prevalence"),
)
"""Cue family -> claim type, in the order that decides a sentence holding several."""

CUES: dict[str, tuple[str, ...]] = {**STRONG, **WEAK}
"""Every cue family, strong and weak, as written (whole-word patterns)."""


@dataclass(frozen=True)
class Detection:
    """The detector's verdict on one sentence, with the evidence for it."""

    is_claim: bool
    cues: dict[str, tuple[str, ...]]  # family -> the words that matched
    hedges: tuple[str, ...]
    claim_type: str
    reason: str


_INFLECTION = r"(?:s|es|ed|d|ing|er|ers|est|ful|fully|less|lessness|ness|ly|y|ier|iest|iness)?"


def lexicon_pattern(entries: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for a topic lexicon's entries, matched as words, never inside a word.

    An entry matches at the start of a word, so "rest" never fires inside "Forest". A short
    entry that reads as a word of its own (four letters or fewer, ending in a consonant or
    "e": rest, calm, pain, dose) matches that word and its inflections (rests, restful,
    restless, painful, doses) but not longer words that merely begin with it (restore,
    restricted); longer entries and fragments such as "anxi" or "sedat" are stems and match
    any word they begin. In an entry of several words every word but the last may take a
    plural or verb ending, so "hour before" also matches "hours before".
    """
    parts = []
    for raw in entries:
        words = raw.strip().lower().split()
        if not words:
            continue
        pieces = [re.escape(w) + r"(?:s|es|ed|ing)?" for w in words[:-1]]
        last = words[-1]
        if len(last) <= 4 and last.isalpha() and last[-1] not in "aiouy":
            forms = [re.escape(last) + _INFLECTION]
            if last.endswith("e"):  # dose -> dosing, dosed; ache -> aching
                forms.append(re.escape(last[:-1]) + r"(?:ing|ed|er|ers)")
            pieces.append("(?:" + "|".join(forms) + ")")
        else:
            pieces.append(re.escape(last) + r"\w*")
        parts.append(r"\s+".join(pieces))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _found(patterns: Iterable[re.Pattern[str]], text: str, exclude: frozenset[str] = frozenset()) -> tuple[str, ...]:
    seen: list[str] = []
    for pat in patterns:
        for m in pat.finditer(text):
            word = m.group(0).strip()
            if word and not any(word in other for other in seen) and _base(word) not in exclude:
                seen = [other for other in seen if other not in word] + [word]
    return tuple(seen)


def _base(word: str) -> str:
    return word.lower().removesuffix("s")


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


def _quotation(text: str, health: re.Pattern[str] | None) -> str:
    """A quoted passage of three words or more that speaks of a health outcome, if any."""
    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        if len(inner.split()) >= 3 and (any(p.search(inner) for p in _HEALTH) or (health and health.search(inner))):
            return inner
    return ""


def detect(
    sentence: str,
    subject_terms: tuple[str, ...] = (),
    list_item: bool = False,
    outcomes: re.Pattern[str] | None = None,
) -> Detection:
    """Decide whether `sentence` is a claim; `subject_terms` name what the document is about.

    `outcomes` adds the review's own topic words (from its lexicon) to the health words that
    give weak cues their context. List items on a product page are read as being about the
    product ("Deeper sleep").
    """
    text = sentence.strip()
    lower = text.lower().replace("’", "'")
    hedges = _found(_HEDGES, lower)
    words = len(text.split())

    def no(reason: str) -> Detection:
        return Detection(False, {}, hedges, "", reason)

    if text.endswith("?"):
        return no("question, not an assertion")
    if _BOILERPLATE.match(text) or _META.search(text):
        return no("site text (call to action, navigation, disclaimer or about the document)")
    if _HYPOTHETICAL.match(text):
        return no("hypothetical framing, not an assertion")
    points_back = bool(_POINTS_BACK.match(text))
    if words < 2 or (words < 4 and not points_back):
        return no("too short to assert anything")

    exclude = frozenset(_base(t) for t in subject_terms)
    unnamed = _NAMES.sub(lambda m: " " * len(m.group(0)), text).lower().replace("’", "'")
    design = _DESIGN.search(unnamed)
    assertive = _DESIGN.sub(" ", unnamed) if design else unnamed
    cues = {f: found for f, pats in _COMPILED.items() if (found := _found(pats, assertive, exclude))}
    quoted = _quotation(text, outcomes)
    if quoted and (_ATTRIBUTION.search(lower) or words <= len(quoted.split()) + 2):
        cues["quotation"] = (f"“{_short(quoted)}”",)

    health = bool(_found(_HEALTH, assertive) or (outcomes and outcomes.search(assertive)))
    about = list_item or not subject_terms or mentions_subject(lower, subject_terms)
    names_subject = bool(subject_terms) and any(_word_in(t, lower) for t in subject_terms)
    strong = [f for f in cues if f not in WEAK]
    weak_ok = [f for f in cues if f in WEAK and (health or (f == "composition" and (names_subject or list_item)))]
    if not strong and not weak_ok:
        if design:
            return no("study design, no result: " + _short(design.group(0).strip()))
        if cues:
            families = ", ".join(cues)
            return no(f"only weak cues ({families}) with no health word" + (" or product named" if "composition" in cues else ""))
        return no("no effect, evidence, comparison, mechanism, dose, safety, composition or use cue")
    if _PUBLIC_RELATIONS.search(text) and not ({"safety", "evidence"} & cues.keys()):
        return no("public-relations text (announcement, company voice, no comment)")
    if words < 4 and not strong:
        return no("too short to assert anything")
    cues = {f: w for f, w in cues.items() if f in strong or f in weak_ok}
    kind = claim_type(lower, cues, about)
    reason = "; ".join(f"{family}: {', '.join(found)}" for family, found in cues.items())
    if design:
        reason += "; study design clause set aside"
    if points_back and not names_subject:
        reason += f"; points back ('{text.split()[0]}') to the sentence before: name the subject in `claim`"
    if kind == "background" and subject_terms:
        reason += "; not about " + "/".join(subject_terms)
    return Detection(True, cues, hedges, kind, reason)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _word_in(term: str, lower: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term.lower())}(?:s|es)?(?!\w)", lower) is not None


def mentions_subject(lower: str, subject_terms: tuple[str, ...]) -> bool:
    """The sentence names the product (as a word), or points back to it ("it", "these strains")."""
    return any(_word_in(t, lower) for t in subject_terms) or bool(_ANAPHORA.search(lower))
