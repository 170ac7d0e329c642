"""The local user pool's state: pools, app clients, users, codes, and the outbox."""

from __future__ import annotations

import random
import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

#: Standard attributes and whether Cognito lets a user write them through their own token.
STANDARD_ATTRIBUTES = (
    "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
    "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
    "picture", "preferred_username", "profile", "sub", "updated_at", "website", "zoneinfo",
)
#: Not in an app client's default write set (Cognito's console default).
NOT_WRITABLE_BY_DEFAULT = frozenset({"sub", "email_verified", "phone_number_verified"})
CODE_LIFETIME = 24 * 3600          # verification codes are valid 24 hours
MAX_CODE_ATTEMPTS = 5              # wrong codes before LimitExceeded
SESSION_LIFETIME = 180             # sign-in sessions: 3 minutes


class PoolError(Exception):
    """An error answer: Cognito's code (with its Exception suffix), message and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def invalid(message: str) -> PoolError:
    return PoolError("InvalidParameterException", message)


def not_authorized(message: str) -> PoolError:
    return PoolError("NotAuthorizedException", message)


def new_id(length: int, alphabet: str = string.ascii_letters + string.digits,
           rng: random.Random | None = None) -> str:
    pick = rng.choice if rng is not None else secrets.choice
    return "".join(pick(alphabet) for _ in range(length))


@dataclass
class AttributeSchema:
    name: str                 # full name: "email" or "custom:department"
    mutable: bool = True
    required: bool = False
    max_length: int = 2048


@dataclass
class AppClient:
    client_id: str
    name: str
    secret: str | None = None
    auth_flows: frozenset[str] = frozenset({"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"})
    read_attributes: frozenset[str] | None = None    # None: every attribute
    write_attributes: frozenset[str] | None = None   # None: every mutable, writable one
    access_token_seconds: int = 3600
    refresh_token_seconds: int = 30 * 24 * 3600

    def allows(self, flow: str) -> bool:
        return f"ALLOW_{flow}" in self.auth_flows or flow in self.auth_flows


@dataclass
class PendingCode:
    code: str
    expires_at: float
    attempts: int = 0
    #: Keep-original mode: the value that becomes active once verified.
    pending_value: str | None = None
    #: After too many wrong codes: no verification before this instant.
    locked_until: float = 0.0


@dataclass
class User:
    username: str
    sub: str
    attributes: dict[str, str]
    salt: str = ""
    verifier: int = 0
    status: str = "CONFIRMED"            # or FORCE_CHANGE_PASSWORD
    enabled: bool = True
    created: float = field(default_factory=time.time)
    codes: dict[str, PendingCode] = field(default_factory=dict)
    totp_secret: str | None = None       # base32
    totp_verified: bool = False
    totp_enabled: bool = False
    sms_mfa_enabled: bool = False
    email_mfa_enabled: bool = False
    #: SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP; None lets the user choose (SELECT_MFA_TYPE).
    preferred_mfa: str | None = None
    #: GlobalSignOut: every token issued before this instant is revoked.
    signed_out_at: float = 0.0


@dataclass
class RefreshToken:
    token: str
    username: str
    client_id: str
    expires_at: float
    origin_jti: str
    revoked: bool = False


@dataclass
class SignInSession:
    username: str
    client_id: str
    expires_at: float
    stage: str                            # PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, ...
    srp: Any = None
    secret_block: str = ""
    #: The code sent for SMS_MFA or EMAIL_OTP.
    code: str = ""


@dataclass
class Delivery:
    """A code 'sent': the embedding program reads these instead of mail or SMS."""

    username: str
    attribute: str
    destination: str
    masked: str
    medium: str
    code: str
    at: float = field(default_factory=time.time)


@dataclass
class Pool:
    pool_id: str
    name: str
    region: str
    schema: dict[str, AttributeSchema]
    auto_verified: frozenset[str] = frozenset({"email"})
    keep_original: frozenset[str] = frozenset()
    username_attributes: frozenset[str] = frozenset()
    mfa: str = "OFF"
    signing_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    clients: dict[str, AppClient] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    revoked_origins: set[str] = field(default_factory=set)
    created: float = field(default_factory=time.time)

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    def find_user(self, name: str) -> User | None:
        """By username, or by a verified email alias where the pool signs in with email."""
        user = self.users.get(name)
        if user is not None:
            return user
        for candidate in self.users.values():
            if candidate.sub == name:
                return candidate
            for alias in self.username_attributes:
                if (candidate.attributes.get(alias) == name
                        and candidate.attributes.get(f"{alias}_verified") == "true"):
                    return candidate
        return None


def default_schema() -> dict[str, AttributeSchema]:
    schema = {name: AttributeSchema(name) for name in STANDARD_ATTRIBUTES}
    schema["sub"] = AttributeSchema("sub", mutable=False, required=True)
    return schema


def new_sub(rng: random.Random | None = None) -> str:
    if rng is not None:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return str(uuid.uuid4())


def mask(attribute: str, value: str) -> str:
    """Cognito shows where a code went without giving the address away."""
    if attribute == "email" and "@" in value:
        local, _, domain = value.partition("@")
        head, dot, tld = domain.rpartition(".")
        return f"{local[:1]}***@{(head or domain)[:1]}***{dot}{tld if dot else ''}"
    if attribute == "phone_number":
        return "+" + "*" * max(len(value) - 5, 0) + value[-4:]
    return value[:1] + "***"
