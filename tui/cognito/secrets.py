"""A string wrapper for secrets that never shows its value by accident.

Textual's crash screen and pytest print local variables; logging formats arguments with repr().
Holding tokens and passwords in `Secret` keeps them out of all of those: only an explicit
`reveal()` gives the text back, and only the wire layer and the token store call it.
"""

from __future__ import annotations

import hmac
import re
from typing import NoReturn

_REDACTED = "Secret('********')"


class Secret:
    """A secret string. `repr`, `str`, `format` and pickling never expose the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("Secret holds a str")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return _REDACTED

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return _REDACTED

    def __len__(self) -> int:
        return len(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> NoReturn:
        # Pickling would write the value to wherever the pickle goes (a cache, a crash dump).
        raise TypeError("a Secret cannot be pickled")


# Anything shaped like a JWT, or a long run of token characters, is taken for a token.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_LONG_TOKEN = re.compile(r"[A-Za-z0-9+/_=.-]{64,}")


def redact(text: str, *secrets: Secret | str | None) -> str:
    """Remove every known secret and anything token-shaped from text meant for people.

    Servers have been seen echoing the token back in an error message (moto's NotAuthorized),
    so nothing that came over the wire is shown unfiltered.
    """
    for secret in secrets:
        if secret is None:
            continue
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if len(value) >= 4:
            text = text.replace(value, "[redacted]")
    text = _JWT.sub("[redacted token]", text)
    return _LONG_TOKEN.sub("[redacted]", text)
