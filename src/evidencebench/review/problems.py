"""Typed problems with stable codes: `check` returns them, the CLI only prints them.

Codes are part of the public interface (tools and tests match on them); add new ones,
never rename. `docs/problem-codes.md` is generated from `CODES`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

# code -> (fatal, what to do). A fatal problem means the file could not be read at all.
CODES: dict[str, tuple[bool, str]] = {
    "review-not-found": (True, "Pass the folder that holds claims.csv (default: the current folder)."),
    "file-missing": (True, "Create the file (see docs/data-dictionary.md for its columns)."),
    "file-unreadable": (True, "Check the file's permissions and that it is a regular file."),
    "file-special": (True, "Replace it with a regular file: FIFOs, devices and sockets are never read."),
    "settings-invalid": (False, "Fix [tool.evidencebench] in pyproject.toml; defaults were used meanwhile."),
    "settings-unknown-key": (False, "Fix the key's spelling or remove it; unknown settings are ignored."),
    "settings-citation-style": (False, "Name an installed CSL style in citation_style (e.g. apa, vancouver)."),
    "settings-question-topic": (False, "Key each entry of `questions` by one of the `topics`; this question is not shown."),
    "base-url-missing": (
        False,
        "Set base_url in [tool.evidencebench] to the address where reports/ is published: published ClaimReview needs absolute urls.",
    ),
    "text-encoding": (False, "Save the file as UTF-8; undecodable bytes were replaced when reading."),
    "document-path": (False, "Name a file inside documents/ (no absolute path, no '..')."),
    "csv-empty": (True, "The file has no header; restore it from git or write the header line."),
    "csv-bom": (False, "Save the file as UTF-8 without a byte-order mark."),
    "csv-crlf": (False, "Save the file with LF line endings (.gitattributes keeps them so)."),
    "csv-cr": (False, "Save the file with LF line endings; lone CR line ends are misread by most tools."),
    "value-control-character": (False, "Remove the control character (NUL, escape, ...) from the cell; it is invisible in most editors."),
    "csv-encoding": (False, "Save the file as UTF-8; the bytes shown were replaced when reading."),
    "csv-unbalanced-quote": (True, "Close the quoted field that starts on this line with a \"."),
    "csv-column-count": (False, "Make the row have one value per header column (quote commas)."),
    "csv-missing-column": (True, "Add the column to the header (see docs/data-dictionary.md)."),
    "csv-missing-optional-column": (False, "Add the column to the header; its cells are read as empty meanwhile."),
    "csv-unknown-column": (False, "Remove or rename the column; known columns are listed in the data dictionary."),
    "csv-duplicate-column": (True, "Keep one column of that name in the header."),
    "value-required": (False, "Fill in the value."),
    "value-type": (False, "Write a value of the column's type."),
    "value-vocabulary": (False, "Use one of the allowed values listed."),
    "value-pattern": (False, "Write the value in the form the data dictionary gives."),
    "duplicate-id": (False, "Give each row its own id; ids never change once used."),
    "duplicate-link": (False, "Keep one row per claim and reference."),
    "unknown-document": (False, "Use an id from documents/index.csv or register the document."),
    "unknown-claim": (False, "Use an id from claims.csv."),
    "unknown-reference": (False, "Add the reference to refs/*.bib or fix the key."),
    "reference-uncited": (False, "Link the reference in evidence.csv or remove it from refs/."),
    "reference-unverified": (False, "Add the url of the public page the entry was checked against."),
    "reference-no-identifier": (False, "Add the DOI or PMID seen on the checked page."),
    "reference-field": (False, "Fix the field as the data dictionary describes."),
    "duplicate-study": (False, "Keep the study under one key and point every link at it."),
    "doi-malformed": (False, "Write the DOI as 10.xxxx/..., without https://doi.org/."),
    "pmid-malformed": (False, "Write the PMID as digits only."),
    "bib-parse": (False, "Balance the braces/quotes of this entry; the entry was skipped."),
    "bib-duplicate-key": (False, "Rename or merge the second entry; the first one is used."),
    "bib-key-case": (False, "Keys may not differ only in case (citation tools fold case): rename one."),
    "bib-missing-key": (False, "Give the entry a citation key after its opening brace."),
    "bib-undefined-string": (False, "Define the @string macro or put the value in braces."),
    "document-file-missing": (False, "Put the verbatim text under documents/ or fix `file`."),
    "document-changed": (False, "The text no longer matches its sha256: review the change, then run `evidence anchor`."),
    "document-unindexed": (False, "Register the file in documents/index.csv (evidence extract does this)."),
    "quote-moved": (False, "Run `evidence anchor` to record the new offsets."),
    "quote-not-found": (False, "The quote is not in the document: re-quote the claim or retire it."),
    "certainty-mismatch": (False, "Store the certainty the GRADE judgments give (shown)."),
    "certainty-without-evidence": (False, "Leave certainty empty: no supporting or contradicting study is linked."),
    "verdict-mismatch": (False, "Store the verdict the rules give (shown), or 'misleading' with a rationale."),
    "reason-missing": (False, "Say why the domain was downgraded or upgraded."),
    "indirectness-required": (False, "Claims about people resting only on animal or cell work need indirectness 'serious' or worse."),
    "rationale-missing": (False, "Write the plain-language reason for the verdict."),
    "link-exposure-mismatch": (
        False,
        "Mark the link indirect, or judge the claim's indirectness serious and say why this study still counts.",
    ),
    "link-population-mismatch": (
        False,
        "Mark the link indirect, or judge the claim's indirectness serious and say why this population still counts.",
    ),
    "link-use-as-effect": (False, "Mark the link indirect: reasons for use or prevalence do not show an effect."),
    "link-lab-as-effect": (
        False,
        "Mark the link indirect, or judge the claim's indirectness serious: a laboratory result is not an effect in people.",
    ),
    "link-pico-missing": (False, "Say what the study measured (outcome) and where on its page the finding is stated."),
    "link-stance-inconsistent": (
        False,
        "Look again: give the study the same stance for both claims, or describe the two outcomes so they differ.",
    ),
    "screening-record-field": (False, "Give the screening record a title (or, for a page known only by description, a description) and the search that found it."),
    "screening-unknown-search": (False, "Name a search id or group of searches.csv in the record's `search` field, or add the search to searches.csv."),
    "screening-unknown-record": (False, "Name a record key of screening/*.bib; records are never renamed once screened."),
    "screening-duplicate-decision": (False, "Keep one decision per record and stage on each sheet (`evidence screen decide` replaces it)."),
    "screening-reason": (False, "Give an excluded record a reason from the exclusion_reasons setting; an included one has none."),
    "screening-stage-order": (False, "Remove the full-text decision, or settle the title/abstract decision as include first."),
    "screening-not-promoted": (False, "Run `evidence screen promote` to copy the included record into refs/, then verify it (url, design, population)."),
    "screening-excluded-reference": (False, "The record was excluded in screening: remove it from refs/, or settle its screening as include."),
    "search-records-too-few": (
        False,
        "The search found fewer records than the screening library says it did: correct `records` in searches.csv or the records' `search` field.",
    ),
    "search-group-clash": (False, "Give the group a name that is not the id of a search."),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a review, located precisely enough to fix it."""

    file: str
    line: int
    code: str
    message: str

    @property
    def fatal(self) -> bool:
        """Whether the file could not be read at all (exit status 2)."""
        return CODES[self.code][0]

    @property
    def hint(self) -> str:
        """What to do about it, from the code registry."""
        return CODES[self.code][1]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code}: {self.message} — {self.hint}"

    def to_dict(self) -> dict[str, object]:
        """The problem with its hint and fatality, for JSON output."""
        return {**asdict(self), "hint": self.hint, "fatal": self.fatal}


CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""Every control character, line ends and tabs included: what a one-line message must escape."""

FORBIDDEN_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no cell or field value should hold. Tab and line ends are allowed (a cell
may span lines); the rest are invisible in most editors and are never meant."""
FORBIDDEN_CONTROL_BYTES = bytes(c for c in range(0x80) if FORBIDDEN_CONTROL.match(chr(c)))
"""The same set as bytes: in UTF-8 they stand only for themselves, so one pass over a file's raw
bytes finds them."""


def printable(text: str) -> str:
    """`text` with newlines and control characters escaped, so one problem is always one line."""
    return CONTROL.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group(0), f"\\x{ord(m.group(0)):02x}"), text)


def problem(file: str, line: int, code: str, message: str) -> Problem:
    """A problem at `file:line`; the line is at least 1 (a file-level problem points at its top)."""
    if code not in CODES:  # a programming error, not bad input
        raise ValueError(f"unknown problem code {code!r}")
    return Problem(printable(file), max(int(line), 1), code, printable(message))


def exit_code(problems: Iterable[Problem]) -> int:
    """0 clean, 1 problems found, 2 some input could not be read at all."""
    items = list(problems)
    if any(p.fatal for p in items):
        return 2
    return 1 if items else 0


def to_json(problems: Iterable[Problem]) -> str:
    """Problems as a sorted JSON list, for tools."""
    return json.dumps([p.to_dict() for p in sorted(problems)], ensure_ascii=False, indent=2)
