"""Two lines on top: who is signed in, to which pool, where tokens live, when they expire."""

from __future__ import annotations

from textual.widgets import Static

from tui.app.book import header_text
from tui.cognito.session import Session


class SessionHeader(Static):
    DEFAULT_CSS = """
    SessionHeader {
        height: 2;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(header_text(session), markup=False)
        self.session = session
        self._text = header_text(session)

    def refresh_session(self) -> None:
        text = header_text(self.session)
        if text != self._text:  # no redraw (and no bytes on a slow link) when nothing changed
            self._text = text
            self.update(text)
