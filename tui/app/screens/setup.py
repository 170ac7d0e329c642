"""First run: which user pool and app client this profile talks to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from tui.app.widgets.steady_input import SteadyInput
from tui.cognito.errors import ConfigError
from tui.cognito.profiles import Profile


class SetupScreen(Screen[Profile | None]):
    CSS_PATH = "setup.tcss"
    BINDINGS = [Binding("escape", "give_up", "Cancel")]

    def __init__(self, profile_name: str) -> None:
        super().__init__()
        self.profile_name = profile_name

    def compose(self) -> ComposeResult:
        with Vertical(id="setup"):
            yield Label(f"New profile '{self.profile_name}'", id="title", markup=False)
            yield Static("These settings are not secret; they are saved in the config file.",
                         id="note")
            yield Label("User pool id (like eu-west-1_AbCdEf123)")
            yield SteadyInput(id="pool", compact=True)
            yield Label("App client id")
            yield SteadyInput(id="client", compact=True)
            yield Label("Endpoint (optional; default: the pool's region)")
            yield SteadyInput(id="endpoint", compact=True, placeholder="https://…")
            yield Static("", id="message", markup=False)
            yield Button("Save (Enter)", id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#pool", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["pool", "client", "endpoint"]
        index = order.index(event.input.id or "endpoint")
        if index + 1 < len(order):
            self.query_one(f"#{order[index + 1]}", Input).focus()
        else:
            self.save()

    def on_button_pressed(self) -> None:
        self.save()

    def save(self) -> None:
        def value(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value.strip()

        try:
            profile = Profile(self.profile_name, value("pool"), value("client"),
                              endpoint_url=value("endpoint") or None).validate()
        except ConfigError as exc:
            self.query_one("#message", Static).update(str(exc))
            return
        self.dismiss(profile)

    def action_give_up(self) -> None:
        self.dismiss(None)
