"""Token stores: chunking, half-written sets, the kernel keyring across processes and users,
a real Secret Service under dbus-run-session, and the headless fallbacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError

from tests.cli import ROOT
from tests.peers import Pool
from tests.tokens import mint_access_token
from tui.cognito.errors import ConfigError
from tui.cognito.secrets import Secret
from tui.cognito.tokens import TokenSet
from tui.store import choose
from tui.store.keyctl import KernelKeys
from tui.store.keyring_adapter import KeyringAdapter
from tui.store.keyring_store import KeyringStore
from tui.store.memory import MemoryStore


class LimitedBackend(KeyringBackend):
    """A backend with Windows Credential Manager's limit of about 1280 characters per entry."""

    @keyring.compat.properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test backend: never chosen automatically")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if len(password) > 1280:
            raise PasswordSetError("too big for this backend")
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("missing")


def big_tokens() -> TokenSet:
    # A realistic size: ~1000-character access token, ~1800-character refresh token.
    access = mint_access_token(padding="p" * 600)
    return TokenSet(Secret(access), Secret("r" * 1800 + "-end"))


def test_values_are_split_to_fit_a_1280_character_backend() -> None:
    backend = LimitedBackend()
    store = KeyringStore(KeyringAdapter(backend), "limited")
    tokens = big_tokens()
    store.save_tokens("p", tokens)
    store.save_client_secret("p", Secret("s" * 50))
    assert all(len(v) <= 1280 for v in backend.items.values())
    assert sum(1 for (_, k) in backend.items if k.startswith("tokens.refresh.")) == 2
    loaded = store.load("p")
    assert loaded.tokens == tokens and loaded.client_secret == Secret("s" * 50)
    assert loaded.tokens is not None
    assert loaded.tokens.refresh_token == tokens.refresh_token


@pytest.mark.parametrize("damage", ["drop_chunk", "drop_manifest", "bad_manifest", "tamper"])
def test_a_half_written_or_damaged_set_reads_as_not_signed_in(damage: str) -> None:
    backend = LimitedBackend()
    store = KeyringStore(KeyringAdapter(backend), "limited")
    store.save_tokens("p", big_tokens())
    service = KeyringStore.service("p")
    if damage == "drop_chunk":
        del backend.items[(service, "tokens.refresh.1")]
    elif damage == "drop_manifest":
        del backend.items[(service, "tokens.manifest")]
    elif damage == "bad_manifest":
        backend.items[(service, "tokens.manifest")] = "{not json"
    else:
        backend.items[(service, "tokens.refresh.0")] = "x" * 1000
    assert store.load("p").tokens is None


def test_clear_removes_every_entry_and_delete_tokens_keeps_the_secret() -> None:
    backend = LimitedBackend()
    store = KeyringStore(KeyringAdapter(backend), "limited")
    store.save_tokens("p", big_tokens())
    store.save_client_secret("p", Secret("s" * 40))
    store.save_tokens("other", big_tokens())
    store.delete_tokens("p")
    assert store.load("p").tokens is None and store.load("p").client_secret is not None
    store.clear("p")
    assert not [k for k in backend.items if k[0] == KeyringStore.service("p")]
    assert store.load("other").tokens is not None


kernel = pytest.mark.skipif(not KernelKeys.available(), reason="kernel keyring blocked")


def _in_process(code: str, *, user: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=30,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd="/")


@kernel
def test_kernel_keyring_round_trip_across_processes_and_not_to_other_users() -> None:
    profile = f"k{uuid.uuid4().hex[:10]}"
    write = (f"from tui.store.keyring_store import KeyringStore\n"
             f"from tui.store.keyctl import KernelKeys\n"
             f"from tui.cognito.secrets import Secret\n"
             f"KeyringStore(KernelKeys(), '').save_client_secret({profile!r}, "
             f"Secret('kernel-secret-value-123456'))\n")
    read = (f"from tui.store.keyring_store import KeyringStore\n"
            f"from tui.store.keyctl import KernelKeys\n"
            f"s = KeyringStore(KernelKeys(), '').load({profile!r}).client_secret\n"
            f"print(s.reveal() if s else 'NONE')\n")
    try:
        assert _in_process(write).returncode == 0
        proc = _in_process(read)
        assert proc.stdout.strip() == "kernel-secret-value-123456", proc.stderr
        if os.geteuid() == 0 and shutil.which("setpriv"):
            other = _in_process(read, user="65534")
            # Another uid has its own persistent keyring and cannot see ours.
            assert "kernel-secret-value" not in other.stdout + other.stderr
            assert other.stdout.strip() == "NONE" or other.returncode != 0
    finally:
        KeyringStore(KernelKeys(), "").clear(profile)
    assert _in_process(read).stdout.strip() == "NONE"


def test_invalid_choice_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="auto, keyring, kernel, memory"):
        choose.choose_store("plaintext")


def test_memory_fallback_and_its_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(KernelKeys, "available", staticmethod(lambda: False))
    keyring.core.init_backend()
    try:
        chosen = choose.choose_store("auto")
    finally:
        monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
        keyring.core.init_backend()
    assert isinstance(chosen.store, MemoryStore)
    assert chosen.notices[-1] == choose.MEMORY_NOTICE
    assert "Secret Service" in chosen.notices[-1] and "kernel keyring" in chosen.notices[-1]
    with pytest.raises(ConfigError, match="kernel keyring is not available"):
        choose.choose_store("kernel")


# --- a real Secret Service ------------------------------------------------------------------

def _secret_service(mode: str, tmp_path: Path, extra_env: dict[str, str]) -> dict[str, Any]:
    if not shutil.which("gnome-keyring-daemon") or not shutil.which("dbus-run-session"):
        if os.environ.get("CI"):
            raise AssertionError(".ci/run installs gnome-keyring and dbus; they are missing")
        pytest.skip("gnome-keyring / dbus-run-session not installed")
    home = tmp_path / "ss-home"
    runtime = tmp_path / "ss-run"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    env = {
        "PATH": os.environ["PATH"], "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"), "XDG_RUNTIME_DIR": str(runtime),
        "COGNITO_TUI_CONFIG": str(home / "config" / "cognito-tui" / "config.toml"),
        "PYTHONPATH": str(ROOT), **extra_env,
    }
    # Unlock before anything touches org.freedesktop.secrets, or the login collection is never
    # created (see shared/notes/keyring-headless.md).
    script = ('printf %s test-password | gnome-keyring-daemon --unlock --components=secrets '
              '>/dev/null; exec "$@"')
    proc = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script, "sh", sys.executable, "-m",
         "tests.scenarios.secret_service", mode],
        env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_secret_service_round_trip(cl_pool: Pool, tmp_path: Path) -> None:
    result = _secret_service("roundtrip", tmp_path, {
        "T_POOL": cl_pool.pool_id, "T_CLIENT": cl_pool.client_id, "T_ENDPOINT": cl_pool.endpoint,
        "T_USER": cl_pool.username, "T_PASSWORD": cl_pool.password})
    assert result["configure"] == 0
    code, login = result["login"]
    assert code == 0 and "SecretService" in login["token_store"]
    assert result["entries_after_login"] >= 3  # manifest and chunks
    code, whoami = result["whoami"]
    assert code == 0 and whoami["signed_in"] and "SecretService" in whoami["token_store"]
    code, get = result["get"]
    assert code == 0 and get["username"] == cl_pool.username
    assert result["logout"][0] == 0
    assert result["entries_after_logout"] == 0


def test_locked_collection_is_explained_and_the_session_still_works(tmp_path: Path) -> None:
    result = _secret_service("locked", tmp_path, {})
    assert result["locked"] is True
    assert "kernel keyring" in result["auto"]["store"] or "memory" in result["auto"]["store"]
    assert "locked" in result["auto"]["notices"][0]
    assert "unlock" in result["auto"]["notices"][0]
    assert result["keyring"]["store"] == "memory only (this process)"
    assert "locked" in result["keyring"]["notices"][0]


@kernel
def test_kernel_keyring_is_a_keyring_backend_through_its_entry_point() -> None:
    probe = _in_process(
        "import keyring.backend\n"
        "from tui.store.kernel_keyring import KernelKeyring\n"
        "names = [type(b).__name__ for b in keyring.backend.get_all_keyring()]\n"
        "k = KernelKeyring()\n"
        "k.set_password('cognito-tui-ep-test', 'u', 'value-1')\n"
        "print('KernelKeyring' in names, k.get_password('cognito-tui-ep-test', 'u'))\n"
        "k.delete_password('cognito-tui-ep-test', 'u')\n"
        "print(k.get_password('cognito-tui-ep-test', 'u'))\n")
    assert probe.stdout.split() == ["True", "value-1", "None"], probe.stderr


@kernel
def test_auto_finds_a_kernel_sign_in_without_importing_keyring() -> None:
    profile = f"f{uuid.uuid4().hex[:10]}"
    KeyringStore(KernelKeys(), "").save_tokens(profile, big_tokens())
    try:
        probe = _in_process(
            "import sys\n"
            "from tui.store.choose import choose_store\n"
            f"c = choose_store('auto', profile={profile!r})\n"
            f"print(c.store.description.startswith('Linux kernel keyring'), "
            f"c.store.load({profile!r}).tokens is not None, 'keyring' in sys.modules)\n")
        assert probe.stdout.split() == ["True", "True", "False"], probe.stderr
    finally:
        KeyringStore(KernelKeys(), "").clear(profile)
