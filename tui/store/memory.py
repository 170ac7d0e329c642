"""Tokens in this process's memory only: gone when it exits. The fallback, and the sandbox's."""

from __future__ import annotations

from tui.cognito.secrets import Secret
from tui.cognito.session import StoredCredentials
from tui.cognito.tokens import TokenSet


class MemoryStore:
    description = "memory only (this process)"

    def __init__(self) -> None:
        self._tokens: dict[str, TokenSet] = {}
        self._secrets: dict[str, Secret] = {}

    def load(self, profile: str) -> StoredCredentials:
        return StoredCredentials(self._tokens.get(profile), self._secrets.get(profile))

    def save_tokens(self, profile: str, tokens: TokenSet) -> None:
        self._tokens[profile] = tokens

    def save_client_secret(self, profile: str, secret: Secret) -> None:
        self._secrets[profile] = secret

    def delete_tokens(self, profile: str) -> None:
        self._tokens.pop(profile, None)

    def clear(self, profile: str) -> None:
        self._tokens.pop(profile, None)
        self._secrets.pop(profile, None)
