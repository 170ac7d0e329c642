"""The editor: one attribute's value (and its name, when adding), checked before sending."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.app.widgets.steady_input import SteadyInput
from tui.cognito import validation as v
from tui.cognito.errors import ValidationError


@dataclass(frozen=True)
class Edit:
    name: str
    value: str


class EditorScreen(ModalScreen[Edit | None]):
    CSS_PATH = "editor.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str = "", value: str = "", *, adding: bool = False) -> None:
        super().__init__()
        self.attribute = name
        self.value = value
        self.adding = adding

    def compose(self) -> ComposeResult:
        with Vertical(id="editor"):
            yield Label("Add an attribute" if self.adding else f"Edit {self.attribute}",
                        id="title", markup=False)
            if self.adding:
                yield Label("Name (custom attributes start with custom:)")
                yield SteadyInput(self.attribute or "custom:", id="name", compact=True)
            yield Label("Value (empty deletes it)" if not self.adding else "Value")
            yield SteadyInput(self.value, id="value", compact=True, select_on_focus=False)
            yield Static("", id="problem", markup=False)
            yield Static(f"{len(self.value)}/{v.ATTRIBUTE_VALUE_MAX} characters", id="count")
            with Horizontal(id="buttons"):
                yield Button("Save (Enter)", id="save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name" if self.adding else "#value", Input).focus()

    def _attribute_name(self) -> str:
        return self.query_one("#name", Input).value.strip() if self.adding else self.attribute

    def problem(self) -> str:
        """What is wrong with the input, in words, or "" when it can be sent."""
        try:
            name = v.check_writable(self._attribute_name())
            value = self.query_one("#value", Input).value
            if self.adding and not value:
                return "give the new attribute a value"
            v.check_attribute_value(name, value)
        except ValidationError as exc:
            return str(exc)
        return ""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "value":
            self.query_one("#count", Static).update(
                f"{len(event.value)}/{v.ATTRIBUTE_VALUE_MAX} characters")
        self.query_one("#problem", Static).update(self.problem())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            self.query_one("#value", Input).focus()
            return
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        problem = self.problem()
        if problem:
            # The editor speaks before anything is sent.
            self.query_one("#problem", Static).update(problem)
            return
        self.dismiss(Edit(self._attribute_name(), self.query_one("#value", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
