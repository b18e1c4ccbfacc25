# One-off seed of claims.csv quotes and restatements (kept for the record; claims.csv is the source of truth).
import csv, sys
sys.path.insert(0, "src")
from evidencebench import provenance

text = open("documents/kratom-for-sleep.txt", encoding="utf-8").read()
C = [
("ks-01","sedation","background","Kratom, a natural herb derived from the leaves of the Mitragyna speciosa tree","Kratom is a plant product made from the leaves of the tree Mitragyna speciosa."),
("ks-02","sedation","prevalence","has been gaining popularity as a sleep aid","The use of kratom as a sleep aid has been increasing."),
("ks-03","sedation","efficacy","due to its ability to promote relaxation and induce sleep","In people, taking kratom promotes relaxation and induces sleep."),
("ks-04","anxiety","background","Many individuals struggle with falling asleep, often due to stress, anxiety, or other sleep disorders.","Difficulty falling asleep is common among adults, and stress, anxiety or sleep disorders often underlie it."),
("ks-05","sedation","efficacy","Kratom's unique properties make it an effective tool for sleep induction","In people who have difficulty falling asleep, kratom shortens the time it takes to fall asleep."),
("ks-06","sedation","efficacy","helping people achieve a more restful and rejuvenating night's sleep","In people, kratom improves sleep quality (more restful, refreshing sleep)."),
("ks-07","sedation","efficacy","One of the primary reasons kratom is effective for sleep induction is its sedative properties.","In people, kratom at the doses used produces sedation, and this is why it helps them fall asleep."),
("ks-08","sedation","composition","Kratom contains a variety of alkaloids, including mitragynine and 7-hydroxymitragynine","Kratom leaves and products contain several alkaloids, among them mitragynine and 7-hydroxymitragynine."),
("ks-09","sedation","mechanism","which interact with the body's opioid receptors","Mitragynine and 7-hydroxymitragynine bind to and act at opioid receptors."),
("ks-10","sedation","efficacy","These alkaloids can produce calming and sedative effects, helping to relax the mind and body, making it easier to fall asleep.","In people, kratom's alkaloids produce calming and sedative effects that make it easier to fall asleep."),
("ks-11","sedation","composition","Red vein kratom strains, such as Red Bali, Red Borneo, and Red Maeng Da, are particularly known for their sedative effects.","Red-vein kratom products differ from other kratom products (in alkaloid content or effect) in a way that makes them more sedating."),
("ks-12","anxiety","efficacy","These strains can help promote a sense of tranquility and reduce feelings of anxiety or restlessness that may interfere with sleep induction.","In people, red-vein kratom products reduce anxiety and restlessness."),
("ks-13","anxiety","background","Stress and anxiety are common culprits behind difficulty falling asleep.","Stress and anxiety are common causes of difficulty falling asleep."),
("ks-14","anxiety","efficacy","Kratom's ability to alleviate these mental states makes it an effective tool for sleep induction.","In people, kratom relieves stress and anxiety."),
("ks-15","anxiety","mechanism","The alkaloids present in kratom interact with the brain's receptors, potentially influencing neurotransmitter activity","Kratom alkaloids act at brain receptors other than opioid receptors (for example adrenergic or serotonin receptors)."),
("ks-16","anxiety","efficacy","By reducing stress levels and easing anxiety, kratom can help create a more conducive environment for sleep.","In people, kratom improves sleep by reducing their stress and anxiety."),
("ks-17","anxiety","background","When the mind is relaxed and free from racing thoughts, it becomes easier to drift off into a peaceful slumber.","Mental arousal before bed (racing thoughts) lengthens the time it takes to fall asleep."),
("ks-18","pain","background","Physical discomfort, such as chronic pain or muscle tension, can also hinder sleep induction.","Chronic pain and muscle tension make it harder to fall asleep."),
("ks-19","pain","efficacy","Kratom's potential analgesic and muscle relaxant properties may help alleviate these issues, making it easier to fall asleep.","In people, kratom relieves pain."),
("ks-20","pain","efficacy","Additionally, kratom may help relax tense muscles, promoting a sense of physical comfort that is conducive to sleep.","In people, kratom relaxes tense muscles."),
("ks-21","pain","mechanism","The alkaloids in kratom, particularly mitragynine, have been shown to interact with pain receptors in the body, potentially reducing pain perception.","Mitragynine acts at receptors that mediate pain (opioid receptors) and reduces responses to painful stimuli."),
("ks-22","dosage","efficacy","To maximize kratom's effectiveness for sleep induction, it's crucial to find the right dosage and strain.","In people, kratom's effects depend on the dose and the strain taken."),
("ks-33","dosage","composition","Best Kratom For Sleep typically includes red vein strains, as they tend to have more sedative properties compared to other strains.","Red-vein kratom strains are more sedating than other strains and so are the best choice for sleep."),
("ks-23","dosage","dosage","Starting with a low dose, usually around 2-3 grams","A dose of about 2 to 3 g of kratom leaf is a low dose."),
("ks-24","dosage","dosage","gradually increasing until the desired effects are achieved is generally recommended","Starting low and raising the dose until the desired effect is reached is a recommended way to use kratom."),
("ks-25","dosage","safety","avoid excessive dosages, as this can lead to unwanted side effects","Higher doses of kratom cause more adverse effects."),
("ks-26","dosage","safety","and potentially disrupt sleep","High doses of kratom can disrupt sleep."),
("ks-34","dosage","efficacy","To harness the sleep-inducing benefits of kratom, it's helpful to incorporate it into a consistent bedtime routine.","Taking kratom as part of a consistent bedtime routine improves sleep."),
("ks-27","dosage","dosage","Taking kratom about an hour before the desired bedtime","Kratom taken about one hour before bedtime is acting by the time the person goes to bed."),
("ks-28","dosage","background","along with other relaxation techniques such as reading, gentle stretching, or meditation, can signal to the body that it's time to wind down and prepare for sleep","Relaxation practices before bed (reading, gentle stretching, meditation) help people fall asleep."),
("ks-35","dosage","efficacy","Consistency is key when using kratom for sleep induction.","Taking kratom consistently makes it work better for falling asleep."),
("ks-29","dosage","efficacy","By taking it regularly as part of a nightly routine, individuals can help regulate their sleep-wake cycle and establish a more predictable and effective sleep pattern.","Taking kratom every night regulates the sleep-wake cycle and gives a more predictable, effective sleep pattern."),
("ks-36","sedation","efficacy","Kratom's effectiveness for sleep induction lies in its sedative properties, ability to alleviate stress and anxiety, and potential for pain relief and muscle relaxation.","In people, kratom helps them fall asleep by sedating them and relieving anxiety, pain and muscle tension."),
("ks-37","sedation","efficacy","By interacting with the body's opioid receptors and promoting a sense of calm and relaxation, kratom can help individuals overcome the obstacles that hinder falling asleep.","Through its action at opioid receptors, kratom helps people overcome what keeps them from falling asleep."),
("ks-30","dosage","safety","it's essential to approach kratom use with caution","Using kratom carries risks that call for caution."),
("ks-38","dosage","background","Supporting kratom's effectiveness with healthy sleep hygiene practices","Healthy sleep-hygiene practices improve sleep."),
("ks-31","dosage","safety","When used responsibly and under the guidance of a healthcare professional, kratom may provide a natural way to promote sleep induction","Used under a health professional's guidance, kratom is a safe and effective way to help people fall asleep."),
("ks-32","sedation","efficacy","and improve overall sleep quality","In people, kratom improves overall sleep quality."),
]
cols = "id,document,topic,claim_type,quote,start,end,prefix,suffix,claim".split(",")
rows = []
for cid, topic, ctype, q, claim in C:
    a = provenance.anchor(text, q)
    assert a, q
    spans = provenance.find_all(text, q)
    assert len(spans) == 1, (cid, spans)
    rows.append([cid, "kratom-for-sleep", topic, ctype, text[a.start:a.end], a.start, a.end, a.prefix, a.suffix, claim])
rows.sort(key=lambda r: r[5])
with open("research/claims-seed.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n"); w.writerow(cols); w.writerows(rows)
print(len(rows))
