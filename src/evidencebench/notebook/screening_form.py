"""The screening form for notebooks: ipywidgets over `evidencebench.screening.sheets`.

Everything a screening decision means (what a reviewer may see, what a complete decision is, which
records wait, how the sheet is written) lives in `screening.sheets` and is tested there; this module
only lays it out as widgets, like the rating form (`notebook.rating_form`). ipywidgets is imported
when a form is built, so importing the package never needs it.

Every input carries a CSS class (`eb-reviewer`, `eb-stage`, `eb-record`, `eb-decision`,
`eb-reason`, `eb-note`, `eb-save`, `eb-status`) so a browser test, or a person writing a user
script, can find it.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..review import vocab
from ..review.errors import InputError
from ..review.loader import ReviewData
from ..review.screening import FOLDER
from ..screening import sheets
from .reviewer_form import BLANK, LABEL_STYLE, WIDE, ReviewerForm, link_html

__all__ = ["ScreeningForm", "record_html", "screening_form"]


def screening_form(review: ReviewData, reviewer: str = "", stage: str = vocab.SCREENING_STAGES[0], folder: str | Path = FOLDER) -> ScreeningForm:
    """A form for one reviewer to screen records one by one (display it in a notebook cell).

    `reviewer` fills the name box (the sheet is screening/<reviewer>.csv); `stage` is title-abstract
    or full-text. Nothing is written until the reviewer presses Save."""
    return ScreeningForm(review, reviewer, stage, folder)


def record_html(card: sheets.RecordCard) -> str:
    """The record as the reviewer sees it: title (or description), authors, journal, identifiers, abstract."""
    e = html.escape
    meta = ", ".join(e(x) for x in (card.authors, card.year, card.journal) if x)
    ids = " · ".join(
        x
        for x in (
            link_html(f"https://doi.org/{card.doi}", f"doi:{card.doi}") if card.doi else "",
            link_html(f"https://pubmed.ncbi.nlm.nih.gov/{card.pmid}/", f"PMID {card.pmid}") if card.pmid.isdigit() else "",
            link_html(card.url) if card.url else "",
        )
        if x
    )
    label = "Description" if card.described else "Title"
    return (
        f'<div style="max-width:{WIDE}">'
        f"<h3>{e(card.key)} <small>({card.position} of {card.total}; found by {e('; '.join(card.searches) or '—')})</small></h3>"
        f"<p><strong>{label}:</strong> {e(card.title)}</p>"
        + (f"<p>{meta}</p>" if meta else "")
        + (f"<p>{ids}</p>" if ids else "")
        + (f'<p style="white-space:pre-line"><strong>Abstract:</strong> {e(card.abstract)}</p>' if card.abstract else "<p><em>No abstract in the record.</em></p>")
        + (f"<p><strong>Note:</strong> {e(card.note)}</p>" if card.note else "")
        + "</div>"
    )


class ScreeningForm(ReviewerForm):
    """The widgets of one reviewer's screening form; Save writes through `screening.sheets.ReviewerSheet`."""

    def __init__(self, review: ReviewData, reviewer: str = "", stage: str = vocab.SCREENING_STAGES[0], folder: str | Path = FOLDER) -> None:
        """Build the widgets; the reviewer's own sheet is read once a valid name is entered."""
        import ipywidgets as w

        if stage not in vocab.SCREENING_STAGES:
            raise InputError(f"stage {stage!r}: choose one of: {', '.join(vocab.SCREENING_STAGES)}")
        if not sheets.record_keys(review):
            raise InputError("the screening library is empty: import a search first (evidence refs import)")
        self.review = review
        self.folder = folder
        self.sheet: sheets.ReviewerSheet | None = None
        self.saved: dict[tuple[str, str], sheets.ScreeningDecision] = {}
        self._frame(w, reviewer, "Record", "your name, e.g. reviewer-2", "Save decision")
        self.picker.add_class("eb-record")
        self.stage = w.ToggleButtons(options=list(vocab.SCREENING_STAGES), value=stage, description="Stage", style=LABEL_STYLE)
        self.stage.add_class("eb-stage")
        self.waiting_only = w.Checkbox(value=True, description="only records waiting for me")
        self.card = w.HTML()
        self.decision = w.ToggleButtons(options=[BLANK, *((d, d) for d in vocab.SCREENING_DECISIONS)], value="",
                                        description="Decision", style=LABEL_STYLE)  # fmt: skip
        self.decision.add_class("eb-decision")
        self.reason = w.Dropdown(options=[BLANK, *((r, r) for r in review.settings.exclusion_reasons)], value="",
                                 description="Reason", style=LABEL_STYLE)  # fmt: skip
        self.reason.add_class("eb-reason")
        self.note = w.Text(description="Note", placeholder="your own words (optional)", layout=w.Layout(width=WIDE), style=LABEL_STYLE)
        self.note.add_class("eb-note")
        self.widget = w.VBox([
            self.name,
            w.HBox([self.stage, self.waiting_only]),
            w.HBox([self.picker, self.previous, self.next]),
            self.card,
            self.decision,
            self.reason,
            self.note,
            w.HBox([self.save_button]),
            self.status,
        ])  # fmt: skip
        self.widget.add_class("eb-screening-form")

        self._wire(self._open_sheet, self.show, self.save)
        self.stage.observe(lambda _c: self._refresh(), names="value")
        self.waiting_only.observe(lambda _c: self._refresh(), names="value")
        self.decision.observe(lambda _c: self._sync_reason(), names="value")
        self._open_sheet()

    # -- state ----------------------------------------------------------------------------------
    def _open_sheet(self) -> None:
        """Open the named reviewer's own sheet (and no one else's) and list what waits for them."""
        self.sheet = self._open(lambda name: sheets.ReviewerSheet(self.review, name, self.folder))
        self.saved = self.sheet.decisions() if self.sheet is not None else {}
        self.save_button.disabled = self.sheet is None
        self._refresh()
        self._greet(None if self.sheet is None else
                    f"Screening as {html.escape(self.sheet.reviewer)}: {len(self.saved)} decision(s) on your sheet "
                    f"{html.escape(self.sheet.rel)}.")  # fmt: skip

    def records(self) -> list[str]:
        """The records the picker offers: those waiting for this reviewer at the stage, or all of the stage."""
        stage = self.stage.value
        if self.waiting_only.value and self.sheet is not None:
            return sheets.queue(self.review, self.saved, stage)
        return sheets.queue(self.review, (), stage)

    def _refresh(self) -> None:
        keys = self.records()
        current = self.picker.value if self.picker.value in keys else (keys[0] if keys else None)
        self._set_options([(f"{k}{' ✓' if (k, self.stage.value) in self.saved else ''}", k) for k in keys], current)
        self.show(current)

    def _sync_reason(self) -> None:
        self.reason.disabled = self.decision.value != "exclude"
        if self.reason.disabled:
            self.reason.value = ""

    def show(self, key: str | None) -> None:
        """Show one record, filled with this reviewer's saved decision on it at the stage, if any."""
        if key is None:
            self.card.value = f"<p><em>Nothing waits for you at {html.escape(self.stage.value)}.</em></p>"
            self.save_button.disabled = True
            return
        self.save_button.disabled = self.sheet is None
        self.card.value = record_html(sheets.record_card(self.review, key))
        saved = self.saved.get((key, self.stage.value))
        self.decision.value = saved.decision if saved else ""
        self._sync_reason()
        self.reason.value = saved.reason if saved and saved.reason in self.review.settings.exclusion_reasons else ""
        self.note.value = saved.note if saved else ""

    def decision_now(self) -> sheets.ScreeningDecision:
        """The decision as the widgets hold it now (not validated)."""
        return sheets.ScreeningDecision(self.picker.value or "", self.stage.value, self.decision.value or "", self.reason.value or "", self.note.value)

    def save(self) -> sheets.SaveResult | None:
        """Validate and write the shown decision to the reviewer's sheet; the outcome is shown in the form."""
        decision = self.decision_now()
        result = self._write(self.sheet, decision)
        if result is None:
            return None
        self.saved[(decision.record, decision.stage)] = decision
        self._say(f"Saved: {html.escape(str(result))}.")
        keys = self._keys()
        following = keys[keys.index(decision.record) + 1] if decision.record in keys and keys.index(decision.record) + 1 < len(keys) else None
        self._refresh()
        if following is not None and following in self._keys():
            self.picker.value = following
        return result

    def __repr__(self) -> str:
        who = f"reviewer {self.sheet.reviewer}" if self.sheet else "no reviewer named yet"
        return f"ScreeningForm({who}; stage {self.stage.value}; {len(self.saved)} decision(s) on the sheet)"
