"""BibTeX files from elsewhere (Zotero, JabRef, a journal page, a colleague) read into ImportedRecord.

bibtexparser 2 splits the file; its middlewares clean every entry — `@string` macros resolved,
delimiting braces and quotes removed — plus one of ours for what bibtexparser leaves alone: `#`
concatenation and the month macros. bibtexparser only hands *valid* entries to middlewares, so an
entry whose key repeats another's, or that has no key, or that repeats a field, would otherwise
stay raw (doubled braces, unresolved macros). Here each of those is unwrapped first and given a
temporary unique key, so every entry goes through the same cleaning; the key as written is kept
for `crossref` links and `--keep-keys`.

Two things are smoothed before parsing without moving any line: an entry with no key
(`@article{ title = ...`) gets an empty one, and CRLF becomes LF. An entry bibtexparser cannot
parse is reported by line and skipped; a field given twice keeps its first value, as BibTeX does.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import Library, model
from bibtexparser.middlewares import (
    LibraryMiddleware,
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
)

from ..review.references import BIBTEX_MONTHS
from .bibentry import ImportedRecord, Malformed, canonical

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

_NO_KEY = re.compile(r"(@\s*(?!string\b|preamble\b|comment\b)[A-Za-z]+\s*[{(])(\s*)(?=[A-Za-z][\w-]*\s*=)", re.I)
_BARE = re.compile(r"^[^\s{}\"#]+$")
_UNDEFINED = "evidencebench_undefined_strings"


def _split_concat(raw: str) -> list[str]:
    """The parts of `a # {b} # "c"`, splitting only at `#` outside braces and quotes."""
    parts, depth, quote, cur = [], 0, False, []
    for i, ch in enumerate(raw):
        escaped = i > 0 and raw[i - 1] == "\\"
        if ch == "{" and not escaped:
            depth += 1
        elif ch == "}" and not escaped:
            depth = max(depth - 1, 0)
        elif ch == '"' and depth == 0:
            quote = not quote
        if ch == "#" and depth == 0 and not quote:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur).strip())
    return parts


def _delimited(part: str) -> bool:
    """`{…}` or `"…"`: a literal, as opposed to a macro name or a number."""
    return len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"'))


class ResolveConcatenationMiddleware(LibraryMiddleware):
    """`journal = jtp # " (online)"` and `month = feb`: the values bibtexparser's own
    ResolveStringReferencesMiddleware leaves as written, resolved and braced, so that its
    RemoveEnclosingMiddleware then treats them like any other value. An undefined macro is
    kept as text and named in the entry's parser metadata, for a note."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    @classmethod
    def metadata_key(cls) -> str:
        """The name bibtexparser files this middleware's metadata under."""
        return "ResolveConcatenation"

    def transform(self, library: Library) -> Library:
        """Resolve @string macros and `#` concatenations in every field, noting undefined macros instead of failing."""
        strings: dict[str, str] = dict(BIBTEX_MONTHS)
        for block in library.strings:  # in file order: a macro may use an earlier one
            strings[block.key.lower()] = self._resolve(str(block.value), strings, [])
        for entry in library.entries:
            undefined: list[str] = []
            for f in entry.fields:
                value = f.value if isinstance(f.value, str) else str(f.value)
                stripped = value.strip()
                if _delimited(stripped) and ("#" not in stripped or len(_split_concat(stripped)) == 1):
                    continue  # a plain {value} or "value": RemoveEnclosingMiddleware's job
                f.value = "{" + self._resolve(stripped, strings, undefined) + "}"
            if undefined:
                entry.parser_metadata[_UNDEFINED] = undefined
        return library

    @staticmethod
    def _resolve(raw: str, strings: dict[str, str], undefined: list[str]) -> str:
        out: list[str] = []
        for part in _split_concat(raw):
            if _delimited(part):
                out.append(part[1:-1])
            elif part.isdigit():
                out.append(part)
            elif part.lower() in strings:
                out.append(strings[part.lower()])
            elif part:
                if _BARE.match(part):
                    undefined.append(part)
                out.append(part)
        return "".join(out)


def _clean(library: Library) -> Library:
    """bibtexparser's middlewares, with ours between them (see the module docstring)."""
    for middleware in (
        ResolveStringReferencesMiddleware(allow_inplace_modification=True),
        ResolveConcatenationMiddleware(),
        RemoveEnclosingMiddleware(allow_inplace_modification=True),
    ):
        library = middleware.transform(library)
    return library


def parse(text: str, rel: str) -> tuple[list[ImportedRecord], list[Malformed]]:
    """Every entry of a BibTeX file, cleaned; what cannot be read, by line."""
    text = _NO_KEY.sub(r"\1,\2", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = bibtexparser.parse_string(text, parse_stack=[])
    problems: list[Malformed] = []
    strings: dict[str, model.String] = {}
    entries: list[tuple[model.Entry, str, int]] = []  # (entry, key as written, line)
    for block in raw.blocks:
        line = (block.start_line or 0) + 1
        inner = getattr(block, "ignore_error_block", None)
        if isinstance(block, model.DuplicateFieldKeyBlock | model.DuplicateBlockKeyBlock) and inner is not None:
            block = inner
        if isinstance(block, model.String):
            strings.pop(block.key, None)
            strings[block.key] = block  # a later definition wins, as in BibTeX
        elif isinstance(block, model.Entry):
            entries.append((block, block.key.strip(), line))
        elif isinstance(block, model.ParsingFailedBlock):
            first = (block.raw or "").strip().splitlines()[0][:60] if (block.raw or "").strip() else ""
            problems.append(
                Malformed(rel, line, f"entry could not be parsed (unbalanced braces or quotes?): {first!r}; skipped")
            )
    for n, (entry, _, _) in enumerate(entries):
        entry.key = f"\x00{n}"  # unique, so duplicate- and empty-key entries are cleaned too
    cleaned = _clean(Library([*strings.values(), *(e for e, _, _ in entries)])).entries_dict
    records: list[ImportedRecord] = []
    for n, (_, key, line) in enumerate(entries):
        entry = cleaned[f"\x00{n}"]
        fields: dict[str, str] = {}
        for f in entry.fields:
            name = f.key.strip().lower()
            value = canonical(str(f.value))
            if name not in fields:
                fields[name] = value
            elif fields[name] != value:
                problems.append(
                    Malformed(rel, line, f"field {name!r} is given twice with different values; the first is kept", False)
                )
        undefined = entry.parser_metadata.get(_UNDEFINED) or []
        if undefined:
            names = ", ".join(sorted(set(undefined)))
            problems.append(Malformed(rel, line, f"undefined @string {names}: kept as text", False))
        records.append(ImportedRecord(rel, line, entry.entry_type.lower(), fields, key))
    return records, problems
