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
from ..review.atomic import ConcurrentChangeError
from ..review.errors import InputError
from ..review.loader import ReviewData
from ..review.screening import FOLDER
from ..screening import sheets

__all__ = ["ScreeningForm", "record_html", "screening_form"]

_BLANK = ("—", "")
_WIDE = "46em"


def screening_form(review: ReviewData, reviewer: str = "", stage: str = vocab.SCREENING_STAGES[0], folder: str | Path = FOLDER) -> ScreeningForm:
    """A form for one reviewer to screen records one by one (display it in a notebook cell).

    `reviewer` fills the name box (the sheet is screening/<reviewer>.csv); `stage` is title-abstract
    or full-text. Nothing is written until the reviewer presses Save."""
    return ScreeningForm(review, reviewer, stage, folder)


def _link(url: str, text: str | None = None) -> str:
    """An anchor for http(s) urls only; anything else is shown as text."""
    label = html.escape(text if text is not None else url)
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
    return label


def record_html(card: sheets.RecordCard) -> str:
    """The record as the reviewer sees it: title (or description), authors, journal, identifiers, abstract."""
    e = html.escape
    meta = ", ".join(e(x) for x in (card.authors, card.year, card.journal) if x)
    ids = " · ".join(
        x
        for x in (
            _link(f"https://doi.org/{card.doi}", f"doi:{card.doi}") if card.doi else "",
            _link(f"https://pubmed.ncbi.nlm.nih.gov/{card.pmid}/", f"PMID {card.pmid}") if card.pmid.isdigit() else "",
            _link(card.url) if card.url else "",
        )
        if x
    )
    label = "Description" if card.described else "Title"
    return (
        f'<div style="max-width:{_WIDE}">'
        f"<h3>{e(card.key)} <small>({card.position} of {card.total}; found by {e('; '.join(card.searches) or '—')})</small></h3>"
        f"<p><strong>{label}:</strong> {e(card.title)}</p>"
        + (f"<p>{meta}</p>" if meta else "")
        + (f"<p>{ids}</p>" if ids else "")
        + (f'<p style="white-space:pre-line"><strong>Abstract:</strong> {e(card.abstract)}</p>' if card.abstract else "<p><em>No abstract in the record.</em></p>")
        + (f"<p><strong>Note:</strong> {e(card.note)}</p>" if card.note else "")
        + "</div>"
    )


class ScreeningForm:
    """The widgets of one reviewer's screening form; Save writes through `screening.sheets.ReviewerSheet`."""

    def __init__(self, review: ReviewData, reviewer: str = "", stage: str = vocab.SCREENING_STAGES[0], folder: str | Path = FOLDER) -> None:
        """Build the widgets; the reviewer's own sheet is read once a valid name is entered."""
        import ipywidgets as w

        if stage not in vocab.SCREENING_STAGES:
            raise InputError(f"stage {stage!r}: choose one of: {', '.join(vocab.SCREENING_STAGES)}")
        if not sheets.record_keys(review):
            raise InputError("the screening library is empty: import a search first (evidence refs import)")
        self._w = w
        self.review = review
        self.folder = folder
        self.sheet: sheets.ReviewerSheet | None = None
        self.saved: dict[tuple[str, str], sheets.ScreeningDecision] = {}
        self._quiet = False
        style = {"description_width": "7em"}
        self.name = w.Text(value=reviewer, description="Reviewer", placeholder="your name, e.g. reviewer-2",
                           continuous_update=False, style=style)  # fmt: skip
        self.name.add_class("eb-reviewer")
        self.stage = w.ToggleButtons(options=list(vocab.SCREENING_STAGES), value=stage, description="Stage", style=style)
        self.stage.add_class("eb-stage")
        self.waiting_only = w.Checkbox(value=True, description="only records waiting for me")
        self.picker = w.Dropdown(options=[], description="Record", style=style, layout=w.Layout(width=_WIDE))
        self.picker.add_class("eb-record")
        self.previous = w.Button(description="◀ previous")
        self.next = w.Button(description="next ▶")
        self.card = w.HTML()
        self.decision = w.ToggleButtons(options=[_BLANK, *((d, d) for d in vocab.SCREENING_DECISIONS)], value="",
                                        description="Decision", style=style)  # fmt: skip
        self.decision.add_class("eb-decision")
        self.reason = w.Dropdown(options=[_BLANK, *((r, r) for r in review.settings.exclusion_reasons)], value="",
                                 description="Reason", style=style)  # fmt: skip
        self.reason.add_class("eb-reason")
        self.note = w.Text(description="Note", placeholder="your own words (optional)", layout=w.Layout(width=_WIDE), style=style)
        self.note.add_class("eb-note")
        self.save_button = w.Button(description="Save decision", button_style="primary", disabled=True)
        self.save_button.add_class("eb-save")
        self.status = w.HTML()
        self.status.add_class("eb-status")
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

        self.name.observe(lambda _c: self._open_sheet(), names="value")
        self.stage.observe(lambda _c: self._refresh(), names="value")
        self.waiting_only.observe(lambda _c: self._refresh(), names="value")
        self.picker.observe(lambda _c: None if self._quiet else self.show(self.picker.value), names="value")
        self.decision.observe(lambda _c: self._sync_reason(), names="value")
        self.previous.on_click(lambda _b: self._step(-1))
        self.next.on_click(lambda _b: self._step(1))
        self.save_button.on_click(lambda _b: self.save())
        self._open_sheet()

    # -- state ----------------------------------------------------------------------------------
    def _open_sheet(self) -> None:
        """Open the named reviewer's own sheet (and no one else's) and list what waits for them."""
        self.sheet, self.saved = None, {}
        name = self.name.value.strip()
        if name:
            try:
                self.sheet = sheets.ReviewerSheet(self.review, name, self.folder)
                self.saved = self.sheet.decisions()
            except InputError as err:
                self.sheet = None
                self._say(html.escape(str(err)), error=True)
        self.save_button.disabled = self.sheet is None
        self._refresh()
        if self.sheet is not None:
            self._say(f"Screening as {html.escape(self.sheet.reviewer)}: {len(self.saved)} decision(s) on your sheet "
                      f"{html.escape(self.sheet.rel)}.")  # fmt: skip
        elif not name:
            self._say("Enter your reviewer name to start; you will see only your own sheet.")

    def records(self) -> list[str]:
        """The records the picker offers: those waiting for this reviewer at the stage, or all of the stage."""
        stage = self.stage.value
        if self.waiting_only.value and self.sheet is not None:
            return sheets.queue(self.review, self.saved, stage)
        return sheets.queue(self.review, (), stage)

    def _refresh(self) -> None:
        keys = self.records()
        current = self.picker.value if self.picker.value in keys else (keys[0] if keys else None)
        self._quiet = True
        try:
            self.picker.options = [(f"{k}{' ✓' if (k, self.stage.value) in self.saved else ''}", k) for k in keys]
            self.picker.value = current
        finally:
            self._quiet = False
        self.show(current)

    def _step(self, by: int) -> None:
        keys = [v for _, v in self.picker.options]
        if self.picker.value in keys:
            i = keys.index(self.picker.value) + by
            if 0 <= i < len(keys):
                self.picker.value = keys[i]

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
        if self.sheet is None:
            self._say("Enter your reviewer name first.", error=True)
            return None
        decision = self.decision_now()
        try:
            result = self.sheet.save(decision)
        except (InputError, ConcurrentChangeError) as err:
            self._say("Not saved:<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in str(err).splitlines()) + "</ul>", error=True)
            return None
        self.saved[(decision.record, decision.stage)] = decision
        self._say(f"Saved: {html.escape(str(result))}.")
        keys = [v for _, v in self.picker.options]
        following = keys[keys.index(decision.record) + 1] if decision.record in keys and keys.index(decision.record) + 1 < len(keys) else None
        self._refresh()
        if following is not None and following in [v for _, v in self.picker.options]:
            self.picker.value = following
        return result

    def _say(self, message: str, error: bool = False) -> None:
        colour = "#a40000" if error else "#1a5e1a"
        self.status.value = f'<div style="color:{colour}">{message}</div>'

    # -- display --------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        """The widget, with a short stable text (a widget's own repr lists every child)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        who = f"reviewer {self.sheet.reviewer}" if self.sheet else "no reviewer named yet"
        return f"ScreeningForm({who}; stage {self.stage.value}; {len(self.saved)} decision(s) on the sheet)"
