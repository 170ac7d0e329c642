"""Which Textual theme: chosen before Textual loads (the first paint draws only the default)."""

from __future__ import annotations

import os
from collections.abc import Mapping

ENV_THEME = "COGNITO_TUI_THEME"
#: The terminal's own 16 colours: readable on TERM=xterm or screen, in the user's palette,
#: and the fewest bytes per frame on a slow link (256-colour codes are twice as long).
DEFAULT_THEME = "ansi-dark"


def choose_theme(env: Mapping[str, str] | None = None) -> str:
    """$COGNITO_TUI_THEME (any Textual theme: textual-dark, nord, ...), else ansi-dark."""
    env = os.environ if env is None else env
    return env.get(ENV_THEME) or DEFAULT_THEME
