"""Every key, on one screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Enter / e", "edit the highlighted attribute"),
    ("a", "add an attribute (custom: is filled in)"),
    ("d", "delete the highlighted attribute (asks first)"),
    ("r", "retry a failed change"),
    ("v", "enter the code for a pending change"),
    ("R", "reload from Cognito"),
    ("/", "filter rows; Esc clears the filter"),
    ("l", "session log: every change made in this session"),
    ("↑ ↓ PgUp PgDn", "move; Home/End or g/G: first/last row"),
    ("Tab", "next field or button in a dialog"),
    ("Esc", "close a dialog (the editor, the code, this help)"),
    ("?", "this help"),
    ("q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape", "close", "Close"), Binding("question_mark", "close", "Close"),
                Binding("q", "close", "Close")]

    def compose(self) -> ComposeResult:
        lines = "\n".join(f"{key:<14} {what}" for key, what in KEYS)
        with Vertical(id="help"):
            yield Static("Keys", id="title")
            yield Static(lines, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
