"""Blinded rating sheets: `ratings/<reviewer>.csv`, one per reviewer, plus `consensus.csv`.

Each reviewer rates the claims on a sheet of their own, without seeing the other's or
the judgments in claims.csv (`blank_sheet` writes one holding only claim ids). The sheet
has the GRADE judgment columns of claims.csv, the verdict and one `reasons` cell, in
which a reason can be labelled by domain ("imprecision: 26 participants; ...") so it can
be carried into the matching `<domain>_reason` column when the judgments are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..review import schema, vocab
from ..review.atomic import atomic_write_text, fingerprint
from ..review.csvfile import CsvFile, format_record, read_csv
from ..review.errors import InputError
from ..rules.review import Review

JUDGMENTS: tuple[str, ...] = vocab.JUDGMENT_FIELDS
CONSENSUS = "consensus"

RATINGS = schema.Table(
    name="ratings",
    path="ratings/<reviewer>.csv",
    title="Rating sheet",
    description="One reviewer's independent GRADE judgments and verdict per claim (or the consensus).",
    primary_key=("claim",),
    foreign_keys=(("claim", "claims", "id"),),
    fields=(
        schema.Field("claim", "Claim id from claims.csv."),
        *(schema.CLAIMS.field(name) for name in JUDGMENTS),
        schema.CLAIMS.field("verdict"),
        schema.Field(
            "reasons",
            "Why; a part labelled 'domain: ...' (e.g. 'imprecision: 26 participants') fills that domain's reason.",
            required=False,
        ),
        schema.Field(
            "decided_by",
            "In consensus.csv: who decided (the reviewers who met, or the adjudicator). Empty on a reviewer's own sheet.",
            required=False,
        ),
    ),
)

LINK_RATINGS = schema.Table(
    name="link_ratings",
    path="ratings/<reviewer>.links.csv",
    title="Link rating sheet",
    description=(
        "One reviewer's independent reading of each evidence link: the stance the study can carry for the "
        "claim and what it examined (or the consensus, in consensus.links.csv)."
    ),
    primary_key=("claim", "reference"),
    foreign_keys=(("claim", "claims", "id"),),
    fields=(
        schema.Field("claim", "Claim id from claims.csv."),
        schema.Field("reference", "BibTeX key of the linked reference (a link in evidence.csv)."),
        *(schema.EVIDENCE.field(name) for name in ("stance", "exposure", "outcome_kind")),
        *(
            schema.Field(f.name, f.description, required=False)
            for f in (schema.EVIDENCE.field(n) for n in ("outcome", "source_location", "finding"))
        ),
        schema.Field("reasons", "Why this stance, in a few words.", required=False),
        schema.Field("decided_by", "In consensus.links.csv: who decided. Empty on a reviewer's own sheet.", required=False),
    ),
)
LINKS_SUFFIX = ".links"
"""A reviewer's link sheet sits beside the claims sheet: ratings/<reviewer>.links.csv."""
LINK_FIELDS: tuple[str, ...] = ("stance", "exposure", "outcome_kind", "outcome", "source_location", "finding")

_LABEL = re.compile(rf"\b({'|'.join(JUDGMENTS)}|upgrade|verdict)\s*:\s*", re.I)
"""A labelled part of `reasons`; 'verdict:' ends the part before it but is not a domain's reason."""


@dataclass(frozen=True)
class Rating:
    """One reviewer's judgments on one claim."""

    claim: str
    judgments: dict[str, str]
    verdict: str
    reasons: str
    line: int

    decided_by: str = ""

    def same_as(self, other: Rating) -> bool:
        """Whether two reviewers reached the same judgments and verdict (reasons may differ)."""
        return self.judgments == other.judgments and self.verdict == other.verdict


@dataclass(frozen=True)
class LinkRating:
    """One reviewer's reading of one evidence link."""

    claim: str
    reference: str
    values: dict[str, str]  # stance, exposure, outcome_kind, outcome, source_location, finding
    reasons: str
    line: int
    decided_by: str = ""

    @property
    def stance(self) -> str:
        """The stance this reviewer gave the link."""
        return self.values["stance"]


@dataclass
class RatingSheet:
    """A reviewer's sheet (or the consensus): claim judgments and, when rated, each link's reading."""

    name: str  # the reviewer (file stem), or "consensus"
    rel: str
    ratings: dict[str, Rating] = field(default_factory=dict)
    links: dict[tuple[str, str], LinkRating] = field(default_factory=dict)
    links_rel: str = ""


def labelled_reasons(reasons: str) -> dict[str, str]:
    """'imprecision: few people; risk_of_bias: open label' -> {domain: text}."""
    marks = list(_LABEL.finditer(reasons))
    out: dict[str, str] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(reasons)
        text = reasons[m.end() : end].strip().rstrip(";").strip()
        if text and m.group(1).lower() != "verdict":
            out[m.group(1).lower()] = text
    return out


def read_sheet(path: Path, rel: str, claim_ids: set[str]) -> RatingSheet:
    """A rating sheet, or InputError listing every bad cell (statistics on a half-valid
    sheet would mislead, so nothing is computed until it is fixed)."""
    csvfile: CsvFile = read_csv(path, rel, RATINGS)
    errors = [str(p) for p in csvfile.problems if p.fatal or p.code in ("csv-unknown-column", "csv-column-count")]
    sheet = RatingSheet(path.stem, rel)
    for rec in csvfile.records:
        v = rec.values
        claim = v.get("claim", "").strip()
        where = f"{rel}:{rec.line}"
        if claim not in claim_ids:
            errors.append(f"{where}: claim {claim!r} is not in claims.csv")
            continue
        if claim in sheet.ratings:
            errors.append(f"{where}: claim {claim} is rated twice (first on line {sheet.ratings[claim].line})")
            continue
        for name in (*JUDGMENTS, "verdict"):
            allowed = RATINGS.field(name).enum or ()
            if v.get(name, "") not in allowed:
                errors.append(f"{where}: {name} {v.get(name, '')!r} is not one of: {', '.join(allowed)}")
        sheet.ratings[claim] = Rating(
            claim, {n: v.get(n, "") for n in JUDGMENTS}, v.get("verdict", ""), v.get("reasons", ""), rec.line,
            v.get("decided_by", "").strip(),
        )
    if errors:
        raise InputError("\n".join(errors))
    return sheet


def read_link_sheet(path: Path, rel: str, sheet: RatingSheet, links: set[tuple[str, str]], exposures: tuple[str, ...]) -> None:
    """Add a link sheet's readings to `sheet`, or InputError listing every bad cell."""
    csvfile: CsvFile = read_csv(path, rel, LINK_RATINGS)
    errors = [str(p) for p in csvfile.problems if p.fatal or p.code in ("csv-unknown-column", "csv-column-count")]
    allowed = {"stance": vocab.STANCES, "exposure": exposures, "outcome_kind": vocab.OUTCOME_KINDS}
    for rec in csvfile.records:
        v = rec.values
        key = (v.get("claim", "").strip(), v.get("reference", "").strip())
        where = f"{rel}:{rec.line}"
        if not any(v.get(n, "").strip() for n in (*LINK_FIELDS, "reasons")):
            continue  # a link not read yet: a blank sheet lists every link before the rater reaches it
        if key not in links:
            errors.append(f"{where}: {key[0]} / {key[1]} is not a link in evidence.csv")
            continue
        if key in sheet.links:
            errors.append(f"{where}: {key[0]} / {key[1]} is rated twice (first on line {sheet.links[key].line})")
            continue
        for name, values in allowed.items():
            if v.get(name, "") not in values:
                errors.append(f"{where}: {name} {v.get(name, '')!r} is not one of: {', '.join(values)}")
        sheet.links[key] = LinkRating(
            *key, {n: v.get(n, "") for n in LINK_FIELDS}, v.get("reasons", ""), rec.line, v.get("decided_by", "").strip()
        )
    if errors:
        raise InputError("\n".join(errors))
    sheet.links_rel = rel


def read_ratings(review: Review, folder: str | Path = "ratings") -> tuple[dict[str, RatingSheet], RatingSheet | None]:
    """Every reviewer's sheet in the folder (with its link sheet, if any), and the consensus if there is one."""
    base = Path(folder) if Path(folder).is_absolute() else review.root / folder
    if not base.is_dir():
        raise InputError(f"{folder}: no such folder; each reviewer rates on {folder}/<name>.csv")
    ids = {r.values.get("id", "") for r in review.files["claims"].records}
    links = set(zip(review.evidence["claim"].tolist(), review.evidence["reference"].tolist(), strict=True))
    sheets: dict[str, RatingSheet] = {}
    consensus = None
    for path in sorted(base.glob("*.csv")):
        if path.stem.endswith(LINKS_SUFFIX):
            owner = path.with_name(path.stem[: -len(LINKS_SUFFIX)] + ".csv")
            if not owner.is_file():
                raise InputError(f"{_rel(path, review.root)}: no claims sheet {owner.name} beside it; rename one of them")
            continue  # read with its claims sheet
        rel = _rel(path, review.root)
        sheet = read_sheet(path, rel, ids)
        link_path = path.with_name(f"{path.stem}{LINKS_SUFFIX}.csv")
        if link_path.is_file():
            read_link_sheet(link_path, _rel(link_path, review.root), sheet, links, review.settings.exposures)
        if path.stem == CONSENSUS:
            consensus = sheet
        else:
            sheets[path.stem] = sheet
    return sheets, consensus


def pick_pair(sheets: dict[str, RatingSheet], names: list[str] | None = None) -> tuple[RatingSheet, RatingSheet]:
    """The two sheets to compare: those named, or the only two there are."""
    if names:
        missing = [n for n in names if n not in sheets]
        if missing or len(names) != 2:
            raise InputError(f"name two reviewers among: {', '.join(sheets) or '(none)'}")
        return sheets[names[0]], sheets[names[1]]
    if len(sheets) != 2:
        raise InputError(
            f"found {len(sheets)} rating sheet(s) ({', '.join(sheets) or 'none'}); "
            "dual rating compares two: name them with --reviewer A --reviewer B"
        )
    a, b = sorted(sheets)
    return sheets[a], sheets[b]


def blank_sheet(review: Review, name: str, folder: str | Path = "ratings") -> Path:
    """A new sheet holding only the claim ids, so a rater sees no one else's judgments.

    Beside it, `<name>.links.csv` lists every evidence link by claim and reference only, for the
    rater's own stance and reading of what each study examined.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name) or name == CONSENSUS:
        raise InputError(f"reviewer name {name!r}: use lower-case letters, digits, '.', '_' or '-' (not 'consensus')")
    base = Path(folder) if Path(folder).is_absolute() else review.root / folder
    path = base / f"{name}.csv"
    if path.exists():
        raise InputError(f"{_rel(path, review.root)} exists; a rating sheet is never overwritten")
    base.mkdir(parents=True, exist_ok=True)
    lines = [format_record(RATINGS.columns)]
    lines += [format_record([r.values.get("id", "")] + [""] * (len(RATINGS.columns) - 1)) for r in review.files["claims"].records]
    link_path = base / f"{name}{LINKS_SUFFIX}.csv"
    if link_path.exists():
        raise InputError(f"{_rel(link_path, review.root)} exists; a rating sheet is never overwritten")
    link_lines = [format_record(LINK_RATINGS.columns)]
    blank = [""] * (len(LINK_RATINGS.columns) - 2)
    link_lines += [
        format_record([r.values.get("claim", ""), r.values.get("reference", ""), *blank])
        for r in review.files["evidence"].records
    ]
    atomic_write_text(path, "\n".join(lines) + "\n", expected=fingerprint(b""))
    atomic_write_text(link_path, "\n".join(link_lines) + "\n", expected=fingerprint(b""))
    return path


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)
