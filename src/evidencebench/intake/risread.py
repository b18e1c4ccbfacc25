"""RIS files read with rispy, one record at a time so each keeps its line number.

rispy silently drops a record whose `ER  -` line is missing and loses the first one of a
file with a byte-order mark; so the records are delimited here (reporting what does not
fit, by line) and each clean record is handed to rispy for the tag mapping.
"""

from __future__ import annotations

import re

import rispy

from .bibentry import ImportedRecord, Malformed, strip_resolver, year_of

_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?:\s(.*)|\s*)$")
_NUMBERED = re.compile(r"^\s*\d+\.?\s*$")

ENTRY_TYPES = {
    "JOUR": "article", "JFULL": "article", "ABST": "article", "INPR": "article", "MGZN": "article",
    "NEWS": "article", "EJOUR": "article", "BOOK": "book", "EBOOK": "book", "CHAP": "incollection",
    "ECHAP": "incollection", "CONF": "inproceedings", "CPAPER": "inproceedings", "RPRT": "techreport",
    "THES": "phdthesis", "GOVDOC": "misc", "ELEC": "misc", "WEB": "misc", "GEN": "misc",
}  # fmt: skip
_JOURNAL_KEYS = ("secondary_title", "alternate_title3", "journal_name", "alternate_title2", "alternate_title1")


def split_records(text: str, rel: str) -> tuple[list[tuple[int, str]], list[Malformed]]:
    """(start line, normalised record text) for each TY ... ER record."""
    records: list[tuple[int, str]] = []
    errors: list[Malformed] = []
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = _TAG.match(line)
        tag = m.group(1) if m else None
        value = (m.group(2) or "").strip() if m else line.strip()
        if start is None:
            if not line.strip() or _NUMBERED.match(line):
                continue
            if tag == "TY":
                start, lines = number, [f"TY  - {value}"]
            elif tag is not None:
                errors.append(Malformed(rel, number, f"'{tag}  -' before any 'TY  -': a record must start with its type"))
            else:
                errors.append(Malformed(rel, number, f"text outside a record: {line.strip()[:50]!r}"))
            continue
        if tag == "TY":
            errors.append(Malformed(rel, start, "record has no 'ER  -' line before the next 'TY  -'"))
            start, lines = number, [f"TY  - {value}"]
        elif tag == "ER":
            records.append((start, "\n".join([*lines, "ER  - "])))
            start = None
        elif tag is not None:
            lines.append(f"{tag}  - {value}")
        elif line.strip():
            lines.append("      " + value)  # a wrapped value: rispy joins it to the tag above
    if start is not None:
        errors.append(Malformed(rel, start, "record never ends: no 'ER  -' line (is the file cut short?)"))
    return records, errors


def _first(record: dict, *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value:
            return str(value).strip()
    return ""


def _texts(record: dict) -> list[str]:
    """Every free-text value, where exports hide PMIDs and PMCIDs ("PMID: 123")."""
    out: list[str] = []
    for value in record.values():
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(str(v) for v in value)
        elif isinstance(value, dict):
            out.extend(str(v) for vs in value.values() for v in vs)
    return out


def to_record(record: dict, rel: str, line: int) -> ImportedRecord:
    authors = record.get("authors") or record.get("first_authors") or []
    sp, ep = _first(record, "start_page"), _first(record, "end_page")
    pages = f"{sp}--{ep}" if sp and ep else sp.replace("-", "--") if "-" in sp and "--" not in sp else sp
    doi = _first(record, "doi")
    if not doi:
        doi = next((u for u in record.get("urls", []) if re.search(r"doi\.org/10\.", u)), "")
    texts = _texts(record)
    pmid = ""
    database = _first(record, "name_of_database").lower()
    accession = _first(record, "accession_number")
    if accession.isdigit() and ("pubmed" in database or "medline" in database):
        pmid = accession
    if not pmid:
        pmid = next((m.group(1) for t in texts if (m := re.search(r"\bPMID:?\s*(\d{1,9})\b", t))), "")
    pmcid = next((m.group(0) for t in texts if (m := re.search(r"\bPMC\d+\b", t))), "")
    fields = {
        "author": " and ".join(a.strip() for a in authors if a.strip()),
        "title": _first(record, "title", "primary_title", "translated_title"),
        "journal": _first(record, *_JOURNAL_KEYS),
        "year": year_of(_first(record, "year", "publication_year", "date")),
        "volume": _first(record, "volume"),
        "number": _first(record, "number"),
        "pages": pages,
        "doi": strip_resolver(doi),
        "pmid": pmid,
        "pmcid": pmcid,
    }
    entry_type = ENTRY_TYPES.get(_first(record, "type_of_reference").upper(), "misc")
    return ImportedRecord(rel, line, entry_type, {k: v for k, v in fields.items() if v})


def parse(text: str, rel: str) -> tuple[list[ImportedRecord], list[Malformed]]:
    chunks, errors = split_records(text, rel)
    records = []
    for line, chunk in chunks:
        parsed = rispy.loads(chunk)
        if not parsed:
            errors.append(Malformed(rel, line, "rispy could not read this record"))
            continue
        records.append(to_record(parsed[0], rel, line))
    return records, errors
