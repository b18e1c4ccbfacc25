"""Rules that catch misapplied evidence, from what each link says its study examined.

A link may *support* or *contradict* a claim only when its study examined the claim's exposure,
in the claim's population, and measured the claim's outcome (GRADE's PICO). Each link records its
exposure, the kind of outcome and where on the checked page the finding is stated; the population
comes from the reference. These rules compare them with the claim and report what does not fit:

- `link-exposure-mismatch`, `link-population-mismatch`: a supports/contradicts link whose
  exposure, or whose study population, differs from the claim's must be *indirect*, unless the
  claim's indirectness is judged serious or very serious (with its reason, as every downgrade).
  A claim about no population (what a plant contains, what a molecule binds) accepts studies in
  any population.
- `link-use-as-effect`: a survey of reasons for use or of how common use is, counted for or
  against a claim about an effect, a mechanism or a composition: why or how often people take
  something says nothing about what it does.
- `link-lab-as-effect`: a composition, mechanism or pharmacokinetic result counted for or against
  a claim about an effect in people without an indirectness downgrade.
- `link-pico-missing`: a supports/contradicts link with no outcome or no source location.
- `link-stance-inconsistent`: one reference that is *indirect* for one claim and supports or
  contradicts another claim of the same exposure, population, topic and type, for the same
  measured outcome: one of the two is probably wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress, repeat

from ..review import schema, vocab
from ..review.loader import ReviewData
from ..review.problems import Problem, problem

RATED = ("supports", "contradicts")
CLAIM_EXPOSURE = schema.CLAIMS.field("exposure")
EFFECT_CLAIMS = vocab.CLAIMS_ABOUT_PEOPLE
"""Claim types about what something does to people (efficacy, dosage, safety)."""
USE_SENSITIVE_CLAIMS = EFFECT_CLAIMS | {"mechanism", "composition"}
"""Claim types a survey of use cannot settle (everything but prevalence and background)."""
LAB_OUTCOMES = frozenset({"composition", "mechanism", "pharmacokinetics"})


def _downgraded(level: str) -> bool:
    return level in ("serious", "very serious")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _misapplied(claim: tuple, exposure: str, kind: str, ref_population: str) -> list[tuple[str, str]]:
    """(code, what is wrong) for a supports/contradicts link of this kind to a claim of this PICO."""
    claim_exposure, claim_population, _topic, claim_type, indirect_ok, claim_exposures = claim
    wrong = []
    if exposure and claim_exposure and exposure not in claim_exposures and not indirect_ok:
        wrong.append(
            ("link-exposure-mismatch", f"the study's exposure is {exposure!r}, the claim is about {claim_exposure!r}")
        )
    if ref_population and claim_population not in ("", "none") and ref_population != claim_population and not indirect_ok:
        wrong.append(
            ("link-population-mismatch", f"the study was in {ref_population}, the claim speaks of {claim_population}")
        )
    if kind in vocab.USE_OUTCOMES and claim_type in USE_SENSITIVE_CLAIMS:
        wrong.append(
            ("link-use-as-effect", f"a study of {kind} cannot count for or against a claim of type {claim_type!r}")
        )
    if kind in LAB_OUTCOMES and claim_type in EFFECT_CLAIMS and not indirect_ok:
        wrong.append(("link-lab-as-effect", f"a {kind} result counted for a claim of type {claim_type!r} (about people)"))
    return wrong


def pico_problems(review: ReviewData) -> Iterator[Problem]:
    """Every misapplied link, located on its evidence.csv line.

    Read column by column: each claim's PICO once; then what can be wrong with a rated link depends
    only on its claim's class (exposure, population, type, indirectness), its exposure, its outcome
    kind and its study's population, so each distinct combination is judged once, and the links are
    walked one by one only when some combination (or a blank outcome or location) is wrong.
    """
    claims_file, evidence = review.files["claims"], review.files["evidence"]
    if not claims_file.readable or not evidence.readable or "exposure" not in evidence.header:
        return
    claims: dict[str, tuple[str, str, str, str, bool, list[str]]] = {}
    exposures_of: dict[str, list[str]] = {}
    classes: dict[tuple[str, str, str, bool], int] = {}
    cid_class: dict[str, int] = {}  # claims alike in exposure, population, type and indirectness share a class
    class_claim: dict[int, tuple[str, str, str, str, bool, list[str]]] = {}
    for cid, exposure, population, topic, claim_type, indirectness in zip(
        *(claims_file.column(c) for c in ("id", "exposure", "population", "topic", "claim_type", "indirectness")),
        strict=True,
    ):
        if cid not in claims:
            listed = exposures_of.get(exposure)
            if listed is None:
                listed = exposures_of[exposure] = CLAIM_EXPOSURE.values(exposure)
            claim = claims[cid] = (exposure, population, topic, claim_type, _downgraded(indirectness), listed)
            number = cid_class[cid] = classes.setdefault((exposure, population, claim_type, claim[4]), len(classes))
            class_claim.setdefault(number, claim)
    rel = evidence.rel
    populations = {key: ref.get("population") or "" for key, ref in review.references.items()}
    lines, keys, stances = evidence.lines, evidence.column("reference"), evidence.column("stance")
    link_claims, exposures, kinds = evidence.column("claim"), evidence.column("exposure"), evidence.column("outcome_kind")
    outcomes, locations = evidence.column("outcome"), evidence.column("source_location")

    # supports/contradicts links: judge each combination once (map and zip run in C)
    combinations = list(zip(map(cid_class.get, link_claims), exposures, kinds, map(populations.get, keys, repeat("")), strict=True))
    rated = [s in RATED for s in stances]
    judged = {
        c: _misapplied(class_claim[c[0]], *c[1:])
        for c in set(compress(combinations, rated))
        if c[0] is not None  # an unknown claim: unknown-claim says so
    }
    wrong = {c for c, found in judged.items() if found}
    blank = "" in map(str.strip, compress(outcomes, rated)) or "" in map(str.strip, compress(locations, rated))
    if wrong or blank:
        for line, key, stance, cid, combination, outcome, location, is_rated in zip(
            lines, keys, stances, link_claims, combinations, outcomes, locations, rated, strict=True
        ):
            if not is_rated or combination[0] is None:
                continue
            for code, text in judged[combination]:
                yield problem(rel, line, code, f"claim {cid}, {key} ({stance}): {text}")
            if not outcome.strip() or not location.strip():
                missing = [name for name, cell in (("outcome", outcome), ("source_location", location)) if not cell.strip()]
                yield problem(rel, line, "link-pico-missing", f"claim {cid}, {key} ({stance}): no {' and no '.join(missing)}")

    # only a reference linked both as indirect and as rated somewhere can be inconsistent
    indirect = {k for k, s in zip(keys, stances, strict=True) if s == "indirect"}
    mixed = indirect & set(compress(keys, rated)) if indirect else set()
    groups: dict[tuple[str, ...], list[tuple[int, str, str]]] = {}
    if mixed:
        normalised: dict[str, str] = {}
        for line, key, stance, cid, exposure, outcome_cell in zip(lines, keys, stances, link_claims, exposures, outcomes, strict=True):
            claim = claims.get(cid)
            if key not in mixed or claim is None or not outcome_cell or not exposure:
                continue
            outcome = normalised.get(outcome_cell)
            if outcome is None:
                outcome = normalised[outcome_cell] = _norm(outcome_cell)
            if outcome:
                group = (key, *claim[:4], outcome)  # the claim's exposure, population, topic and type
                groups.setdefault(group, []).append((line, cid, stance))
    for (key, *_, outcome), rows in groups.items():
        if len(rows) < 2:
            continue
        stances = {s for _, _, s in rows}
        if "indirect" in stances and stances & set(RATED):
            first = rows[0]
            for line, cid, stance in rows[1:]:
                if stance != first[2]:
                    yield problem(
                        rel,
                        line,
                        "link-stance-inconsistent",
                        f"claim {cid}: {key} is {stance!r} here but {first[2]!r} for claim {first[1]} "
                        f"(line {first[0]}), a claim of the same exposure, population, topic and type, for the same outcome {outcome!r}",
                    )
