"""Every column of every review file, defined once.

Loading, `check`, the data dictionary, the Frictionless Table Schemas and the report's
labels all derive from these definitions, so a column changes here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import vocab

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    type: str = "string"  # string | integer | date
    required: bool = True
    enum: tuple[str, ...] | None = None
    enum_from_setting: str | None = None  # e.g. "topics": the vocabulary lives in settings
    pattern: str | None = None
    unique: bool = False
    separator: str | None = None  # e.g. "; ": the cell may hold several allowed values

    def values(self, cell: str) -> list[str]:
        """The cell's values: one, or several when the column allows a list."""
        if self.separator is None:
            return [cell]
        return [part.strip() for part in cell.split(self.separator.strip())]


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # relative to the review root
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)
    optional: bool = False
    """True when a review may lack the file (e.g. a review without recorded searches): a missing
    optional file is read as empty, not reported as missing."""

    @property
    def columns(self) -> list[str]:
        """The column names in file order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """The field of that name; KeyError when the table has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


def _downgrade(domain: str, what: str) -> tuple[Field, Field]:
    return (
        Field(
            domain,
            f"GRADE downgrade for {what}: how much it lowers certainty.",
            enum=vocab.DOWNGRADE_LEVELS,
        ),
        Field(
            f"{domain}_reason",
            f"Why {domain.replace('_', ' ')} was judged as it was; required unless 'not serious'.",
            required=False,
        ),
    )


DOCUMENTS = Table(
    name="documents",
    path="documents/index.csv",
    title="Documents under review",
    description="One row per third-party text kept verbatim under documents/.",
    primary_key=("id",),
    fields=(
        Field("id", "Stable document id, used by claims.", pattern=ID_PATTERN, unique=True),
        Field(
            "file",
            "File name of the verbatim text, relative to documents/; for a saved web page or a PDF, "
            "the text extracted from it (the original is kept beside it and named in `note`).",
        ),
        Field("title", "Title as it appears in the document or its metadata."),
        Field("url", "Original address; empty when not known (never guessed).", required=False),
        Field("publisher", "Who published it; empty when not known.", required=False),
        Field("accessed", "Date the text was obtained (YYYY-MM-DD).", type="date"),
        Field(
            "sha256",
            "SHA-256 of the text file's bytes, so a changed document is detected.",
            pattern=r"^[0-9a-f]{64}$",
        ),
        Field(
            "note",
            "Anything a reader should know about the source. For text extracted from a web page or PDF, "
            "`evidence extract` writes `original: <file> (<saved web page or PDF>), sha256 <hash>; text extracted "
            "with <tool>`, then the author and date its metadata gives.",
            required=False,
        ),
    ),
)

CLAIMS = Table(
    name="claims",
    path="claims.csv",
    title="Claims",
    description=(
        "One row per atomic claim: where it is in its document, what it says as a testable "
        "sentence, the GRADE judgments on its evidence, certainty and verdict."
    ),
    primary_key=("id",),
    foreign_keys=(("document", "documents", "id"),),
    fields=(
        Field("id", "Stable claim id.", pattern=ID_PATTERN, unique=True),
        Field("document", "Id of the document the quote comes from."),
        Field(
            "topic",
            "Review topic; the vocabulary is the `topics` setting.",
            enum_from_setting="topics",
        ),
        Field("claim_type", "What kind of statement the claim is.", enum=vocab.CLAIM_TYPES),
        Field("quote", "The document's words, verbatim; never rewritten by tools."),
        Field("start", "Character offset where the quote starts in the document text.", "integer"),
        Field("end", "Character offset just after the quote ends.", "integer"),
        Field("prefix", "Up to 32 characters of text before the quote.", required=False),
        Field("suffix", "Up to 32 characters of text after the quote.", required=False),
        Field("claim", "The claim restated as one testable sentence (who, what, which outcome)."),
        Field(
            "exposure",
            "What the claim is about (the I of PICO); the vocabulary is the `exposures` setting. "
            "A claim about several (e.g. two compounds) lists them separated by '; '.",
            enum_from_setting="exposures",
            separator="; ",
        ),
        Field(
            "population",
            "Whom the claim speaks of: humans, animals, cells, or none (a claim about a product or molecule).",
            enum=vocab.POPULATIONS,
        ),
        Field(
            "central",
            "yes when the claim is one of the document's central claims (the report's bottom line leads with them).",
            required=False,
            enum=("yes", "no"),
        ),
        *_downgrade("risk_of_bias", "risk of bias in the studies"),
        *_downgrade("inconsistency", "inconsistency between studies"),
        *_downgrade("indirectness", "indirectness (population, exposure or outcome differ)"),
        *_downgrade("imprecision", "imprecision (few participants or events, wide intervals)"),
        *_downgrade("publication_bias", "suspected publication bias"),
        Field("large_effect", "GRADE upgrade for a large effect.", enum=vocab.UPGRADE_LEVELS["large_effect"]),
        Field(
            "dose_response",
            "GRADE upgrade for a dose-response gradient.",
            enum=vocab.UPGRADE_LEVELS["dose_response"],
        ),
        Field(
            "plausible_confounding",
            "GRADE upgrade when plausible confounding would reduce the effect seen.",
            enum=vocab.UPGRADE_LEVELS["plausible_confounding"],
        ),
        Field("upgrade_reason", "Why any upgrade was applied; required with an upgrade.", required=False),
        Field(
            "certainty",
            "GRADE certainty computed from the judgments; empty when no evidence was rated.",
            required=False,
            enum=vocab.CERTAINTY_LEVELS,
        ),
        Field("verdict", "Verdict that follows from certainty and direction.", enum=vocab.VERDICTS),
        Field("rationale", "Plain-language reason for the verdict, for a lay reader."),
        Field("decided_by", "Who set the judgments (reviewer or consensus record).", required=False),
    ),
)

EVIDENCE = Table(
    name="evidence",
    path="evidence.csv",
    title="Evidence links",
    description=(
        "Which reference bears on which claim, in which direction, what the study examined for it "
        "(exposure, outcome) and where on its checked page the finding is stated."
    ),
    primary_key=("claim", "reference"),
    foreign_keys=(("claim", "claims", "id"),),
    fields=(
        Field("claim", "Claim id."),
        Field("reference", "BibTeX key of a reference in refs/*.bib."),
        Field("stance", "Direction the study bears on the claim.", enum=vocab.STANCES),
        Field(
            "exposure",
            "What the study gave or measured for this claim; the vocabulary is the `exposures` setting.",
            enum_from_setting="exposures",
        ),
        Field("outcome_kind", "What kind of outcome the study measured for this claim.", enum=vocab.OUTCOME_KINDS),
        Field(
            "outcome",
            "What the study measured, in a few words; required for supports and contradicts.",
            required=False,
        ),
        Field(
            "source_location",
            "Where on the checked page the finding is stated (e.g. 'abstract: results', 'Table 2'); "
            "required for supports and contradicts.",
            required=False,
        ),
        Field("finding", "One sentence, in the reviewer's words, of what the study found."),
    ),
)

SEARCHES = Table(
    name="searches",
    path="searches.csv",
    title="Searches",
    description=(
        "One row per search run for the review: which source, which query, when, and how many records it "
        "found. Records in the screening library (`screening/*.bib`) name the searches that found them, so "
        "the PRISMA flow diagram counts records identified per source from these rows. Optional: a review "
        "whose references came from no recorded search has no such file."
    ),
    primary_key=("id",),
    optional=True,
    fields=(
        Field("id", "Stable search id, named by the `search` field of screening records.", pattern=ID_PATTERN, unique=True),
        Field(
            "source",
            "The database or other source searched (e.g. PubMed, Embase, a store of public web pages); the flow "
            "diagram counts records identified per source.",
        ),
        Field("query", "The query exactly as run; empty when it was not recorded.", required=False),
        Field("date", "Date the search was run (YYYY-MM-DD); empty when it was not recorded.", type="date", required=False),
        Field(
            "records",
            "Number of records the search found (as the source reported it, or as its export held); empty when "
            "it was not recorded, and the flow diagram then counts the screening records that name the search.",
            type="integer",
            required=False,
        ),
        Field(
            "group",
            "A set of searches run together (e.g. one theme of the review): a screening record may name the group "
            "when which of its searches found the record was not recorded.",
            required=False,
            pattern=ID_PATTERN,
        ),
        Field("note", "Anything a reader should know about the search.", required=False),
    ),
)

TABLES: tuple[Table, ...] = (DOCUMENTS, CLAIMS, EVIDENCE, SEARCHES)

REFERENCE_FIELDS: tuple[Field, ...] = (
    Field("key", "BibTeX citation key; unique ignoring case.", pattern=r"^[A-Za-z0-9_:.\-+/]+$"),
    Field("author", "Authors as shown on the checked page.", required=False),
    Field("title", "Title as shown on the checked page."),
    Field("journal", "Journal, for articles.", required=False),
    Field("year", "Year of publication.", required=False),
    Field("volume", "Volume, when seen.", required=False),
    Field("number", "Issue, when seen.", required=False),
    Field("pages", "Pages or article number, when seen.", required=False),
    Field("doi", "DOI, e.g. 10.1000/xyz (no resolver prefix).", required=False, pattern=r"^10\.\d{4,9}/\S+$"),
    Field("pmid", "PubMed id: digits only.", required=False, pattern=r"^[1-9]\d{0,8}$"),
    Field("pmcid", "PubMed Central id, e.g. PMC1234567.", required=False, pattern=r"^PMC\d+$"),
    Field("url", "The public page the entry was checked against."),
    Field("design", "Study design; sets the GRADE starting level.", enum=vocab.DESIGNS),
    Field("population", "Who or what was studied.", enum=vocab.POPULATIONS),
    Field("n", "Number of participants, animals or samples, when stated.", required=False),
    Field(
        "review_of",
        "For reviews: the design of the studies reviewed, when all share one.",
        required=False,
        enum=vocab.DESIGNS,
    ),
)
"""Fields of refs/*.bib entries that the workbench reads (others are kept untouched)."""


def table(name: str) -> Table:
    """A review table by name; KeyError when there is none."""
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)
