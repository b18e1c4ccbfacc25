# One-off: write the reviewer's GRADE judgments, reasons and rationales into claims.csv,
# add ks-39 and the links of the claims added after the literature search.
# Kept for the record of how the first ratings were entered; claims.csv is the source of truth.
import csv, sys
sys.path.insert(0, "src")
from evidencebench import load_review, vocab
from evidencebench.csvfile import rewrite_records

NS = "not serious"
ROB_SURVEY = "Self-selected samples of people who use kratom reporting their own experience, with no comparison group."
R = {
"ks-01": ({}, "Background, not a health claim. Kratom is the leaf of the Mitragyna speciosa tree, which is how the chemical studies sample it. 'Natural herb' says nothing about safety."),
"ks-02": ({}, "No study found measures whether more people now use kratom for sleep. Surveys of people who use kratom list pain, anxiety, low mood and opioid withdrawal as the main reasons; sleep is not prominent."),
"ks-03": ({"risk_of_bias": ("serious", ROB_SURVEY), "indirectness": ("serious", "'Sleeping soundly' was a perceived benefit named by traditional leaf-chewers in Thailand; relaxation or falling asleep was not measured."), "imprecision": ("serious", "One survey, no effect size.")},
          "No study has tested whether kratom makes people fall asleep. The only support is that some traditional users in Thailand counted 'sleeping soundly' among its benefits. Studies of opioid drugs, which act on the same receptors, found they change sleep stages without giving more or better sleep."),
"ks-04": ({}, "Insomnia symptoms are common, and prospective studies find that stress and anxiety predict new insomnia. Certainty is low only because this is observational evidence and the link runs both ways (poor sleep also raises anxiety)."),
"ks-05": ({}, "No study has measured how long people take to fall asleep after kratom. Evidence on opioid drugs does not show faster sleep onset either."),
"ks-06": ({"risk_of_bias": ("serious", ROB_SURVEY), "indirectness": ("serious", "A perceived benefit named by traditional leaf-chewers, not a measured sleep outcome."), "imprecision": ("serious", "One survey, no effect size.")},
          "No study has measured sleep quality while people take kratom. Some traditional users say they sleep soundly, but people who use kratom regularly often sleep badly when they stop, and opioid-type drugs reduce deep sleep."),
"ks-07": ({}, "No study in people found that kratom sedates at the doses people take; people who use it regularly mostly describe it as stimulating and pain-relieving. The one animal study linked measured a general slowing of learned behaviour, not sedation or sleep."),
"ks-08": ({}, "Chemical analyses of leaves and of shop-bought products consistently find mitragynine, the main alkaloid, and 7-hydroxymitragynine among the alkaloids measured. Amounts vary widely between products, and much of the 7-hydroxymitragynine in the body is made from mitragynine after it is swallowed."),
"ks-09": ({"inconsistency": ("serious", "Binding to opioid receptors is consistent, but functional results for mitragynine differ: partial agonist in some assays, antagonist in one G-protein assay, and some of its effects in rats are not blocked by naltrexone.")},
          "Laboratory and animal studies agree that both alkaloids bind to opioid receptors, 7-hydroxymitragynine acting as a stronger agonist than mitragynine. How mitragynine itself acts there is less clear, and part of its effect comes from being converted to 7-hydroxymitragynine."),
"ks-10": ({"risk_of_bias": ("serious", "Unstructured interviews with a small group recruited for a study of kratom's effects."), "imprecision": ("serious", "Ten participants.")},
          "No study shows that kratom calms or sedates people so that they fall asleep more easily. What little there is points the other way: people who use kratom regularly described its acute effects as stimulating as well as pain-relieving, and an observed usual dose caused no measured sedation."),
"ks-11": ({}, "The only study that compared the chemistry of red, green and white products found no meaningful difference in their alkaloid content, although users described different effects in line with marketing. It tested one vendor's products, so certainty is low. Alkaloid content follows season, region and growing conditions, not colour labels."),
"ks-12": ({}, "No study has measured anxiety or restlessness after red-vein kratom. User descriptions of strain effects were self-reported and unblinded."),
"ks-13": ({}, "Prospective studies find that stressful events, intrusive thoughts and anxiety predict new insomnia. Certainty is low because the evidence is observational and the relation runs both ways."),
"ks-14": ({"risk_of_bias": ("serious", ROB_SURVEY + " People with good experiences are more likely to take part.")},
          "Many people who use kratom say it eases their anxiety, but this comes only from online surveys without any comparison, which cannot show that kratom is the cause. When regular users stop, restlessness and tension are common withdrawal symptoms. One rat study found anxiety-reducing behaviour."),
"ks-15": ({"indirectness": ("serious", "Binding in cell-based assays; whether concentrations reached in the human brain act on these receptors is not shown.")},
          "Receptor-binding studies show kratom alkaloids also bind adrenergic receptors, and screening predicted and partly confirmed serotonin-receptor binding. This shows the alkaloids can act beyond opioid receptors, not that this calms people."),
"ks-16": ({}, "No study tested whether kratom improves sleep by reducing stress or anxiety. Only one rat study of anxiety-like behaviour bears on it, and it measured no sleep."),
"ks-17": ({}, "Studies find that mental arousal before bed goes with taking longer to fall asleep, including with sleep measured in a laboratory. Certainty is low because the studies are observational."),
"ks-18": ({}, "Pain and poor sleep are linked in both directions, though poor sleep predicts later pain more strongly than pain predicts poor sleep. No evidence was found on muscle tension."),
"ks-19": ({"indirectness": ("serious", "Experimental cold-water pain in men who already drank kratom daily; not clinical pain, not women, not new users."), "imprecision": ("serious", "26 participants; wide variation in pain tolerance.")},
          "One small placebo-controlled trial found that kratom raised tolerance of experimental cold-water pain in men who drank it daily, and surveys find pain relief is the commonest reason people give for using it. Whether it relieves clinical pain in the way a patient needs has not been tested in trials."),
"ks-20": ({}, "No verified study in people or animals measured muscle relaxation from kratom. A laboratory study on isolated rat nerve and muscle was left out because no DOI or PMID could be verified for it."),
"ks-21": ({"inconsistency": ("serious", "One rat study found no pain relief from mitragynine at doses up to 56 mg/kg, and in another its effect was not blocked by naltrexone."), "indirectness": ("serious", "Pain responses measured in rodents; the article speaks of pain perception in people.")},
          "In mice, mitragynine and especially its metabolite 7-hydroxymitragynine reduce responses to painful heat, an effect blocked by opioid antagonists. Rat studies disagree, and none measured pain perception in people."),
"ks-22": ({"risk_of_bias": ("serious", ROB_SURVEY)},
          "Self-reported surveys suggest benefits and side effects both rise with dose, but no controlled study has compared doses. The popular idea that low doses stimulate and high doses sedate was not borne out in the studies found, so there is no evidence of a dose that works for sleep."),
"ks-23": ({"indirectness": ("serious", "Researchers chose 2 g as a low test dose and a poison-centre study grouped 1–5 g as 'low'; neither tested what a low dose is. Mitragynine content of products varies about 16-fold, so grams do not fix the dose."), "imprecision": ("serious", "One study of six people and one poison-centre series.")},
          "Two to three grams is at the low end of what people report taking and of the doses given in studies. But products differ so much in alkaloid content that the same number of grams can deliver very different amounts, so a gram figure is a poor guide."),
"ks-24": ({}, "No health authority or study recommends a kratom starting dose or titration scheme; no medical use is approved. Surveys find that people who raise their dose or take it more often have more dependence and withdrawal."),
"ks-25": ({"risk_of_bias": ("serious", ROB_SURVEY), "dose_response": ("present", "")},
          "Surveys in Malaysia and the US find that people who take more kratom, or take it more often, report more dependence and withdrawal symptoms, and more stomach upset at higher doses. The evidence is self-reported, but the dose gradient is consistent."),
"ks-26": ({}, "No study measured sleep during high-dose kratom use. Poison-centre cases show mostly stimulant-type effects such as agitation and fast heartbeat, and sleep problems are common when regular users stop."),
"ks-27": ({"indirectness": ("serious", "Blood levels and felt effects after a dose; no study timed kratom against bedtime or measured sleep.")},
          "In small pharmacokinetic studies, mitragynine peaks in the blood about an hour after a dose and people feel effects within about 40 minutes, so a dose an hour before bed would be acting at bedtime. That says nothing about whether it helps sleep, and its long half-life (about a day or more) means it is still in the body the next day and builds up with nightly use."),
"ks-28": ({"risk_of_bias": ("serious", "Trials of behavioural training cannot blind participants; the meta-analysis rated its evidence moderate."), "indirectness": ("serious", "Mindfulness training programmes measured sleep quality, not reading or gentle stretching just before bed, nor time to fall asleep.")},
          "Trials show mindfulness meditation programmes modestly improve sleep quality, and exercise programmes improve self-rated sleep in insomnia. No trials of reading or gentle stretching at bedtime were found, and none of this involves kratom."),
"ks-29": ({}, "The evidence points the other way. Regular kratom use commonly leads to tolerance and dependence, and sleep problems and insomnia are among the commonest symptoms when regular users stop. Long-term use of opioid-type drugs disturbs sleep stages and breathing during sleep. Regular sleep comes from regular sleep times, not from a nightly substance."),
"ks-30": ({}, "The article is right to urge caution. Poison-centre reports, deaths in which kratom was found (mostly with other drugs), liver injury cases and dependence in regular users all show real risks. This evidence is observational, so certainty is low, but it is consistent."),
"ks-31": ({}, "No medical use of kratom is approved, and systematic reviews found no clinical evidence that it is safe and effective; the only human trials studied pain, not sleep. Regulators have warned against it. No professional guidance can make it a tested sleep treatment."),
"ks-32": ({"risk_of_bias": ("serious", ROB_SURVEY), "indirectness": ("serious", "A perceived benefit named by traditional leaf-chewers, not a measured sleep outcome."), "imprecision": ("serious", "One survey, no effect size.")},
          "No study has measured sleep quality in people taking kratom. The only support is a perceived benefit among traditional users; regular users often have sleep problems when they stop."),
"ks-33": ({}, "The only study that compared red, green and white products chemically found no meaningful difference in alkaloid content, so there is no evidence that red strains are more sedating or better for sleep."),
"ks-34": ({}, "No study tested kratom as part of a bedtime routine. Evidence on regular sleep timing concerns regular bed and wake times, not taking a substance."),
"ks-35": ({}, "Consistent use does not make kratom work better: regular users commonly report tolerance (needing more for the same effect) and many raise their dose over time. Certainty is low because the evidence is from surveys and interviews."),
"ks-36": ({}, "No study tested whether kratom helps people fall asleep by any of these routes. Pain relief has some support, but sedation, anxiety relief and muscle relaxation have not been shown in people, and users describe kratom as stimulating."),
"ks-37": ({}, "No study tested whether kratom's action at opioid receptors helps people fall asleep. In healthy adults, bedtime doses of opioid drugs did not lengthen sleep or make it more efficient, and reduced deep sleep."),
"ks-38": ({}, "Individual sleep-hygiene practices are linked to better sleep in observational and experimental studies, but their direct effects are largely untested, and sleep-hygiene advice alone does not work as a treatment for insomnia. It does not make kratom effective."),
"ks-39": ({}, "The only study that compared the chemistry of kratom 'strains' found no meaningful difference in alkaloid content between red, green and white products; differences users describe may reflect expectation. Certainty is low because it covered one vendor."),
}
NEW_LINKS = [
("ks-01","sengnon2023seasonal","supports","Kratom was sampled and analysed as the leaves of Mitragyna speciosa trees collected across Thailand."),
("ks-23","prozialeck2020evaluation","indirect","Mitragynine content of eight retail kratom products ranged from 3.9 to 62.1 mg/g, so the same number of grams can deliver very different amounts of the main alkaloid."),
("ks-25","grundmann2017patterns","supports","Respondents' reports suggested that benefits and adverse effects both rose with dose, with mainly gastrointestinal adverse effects at 5 g or more per dose and with frequent dosing."),
("ks-32","assanangkornchai2007use","supports","Traditional users in southern Thailand named 'sleeping soundly' among perceived benefits of kratom; this is self-report without a comparison group."),
("ks-33","huisman2023examining","contradicts","Red, green and white products from one vendor did not differ significantly in alkaloid content, although users attributed different effects to them in line with marketing."),
("ks-39","huisman2023examining","contradicts","Users perceived colour-specific effects, but red, green and white products from one vendor did not differ significantly in alkaloid content, so strain labels lack a demonstrated chemical basis for different effects."),
("ks-34","sletten2023importance","indirect","The consensus concerns keeping regular sleep and wake times; it does not address taking any substance at bedtime."),
("ks-35","smith2023examining","contradicts","Most of the ten regular users interviewed described tolerance to kratom's effects, and five met criteria for kratom use disorder."),
("ks-35","smith2024ecological","contradicts","In smartphone reports from frequent users, more frequent use went with more reports of tolerance, withdrawal and craving."),
("ks-35","smith2022searching","contradicts","Over a quarter of respondents had increased their kratom dose since starting, consistent with tolerance developing with regular use."),
("ks-36","smith2023examining","indirect","Regular users described kratom's acute effects as pain-relieving and stimulating at the same time, not sedating; sleep was not measured."),
("ks-36","vicknasingam2020kratom","indirect","Kratom raised tolerance of experimental cold-water pain one hour after a dose; sleep, anxiety and muscle tension were not measured."),
("ks-37","dimsdale2007effect","indirect","In 42 healthy adults, bedtime doses of morphine or methadone did not change total sleep time or sleep efficiency and reduced deep sleep; kratom itself was not studied."),
("ks-37","wang2007opioids","indirect","This review of mu-opioid drugs reports less REM and deep sleep during use and central sleep apnoea with chronic use."),
("ks-38","irish2015role","supports","Individual sleep-hygiene practices were associated with night-time sleep in epidemiological and experimental studies, but their direct effects are largely untested and sleep hygiene alone is ineffective as a treatment for insomnia."),
("ks-38","edinger2021behavioral","indirect","This GRADE-based guideline strongly recommends multicomponent cognitive behavioural therapy for chronic insomnia; the stored page did not show its wording on sleep hygiene."),
]

review = load_review(".")
claims = review.files["claims"]
ids = [r.values["id"] for r in claims.records]
append = []
if "ks-39" not in ids:
    base = next(r.values for r in claims.records if r.values["id"] == "ks-22")
    row = dict(base); row.update(id="ks-39", claim="In people, the effects of kratom differ by strain (such as red, green or white vein).", claim_type="efficacy")
    append.append(row)
changes = {}
for i, rec in enumerate(claims.records):
    cid = rec.values["id"]
    judg, rationale = R[cid]
    ch = {"rationale": rationale, "decided_by": "reviewer 1 (single reviewer, 2026-11-26)"}
    for d in vocab.DOWNGRADE_DOMAINS:
        lvl, why = judg.get(d, (NS, ""))
        ch[d] = lvl; ch[f"{d}_reason"] = why
    ups = [u for u in vocab.UPGRADE_DOMAINS if u in judg]
    for u in vocab.UPGRADE_DOMAINS:
        ch[u] = judg[u][0] if u in judg else "none"
    ch["upgrade_reason"] = "Consistent gradient: more kratom per day, or more often, went with more reported harm in separate samples." if ups else ""
    changes[i] = ch
for row in append:
    judg, rationale = R[row["id"]]
    row.update(rationale=rationale, decided_by="reviewer 1 (single reviewer, 2026-11-26)")
rewrite_records(claims, changes, append=append)
ev = load_review(".").files["evidence"]
have = {(r.values["claim"], r.values["reference"]) for r in ev.records}
rewrite_records(ev, {}, append=[dict(claim=c, reference=k, stance=s, finding=f) for c, k, s, f in NEW_LINKS if (c, k) not in have])
print("ok")
