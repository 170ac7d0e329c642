"""The commands as separate processes against cognito-local, sharing the sign-in through the
Linux kernel keyring, with --json output and documented exit codes."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli import run_cli, run_json
from tests.peers import FIXED_CODE, Pool
from tui.store.keyctl import KernelKeys
from tui.store.keyring_store import KeyringStore

pytestmark = pytest.mark.skipif(not KernelKeys.available(),
                                reason="the kernel keyring is blocked here")


@pytest.fixture
def cli_env(cl_pool: Pool, isolated_home: Path) -> Iterator[dict[str, str]]:
    profile = f"t{uuid.uuid4().hex[:10]}"
    env = {"COGNITO_TUI_TOKEN_STORE": "kernel", "COGNITO_TUI_PROFILE": profile,
           "HOME": str(isolated_home), "COGNITO_TUI_CONFIG": os.environ["COGNITO_TUI_CONFIG"]}
    proc = run_cli("configure", "--user-pool-id", cl_pool.pool_id, "--client-id",
                   cl_pool.client_id, "--endpoint-url", cl_pool.endpoint, "--auth-flow",
                   "USER_PASSWORD_AUTH", env=env)
    assert proc.returncode == 0, proc.stderr
    yield env
    KeyringStore(KernelKeys(), "").clear(profile)  # never leave keys behind


def login(pool: Pool, env: dict[str, str]) -> None:
    code, out = run_json("login", "--username", pool.username, "--password-stdin",
                         stdin=pool.password + "\n", env=env)
    assert code == 0, out
    assert out["username"] == pool.username
    assert "kernel keyring" in out["token_store"]


def test_login_then_each_command_in_a_new_process(cl_pool: Pool, cli_env: dict[str, str],
                                                  tmp_path: Path) -> None:
    login(cl_pool, cli_env)

    code, out = run_json("get", env=cli_env)
    assert code == 0 and out["attributes"]["custom:department"] == "support"

    code, out = run_json("set", "custom:department=night shift", env=cli_env)
    assert code == 0 and out["code_delivery"] == []
    code, out = run_json("get", "custom:department", env=cli_env)
    assert out["attributes"] == {"custom:department": "night shift"}

    code, out = run_json("set", "email=moved@example.com", env=cli_env)
    assert code == 0
    assert out["code_delivery"] == [{"destination": "moved@example.com", "medium": "EMAIL",
                                     "attribute": "email"}]

    code, out = run_json("verify", "email", "999999", env=cli_env)
    assert code == 4 and out["error"]["code"] == "CodeMismatchException"
    code, out = run_json("resend", "email", env=cli_env)
    assert code == 0
    code, out = run_json("verify", "email", FIXED_CODE, env=cli_env)
    assert code == 0 and out["verified"] is True
    code, out = run_json("get", "email", "email_verified", env=cli_env)
    assert out["attributes"] == {"email": "moved@example.com", "email_verified": "true"}

    code, out = run_json("delete", "custom:department", env=cli_env)
    assert code == 0
    code, out = run_json("get", env=cli_env)
    assert "custom:department" not in out["attributes"]

    code, out = run_json("whoami", env=cli_env)
    assert code == 0 and out["signed_in"] and out["username"] == cl_pool.username

    code, out = run_json("logout", env=cli_env)
    assert code == 0 and out["was_signed_in"]
    code, out = run_json("get", env=cli_env)
    assert code == 3 and out["error"]["type"] == "not_signed_in"


def test_exit_codes_for_usage_and_network(cl_pool: Pool, cli_env: dict[str, str]) -> None:
    login(cl_pool, cli_env)
    code, out = run_json("set", "sub=123", env=cli_env)
    assert code == 2 and out["error"]["type"] == "usage"
    code, out = run_json("set", "no-equals-sign", env=cli_env)
    assert code == 2
    code, out = run_json("verify", "email", "12 34", env=cli_env)
    assert code == 2 and "spaces" in out["error"]["message"]
    code, out = run_json("get", "--endpoint-url", "http://127.0.0.1:9", "--timeout", "2",
                         env=cli_env)
    assert code == 5 and out["error"]["type"] == "network"
    assert out["error"]["maybe_sent"] is False
    code, out = run_json("get", "--endpoint-url", "http://example.com", env=cli_env)
    assert code == 2 and "clear text" in out["error"]["message"]
    proc = run_cli("get", "--token-store", "bogus", env=cli_env)
    assert proc.returncode == 2
    proc = run_cli("get", env={**cli_env, "COGNITO_TUI_TOKEN_STORE": "bogus"})
    assert proc.returncode == 2 and "unknown token store 'bogus'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_profile_and_not_signed_in(isolated_home: Path) -> None:
    code, out = run_json("get", env={"COGNITO_TUI_PROFILE": "nothere"})
    assert code == 2 and "cognito-tui configure --profile nothere" in out["error"]["message"]


def test_no_token_text_left_in_any_file(cl_pool: Pool, cli_env: dict[str, str],
                                        isolated_home: Path) -> None:
    # A password made for this test, so finding it anywhere (even in a checkout under /tmp)
    # can only mean a leak.
    cl_pool.password = f"Leak-{uuid.uuid4().hex}!A1"
    cl_pool.admin().admin_set_user_password(UserPoolId=cl_pool.pool_id,
                                            Username=cl_pool.username,
                                            Password=cl_pool.password, Permanent=True)
    login(cl_pool, cli_env)
    stored = KeyringStore(KernelKeys(), "").load(cli_env["COGNITO_TUI_PROFILE"]).tokens
    assert stored is not None and stored.refresh_token is not None
    secrets = [stored.access_token.reveal(), stored.refresh_token.reveal(), cl_pool.password]
    assert run_json("set", "custom:department=x", env=cli_env)[0] == 0
    assert run_json("logout", env=cli_env)[0] == 0
    assert KeyringStore(KernelKeys(), "").load(cli_env["COGNITO_TUI_PROFILE"]).tokens is None
    for top in (isolated_home, Path("/tmp")):
        for path in top.rglob("*"):
            # The emulator's own database holds what a server would hold; it is not ours.
            if not path.is_file() or path.is_symlink() or "cognito-local-" in str(path):
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for secret in secrets:
                # A token's last 40 characters (its signature: unique) or the whole password.
                piece = secret[-40:] if len(secret) > 50 else secret
                assert piece.encode() not in data, f"secret text in {path}"
