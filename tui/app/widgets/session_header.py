"""Two lines on top: who is signed in, to which pool, where tokens live, when they expire."""

from __future__ import annotations

import time

from textual.widgets import Static

from tui.cognito.session import Session


def describe(session: Session) -> str:
    now = session.now()
    profile = session.profile
    tokens = session.tokens
    user = tokens.claims.username if tokens else "(not signed in)"
    if tokens is None:
        expiry = "no token"
    else:
        left = int(tokens.claims.expires_at - now)
        # UTC: unambiguous on a jump host whatever its time zone, and in a support ticket.
        stamp = time.strftime("%H:%M UTC", time.gmtime(tokens.claims.expires_at))
        expiry = f"expires {stamp} (in {left // 60} min)" if left > 0 else "token expired"
    return (f"{user} · profile {profile.name} · pool {profile.user_pool_id}\n"
            f"tokens: {session.store.description} · {expiry}")


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
        super().__init__(describe(session), markup=False)
        self.session = session
        self._text = describe(session)

    def refresh_session(self) -> None:
        text = describe(self.session)
        if text != self._text:  # no redraw (and no bytes on a slow link) when nothing changed
            self._text = text
            self.update(text)
