"""Choosing where tokens live, explicitly, and saying so.

`auto`: the platform keyring if it answers (macOS Keychain, Windows Credential Manager, an
unlocked Secret Service); else the Linux kernel keyring; else memory only, with a notice.
Never a plain-text file. `--token-store` / COGNITO_TUI_TOKEN_STORE override.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui.cognito.errors import ConfigError
from tui.cognito.session import TokenStore
from tui.store.memory import MemoryStore

ENV_STORE = "COGNITO_TUI_TOKEN_STORE"
CHOICES = ("auto", "keyring", "kernel", "memory")
MEMORY_NOTICE = (
    "tokens are kept in memory only and you will sign in again next time; to keep them, "
    "unlock a Secret Service (gnome-keyring) or allow the Linux kernel keyring (keyctl)")
_PROBE = ("cognito-tui:probe", "probe")


@dataclass
class StoreChoice:
    store: TokenStore
    notices: list[str] = field(default_factory=list)


def choose_store(cli_choice: str | None = None,
                 env: Mapping[str, str] | None = None) -> StoreChoice:
    env = os.environ if env is None else env
    choice = (cli_choice or env.get(ENV_STORE) or "auto").strip().lower()
    if choice not in CHOICES:
        raise ConfigError(f"unknown token store '{choice}'; choose one of {', '.join(CHOICES)}")
    if choice == "memory":
        return StoreChoice(MemoryStore())
    if choice == "kernel":
        return StoreChoice(_kernel_store())
    if choice == "keyring":
        store, problem = _system_store()
        if store is None:
            # Asked for explicitly but unusable: say so loudly, and still work for the session.
            return StoreChoice(MemoryStore(), [f"{problem}; this session keeps its tokens in "
                                               "memory only"])
        return StoreChoice(store)
    notices: list[str] = []
    store, problem = _system_store()
    if store is not None:
        return StoreChoice(store)
    try:
        return StoreChoice(_kernel_store(), [f"{problem}; using the Linux kernel keyring"]
                           if problem else [])
    except ConfigError:
        pass
    if problem:
        notices.append(problem)
    notices.append(MEMORY_NOTICE)
    return StoreChoice(MemoryStore(), notices)


def _kernel_store() -> TokenStore:
    from tui.store.kernel_keyring import KernelKeyring
    from tui.store.keyring_store import KeyringStore

    if not KernelKeyring.viable_here():
        raise ConfigError("the Linux kernel keyring is not available here (not Linux, or "
                          "keyctl is blocked, as in many containers)")
    return KeyringStore(KernelKeyring(), "the Linux kernel keyring (this user, until reboot)")


def _system_store() -> tuple[TokenStore | None, str | None]:
    """keyring's own choice, if it is a real store that answers; else why not."""
    # Imported here: keyring's backend discovery costs time that `--token-store memory` and
    # the sandbox never need to pay.
    import keyring
    from keyring.backends import fail
    from keyring.backends.chainer import ChainerBackend

    from tui.store.kernel_keyring import KernelKeyring
    from tui.store.keyring_store import KeyringStore, explain

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - keyring raises plain RuntimeError here
        return None, f"the configured keyring backend cannot be used ({exc})"
    if isinstance(backend, ChainerBackend):
        # The chainer silently falls through to the next backend when one fails; tokens must
        # land where the user was told, so only its first (highest-priority) backend is used.
        backend = backend.backends[0] if backend.backends else fail.Keyring()  # type: ignore[no-untyped-call]
    if isinstance(backend, fail.Keyring):
        return None, "no system keyring was found (no Secret Service on D-Bus)"
    if isinstance(backend, KernelKeyring):
        return KeyringStore(backend, "the Linux kernel keyring (this user, until reboot)"), None
    try:
        backend.get_password(*_PROBE)
    except Exception as exc:  # noqa: BLE001 - every backend has its own failures
        return None, str(explain(exc, "open the system keyring"))
    name = getattr(backend, "name", type(backend).__name__)
    return KeyringStore(backend, f"the system keyring ({name})"), None
