"""An Input whose cursor does not blink.

A blinking cursor redraws twice a second for as long as the field has the focus: bytes on a
slow SSH link for nothing, and snapshots that differ run to run.
"""

from __future__ import annotations

from textual.widgets import Input


class SteadyInput(Input):
    def on_mount(self) -> None:
        self.cursor_blink = False
