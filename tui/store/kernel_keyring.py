"""The kernel keyring (tui.store.keyctl) as a `keyring` backend, registered as an entry point.

Its priority is just above keyring's "fail" backend: it only wins where nothing else works,
so installing cognito-tui never moves another program's secrets out of a Secret Service.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringError, PasswordDeleteError, PasswordSetError

from tui.store.keyctl import KernelKeyError, KernelKeys


class KernelKeyring(KeyringBackend):
    """keyring backend: the Linux per-user persistent keyring."""

    @properties.classproperty
    def priority(cls) -> float:
        if not KernelKeys.available():
            raise RuntimeError("the Linux kernel keyring is not available here")
        return 0.1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.keys = KernelKeys()

    def get_password(self, service: str, username: str) -> str | None:
        try:
            return self.keys.get(service, username)
        except KernelKeyError as exc:
            raise KeyringError(str(exc)) from None

    def set_password(self, service: str, username: str, password: str) -> None:
        try:
            self.keys.put(service, username, password)
        except KernelKeyError as exc:
            raise PasswordSetError(str(exc)) from None

    def delete_password(self, service: str, username: str) -> None:
        try:
            removed = self.keys.remove(service, username)
        except KernelKeyError as exc:
            raise KeyringError(str(exc)) from None
        if not removed:
            raise PasswordDeleteError("no such key")
