"""Faults, bad input and secrets: nothing lost, nothing leaked.

Each fault comes from the local pool's knobs (a raw or cut answer stands in for a broken proxy)
and is tried through the commands, as separate processes, and through the TUI. What is checked
each time: a clear message and no traceback, the exit code, the typed value kept (TUI), a retry
that works, and the number of requests that reached the server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.cli import ROOT, run_cli, run_json
from tests.peers import PASSWORD, Pool, seed_pool
from tests.tui_harness import edit, editor_open, go_to, harness, table_ready, until
from tui.localpool.server import Faults, LocalPoolServer
from tui.store.keyctl import KernelKeys
from tui.store.keyring_store import KeyringStore

pytestmark = pytest.mark.skipif(not KernelKeys.available(), reason="kernel keyring blocked")


@dataclass
class LocalCli:
    server: LocalPoolServer
    pool: Pool
    env: dict[str, str]

    def requests(self, operation: str) -> int:
        return self.server.stats.by_operation.get(operation, 0)

    def attribute(self, name: str) -> str | None:
        user = self.server.cognito.pools[self.pool.pool_id].users[self.pool.username]
        return user.attributes.get(name)


@pytest.fixture
def local_cli(isolated_home: Path) -> Iterator[LocalCli]:
    with LocalPoolServer() as server:
        pool = seed_pool(server.url)
        profile = f"f{uuid.uuid4().hex[:10]}"
        env = {"COGNITO_TUI_PROFILE": profile, "COGNITO_TUI_TOKEN_STORE": "kernel"}
        assert run_cli("configure", "--user-pool-id", pool.pool_id, "--client-id",
                       pool.client_id, "--endpoint-url", server.url, env=env).returncode == 0
        code, out = run_json("login", "--username", pool.username, "--password-stdin",
                             stdin=PASSWORD + "\n", env=env)
        assert code == 0, out
        server.reset_stats()
        try:
            yield LocalCli(server, pool, env)
        finally:
            KeyringStore(KernelKeys(), "").clear(profile)


@dataclass(frozen=True)
class Fault:
    name: str
    arm: Callable[[Faults], None]
    #: (exit code, error type) when `set` meets the fault on a change that may be repeated
    repeatable: tuple[int, str | None]
    #: requests the repeatable change makes (retries included)
    repeatable_requests: int
    #: requests an email change makes: never repeated once it may have arrived
    email_requests: int


def _raw(status: int, body: bytes, times: int = 1) -> Callable[[Faults], None]:
    def arm(faults: Faults) -> None:
        faults.raw_next.extend([(status, body)] * times)
    return arm


def _set(**knobs: Any) -> Callable[[Faults], None]:
    def arm(faults: Faults) -> None:
        for key, value in knobs.items():
            setattr(faults, key, value)
    return arm


FAULTS = [
    Fault("connection reset, then fine", _set(drop_next=1), (0, None), 2, 1),
    Fault("connection reset every time", _set(drop_next=3), (5, "network"), 3, 1),
    Fault("answer cut mid-body", _set(cut_next=1), (0, None), 2, 1),
    Fault("HTML 500", _set(fail_next=3, fail_status=500), (4, "cognito"), 3, 1),
    Fault("HTML 502", _set(fail_next=3, fail_status=502), (4, "cognito"), 3, 1),
    Fault("HTML 503 once", _set(fail_next=1, fail_status=503), (0, None), 2, 1),
    Fault("malformed JSON 200", _raw(200, b'{"CodeDeliveryDetailsList": [tru'), (4, "cognito"),
          1, 1),
    Fault("truncated JSON error", _raw(400, b'{"__type": "NotAuth'), (4, "cognito"), 1, 1),
    Fault("unknown __type", _raw(400, b'{"__type": "BrandNewException", "message": "hm"}'),
          (4, "cognito"), 1, 1),
    Fault("empty 200 body", _raw(200, b""), (0, None), 1, 1),
    Fault("throttled once", _set(throttle_next=1), (0, None), 2, 2),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_commands_meet_each_fault(local_cli: LocalCli, fault: Fault) -> None:
    fault.arm(local_cli.server.faults)
    code, out = run_json("set", "custom:department=after fault", env=local_cli.env)
    expected_code, expected_type = fault.repeatable
    assert code == expected_code, out
    if expected_type:
        assert out["error"]["type"] == expected_type and out["error"]["message"]
    assert local_cli.requests("UpdateUserAttributes") == fault.repeatable_requests

    # The email change: never sent twice when the first may have arrived.
    local_cli.server.faults.raw_next.clear()
    local_cli.server.reset_stats()
    fault.arm(local_cli.server.faults)
    proc = run_cli("set", "email=moved@example.com", env=local_cli.env)
    assert "Traceback" not in proc.stderr
    assert local_cli.requests("UpdateUserAttributes") == fault.email_requests
    if proc.returncode == 5:
        assert "may have reached Cognito" in proc.stderr

    # And the tool still works.
    local_cli.server.faults.raw_next.clear()
    for knob in ("drop_next", "cut_next", "fail_next", "throttle_next"):
        setattr(local_cli.server.faults, knob, 0)
    code, out = run_json("set", "custom:department=retried", env=local_cli.env)
    assert code == 0, out
    assert local_cli.attribute("custom:department") == "retried"


def test_a_server_that_never_answers(local_cli: LocalCli) -> None:
    local_cli.server.faults.latency = 3
    code, out = run_json("set", "custom:department=slow", "--timeout", "0.3",
                         env=local_cli.env)
    assert code == 5 and out["error"]["maybe_sent"] is True
    code, out = run_json("set", "email=slow@example.com", "--timeout", "0.3", env=local_cli.env)
    assert code == 5
    assert local_cli.requests("UpdateUserAttributes") == 3 + 1


def test_connection_refused(local_cli: LocalCli) -> None:
    code, out = run_json("get", "--endpoint-url", "http://127.0.0.1:9", env=local_cli.env)
    assert code == 5 and out["error"]["maybe_sent"] is False
    assert "could not connect" in out["error"]["message"]


def test_refresh_token_revoked_asks_for_a_sign_in(local_cli: LocalCli) -> None:
    stored = KeyringStore(KernelKeys(), "").load(local_cli.env["COGNITO_TUI_PROFILE"]).tokens
    assert stored is not None and stored.refresh_token is not None
    local_cli.server.cognito.handle("GlobalSignOut",
                                    {"AccessToken": stored.access_token.reveal()})
    code, out = run_json("get", env=local_cli.env)
    assert code == 3 and "sign in again" in out["error"]["message"]
    # The dead tokens are gone from the store, not left to fail again.
    assert KeyringStore(KernelKeys(), "").load(local_cli.env["COGNITO_TUI_PROFILE"]).tokens \
        is None


# --- bad input: a specific error, exit 2, and nothing sent -----------------------------------

BAD_INPUT = [
    ("set", "=x"),                                   # name of length 0
    ("set", "custom:" + "a" * 26 + "=x"),            # 33 characters
    ("set", "custom:department=" + "a" * 2049),
    ("set", "custom:department=a\x07b"),            # a control character (NUL: argv cannot)
    ("set", "custom:department=evil\u202etxt"),
    ("set", "email=not an email"),
    ("set", "phone_number=07700 900123"),
    ("set", "sub=123"),
    ("set", "department=ops"),                       # missing custom:
    ("verify", "email", "12 34"),
    ("verify", "email", "x" * 2049),
    ("delete", "sub"),
]


@pytest.mark.parametrize("args", BAD_INPUT, ids=[" ".join(a)[:30] for a in BAD_INPUT])
def test_bad_input_is_refused_before_sending(local_cli: LocalCli, args: tuple[str, ...]) -> None:
    code, out = run_json(*args, env=local_cli.env)
    assert code == 2, out
    assert out["error"]["type"] == "usage" and out["error"]["message"]
    assert local_cli.server.stats.requests == 0


def test_boundaries_that_are_valid_are_sent(local_cli: LocalCli) -> None:
    for args in (("set", "custom:department=" + "a" * 2048), ("set", "custom:department=🎉 日本"),
                 ("set", "dev:" + "a" * 28 + "=x")):
        _, out = run_json(*args, env=local_cli.env)
        assert out.get("error", {}).get("type") != "usage", out
    assert local_cli.requests("UpdateUserAttributes") == 3


def test_a_huge_argument(local_cli: LocalCli) -> None:
    # 100 000 characters: about as much as one argv entry may hold (128 KiB).
    proc = run_cli("set", "--json", "custom:department=" + "p" * 100_000, env=local_cli.env)
    assert proc.returncode == 2 and "100000 characters" in proc.stdout
    assert local_cli.server.stats.requests == 0


async def test_a_one_megabyte_paste_into_the_editor() -> None:
    from textual import events
    from textual.widgets import Input

    with harness() as h:
        app = h.app()
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await table_ready(pilot)
            await go_to(pilot, screen, "custom:team")
            await pilot.press("e")
            await until(pilot, lambda: editor_open(app))
            field = screen.query_one("#value", Input)
            field.post_message(events.Paste("p" * (1 << 20)))
            await until(pilot, lambda: len(field.value) > 2048)
            await pilot.press("enter")
            problem = str(screen.query_one("#problem", Static).render())
            assert "at most 2048" in problem and editor_open(app)
            assert "UpdateUserAttributes" not in h.server.stats.by_operation


@pytest.mark.parametrize(("pool_id", "client_id", "endpoint", "words"), [
    ("eu-west-1", "c1", "https://x.example", "not a user pool id"),
    ("eu-west-1_Ab", "bad client!", "https://x.example", "app client id"),
    ("eu-west-1_Ab", "c1", "http://cognito.example.com", "clear text"),
])
def test_bad_profiles(isolated_home: Path, pool_id: str, client_id: str, endpoint: str,
                      words: str) -> None:
    code, out = run_json("configure", "--user-pool-id", pool_id, "--client-id", client_id,
                         "--endpoint-url", endpoint)
    assert code == 2 and words in out["error"]["message"]


def test_corrupt_profile_file(isolated_home: Path) -> None:
    path = Path(os.environ["COGNITO_TUI_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[profiles.default\nuser_pool_id = ")
    code, out = run_json("get")
    assert code == 2 and "not valid TOML" in out["error"]["message"]


def test_corrupt_keyring_entry_reads_as_signed_out(local_cli: LocalCli) -> None:
    profile = local_cli.env["COGNITO_TUI_PROFILE"]
    KernelKeys().put(KeyringStore.service(profile), "tokens.access.0", "garbage")
    code, out = run_json("get", env=local_cli.env)
    assert code == 3 and out["error"]["type"] == "not_signed_in"


# --- the TUI through faults ------------------------------------------------------------------

TUI_FAULTS = [f for f in FAULTS if f.repeatable[0] != 0]


@pytest.mark.parametrize("fault", TUI_FAULTS, ids=[f.name for f in TUI_FAULTS])
async def test_tui_keeps_the_typed_value_through_each_fault(fault: Fault) -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await table_ready(pilot)

            async def no_wait(_: float) -> None:
                return None

            screen.session.client.transport._sleep = no_wait
            h.server.reset_stats()
            fault.arm(h.server.faults)
            await edit(pilot, screen, "custom:department", "Night Support")
            row = screen.book.rows["custom:department"]
            await until(pilot, lambda: row.state == "failed")
            assert row.typed == "Night Support"
            detail = str(screen.query_one("#detail", Static).render())
            assert "Traceback" not in detail and "r retries" in detail
            assert h.server.stats.by_operation["UpdateUserAttributes"] == \
                fault.repeatable_requests
            h.server.faults.raw_next.clear()
            for knob in ("drop_next", "cut_next", "fail_next", "throttle_next"):
                setattr(h.server.faults, knob, 0)
            await pilot.press("r")
            await until(pilot, lambda: row.state == "")
            assert h.server_user()["custom:department"] == "Night Support"


async def test_concurrent_edits_end_with_the_last_value_of_each_row() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await table_ready(pilot)
            h.server.faults.latency = 0.2
            for value in ("one", "two", "three"):
                screen.save("custom:team", value)
            screen.save("custom:department", "A")
            screen.save("given_name", "Janet")
            screen.save("custom:department", "B")

            def settled() -> bool:
                return (h.server.stats.by_operation.get("UpdateUserAttributes") == 6
                        and all(r.state == "" for r in screen.book.rows.values()))

            await until(pilot, settled)
            server = h.server_user()
            assert (server["custom:team"], server["custom:department"],
                    server["given_name"]) == ("three", "B", "Janet")
            # The table agrees with GetUser, and the session log lists every call.
            user = await screen.session.get_user()
            for name, value in user.as_dict().items():
                if name in screen.book.rows:
                    assert screen.book.rows[name].value == value
            assert sorted(e.new or "" for e in screen.book.log) == sorted(
                ["one", "two", "three", "A", "Janet", "B"])
            assert all(e.request_id for e in screen.book.log)


# --- secrets -------------------------------------------------------------------------------

CRASH_SCRIPT = r"""
import asyncio, sys
from tests.tui_harness import harness, table_ready
from tui.app.screens.main_screen import MainScreen

def boom(self):
    token = self.session.tokens.access_token        # a local the crash screen will print
    refresh = self.session.tokens.refresh_token
    raise RuntimeError("forced crash for the secrets test")

with harness() as h:
    app = h.app()
    session = app.session
    async def run():
        async with app.run_test(size=(80, 24)) as pilot:
            await table_ready(pilot)
            tokens = app.session.tokens
            print("ACCESS=" + tokens.access_token.reveal(), file=sys.stderr)
            print("REFRESH=" + tokens.refresh_token.reveal(), file=sys.stderr)
            MainScreen.show_detail = boom
            await pilot.press("down")
            await pilot.pause(0.5)
    try:
        asyncio.run(run())
    except Exception:
        pass
    app._print_error_renderables()
"""


def test_crash_screen_shows_no_token(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", CRASH_SCRIPT], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT),
                                         "COLUMNS": "200"}, timeout=120)
    lines = proc.stderr.splitlines()
    access = next(line.split("=", 1)[1] for line in lines if line.startswith("ACCESS="))
    refresh = next(line.split("=", 1)[1] for line in lines if line.startswith("REFRESH="))
    crash = "\n".join(line for line in lines if not line.startswith(("ACCESS=", "REFRESH=")))
    crash += proc.stdout
    assert "forced crash for the secrets test" in crash  # the crash screen was printed
    assert "Secret('********')" in crash  # with its locals, redacted
    for secret in (access, refresh, "Sandbox-Passw0rd!"):
        assert secret[-40:] not in crash


def test_password_and_tokens_never_in_argv_or_environment(local_cli: LocalCli) -> None:
    local_cli.server.faults.latency = 1.0  # long enough to look at the running process
    proc = subprocess.Popen([sys.executable, "-m", "tui", "login", "--username",
                             local_cli.pool.username, "--password-stdin"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, **local_cli.env, "PYTHONPATH": str(ROOT)})
    assert proc.stdin is not None
    proc.stdin.write((PASSWORD + "\n").encode())
    proc.stdin.close()
    deadline = time.monotonic() + 10
    while local_cli.server.stats.requests == 0 and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the request to arrive at the server
    cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
    environ = Path(f"/proc/{proc.pid}/environ").read_bytes()
    limits = Path(f"/proc/{proc.pid}/limits").read_text()
    assert proc.wait(20) == 0
    assert PASSWORD.encode() not in cmdline and PASSWORD.encode() not in environ
    stored = KeyringStore(KernelKeys(), "").load(local_cli.env["COGNITO_TUI_PROFILE"]).tokens
    assert stored is not None
    assert stored.access_token.reveal()[-40:].encode() not in environ
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"]  # no core dump can hold a token
