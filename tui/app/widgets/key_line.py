"""The bottom line: the main keys, written once.

Textual's Footer rebuilds itself whenever the focus moves (its bindings change), repainting
the line each time; a fixed line costs nothing after the first frame. `?` lists every key.
"""

from __future__ import annotations

from textual.widgets import Static

from tui.app.book import KEY_LINE


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
        super().__init__(KEY_LINE, markup=False)
