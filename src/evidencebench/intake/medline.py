"""PubMed MEDLINE (.nbib / "PubMed format" .txt) read tolerantly into ImportedRecord.

No maintained library reads this format, so this small parser does: a tag of up to four
capitals padded to four characters, "- ", the value; continuation lines indented (or,
in hand-edited files, not indented at all); records separated by blank lines or by the
"1. " numbering some exports put between them. A block that does not start with a field
(a line pasted from a web page, "PMID 123" without its dash) is one broken record: it is
reported with its line and skipped as a whole, never guessed at, and the other records are
imported. AU names ("Grundmann O") become BibTeX's "Grundmann, O." when FAU is absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..review.identity import bibtex_name, bibtex_names
from .bibentry import ImportedRecord, Malformed, year_of

_STRICT_TAG = re.compile(r"^(?=[A-Z][A-Z0-9 ]{3}-)([A-Z][A-Z0-9]{1,3}) *-(?: (.*)|\s*)$")
_LOOSE_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3})\s*-\s?(.*)$")
_NUMBER_ONLY = re.compile(r"^\s*\d+\.\s*$")
_NUMBERED = re.compile(r"^\s*\d+\.\s")
KNOWN_TAGS = frozenset(
    {
        "PMID", "OWN", "STAT", "DCOM", "LR", "IS", "VI", "IP", "DP", "TI", "PG", "LID", "AB", "FAU",
        "AU", "AD", "LA", "PT", "DEP", "PL", "TA", "JT", "JID", "SB", "MH", "OT", "OTO", "EDAT",
        "MHDA", "CRDT", "PHST", "AID", "PST", "SO", "AUID", "PMC", "MID", "CI", "COIS", "GR", "CN",
        "BTI", "CTI", "ED", "FED", "ISBN", "PB", "RN", "CIN", "CON", "EIN", "ECI", "EFR", "CRI",
        "CRF", "RIN", "ROF", "RPI", "RPF", "SPIN", "ORI", "UIN", "UOF", "TT", "VTI", "GN", "IR",
        "FIR", "PS", "FPS", "NM", "SI", "OAB", "OABL", "DA", "DRDT", "EN", "PMCR", "RF",
    }
)  # fmt: skip


@dataclass
class _Raw:
    line: int
    tags: list[tuple[str, str, int]] = field(default_factory=list)  # (tag, value, line)
    broken: str = ""  # why the record cannot be read, if it cannot

    def all(self, tag: str) -> list[str]:
        return [v for t, v, _ in self.tags if t == tag]

    def first(self, tag: str) -> str:
        values = self.all(tag)
        return values[0] if values else ""


def _tag(line: str) -> tuple[str, str] | None:
    m = _STRICT_TAG.match(line)
    if m:
        return m.group(1), (m.group(2) or "").strip()
    m = _LOOSE_TAG.match(line)
    if m and m.group(1) in KNOWN_TAGS:
        return m.group(1), m.group(2).strip()
    return None


def split_records(text: str, rel: str) -> tuple[list[_Raw], list[Malformed]]:
    """MEDLINE text cut into records of tagged lines, with a problem for each line that cannot belong to one."""
    records: list[_Raw] = []
    errors: list[Malformed] = []
    current: _Raw | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or _NUMBER_ONLY.match(line):
            current = None
            continue
        tagged = _tag(line)
        if tagged is not None:
            tag, value = tagged
            if current is None or (tag == "PMID" and current.first("PMID")):
                current = _Raw(number)
                records.append(current)
            current.tags.append((tag, value, number))
        elif current is not None and current.tags:
            tag, value, at = current.tags[-1]
            current.tags[-1] = (tag, f"{value} {line.strip()}".strip(), at)
        elif current is not None:
            continue  # more of a block already known to be broken
        elif _NUMBERED.match(line):
            continue  # "1. Drug Alcohol Depend. 2017 ..." between records
        else:
            shown = line.strip()[:50]
            current = _Raw(number, broken=f"expected a MEDLINE field such as 'PMID- 12345678', found {shown!r}")
            records.append(current)
    return records, errors


def _expand_pages(pages: str) -> str:
    """PubMed abbreviates end pages ("2421-9" is 2421-2429); BibTeX wants "2421--2429"."""
    m = re.fullmatch(r"\s*(\w*?)(\d+)\s*-\s*(\d+)\s*", pages)
    if not m:
        return pages.strip()
    prefix, start, end = m.groups()
    if len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return f"{prefix}{start}--{prefix}{end}" if prefix else f"{start}--{end}"


def _author(short: str) -> str:
    """'Grundmann O' -> 'Grundmann, O.' (used only when the full name, FAU, is absent)."""
    return bibtex_name(short)


def _identifier(values: list[str], kind: str) -> str:
    for v in values:
        m = re.fullmatch(rf"(.+?)\s*\[{kind}\]", v.strip())
        if m:
            return m.group(1).strip()
    return ""


def to_record(raw: _Raw, rel: str) -> ImportedRecord:
    """One MEDLINE record as an imported record with BibTeX fields."""
    authors = raw.all("FAU") or [_author(a) for a in raw.all("AU")]
    authors += [f"{{{cn.replace('{', '').replace('}', '')}}}" for cn in raw.all("CN")]
    title = raw.first("TI") or raw.first("BTI")
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    fields = {
        "author": bibtex_names(authors),
        "title": title,
        "journal": raw.first("JT") or raw.first("TA"),
        "year": year_of(raw.first("DP")),
        "volume": raw.first("VI"),
        "number": raw.first("IP"),
        "pages": _expand_pages(raw.first("PG")),
        "doi": _identifier(raw.all("LID") + raw.all("AID"), "doi"),
        "pmid": raw.first("PMID"),
        "pmcid": raw.first("PMC"),
    }
    entry_type = "book" if raw.first("BTI") and not raw.first("TI") else "article"
    return ImportedRecord(rel, raw.line, entry_type, {k: v for k, v in fields.items() if v})


def parse(text: str, rel: str) -> tuple[list[ImportedRecord], list[Malformed]]:
    """Every record of a MEDLINE (.nbib) export, and what could not be read, so one bad record never stops an import."""
    raws, errors = split_records(text, rel)
    records = []
    for raw in raws:
        if raw.broken:
            errors.append(Malformed(rel, raw.line, f"{raw.broken}; the record starting here is skipped"))
            continue
        if not raw.first("PMID") and not raw.first("TI"):
            errors.append(
                Malformed(rel, raw.line, "record has neither 'PMID- ' nor 'TI  - ': is this a MEDLINE file?; skipped")
            )
            continue
        records.append(to_record(raw, rel))
    return records, errors
