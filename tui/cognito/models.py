"""Typed results of the operations the app uses, built from the wire dicts defensively.

A body missing what the model marks as required raises MalformedResponseError, never KeyError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.cognito.errors import MalformedResponseError
from tui.cognito.secrets import Secret


@dataclass(frozen=True)
class Attribute:
    name: str
    value: str


@dataclass(frozen=True)
class CodeDelivery:
    """Where Cognito sent a code: a masked destination, EMAIL or SMS, and for which attribute."""

    destination: str
    medium: str
    attribute: str

    def describe(self) -> str:
        how = {"EMAIL": "by email", "SMS": "by SMS"}.get(self.medium, f"by {self.medium}")
        return f"code for {self.attribute} sent {how} to {self.destination}"


@dataclass(frozen=True)
class User:
    username: str
    attributes: tuple[Attribute, ...]
    request_id: str | None = None
    preferred_mfa: str | None = None
    mfa_methods: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, str]:
        return {a.name: a.value for a in self.attributes}


@dataclass(frozen=True)
class ChangeResult:
    """The answer to a change: deliveries (a code was sent) and the request id for the log."""

    request_id: str | None
    deliveries: tuple[CodeDelivery, ...] = ()


@dataclass(frozen=True)
class AuthResult:
    """InitiateAuth / RespondToAuthChallenge: either tokens or the next challenge."""

    access_token: Secret | None = None
    refresh_token: Secret | None = None
    id_token: Secret | None = None
    expires_in: int | None = None
    challenge_name: str | None = None
    challenge_parameters: Mapping[str, str] = field(default_factory=dict)
    session: Secret | None = None
    request_id: str | None = None


def _malformed(what: str, request_id: str | None) -> MalformedResponseError:
    return MalformedResponseError(f"the answer has no valid {what}", status=200,
                                  request_id=request_id)


def _str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def parse_attributes(raw: Any, request_id: str | None) -> tuple[Attribute, ...]:
    if not isinstance(raw, list):
        raise _malformed("UserAttributes list", request_id)
    out = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("Name"), str):
            raise _malformed("attribute", request_id)
        value = item.get("Value", "")
        out.append(Attribute(item["Name"], value if isinstance(value, str) else str(value)))
    return tuple(out)


def parse_user(data: Mapping[str, Any], request_id: str | None) -> User:
    username = _str(data, "Username")
    if username is None:
        raise _malformed("Username", request_id)
    methods = data.get("UserMFASettingList")
    return User(
        username=username,
        attributes=parse_attributes(data.get("UserAttributes"), request_id),
        request_id=request_id,
        preferred_mfa=_str(data, "PreferredMfaSetting"),
        mfa_methods=tuple(m for m in methods if isinstance(m, str))
        if isinstance(methods, list) else (),
    )


def parse_delivery(raw: Any) -> CodeDelivery | None:
    if not isinstance(raw, dict):
        return None
    return CodeDelivery(
        destination=_str(raw, "Destination") or "(not given)",
        medium=_str(raw, "DeliveryMedium") or "UNKNOWN",
        attribute=_str(raw, "AttributeName") or "",
    )


def parse_deliveries(raw: Any) -> tuple[CodeDelivery, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(d for d in (parse_delivery(item) for item in raw) if d is not None)


def _secret(data: Mapping[str, Any], key: str) -> Secret | None:
    value = _str(data, key)
    return Secret(value) if value else None


def parse_auth(data: Mapping[str, Any], request_id: str | None) -> AuthResult:
    result = data.get("AuthenticationResult")
    if isinstance(result, dict):
        access = _secret(result, "AccessToken")
        if access is None:
            raise _malformed("AccessToken", request_id)
        expires = result.get("ExpiresIn")
        return AuthResult(
            access_token=access,
            refresh_token=_secret(result, "RefreshToken"),
            id_token=_secret(result, "IdToken"),
            expires_in=expires if isinstance(expires, int) else None,
            request_id=request_id,
        )
    name = _str(data, "ChallengeName")
    if name is None:
        raise _malformed("AuthenticationResult or ChallengeName", request_id)
    params = data.get("ChallengeParameters")
    return AuthResult(
        challenge_name=name,
        challenge_parameters={k: v for k, v in params.items()
                              if isinstance(k, str) and isinstance(v, str)}
        if isinstance(params, dict) else {},
        session=_secret(data, "Session"),
        request_id=request_id,
    )
