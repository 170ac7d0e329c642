"""The bottom line: the main keys, written once.

Textual's Footer rebuilds itself whenever the focus moves (its bindings change), repainting
the line each time; a fixed line costs nothing after the first frame. `?` lists every key.
"""

from __future__ import annotations

from textual.widgets import Static

KEYS = (("e", "Edit"), ("a", "Add"), ("d", "Delete"), ("v", "Verify"), ("R", "Reload"),
        ("/", "Filter"), ("l", "Log"), ("?", "Keys"), ("q", "Quit"))


class KeyLine(Static):
    DEFAULT_CSS = """
    KeyLine {
        height: 1;
        dock: bottom;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self) -> None:
        text = "   ".join(f"{key} {what}" for key, what in KEYS)
        super().__init__(" " + text, markup=False)
