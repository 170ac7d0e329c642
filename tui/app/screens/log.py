"""The session log: every change made in this session, with Cognito's request ids."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui.app.book import LogEntry


def _short(text: str | None, width: int) -> str:
    if text is None:
        return "—"
    return text if len(text) <= width else text[: width - 1] + "…"


class LogScreen(ModalScreen[None]):
    CSS_PATH = "log.tcss"
    BINDINGS = [Binding("escape", "close", "Close"), Binding("l", "close", "Close"),
                Binding("q", "close", "Close")]

    def __init__(self, entries: list[LogEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="log"):
            yield Static(f"Session log: {len(self.entries)} change(s) "
                         "(Esc closes; request ids are for support tickets)", id="title")
            yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
            yield Static("", id="detail", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("time", "action", "attribute", "old → new", "result")
        for i, entry in enumerate(self.entries):
            table.add_row(
                time.strftime("%H:%M:%S", time.localtime(entry.at)), entry.action,
                Text(_short(entry.attribute, 18)),
                Text(f"{_short(entry.old, 10)} → {_short(entry.new, 10)}"),
                Text(_short(entry.result, 18)), key=str(i))
        table.focus()
        if self.entries:
            self._show(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show(int(event.row_key.value))

    def _show(self, index: int) -> None:
        entry = self.entries[index]
        self.query_one("#detail", Static).update(
            f"{entry.attribute}: {entry.old!r} → {entry.new!r}\n"
            f"result {entry.result}; request id {entry.request_id or '(none)'}")

    def action_close(self) -> None:
        self.dismiss(None)
