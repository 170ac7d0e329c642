"""Any `keyring` backend (Keychain, Credential Manager, Secret Service...) as a SecretBackend."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class KeyringAdapter:
    def __init__(self, backend: KeyringBackend) -> None:
        self.backend = backend

    def get(self, service: str, key: str) -> str | None:
        value: str | None = self.backend.get_password(service, key)
        return value

    def put(self, service: str, key: str, value: str) -> None:
        self.backend.set_password(service, key, value)

    def remove(self, service: str, key: str) -> bool:
        try:
            self.backend.delete_password(service, key)
        except PasswordDeleteError:
            return False
        return True

    @staticmethod
    def explain(exc: BaseException, action: str) -> str:
        return explain(exc, action)


def explain(exc: BaseException, action: str) -> str:
    """A message that says what happened and what to do about it."""
    text = str(exc)
    if isinstance(exc, KeyringLocked):
        return (f"the keyring is locked, so cognito-tui could not {action}; unlock it "
                "(e.g. `gnome-keyring-daemon --unlock`) or use --token-store kernel")
    if "dbus" in text.lower():
        return (f"no D-Bus session bus, so cognito-tui could not {action}; start one "
                "(`dbus-run-session`) or use --token-store kernel")
    if "collection" in text.lower():
        return (f"the keyring could not create its collection, so cognito-tui could not "
                f"{action}; unlock or set up the keyring, or use --token-store kernel")
    return f"the keyring failed to {action}: {type(exc).__name__}: {exc}"
