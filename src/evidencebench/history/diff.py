"""What changed in a review between two git revisions, in the review's own terms.

A line diff of claims.csv says a row changed; a reviewer needs "ks-05 moved from partly
supported to supported, because ...". So the review files are read at each revision
(`git show REV:path`) into a temporary folder, loaded with `load_review`, and compared
claim by claim, link by link and reference by reference.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..review.errors import InputError
from ..rules.review import Review, load_review

CLAIM_FIELDS_SHOWN = ("quote", "claim", "topic", "claim_type", "rationale")


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed; `evidence diff` reads revisions with git") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return done.stdout


def repo_root(path: Path) -> Path:
    """The top folder of the git repository holding `path`: revisions are read relative to it."""
    return Path(_git(path, "rev-parse", "--show-toplevel").decode().strip()).resolve()


def _wanted(rel: PurePosixPath) -> bool:
    """The files load_review reads."""
    parts = rel.parts
    return (
        rel.as_posix() in ("pyproject.toml", "claims.csv", "evidence.csv")
        or (len(parts) == 2 and parts[0] == "refs" and rel.suffix == ".bib")
        or (len(parts) == 2 and parts[0] == "documents")
    )


def load_at(path: str | Path, rev: str, into: Path) -> Review:
    """The review under `path` as it was at git revision `rev`, materialised in `into`."""
    root = Path(path).resolve()
    top = repo_root(root)
    prefix = root.relative_to(top).as_posix()
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except InputError:
        raise InputError(f"{rev!r} is not a revision of the git repository at {top}") from None
    listing = _git(top, "ls-tree", "-r", "-z", "--name-only", commit, "--", prefix if prefix != "." else ".")
    for name in filter(None, listing.decode("utf-8").split("\0")):
        rel = PurePosixPath(name).relative_to(prefix) if prefix != "." else PurePosixPath(name)
        if not _wanted(rel):
            continue
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git(top, "show", f"{commit}:{name}"))
    return load_review(into)


@dataclass(frozen=True)
class ClaimMove:
    """A claim whose verdict or certainty changed, with the reason now given."""

    id: str
    certainty: tuple[str, str]
    verdict: tuple[str, str]
    rationale: tuple[str, str]


@dataclass
class ReviewDiff:
    old: str
    new: str
    added: list[dict[str, str]] = field(default_factory=list)  # claim rows
    removed: list[dict[str, str]] = field(default_factory=list)
    moved: list[ClaimMove] = field(default_factory=list)
    edited: list[tuple[str, list[str]]] = field(default_factory=list)  # (claim id, fields changed)
    links_added: list[tuple[str, str, str]] = field(default_factory=list)  # (claim, reference, stance)
    links_removed: list[tuple[str, str, str]] = field(default_factory=list)
    stance_changed: list[tuple[str, str, str, str]] = field(default_factory=list)  # claim, ref, old, new
    refs_added: list[tuple[str, str]] = field(default_factory=list)  # (key, title)
    refs_dropped: list[tuple[str, str]] = field(default_factory=list)
    refs_changed: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether nothing a reader would notice changed between the two revisions."""
        return not any(
            (self.added, self.removed, self.moved, self.edited, self.links_added, self.links_removed,
             self.stance_changed, self.refs_added, self.refs_dropped, self.refs_changed)
        )  # fmt: skip


def _claims(review: Review) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for rec in review.files["claims"].records:
        out.setdefault(rec.values.get("id", ""), rec.values)
    return out


def _links(review: Review) -> dict[tuple[str, str], str]:
    return {
        (r.values.get("claim", ""), r.values.get("reference", "")): r.values.get("stance", "")
        for r in review.files["evidence"].records
    }


def diff_reviews(old: Review, new: Review, old_label: str, new_label: str) -> ReviewDiff:
    """What changed between two loaded reviews, in the review's terms: claims, verdicts, links and references."""
    d = ReviewDiff(old_label, new_label)
    a, b = _claims(old), _claims(new)
    d.added = [b[c] for c in b if c not in a]
    d.removed = [a[c] for c in a if c not in b]
    for c in (c for c in b if c in a):
        va, vb = a[c], b[c]
        if (va.get("certainty", ""), va.get("verdict", "")) != (vb.get("certainty", ""), vb.get("verdict", "")):
            d.moved.append(
                ClaimMove(
                    c,
                    (va.get("certainty", ""), vb.get("certainty", "")),
                    (va.get("verdict", ""), vb.get("verdict", "")),
                    (va.get("rationale", ""), vb.get("rationale", "")),
                )
            )
        changed = [k for k in vb if k not in ("certainty", "verdict") and va.get(k, "") != vb.get(k, "")]
        if changed and c not in {m.id for m in d.moved}:
            d.edited.append((c, changed))
        elif changed:
            rest = [k for k in changed if k != "rationale"]
            if rest:
                d.edited.append((c, rest))
    la, lb = _links(old), _links(new)
    d.links_added = [(c, r, s) for (c, r), s in lb.items() if (c, r) not in la]
    d.links_removed = [(c, r, s) for (c, r), s in la.items() if (c, r) not in lb]
    d.stance_changed = [(c, r, la[(c, r)], s) for (c, r), s in lb.items() if (c, r) in la and la[(c, r)] != s]
    ra, rb = old.references, new.references
    d.refs_added = [(k, rb[k].get("title")) for k in rb if k not in ra]
    d.refs_dropped = [(k, ra[k].get("title")) for k in ra if k not in rb]
    for k in (k for k in rb if k in ra):
        changed = sorted(f for f in set(ra[k].fields) | set(rb[k].fields) if ra[k].get(f) != rb[k].get(f))
        if changed or ra[k].entry_type != rb[k].entry_type:
            d.refs_changed.append((k, changed or ["entry type"]))
    return d


def diff_revisions(path: str | Path, rev1: str, rev2: str | None = None) -> ReviewDiff:
    """REV1 against REV2, or against the working tree (uncommitted edits included) without REV2."""
    with tempfile.TemporaryDirectory(prefix="evidence-diff-") as tmp:
        old = load_at(path, rev1, Path(tmp) / "old")
        if rev2 is None:
            new, label = load_review(path), "working tree"
        else:
            new, label = load_at(path, rev2, Path(tmp) / "new"), rev2
        return diff_reviews(old, new, rev1, label)


# -- rendering ---------------------------------------------------------------------------------
def _short(text: str, width: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _arrow(pair: tuple[str, str]) -> str:
    return f"{pair[0] or '—'} → {pair[1] or '—'}"


def render_text(d: ReviewDiff) -> str:
    """The changes as plain text for the terminal."""
    out = [f"Review changes {d.old} → {d.new}"]
    if d.empty:
        return out[0] + ": none"
    if d.added:
        out += ["", f"Claims added ({len(d.added)}):"]
        out += [f"  + {c.get('id')} [{c.get('verdict', '')}]: {_short(c.get('claim') or c.get('quote', ''))}" for c in d.added]
    if d.removed:
        out += ["", f"Claims removed ({len(d.removed)}):"]
        out += [f"  - {c.get('id')}: {_short(c.get('claim') or c.get('quote', ''))}" for c in d.removed]
    if d.moved:
        out += ["", f"Verdict or certainty moved ({len(d.moved)}):"]
        for m in d.moved:
            parts = [f"verdict {_arrow(m.verdict)}" if m.verdict[0] != m.verdict[1] else ""]
            parts.append(f"certainty {_arrow(m.certainty)}" if m.certainty[0] != m.certainty[1] else "")
            out.append(f"  {m.id}: {'; '.join(p for p in parts if p)}")
            out.append(f"    because: {_short(m.rationale[1], 200)}")
            if m.rationale[0] != m.rationale[1]:
                out.append(f"    (was: {_short(m.rationale[0], 200)})")
    if d.edited:
        out += ["", f"Claims edited ({len(d.edited)}):"]
        out += [f"  {c}: {', '.join(fields)}" for c, fields in d.edited]
    if d.links_added or d.links_removed or d.stance_changed:
        out += ["", "Evidence links:"]
        out += [f"  + {c} × {r} ({s})" for c, r, s in d.links_added]
        out += [f"  - {c} × {r} ({s})" for c, r, s in d.links_removed]
        out += [f"  ~ {c} × {r}: {o} → {n}" for c, r, o, n in d.stance_changed]
    if d.refs_added or d.refs_dropped or d.refs_changed:
        out += ["", "References:"]
        out += [f"  + {k}: {_short(t, 70)}" for k, t in d.refs_added]
        out += [f"  - {k}: {_short(t, 70)}" for k, t in d.refs_dropped]
        out += [f"  ~ {k}: {', '.join(f)}" for k, f in d.refs_changed]
    return "\n".join(out)


def render_markdown(d: ReviewDiff) -> str:
    """The changes as Markdown, for a pull request or a notebook."""
    out = [f"# Review changes: {d.old} → {d.new}", ""]
    if d.empty:
        return "\n".join([*out, "No change to claims, evidence links or references.", ""])
    if d.added:
        out += [f"## Claims added ({len(d.added)})", "", "| id | topic | verdict | claim |", "|---|---|---|---|"]
        out += [f"| {c.get('id')} | {c.get('topic')} | {c.get('verdict')} | {_md(c.get('claim') or c.get('quote', ''))} |" for c in d.added]
        out.append("")
    if d.removed:
        out += [f"## Claims removed ({len(d.removed)})", "", "| id | claim |", "|---|---|"]
        out += [f"| {c.get('id')} | {_md(c.get('claim') or c.get('quote', ''))} |" for c in d.removed]
        out.append("")
    if d.moved:
        out += [f"## Verdicts and certainty that moved ({len(d.moved)})", "",
                "| id | verdict | certainty | rationale now |", "|---|---|---|---|"]  # fmt: skip
        out += [f"| {m.id} | {_arrow(m.verdict)} | {_arrow(m.certainty)} | {_md(m.rationale[1])} |" for m in d.moved]
        out.append("")
    if d.edited:
        out += [f"## Claims edited ({len(d.edited)})", ""]
        out += [f"- {c}: {', '.join(fields)}" for c, fields in d.edited]
        out.append("")
    if d.links_added or d.links_removed or d.stance_changed:
        out += ["## Evidence links", ""]
        out += [f"- added: {c} × `{r}` ({s})" for c, r, s in d.links_added]
        out += [f"- removed: {c} × `{r}` ({s})" for c, r, s in d.links_removed]
        out += [f"- stance: {c} × `{r}`: {o} → {n}" for c, r, o, n in d.stance_changed]
        out.append("")
    if d.refs_added or d.refs_dropped or d.refs_changed:
        out += ["## References", ""]
        out += [f"- added: `{k}` {_md(t)}" for k, t in d.refs_added]
        out += [f"- dropped: `{k}` {_md(t)}" for k, t in d.refs_dropped]
        out += [f"- changed: `{k}` ({', '.join(f)})" for k, f in d.refs_changed]
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")
