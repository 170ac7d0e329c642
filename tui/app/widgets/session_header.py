"""Two lines on top: who is signed in, to which pool, where tokens live, when they expire."""

from __future__ import annotations

from tui.app.book import header_text
from tui.app.widgets.line_static import LineStatic
from tui.cognito.session import Session


class SessionHeader(LineStatic):
    DEFAULT_CSS = """
    SessionHeader {
        height: 2;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(header_text(session))
        self.session = session

    def refresh_session(self) -> None:
        # LineStatic: no bytes when nothing changed, one line when only the expiry did.
        self.update(header_text(self.session))
