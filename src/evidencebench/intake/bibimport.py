"""BibTeX files from elsewhere (Zotero, a journal page, a colleague) read into ImportedRecord.

bibtexparser 2 does the parsing, @string macros included; two things are smoothed first
without moving any line: an entry with no key (`@article{ title = ...`) gets an empty one,
so it is read and given a generated key instead of failing, and CRLF becomes LF.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import model

from .bibentry import ImportedRecord, Malformed

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

_NO_KEY = re.compile(r"(@\s*(?!string\b|preamble\b|comment\b)[A-Za-z]+\s*[{(])(\s*)(?=[A-Za-z][\w-]*\s*=)", re.I)


def parse(text: str, rel: str) -> tuple[list[ImportedRecord], list[Malformed]]:
    text = _NO_KEY.sub(r"\1,\2", text.replace("\r\n", "\n").replace("\r", "\n"))
    library = bibtexparser.parse_string(text)
    records: list[ImportedRecord] = []
    errors: list[Malformed] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, model.Entry):
            block = block.ignore_error_block  # the same key twice: keys are regenerated anyway
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            errors.append(Malformed(rel, line, f"entry has the field(s) {names} twice; keep one"))
            continue
        elif isinstance(block, model.ParsingFailedBlock):
            first = (block.raw or "").strip().splitlines()[0][:60] if block.raw else ""
            errors.append(
                Malformed(rel, line, f"entry could not be parsed (unbalanced braces or quotes?): {first!r}")
            )
            continue
        if not isinstance(block, model.Entry):
            continue
        fields = {f.key.lower(): str(f.value).strip() for f in block.fields}
        records.append(ImportedRecord(rel, line, block.entry_type.lower(), fields, block.key.strip()))
    return records, errors
