"""A profile's secrets in any `keyring` backend, split into entries that fit everywhere.

Windows Credential Manager holds about 1280 characters per entry and a refresh token is about
1800, so every value is cut into chunks. A manifest, written last and removed first, names the
chunks and holds a SHA-256 of the whole set: a half-written or damaged set reads as "not signed
in", never as a garbled token.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Protocol

from tui.cognito.errors import StoreError, TokenFormatError
from tui.cognito.secrets import Secret
from tui.cognito.session import StoredCredentials
from tui.cognito.tokens import TokenSet

#: Characters per entry: under Windows' ~1280 with room to spare.
CHUNK = 1000
SERVICE_PREFIX = "cognito-tui"
TOKENS = "tokens"
CLIENT = "client"


class SecretBackend(Protocol):
    """Where entries go: the kernel keyring directly, or any `keyring` backend (adapted)."""

    def get(self, service: str, key: str) -> str | None: ...

    def put(self, service: str, key: str, value: str) -> None: ...

    def remove(self, service: str, key: str) -> bool:
        """Remove an entry; False when there was none."""
        ...

    def explain(self, exc: BaseException, action: str) -> str:
        """What happened and what to do, for a failure of this backend."""
        ...


class KeyringStore:
    def __init__(self, backend: SecretBackend, description: str) -> None:
        self.backend = backend
        self.description = description

    @staticmethod
    def service(profile: str) -> str:
        return f"{SERVICE_PREFIX}:{profile}"

    # --- groups of chunked values -------------------------------------------------------------

    def _get(self, service: str, key: str) -> str | None:
        return self.backend.get(service, key)

    def _read_group(self, profile: str, group: str) -> dict[str, str] | None:
        service = self.service(profile)
        raw = self._get(service, f"{group}.manifest")
        if raw is None:
            return None
        try:
            manifest: dict[str, Any] = json.loads(raw)
            parts = {str(k): int(n) for k, n in manifest["parts"].items()}
            digest = str(manifest["sha256"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        values: dict[str, str] = {}
        for field, count in parts.items():
            chunks = [self._get(service, f"{group}.{field}.{i}") for i in range(count)]
            if any(c is None for c in chunks):
                return None  # half-written: not signed in
            values[field] = "".join(c for c in chunks if c is not None)
        if _digest(values) != digest:
            return None
        return values

    def _write_group(self, profile: str, group: str, values: dict[str, str]) -> None:
        service = self.service(profile)
        self._delete_group(profile, group)
        parts: dict[str, int] = {}
        for field, value in values.items():
            chunks = [value[i:i + CHUNK] for i in range(0, len(value), CHUNK)] or [""]
            for i, chunk in enumerate(chunks):
                self.backend.put(service, f"{group}.{field}.{i}", chunk)
            parts[field] = len(chunks)
        manifest = json.dumps({"v": 1, "parts": parts, "sha256": _digest(values)})
        self.backend.put(service, f"{group}.manifest", manifest)

    def _delete_group(self, profile: str, group: str) -> None:
        service = self.service(profile)
        raw = self._get(service, f"{group}.manifest")
        counts: dict[str, int] = {}
        if raw is not None:
            try:
                counts = {str(k): int(n) for k, n in json.loads(raw)["parts"].items()}
            except (ValueError, KeyError, TypeError, AttributeError):
                counts = {}
            self._delete(service, f"{group}.manifest")
        fields = {"access", "refresh"} if group == TOKENS else {"secret"}
        for field in fields | set(counts):
            i = 0
            # Remove chunks past the manifest's count too: a crashed write may have left them.
            while self._delete(service, f"{group}.{field}.{i}") or i < counts.get(field, 0):
                i += 1

    def _delete(self, service: str, key: str) -> bool:
        return self.backend.remove(service, key)

    def _fail(self, exc: BaseException, action: str) -> StoreError:
        return StoreError(self.backend.explain(exc, action))

    # --- TokenStore ---------------------------------------------------------------------------

    def load(self, profile: str) -> StoredCredentials:
        try:
            tokens = self._read_group(profile, TOKENS)
            client = self._read_group(profile, CLIENT)
        except Exception as exc:  # noqa: BLE001 - each backend fails its own way
            raise self._fail(exc, "read the saved sign-in") from None
        token_set = None
        if tokens and tokens.get("access"):
            try:
                token_set = TokenSet(Secret(tokens["access"]),
                                     Secret(tokens["refresh"]) if tokens.get("refresh") else None)
            except TokenFormatError:
                token_set = None
        secret = Secret(client["secret"]) if client and client.get("secret") else None
        return StoredCredentials(token_set, secret)

    def save_tokens(self, profile: str, tokens: TokenSet) -> None:
        values = {"access": tokens.access_token.reveal()}
        if tokens.refresh_token is not None:
            values["refresh"] = tokens.refresh_token.reveal()
        try:
            self._write_group(profile, TOKENS, values)
        except Exception as exc:  # noqa: BLE001 - each backend fails its own way
            raise self._fail(exc, "save the sign-in") from None

    def save_client_secret(self, profile: str, secret: Secret) -> None:
        try:
            self._write_group(profile, CLIENT, {"secret": secret.reveal()})
        except Exception as exc:  # noqa: BLE001 - each backend fails its own way
            raise self._fail(exc, "save the client secret") from None

    def delete_tokens(self, profile: str) -> None:
        try:
            self._delete_group(profile, TOKENS)
        except Exception as exc:  # noqa: BLE001 - each backend fails its own way
            raise self._fail(exc, "remove the saved sign-in") from None

    def clear(self, profile: str) -> None:
        try:
            self._delete_group(profile, TOKENS)
            self._delete_group(profile, CLIENT)
        except Exception as exc:  # noqa: BLE001 - each backend fails its own way
            raise self._fail(exc, "remove the saved entries") from None


def _digest(values: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
