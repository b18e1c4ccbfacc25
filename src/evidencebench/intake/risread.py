"""RIS files read with rispy, one record at a time so each keeps its line number.

rispy silently drops a record whose `ER  -` line is missing and loses the first one of a file
with a byte-order mark; so the records are delimited here and each clean record is handed to
rispy for the tag mapping. Real exports put text between records that belongs to none of them
— ScienceDirect's "Provider: Elsevier" header, Ovid's "Link to the Ovid Full Text" notes after
each `ER  -` — and that text is passed over. A record that cannot be read (no `ER  -` before the
next `TY  -` or the end of the file, tagged lines with no `TY  -` before them) is reported by
line and skipped; the others are imported.

Author names are turned into BibTeX's "Family, Given" (`identity.bibtex_name`): Embase writes
"Quintanilla-Dieck L.", Scopus "Smith J.A.", and both would otherwise be read back-to-front.
"""

from __future__ import annotations

import re

import rispy

from ..review.identity import bibtex_names, pmid_key
from .bibentry import ImportedRecord, Malformed, year_of

_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?:\s(.*)|\s*)$")

ENTRY_TYPES = {
    "JOUR": "article", "JFULL": "article", "ABST": "article", "INPR": "article", "MGZN": "article",
    "NEWS": "article", "EJOUR": "article", "BOOK": "book", "EBOOK": "book", "CHAP": "incollection",
    "ECHAP": "incollection", "CONF": "inproceedings", "CPAPER": "inproceedings", "RPRT": "techreport",
    "THES": "phdthesis", "GOVDOC": "misc", "ELEC": "misc", "WEB": "misc", "GEN": "misc",
}  # fmt: skip
_JOURNAL_KEYS = ("secondary_title", "alternate_title3", "journal_name", "alternate_title2", "alternate_title1")
_DOI_IN_URL = re.compile(r"(?:dx\.)?doi\.(?:acm\.)?org/(10\.\S+)", re.I)
_MARKUP = re.compile(r"</?(?:i|b|em|strong|sup|sub|u|scp|span|inf)\b[^<>]*>", re.I)  # <i>Mitragyna</i>
_PUBMED_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})\b")


def split_records(text: str, rel: str) -> tuple[list[tuple[int, str]], list[Malformed]]:
    """(start line, normalised record text) for each TY … ER record; what cannot be read, by line."""
    records: list[tuple[int, str]] = []
    errors: list[Malformed] = []
    start: int | None = None
    lines: list[str] = []
    orphan: int | None = None  # first line of tagged lines outside any record
    orphan_tag = ""
    for number, line in enumerate(text.splitlines(), start=1):
        m = _TAG.match(line)
        tag = m.group(1) if m else None
        value = (m.group(2) or "").strip() if m else line.strip()
        if start is None:
            if tag == "TY":
                if orphan is not None:
                    errors.append(_orphan(rel, orphan, orphan_tag))
                    orphan = None
                start, lines = number, [f"TY  - {value}"]
            elif tag == "ER":
                if orphan is not None:
                    errors.append(_orphan(rel, orphan, orphan_tag))
                    orphan = None
            elif tag is not None and orphan is None:
                orphan, orphan_tag = number, tag
            continue  # untagged text between records: export headers and notes
        if tag == "TY":
            errors.append(Malformed(rel, start, "record has no 'ER  -' line before the next 'TY  -'; skipped"))
            start, lines = number, [f"TY  - {value}"]
        elif tag == "ER":
            records.append((start, "\n".join([*lines, "ER  - "])))
            start = None
        elif tag is not None:
            lines.append(f"{tag}  - {value}")
        elif line.strip():
            lines.append("      " + value)  # a wrapped value: rispy joins it to the tag above
    if start is not None:
        errors.append(Malformed(rel, start, "record never ends: no 'ER  -' line (is the file cut short?); skipped"))
    if orphan is not None:
        errors.append(_orphan(rel, orphan, orphan_tag))
    return records, errors


def _orphan(rel: str, line: int, tag: str) -> Malformed:
    """Tagged lines with no `TY  -` above them: a record whose first line was lost."""
    return Malformed(rel, line, f"'{tag}  -' before any 'TY  -': the record's first line is missing; skipped")


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


def _tags(chunk: str, tag: str) -> list[str]:
    """Every value of a tag rispy keeps only once (DB: Embase exports name two databases)."""
    return [m.group(1).strip() for m in re.finditer(rf"^{tag}  - (.*)$", chunk, re.M)]


def _pmid(record: dict, chunk: str, texts: list[str]) -> str:
    """Where each database hides the PMID: AN (PubMed, Ovid MEDLINE), C5 (Embase), a PubMed URL, a note."""
    databases = " ".join(_tags(chunk, "DB")).lower()
    accession = _first(record, "accession_number")
    if ("pubmed" in databases or "medline" in databases) and "embase" not in databases and pmid_key(accession):
        return accession  # Ovid MEDLINE and PubMed put the PMID in AN
    if "embase" in databases:
        for value in _tags(chunk, "C5"):  # Embase: C5 holds the MEDLINE PMID
            if pmid_key(value):
                return value
    for text in texts:
        m = _PUBMED_URL.search(text) or re.search(r"\bPMID:?\s*(\d{1,9})\b", text)
        if m and pmid_key(m.group(1)):
            return m.group(1)
    return ""


def to_record(record: dict, rel: str, line: int, chunk: str = "") -> ImportedRecord:
    """One record parsed by rispy as an imported record with BibTeX fields."""
    authors = record.get("authors") or record.get("first_authors") or []
    if isinstance(authors, str):
        authors = [authors]
    sp, ep = _first(record, "start_page"), _first(record, "end_page")
    pages = f"{sp}--{ep}" if sp and ep else sp.replace("-", "--") if "-" in sp and "--" not in sp else sp
    texts = _texts(record)
    doi = _first(record, "doi")
    if not doi:
        doi = next((m.group(1) for t in texts if (m := _DOI_IN_URL.search(t))), "")
    title = _MARKUP.sub("", _first(record, "title", "primary_title", "translated_title"))
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    fields = {
        "author": bibtex_names([str(a) for a in authors]),
        "title": title,
        "journal": _first(record, *_JOURNAL_KEYS),
        "year": year_of(_first(record, "year", "publication_year", "date")),
        "volume": _first(record, "volume"),
        "number": _first(record, "number"),
        "pages": pages,
        "doi": doi,
        "pmid": _pmid(record, chunk, texts),
        "pmcid": next((m.group(0) for t in texts if (m := re.search(r"\bPMC\d+\b", t))), ""),
    }
    entry_type = ENTRY_TYPES.get(_first(record, "type_of_reference").upper(), "misc")
    return ImportedRecord(rel, line, entry_type, {k: v for k, v in fields.items() if v})


def parse(text: str, rel: str) -> tuple[list[ImportedRecord], list[Malformed]]:
    """Every record of a RIS export, and what could not be read, so one bad record never stops an import."""
    chunks, errors = split_records(text, rel)
    records = []
    for line, chunk in chunks:
        try:
            parsed = rispy.loads(chunk)
            record = to_record(parsed[0], rel, line, chunk) if parsed else None
        except Exception as err:  # rispy's own errors are not part of its API
            errors.append(Malformed(rel, line, f"rispy could not read this record ({type(err).__name__}); skipped"))
            continue
        if record is None:
            errors.append(Malformed(rel, line, "rispy could not read this record; skipped"))
            continue
        records.append(record)
    if not records and not errors and text.strip():
        errors.append(Malformed(rel, 1, "no RIS record ('TY  - ' … 'ER  - ') in this file"))
    return records, errors
