"""The rating form for notebooks: ipywidgets over `evidencebench.rating.form`.

Everything a rating means (what a reviewer may see, what is complete, how the sheets are written)
lives in `rating.form` and is tested there; this module only lays it out as widgets and moves values
between the widgets and a `ClaimRating`. ipywidgets is imported when a form is built, so importing
the package never needs it.

Every input carries a CSS class (`eb-reviewer`, `eb-claim`, `eb-judgment-<domain>`,
`eb-reason-<label>`, `eb-verdict`, `eb-reason-general`, `eb-link-<n>` with `eb-stance`, ...,
`eb-save`, `eb-status`) so a browser test, or a person writing a user script, can find it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ..rating import form
from ..rating.sheets import JUDGMENTS
from ..review import vocab
from ..review.errors import InputError
from ..rules.review import Review
from .reviewer_form import BLANK, WIDE, ReviewerForm, link_html

__all__ = ["RatingForm", "card_html", "rating_form"]


def rating_form(review: Review, reviewer: str = "", folder: str | Path = "ratings", claims: list[str] | None = None) -> RatingForm:
    """A form for one reviewer to rate claims one by one (display it in a notebook cell).

    `reviewer` fills the name box (the sheets are ratings/<reviewer>.csv and .links.csv under
    `folder`); `claims` limits the form to some claim ids, in claims.csv order by default.
    Nothing is written until the reviewer presses Save.
    """
    return RatingForm(review, reviewer, folder, claims)


def _authors(authors: str, most: int = 3) -> str:
    """BibTeX's 'A and B and C and D' as 'A, B, C et al.': enough to recognise the study."""
    names = [a.strip() for a in authors.split(" and ") if a.strip()]
    return "; ".join(names[:most]) + (" et al." if len(names) > most else "")


def card_html(card: form.ClaimCard) -> str:
    """The claim as the reviewer sees it: restated claim, the quote in its document text, the studies."""
    e = html.escape
    studies = "".join(
        "<tr>"
        f'<td style="white-space:nowrap;vertical-align:top;text-align:left">{e(s.reference)}</td>'
        f'<td style="min-width:14em;max-width:30em;vertical-align:top;text-align:left">{e(s.title)}'
        + (f"<br><small>{e(_authors(s.authors))}{', ' if s.authors and s.year else ''}{e(s.year)}"
           f"{'. ' + e(s.journal) if s.journal else ''}</small>" if s.authors or s.year or s.journal else "")
        + "</td>"
        f'<td style="white-space:nowrap;vertical-align:top;text-align:left">{e(s.design)}</td>'
        f'<td style="white-space:nowrap;vertical-align:top;text-align:left">{e(s.population)}</td>'
        f'<td style="vertical-align:top;text-align:right;max-width:9em">{e(s.n)}</td>'
        f'<td style="vertical-align:top;text-align:left;overflow-wrap:anywhere;min-width:12em;max-width:20em">'
        + (link_html(s.url, s.url.split("://", 1)[-1].rstrip("/")) if s.url else "")
        + (("<br>" if s.url else "") + link_html(f"https://doi.org/{s.doi}", f"doi:{s.doi}") if s.doi else "")
        + "</td></tr>"
        for s in card.studies
    )
    head = "".join(
        f'<th style="text-align:left;white-space:nowrap">{h}</th>'
        for h in ("reference", "title", "design", "population", "n", "checked page")
    )
    studies_table = (
        f'<table style="border-collapse:collapse;margin-left:0;table-layout:auto"><thead><tr>{head}</tr></thead>'
        f"<tbody>{studies}</tbody></table>"
        if card.studies
        else "<p><em>No study is linked to this claim.</em></p>"
    )
    context = (
        f'<blockquote style="max-width:{WIDE};white-space:pre-line;border-left:3px solid #bbb;padding-left:0.8em;margin-left:0">'
        f'{e(card.before)}<mark style="background:#fff2a8">{e(card.in_text)}</mark>{e(card.after)}</blockquote>'
        if card.in_text
        else f'<blockquote style="max-width:{WIDE}"><mark>{e(card.quote)}</mark></blockquote>'
        "<p><em>The quote was not found in the document text; rate it as quoted.</em></p>"
    )
    return (
        f'<div style="max-width:60em;line-height:1.45">'
        f"<h3>{e(card.id)} <small>({card.position} of {card.total}; topic {e(card.topic)}, "
        f"{e(card.claim_type)})</small></h3>"
        f"<p><strong>Restated:</strong> {e(card.claim)}</p>"
        f"<p><strong>About:</strong> {e(card.exposure) or '—'}; <strong>population:</strong> {e(card.population) or '—'}</p>"
        f"<p><strong>In context</strong> ({e(card.document_title or card.document)}):</p>{context}"
        f"<p><strong>Linked studies</strong> (read each one's checked page; stances and findings are yours to give):</p>"
        f"{studies_table}</div>"
    )


class RatingForm(ReviewerForm):
    """The widgets of one reviewer's form, and the `ClaimRating` they hold.

    Shows one claim at a time; Save validates with `rating.form.validate` and writes through
    `rating.form.ReviewerSheets`, so a half-filled claim is never written.
    """

    def __init__(self, review: Review, reviewer: str = "", folder: str | Path = "ratings", claims: list[str] | None = None) -> None:
        """Build the widgets; the reviewer's own sheet is read once a valid name is entered."""
        import ipywidgets as w

        self.review = review
        self.folder = folder
        self.claims = [c for c in form.claim_ids(review) if claims is None or c in claims]
        if not self.claims:
            raise InputError("no claims to rate")
        self.sheets: form.ReviewerSheets | None = None
        self.saved: dict[str, form.ClaimRating] = {}

        wide = w.Layout(width=WIDE)
        self._frame(w, reviewer, "Claim", "your name, e.g. reviewer-3", "Save this claim")
        self.picker.add_class("eb-claim")
        self._set_options(self._options(), self.claims[0])
        self.card = w.HTML()
        self.links = w.VBox()
        self.judgments: dict[str, Any] = {}
        rows = []
        for domain in JUDGMENTS:
            allowed = form.RATINGS.field(domain).enum or ()
            box = w.Dropdown(options=[BLANK, *((v, v) for v in allowed)], value="", layout=w.Layout(width="22em"),
                             description=domain.replace("_", " "), style={"description_width": "12em"})  # fmt: skip
            box.add_class(f"eb-judgment-{domain}")
            self.judgments[domain] = box
            if domain in vocab.DOWNGRADE_DOMAINS:
                rows.append(w.HBox([box, self._reason(domain, f"why {domain.replace('_', ' ')} is serious")]))
            else:
                rows.append(box)
        rows.append(self._reason("upgrade", "why certainty is raised (with an upgrade)", "upgrade reason"))
        self.verdict = w.Dropdown(options=[BLANK, *((v, v) for v in vocab.VERDICTS)], value="", description="verdict",
                                  style={"description_width": "12em"}, layout=w.Layout(width="26em"))  # fmt: skip
        self.verdict.add_class("eb-verdict")
        self.general = w.Textarea(placeholder="why this verdict, in a few words", description="reasons",
                                  layout=wide, style={"description_width": "12em"})  # fmt: skip
        self.general.add_class("eb-reason-general")
        self.preview = w.HTML()
        self.widget = w.VBox([
            self.name,
            w.HBox([self.picker, self.previous, self.next]),
            self.card,
            w.HTML("<h4>What each linked study examined, as you read it</h4>"),
            self.links,
            w.HTML("<h4>GRADE judgments</h4>"),
            *rows,
            self.verdict,
            self.general,
            self.preview,
            w.HBox([self.save_button]),
            self.status,
        ])  # fmt: skip
        self.widget.add_class("eb-rating-form")

        self._wire(self._open_sheets, self.show, self.save)
        for box in (*self.judgments.values(), self.verdict):
            box.observe(lambda _change: self._update_preview(), names="value")
        self._open_sheets()

    # -- widgets --------------------------------------------------------------------------------
    def _reason(self, label: str, placeholder: str, description: str = ""):
        width = "46em" if description else "30em"
        box = self._w.Text(placeholder=placeholder, description=description, layout=self._w.Layout(width=width),
                           style={"description_width": "12em"})  # fmt: skip
        box.add_class(f"eb-reason-{label}")
        setattr(self, f"_reason_{label}", box)
        return box

    def _reason_box(self, label: str):
        return getattr(self, f"_reason_{label}")

    def _options(self) -> list[tuple[str, str]]:
        """Claim choices, marked ✓ when this reviewer's sheet already holds them."""
        return [(f"{c}{' ✓' if c in self.saved else ''}", c) for c in self.claims]

    def _link_box(self, index: int, study: form.StudyCard, reading: form.LinkReading | None):
        w = self._w
        r = reading or form.LinkReading(study.reference)
        style = {"description_width": "9em"}

        def choice(name: str, allowed, value: str):
            box = w.Dropdown(options=[BLANK, *((v, v) for v in allowed)], value=value if value in allowed else "",
                             description=name.replace("_", " "), style=style, layout=w.Layout(width="26em"))  # fmt: skip
            box.add_class(f"eb-{name}")
            return box

        def text(name: str, value: str, placeholder: str, area: bool = False):
            cls = w.Textarea if area else w.Text
            box = cls(value=value, description=name.replace("_", " "), placeholder=placeholder,
                      layout=w.Layout(width=WIDE), style=style)  # fmt: skip
            box.add_class(f"eb-{name}")
            return box

        fields = {
            "stance": choice("stance", vocab.STANCES, r.stance),
            "exposure": choice("exposure", tuple(self.review.settings.exposures), r.exposure),
            "outcome_kind": choice("outcome_kind", vocab.OUTCOME_KINDS, r.outcome_kind),
            "outcome": text("outcome", r.outcome, "what the study measured (needed for supports/contradicts)"),
            "source_location": text("source_location", r.source_location, "where on its page, e.g. 'abstract: results'"),
            "finding": text("finding", r.finding, "what it found, in your words", area=True),
            "reasons": text("reasons", r.reasons, "why this stance (optional)"),
        }
        fields["reasons"].add_class("eb-link-reasons")
        fields["stance"].observe(lambda _change: self._update_preview(), names="value")
        title = html.escape(study.title)
        box = w.VBox([w.HTML(f"<strong>{index + 1}. {html.escape(study.reference)}</strong>: {title}"), *fields.values()])
        box.add_class("eb-link")
        box.add_class(f"eb-link-{index + 1}")
        box._eb_reference = study.reference  # type: ignore[attr-defined]
        box._eb_fields = fields  # type: ignore[attr-defined]
        return box

    # -- state ----------------------------------------------------------------------------------
    def _open_sheets(self) -> None:
        """Open the named reviewer's own sheets (and no one else's) and show their saved ratings."""
        self.sheets = self._open(lambda name: form.ReviewerSheets(self.review, name, self.folder))
        self.saved = self.sheets.ratings() if self.sheets is not None else {}
        self.save_button.disabled = self.sheets is None
        self._refresh_options()
        self.show(self.picker.value)
        self._greet(None if self.sheets is None else
                    f"Rating as {html.escape(self.sheets.reviewer)}: {len(self.saved)} of {len(self.claims)} "
                    f"claim(s) on your sheet {html.escape(self.sheets.rel)}.")  # fmt: skip

    def _refresh_options(self) -> None:
        self._set_options(self._options(), self.picker.value or self.claims[0])

    def show(self, claim: str) -> None:
        """Show one claim, filled with this reviewer's saved rating of it when there is one."""
        card = form.claim_card(self.review, claim)
        saved = self.saved.get(claim)
        readings = {r.reference: r for r in saved.links} if saved else {}
        self.card.value = card_html(card)
        self.links.children = [self._link_box(i, s, readings.get(s.reference)) for i, s in enumerate(card.studies)]
        if not card.studies:
            self.links.children = [self._w.HTML("<p><em>No links to read.</em></p>")]
        self._quiet = True
        try:
            for domain, box in self.judgments.items():
                box.value = saved.judgments.get(domain, "") if saved else ""
            self.verdict.value = saved.verdict if saved and saved.verdict in vocab.VERDICTS else ""
            reasons = saved.reasons if saved else {}
            for label in form.REASON_LABELS:
                self._reason_box(label).value = reasons.get(label, "")
            self.general.value = reasons.get("", "")
        finally:
            self._quiet = False
        self._update_preview()

    def rating(self) -> form.ClaimRating:
        """The claim's rating as the widgets hold it now (not validated)."""
        links = [
            form.LinkReading(box._eb_reference, **{n: f.value or "" for n, f in box._eb_fields.items()})
            for box in self.links.children
            if hasattr(box, "_eb_fields")
        ]
        reasons = {label: self._reason_box(label).value for label in form.REASON_LABELS}
        reasons[""] = self.general.value
        return form.ClaimRating(
            self.picker.value,
            {d: box.value or "" for d, box in self.judgments.items()},
            self.verdict.value or "",
            reasons,
            links,
        )

    def _update_preview(self) -> None:
        if self._quiet:
            return
        derived = form.derived_rating(self.review, self.rating())
        self.preview.value = (
            f"<p>Your judgments and stances give: certainty <strong>{html.escape(derived.certainty or 'none (no study supports or contradicts)')}</strong>, "
            f"verdict by the rules <strong>{html.escape(derived.verdict)}</strong>.</p>"
        )

    def save(self) -> form.SaveResult | None:
        """Validate and write the shown claim to the reviewer's sheets; the outcome is shown in the form."""
        rating = self.rating()
        result = self._write(self.sheets, rating)
        if result is None:
            return None
        self.saved[rating.claim] = rating
        self._refresh_options()
        left = self.sheets.blank()
        warnings = [*result.warnings]
        if left:
            warnings.append(f"{len(left)} row(s) of your sheet are still empty; `evidence agree` reads it once every row is rated")
        notes = "".join(f"<li>{html.escape(x)}</li>" for x in warnings)
        self._say(f"Saved: {html.escape(str(result))}." + (f"<br>Worth a second look:<ul>{notes}</ul>" if notes else ""))
        return result

    # -- display --------------------------------------------------------------------------------
    def _plain_text(self) -> str:
        return f"{self!r}: run the notebook (Run → Run All Cells) to use the form"

    def __repr__(self) -> str:
        who = f"reviewer {self.sheets.reviewer}" if self.sheets else "no reviewer named yet"
        return f"RatingForm({who}; {len(self.claims)} claims, {len(self.saved)} on the sheet)"
