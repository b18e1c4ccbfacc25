"""What the rating and screening forms share: one reviewer, one item at a time, one Save.

Both forms open only the named reviewer's own sheet (a blinded reviewer never sees another's),
step through items with a picker and previous/next buttons, report in a status line, and show a
short stable text in place of the widget tree. That frame lives here once; each form adds the
widgets of what it records (`notebook.rating_form`, `notebook.screening_form`).

ipywidgets is passed in by the form that builds the widgets, so importing this module never needs it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, TypeVar

from ..report.links import safe_url
from ..review.atomic import ConcurrentChangeError
from ..review.errors import InputError

BLANK = ("—", "")
"""The empty choice of a dropdown: shown as a dash, stored as ''."""
WIDE = "46em"
"""Width of wide inputs and cards."""
LABEL_STYLE = {"description_width": "7em"}

S = TypeVar("S")


def link_html(url: str, text: str | None = None) -> str:
    """An anchor (opened in a new tab) for what the report would link (`report.links.safe_url`);
    anything else is shown as text."""
    label = html.escape(text if text is not None else url)
    href = safe_url(url)
    return f'<a href="{html.escape(href)}" target="_blank" rel="noopener noreferrer">{label}</a>' if href else label


class ReviewerForm:
    """The frame of a one-reviewer form: name box, picker with previous/next, Save, status line."""

    widget: Any
    """The form's outer box (set by the form once its widgets are laid out)."""

    def _frame(self, w: Any, reviewer: str, item: str, placeholder: str, save_label: str) -> None:
        """Build the shared widgets: `item` names what the picker offers ("Claim", "Record")."""
        self._w = w
        self._quiet = False  # True while the form itself sets values, so observers stay still
        self.name = w.Text(value=reviewer, description="Reviewer", placeholder=placeholder,
                           continuous_update=False, style=LABEL_STYLE)  # fmt: skip
        self.name.add_class("eb-reviewer")
        self.picker = w.Dropdown(options=[], description=item, style=LABEL_STYLE, layout=w.Layout(width=WIDE))
        self.previous = w.Button(description="◀ previous")
        self.next = w.Button(description="next ▶")
        self.save_button = w.Button(description=save_label, button_style="primary", disabled=True)
        self.save_button.add_class("eb-save")
        self.status = w.HTML()
        self.status.add_class("eb-status")

    def _wire(self, open_sheet: Callable[[], None], show: Callable[[Any], None], save: Callable[[], Any]) -> None:
        """Connect the shared widgets: a new name opens that reviewer's sheet, the picker shows an item."""
        self.name.observe(lambda _change: open_sheet(), names="value")
        self.picker.observe(lambda _change: None if self._quiet else show(self.picker.value), names="value")
        self.previous.on_click(lambda _b: self._step(-1))
        self.next.on_click(lambda _b: self._step(1))
        self.save_button.on_click(lambda _b: save())

    def _open(self, opener: Callable[[str], S]) -> S | None:
        """The sheet of the reviewer named in the box (None when no name, or the name is refused)."""
        name = self.name.value.strip()
        if not name:
            return None
        try:
            return opener(name)
        except InputError as err:
            self._say(html.escape(str(err)), error=True)
            return None

    def _greet(self, opened: str | None) -> None:
        """Say whose sheet is open (`opened`, None when none is), or ask for a name."""
        if opened is not None:
            self._say(opened)
        elif not self.name.value.strip():
            self._say("Enter your reviewer name to start; you will see only your own sheet.")

    def _keys(self) -> list[str]:
        return [value for _, value in self.picker.options]

    def _set_options(self, options: list[tuple[str, str]], current: str | None) -> None:
        """Replace the picker's choices without showing anything (the caller shows what it must)."""
        self._quiet = True
        try:
            self.picker.options = options
            self.picker.value = current
        finally:
            self._quiet = False

    def _step(self, by: int) -> None:
        keys = self._keys()
        if self.picker.value in keys:
            i = keys.index(self.picker.value) + by
            if 0 <= i < len(keys):
                self.picker.value = keys[i]

    def _say(self, message: str, error: bool = False) -> None:
        """Show `message` (HTML, escaped by the caller) in the status line, red when it is an error."""
        colour = "#a40000" if error else "#1a5e1a"
        self.status.value = f'<div style="color:{colour}">{message}</div>'

    def _write(self, sheet: Any, item: Any) -> Any:
        """`sheet.save(item)`, or None with the reason in the status line (no name yet, or refused)."""
        if sheet is None:
            self._say("Enter your reviewer name first.", error=True)
            return None
        try:
            return sheet.save(item)
        except (InputError, ConcurrentChangeError) as err:
            self._say("Not saved:<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in str(err).splitlines()) + "</ul>", error=True)
            return None

    def _plain_text(self) -> str:
        return repr(self)

    def _repr_mimebundle_(self, **kwargs):
        """The widget, with a short stable text (a widget's own repr lists every child)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self._plain_text()
        return bundle
