"""Choosing where tokens live, explicitly, and saying so.

`auto`: the platform keyring if it answers (macOS Keychain, Windows Credential Manager, an
unlocked Secret Service); else the Linux kernel keyring; else memory only, with a notice.
Never a plain-text file. `--token-store` / COGNITO_TUI_TOKEN_STORE override.

Start-up matters here: importing `keyring` and letting it discover its backends costs about
0.1 s. So `kernel`, `memory`, and `auto` when the profile's sign-in is already in the kernel
keyring, never import it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui.cognito.errors import ConfigError
from tui.cognito.session import TokenStore
from tui.store.keyctl import KernelKeys
from tui.store.keyring_store import TOKENS, KeyringStore
from tui.store.memory import MemoryStore

ENV_STORE = "COGNITO_TUI_TOKEN_STORE"
CHOICES = ("auto", "keyring", "kernel", "memory")
KERNEL_DESCRIPTION = "Linux kernel keyring (until reboot)"  # fits the header at 80 columns
MEMORY_NOTICE = (
    "tokens are kept in memory only and you will sign in again next time; to keep them, "
    "unlock a Secret Service (gnome-keyring) or allow the Linux kernel keyring (keyctl)")
_PROBE = ("cognito-tui:probe", "probe")


@dataclass
class StoreChoice:
    store: TokenStore
    notices: list[str] = field(default_factory=list)


def choose_store(cli_choice: str | None = None, env: Mapping[str, str] | None = None, *,
                 profile: str | None = None) -> StoreChoice:
    """The store to use; `profile` lets `auto` find an existing kernel-keyring sign-in fast."""
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
    if profile is not None:
        kernel = _kernel_with_sign_in(profile)
        if kernel is not None:
            return StoreChoice(kernel)
    store, problem = _system_store()
    if store is not None:
        return StoreChoice(store)
    try:
        return StoreChoice(_kernel_store(), [f"{problem}; using the Linux kernel keyring"]
                           if problem else [])
    except ConfigError:
        pass
    notices = [problem] if problem else []
    notices.append(MEMORY_NOTICE)
    return StoreChoice(MemoryStore(), notices)


def _kernel_store() -> KeyringStore:
    if not KernelKeys.available():
        raise ConfigError("the Linux kernel keyring is not available here (not Linux, or "
                          "keyctl is blocked, as in many containers)")
    return KeyringStore(KernelKeys(), KERNEL_DESCRIPTION)


def _kernel_with_sign_in(profile: str) -> KeyringStore | None:
    """The kernel keyring, if it already holds this profile's sign-in."""
    if not KernelKeys.available():
        return None
    keys = KernelKeys()
    try:
        found = keys.get(KeyringStore.service(profile), f"{TOKENS}.manifest")
    except Exception:  # noqa: BLE001 - any failure here just means "look further"
        return None
    return KeyringStore(keys, KERNEL_DESCRIPTION) if found is not None else None


def _system_store() -> tuple[TokenStore | None, str | None]:
    """keyring's own choice, if it is a real store that answers; else why not."""
    import keyring
    from keyring.backends import fail
    from keyring.backends.chainer import ChainerBackend

    from tui.store.kernel_keyring import KernelKeyring
    from tui.store.keyring_adapter import KeyringAdapter, explain

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
        return KeyringStore(backend.keys, KERNEL_DESCRIPTION), None
    try:
        backend.get_password(*_PROBE)
    except Exception as exc:  # noqa: BLE001 - every backend has its own failures
        return None, explain(exc, "open the system keyring")
    name = getattr(backend, "name", type(backend).__name__)
    return KeyringStore(KeyringAdapter(backend), f"the system keyring ({name})"), None
