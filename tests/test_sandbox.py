"""`cognito-tui --sandbox` and `cognito-tui sandbox serve`, as a newcomer would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli import ROOT, run_cli, run_json
from tui.store.keyctl import KernelKeys
from tui.store.keyring_store import KeyringStore


def test_sandbox_flag_runs_a_command_signed_in_as_the_demo_user() -> None:
    code, out = run_json("--sandbox", "get")
    assert code == 0
    assert out["username"] == "jane.doe"
    assert out["attributes"]["email_verified"] == "true"
    assert out["attributes"]["custom:employee_id"] == "E-1042"


def test_sandbox_shows_the_code_it_sends() -> None:
    proc = run_cli("--sandbox", "set", "email=jd@example.org")
    assert proc.returncode == 0
    assert "sandbox: code " in proc.stderr and "j***@e***.org" in proc.stderr


def test_sandbox_never_touches_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    # A token store that cannot work must not matter: the sandbox keeps tokens in memory.
    code, out = run_json("--sandbox", "whoami",
                         env={"COGNITO_TUI_TOKEN_STORE": "keyring",
                              "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert code == 0 and out["token_store"] == "memory only (this process)"


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], dict[str, Any]]]:
    proc = subprocess.Popen([sys.executable, "-m", "tui", "sandbox", "serve", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert proc.stdout is not None
    info = json.loads(proc.stdout.readline())
    try:
        yield proc, info
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.skipif(not KernelKeys.available(), reason="kernel keyring blocked")
def test_sandbox_serve_works_with_the_commands(served: tuple[subprocess.Popen[str],
                                                             dict[str, Any]],
                                               isolated_home: Path) -> None:
    proc, info = served
    assert info["endpoint"].startswith("http://127.0.0.1:")
    profile = f"sb{uuid.uuid4().hex[:8]}"
    env = {"COGNITO_TUI_PROFILE": profile, "COGNITO_TUI_TOKEN_STORE": "kernel"}
    try:
        assert run_cli("configure", "--user-pool-id", info["user_pool_id"], "--client-id",
                       info["client_id"], "--endpoint-url", info["endpoint"],
                       env=env).returncode == 0
        code, out = run_json("login", "--username", info["username"], "--password-stdin",
                             stdin=info["password"] + "\n", env=env)  # SRP, the default flow
        assert code == 0, out
        code, out = run_json("set", "phone_number=+447700900123", env=env)
        assert code == 0 and out["code_delivery"][0]["medium"] == "SMS"
        assert proc.stdout is not None
        delivery = json.loads(proc.stdout.readline())["delivery"]
        assert delivery["destination"] == "+447700900123"
        code, out = run_json("verify", "phone_number", delivery["code"], env=env)
        assert code == 0
        code, out = run_json("get", "phone_number_verified", env=env)
        assert out["attributes"] == {"phone_number_verified": "true"}
    finally:
        KeyringStore(KernelKeys(), "").clear(profile)
