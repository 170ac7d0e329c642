"""Tokens in memory: the access token's claims, and a token set that never prints its secrets.

The signature is not checked: the app only reads its own token to know who is signed in, which
pool and client it belongs to, and when it expires. Cognito checks the token on every call.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass, field, replace
from typing import Any

from tui.cognito.errors import TokenFormatError
from tui.cognito.secrets import Secret

# Refresh this long before the real expiry, so a call never starts with a token about to die.
EXPIRY_MARGIN_SECONDS = 60


@dataclass(frozen=True)
class AccessClaims:
    """What the app needs from an access token's payload."""

    username: str
    client_id: str
    sub: str
    issuer: str
    expires_at: float
    issued_at: float
    scope: tuple[str, ...]
    token_use: str

    @property
    def user_pool_id(self) -> str:
        """The pool id is the last path segment of `iss` (`https://cognito-idp.R.amazonaws.com/ID`)."""
        return self.issuer.rstrip("/").rsplit("/", 1)[-1]

    @property
    def region(self) -> str | None:
        """The region, from the pool id's prefix (`eu-west-1_AbC` -> `eu-west-1`)."""
        pool = self.user_pool_id
        return pool.split("_", 1)[0] if "_" in pool else None

    def seconds_left(self, now: float | None = None) -> float:
        return self.expires_at - (time.time() if now is None else now)


def _b64url_json(segment: str) -> dict[str, Any]:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded.encode("ascii"))
        data = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeError) as exc:
        # Never put the token itself in the message.
        raise TokenFormatError("the token's payload is not base64url JSON") from exc
    if not isinstance(data, dict):
        raise TokenFormatError("the token's payload is not a JSON object")
    return data


def decode_access_claims(token: Secret) -> AccessClaims:
    """Decode an access token's claims without checking its signature."""
    parts = token.reveal().split(".")
    if len(parts) != 3:
        raise TokenFormatError("the access token is not a JWT (expected three dot-separated parts)")
    payload = _b64url_json(parts[1])
    try:
        exp = float(payload["exp"])
        iat = float(payload.get("iat", 0))
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenFormatError("the access token has no usable 'exp' claim") from exc
    scope = payload.get("scope", "")
    return AccessClaims(
        username=str(payload.get("username") or payload.get("cognito:username") or ""),
        client_id=str(payload.get("client_id") or payload.get("aud") or ""),
        sub=str(payload.get("sub", "")),
        issuer=str(payload.get("iss", "")),
        expires_at=exp,
        issued_at=iat,
        scope=tuple(str(scope).split()) if scope else (),
        token_use=str(payload.get("token_use", "")),
    )


@dataclass(frozen=True)
class TokenSet:
    """The tokens of one sign-in. Every token is a Secret; the claims are decoded once."""

    access_token: Secret
    refresh_token: Secret | None = None
    id_token: Secret | None = None
    claims: AccessClaims = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "claims", decode_access_claims(self.access_token))

    def is_fresh(self, now: float | None = None, margin: float = EXPIRY_MARGIN_SECONDS) -> bool:
        """True while the access token has more than `margin` seconds left."""
        return self.claims.seconds_left(now) > margin

    def refreshed(self, access_token: Secret, id_token: Secret | None,
                  refresh_token: Secret | None) -> TokenSet:
        """The set after a refresh: Cognito only returns a refresh token when it rotates it."""
        return replace(
            self,
            access_token=access_token,
            id_token=id_token or self.id_token,
            refresh_token=refresh_token or self.refresh_token,
        )
