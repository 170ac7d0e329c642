"""The editor: a bar over the bottom of the table, for one attribute's value (and its name when
adding), checked before anything is sent.

A bar and not a dialog screen: pushing a screen repaints all 80x24 cells, twice per edit,
which is 20-30 KB on a slow link. The bar covers the detail panel's three text lines and
leaves its rule alone, so opening or closing it repaints three lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from tui.app.widgets.line_static import LineStatic
from tui.app.widgets.steady_input import SteadyInput
from tui.cognito import validation as v
from tui.cognito.errors import ValidationError

#: Rows below the screen where the closed bar waits.
OFF_SCREEN = 1000

#: Past this length the bar says how much room is left.
NEAR_LIMIT = v.ATTRIBUTE_VALUE_MAX - 100


@dataclass(frozen=True)
class Edit:
    name: str
    value: str


class EditBar(Vertical):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    class Done(Message):
        """The edit to save, or None when cancelled."""

        def __init__(self, edit: Edit | None) -> None:
            super().__init__()
            self.edit = edit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.attribute = ""
        self.adding = False
        self._open = False

    def compose(self) -> ComposeResult:
        yield Static("", id="edit-title", markup=False)
        yield SteadyInput(id="name", compact=True)
        yield SteadyInput(id="value", compact=True, select_on_focus=False)
        yield LineStatic("", id="problem")

    def on_mount(self) -> None:
        self._show(False)

    def _show(self, shown: bool) -> None:
        # Closed, the bar sits far below the screen instead of being hidden: it stays laid
        # out, so opening it is one paint of its lines. (A hidden widget is never sized, and
        # its first showing painted the bar twice; display:none repaints the whole screen.)
        self._open = shown
        self.styles.offset = (0, 0 if shown else OFF_SCREEN)
        for field in self.query(Input):
            field.can_focus = shown  # Tab never lands in a closed field

    def open(self, name: str = "", value: str = "", *, adding: bool = False) -> None:
        self.attribute = name
        self.adding = adding
        title = "Add an attribute: name, then value" if adding else f"Edit {name}"
        # layout=False: one line each, fixed; a layout pass would repaint the bar twice.
        self.query_one("#edit-title", Static).update(f"{title}.  Enter saves, Esc cancels",
                                                     layout=False)
        name_input = self.query_one("#name", Input)
        # Adding shows the name field (main_screen.tcss): four lines, over the panel's rule
        # too, so the bar brings its own.
        self.set_class(adding, "-adding")
        name_input.value = name or "custom:" if adding else ""
        self.query_one("#value", Input).value = value
        self._say("")
        self._show(True)
        # No scroll_visible: the bar is always on screen, and a "scroll" repaints every line.
        (name_input if adding else self.query_one("#value", Input)).focus(scroll_visible=False)

    @property
    def is_open(self) -> bool:
        return self._open

    def _attribute_name(self) -> str:
        return self.query_one("#name", Input).value.strip() if self.adding else self.attribute

    def problem(self) -> str:
        """What is wrong with the input, in words, or "" when it can be sent."""
        value = self.query_one("#value", Input).value
        try:
            name = v.check_writable(self._attribute_name())
            if not value:
                # Cognito deletes an attribute given an empty value; that is what `d` is for,
                # with a question first, never a side effect of an emptied field.
                return ("give the new attribute a value" if self.adding else
                        "the value is empty: Esc, then d deletes the attribute")
            v.check_attribute_value(name, value)
        except ValidationError as exc:
            return str(exc)
        if len(value) > NEAR_LIMIT:
            return f"{len(value)}/{v.ATTRIBUTE_VALUE_MAX} characters"
        return ""

    def _say(self, text: str) -> None:
        # A LineStatic: no repaint (no bytes) while nothing changes.
        self.query_one("#problem", LineStatic).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        # Only a message already showing is kept current; new ones wait for Enter, so typing
        # an address doesn't flash "not an email address" at every key.
        if self.query_one("#problem", LineStatic).text:
            self._say(self.problem())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "name":
            self.query_one("#value", Input).focus(scroll_visible=False)
            return
        self.action_save()

    def action_save(self) -> None:
        problem = self.problem()
        if problem and not problem.endswith(" characters"):
            # The editor speaks before anything is sent.
            self._say(problem)
            return
        self._show(False)
        value = self.query_one("#value", Input).value
        self.post_message(self.Done(Edit(self._attribute_name(), value)))

    def action_cancel(self) -> None:
        self._show(False)
        self.post_message(self.Done(None))
