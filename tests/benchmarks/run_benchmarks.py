"""Speed and economy of cognito-tui, side by side with the AWS CLI, against one local pool.

    .venv/bin/pip install -e '.[test,bench]'     # once: awscli v1 (dev only)
    .venv/bin/python tests/benchmarks/run_benchmarks.py [--runs 7]

Starts the project's local user pool on 127.0.0.1 in this process (its requests are counted
at the server), signs in once through `cognito-tui login` so later runs start with a valid
stored token (the default `auto` store), then runs every program as a separate process: the
commands with pipes, the TUI on a real pseudo-terminal at 80x24. Prints one table of medians,
each beside its budget and, where there is one, the AWS CLI's figure from the same run.
"Time to table" is when the values are on the terminal (drawn before Textual loads, see
tui/app/first_paint.py); "first key answered" (no budget) is when a key pressed at that
moment has moved the cursor, i.e. when the app itself runs.
Installs nothing. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.pty_spawn import spawn_on_pty  # noqa: E402
from tui.localpool.sandbox import seed_demo  # noqa: E402
from tui.localpool.server import LocalPoolServer  # noqa: E402
from tui.localpool.userpool import LocalCognito  # noqa: E402
from tui.store.keyctl import KernelKeys  # noqa: E402
from tui.store.keyring_store import KeyringStore  # noqa: E402

BIN = Path(sys.executable).parent
COGNITO_TUI = [str(BIN / "cognito-tui")]
MARKER = b"Customer Support"  # a value in the demo user's table
KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "end": b"G", "enter": b"\r",
        "clear": b"\x15", "quit": b"q"}


@dataclass
class Pool:
    server: LocalPoolServer
    pool_id: str
    client_id: str
    env: dict[str, str]
    profile: str


def wall(command: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdin=subprocess.PIPE if stdin else
                            subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    if stdin:
        assert proc.stdin is not None
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        assert proc.stderr is not None
        raise RuntimeError(f"{command[:3]} failed: {proc.stderr.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss


@contextmanager
def local_pool(custom_attributes: int = 0) -> Iterator[Pool]:
    cognito = LocalCognito()
    pool_id, client_id = seed_demo(cognito)
    if custom_attributes:
        pool = cognito.pools[pool_id]
        from tui.localpool.model import AttributeSchema

        user = pool.users["jane.doe"]
        # Cognito allows 50 custom attributes; the demo already has 4.
        for i in range(custom_attributes - 4):
            name = f"custom:extra_{i:02d}"
            pool.schema[name] = AttributeSchema(name)
            user.attributes[name] = f"value number {i} of a long-ish attribute"
    home = Path(tempfile.mkdtemp(prefix="cognito-tui-bench-"))
    profile = f"bench-{uuid.uuid4().hex[:8]}"
    env = {"PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(home),
           "COGNITO_TUI_CONFIG": str(home / "config.toml"), "COGNITO_TUI_PROFILE": profile,
           "LANG": "C.UTF-8", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_DEFAULT_REGION": "us-east-1"}
    with LocalPoolServer(cognito) as server:
        subprocess.run([*COGNITO_TUI, "configure", "--user-pool-id", pool_id, "--client-id",
                        client_id, "--endpoint-url", server.url], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([*COGNITO_TUI, "login", "--username", "jane.doe", "--password-stdin"],
                       input=b"Sandbox-Passw0rd!\n", env=env, check=True,
                       stdout=subprocess.DEVNULL)
        try:
            yield Pool(server, pool_id, client_id, env, profile)
        finally:
            KeyringStore(KernelKeys(), "").clear(profile)
            shutil.rmtree(home, ignore_errors=True)


def access_token(pool: Pool) -> str:
    tokens = KeyringStore(KernelKeys(), "").load(pool.profile).tokens
    assert tokens is not None, "the benchmark's sign-in is not in the kernel keyring"
    return tokens.access_token.reveal()


class Terminal:
    """cognito-tui on a pseudo-terminal at 80x24, with every byte it writes counted."""

    def __init__(self, pool: Pool, term: str) -> None:
        self.started = time.perf_counter()
        self.proc, self.master = spawn_on_pty(COGNITO_TUI, {**pool.env, "TERM": term})
        self.seen = bytearray()

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return b""
        self.seen += data
        return data

    def wait_for(self, marker: bytes, within: float = 20, since: int = 0) -> float:
        """Seconds since start when `marker` first appeared on the terminal (in what it was
        sent after byte `since`)."""
        deadline = time.perf_counter() + within
        while marker not in self.seen[since:]:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{marker!r} never appeared: {bytes(self.seen[-400:])!r}")
            self.read(0.05)
        return time.perf_counter() - self.started

    def settle(self, quiet: float = 0.4) -> int:
        """Read until the terminal has been quiet for `quiet` seconds; bytes read."""
        total = 0
        while True:
            data = self.read(quiet)
            if not data:
                return total
            total += len(data)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def until(self, condition: Callable[[], bool], within: float = 20) -> int:
        total = 0
        deadline = time.perf_counter() + within
        while not condition():
            if time.perf_counter() > deadline:
                shown = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", bytes(self.seen[-2000:]))
                raise RuntimeError(f"timed out; the terminal last showed {shown[-600:]!r}")
            total += len(self.read(0.02))
        return total

    def peak_rss_kib(self) -> int:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines()
                        if line.startswith("VmHWM")))

    def close(self) -> None:
        try:
            self.send(KEYS["quit"])
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(10)
        finally:
            os.close(self.master)


def edit_cycle(t: Terminal, pool: Pool, value: str) -> int:
    """Open the editor, type a value, save, and wait for the row: bytes written meanwhile."""
    before = pool.server.stats.by_operation.get("UpdateUserAttributes", 0)
    start = len(t.seen)
    t.send(b"e")
    total = t.until(lambda: b"Esc cancels" in t.seen[start:])
    total += t.settle(0.15)
    total += type_keys(t, KEYS["clear"] + value.encode())
    t.send(KEYS["enter"])
    total += t.until(lambda: pool.server.stats.by_operation.get(
        "UpdateUserAttributes", 0) > before)
    total += t.settle(0.3)
    return total


def type_keys(t: Terminal, keys: bytes) -> int:
    """Type like a person: one key per write, each echoed before the next (a burst in one
    write is not what a keyboard sends)."""
    total = 0
    for key in keys:
        t.send(bytes([key]))
        total += len(t.read(2.0)) + t.settle(0.02)
    return total


def open_table(pool: Pool, term: str) -> tuple[Terminal, float, int]:
    t = Terminal(pool, term)
    seconds = t.wait_for(MARKER)
    first_screen = len(t.seen) + t.settle()
    return t, seconds, first_screen


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = args.runs
    aws = shutil.which("aws", path=f"{BIN}:{os.environ.get('PATH', '')}")
    rows: list[tuple[str, str, str, str, str]] = []

    def row(metric: str, value: str, budget: str, peer: str, ok: bool | None) -> None:
        rows.append((metric, value, budget, peer, "" if ok is None else
                     ("yes" if ok else "NO")))

    with local_pool() as pool:
        server = pool.server
        token = access_token(pool)
        endpoint = server.url

        # --- the AWS CLI, same server, same token -------------------------------------------
        # --- the commands and the AWS CLI, turn about --------------------------------------------
        # Interleaved, so a busy moment on a shared machine weighs on both sides alike.
        aws_base = [aws or "aws", "cognito-idp", "--endpoint-url", endpoint,
                    "--no-sign-request"]
        aws_gets: list[tuple[float, int]] = []
        aws_sets: list[tuple[float, int]] = []
        gets: list[tuple[float, int]] = []
        sets: list[tuple[float, int]] = []
        get_requests: dict[str, int] = {}  # what our `get` runs sent, counted at the server
        for i in range(runs):
            if aws:
                aws_gets.append(wall([*aws_base, "get-user", "--access-token", token],
                                     pool.env))
            before = dict(server.stats.by_operation)
            gets.append(wall([*COGNITO_TUI, "get", "--json"], pool.env))
            for op, n in server.stats.by_operation.items():
                if n - before.get(op, 0):
                    get_requests[op] = get_requests.get(op, 0) + n - before.get(op, 0)
            if aws:
                aws_sets.append(wall([*aws_base, "update-user-attributes", "--access-token",
                                      token, "--user-attributes",
                                      f"Name=custom:team,Value=aws-{i}"], pool.env))
            sets.append(wall([*COGNITO_TUI, "set", f"custom:team=cli-{i}"], pool.env))
        aws_get = median([g[0] for g in aws_gets]) if aws_gets else None
        aws_set = median([s[0] for s in aws_sets]) if aws_sets else None
        aws_rss = median([g[1] for g in aws_gets]) if aws_gets else None
        our_get, our_set = median([g[0] for g in gets]), median([s[0] for s in sets])
        our_get_rss = median([g[1] for g in gets])

        def ratio(ours: float, theirs: float | None) -> str:
            return f"{ours / theirs:.2f}x" if theirs else "n/a"

        row("`get --json` wall", f"{our_get * 1000:.0f} ms", "<= 0.35x AWS CLI",
            f"{aws_get * 1000:.0f} ms ({ratio(our_get, aws_get)})" if aws_get else "n/a",
            our_get <= 0.35 * aws_get if aws_get else None)
        row("`set NAME=VALUE` wall", f"{our_set * 1000:.0f} ms", "<= 0.35x AWS CLI",
            f"{aws_set * 1000:.0f} ms ({ratio(our_set, aws_set)})" if aws_set else "n/a",
            our_set <= 0.35 * aws_set if aws_set else None)
        row("`get` peak RSS", f"{our_get_rss / 1024:.1f} MiB", "<= AWS CLI",
            f"{aws_rss / 1024:.1f} MiB" if aws_rss else "n/a",
            our_get_rss <= aws_rss if aws_rss else None)
        row("`get` requests", json.dumps(get_requests), f"GetUser x{runs}", "",
            get_requests == {"GetUser": runs})

        # --- the TUI on a pty -----------------------------------------------------------------
        for term in ("xterm-256color", "xterm"):
            times, firsts, edits = [], [], []
            for i in range(runs):
                server.reset_stats()
                t, seconds, first = open_table(pool, term)
                requests = dict(server.stats.by_operation)
                connections = server.stats.connections
                t.send(KEYS["end"])
                t.settle(0.3)
                edits.append(edit_cycle(t, pool, f"{term[:5]}-{i}-".ljust(20, "x")))
                t.close()
                times.append(seconds)
                firsts.append(first)
            if term == "xterm-256color":
                row("TUI: time to table", f"{median(times) * 1000:.0f} ms",
                    "<= 0.6x AWS CLI get-user",
                    f"{aws_get * 1000:.0f} ms ({ratio(median(times), aws_get)})"
                    if aws_get else "n/a",
                    median(times) <= 0.6 * aws_get if aws_get else None)
                row("TUI: start-up requests", json.dumps(requests), "GetUser x1, 1 conn.",
                    f"{connections} connection(s)",
                    requests == {"GetUser": 1} and connections == 1)
            row(f"TUI first screen ({term})", f"{median(firsts) / 1024:.1f} KB", "<= 8 KB",
                "", median(firsts) <= 8 * 1024)
            row(f"TUI edit cycle ({term})", f"{median(edits) / 1024:.1f} KB", "<= 4 KB", "",
                median(edits) <= 4 * 1024)

        # --- when the app answers keys (the table is drawn before Textual has loaded) ----------
        answers = []
        for _ in range(runs):
            t = Terminal(pool, "xterm-256color")
            t.wait_for(MARKER)
            start = len(t.seen)
            t.send(KEYS["down"])  # pressed the moment the table shows
            answers.append(t.wait_for(b"email_verified = true", since=start))
            t.close()
        row("TUI: first key answered (reference)", f"{median(answers) * 1000:.0f} ms",
            "none (Textual loaded)", "", None)

        # --- responsiveness with a slow server -------------------------------------------------
        t, _, _ = open_table(pool, "xterm-256color")
        t.send(KEYS["end"])
        t.settle(0.3)
        server.faults.latency = 3.0
        start = len(t.seen)
        t.send(b"e")
        t.until(lambda: b"Esc cancels" in t.seen[start:])
        t.settle(0.15)
        type_keys(t, KEYS["clear"] + b"slow-server-value")
        t.send(KEYS["enter"])
        t.settle(0.2)  # the save is now waiting on the server
        delays = []
        for i in range(20):
            pressed = time.perf_counter()
            t.send(KEYS["up" if i % 2 == 0 else "down"])
            if not t.read(2.0):
                raise RuntimeError("no redraw after a key press")
            delays.append(time.perf_counter() - pressed)
            t.settle(0.05)
        server.faults.latency = 0.0
        t.close()
        row("keypress -> redraw, server 3 s slow", f"p95 {p95(delays) * 1000:.0f} ms",
            "<= 50 ms", "", p95(delays) <= 0.05)

        # --- memory through 20 edits ------------------------------------------------------------
        t, _, _ = open_table(pool, "xterm-256color")
        t.send(KEYS["end"])
        t.settle(0.3)
        server.reset_stats()
        for i in range(20):
            edit_cycle(t, pool, f"memory-{i}".ljust(20, "m"))
        rss = t.peak_rss_kib()
        edits_sent = server.stats.by_operation.get("UpdateUserAttributes", 0)
        connections = server.stats.connections
        t.close()
        row("TUI peak RSS, 20 edits", f"{rss / 1024:.1f} MiB", "<= 70 MiB", "",
            rss <= 70 * 1024)
        row("TUI requests, 20 edits", f"{edits_sent} updates, {connections} new conn.",
            "20 updates, 0 new", "", edits_sent == 20 and connections == 0)

    # --- scale: 50 custom attributes ------------------------------------------------------------
    with local_pool(custom_attributes=50) as big:
        times, edits = [], []
        for i in range(runs):
            t, seconds, _ = open_table(big, "xterm-256color")
            # Find the row the way a person would with 59 of them: the filter.
            type_keys(t, b"/team")
            t.send(KEYS["enter"])
            t.settle(0.3)
            edits.append(edit_cycle(t, big, f"scale-{i}".ljust(20, "s")))
            t.close()
            times.append(seconds)
        row("50 custom attrs: time to table", f"{median(times) * 1000:.0f} ms",
            "<= 0.6x AWS CLI get-user", f"{aws_get * 1000:.0f} ms" if aws_get else "n/a",
            median(times) <= 0.6 * aws_get if aws_get else None)
        row("50 custom attrs: edit cycle", f"{median(edits) / 1024:.1f} KB", "<= 4 KB", "",
            median(edits) <= 4 * 1024)

    print_table(rows, runs, aws)
    return 0 if all(r[4] != "NO" for r in rows) else 1


def print_table(rows: list[tuple[str, str, str, str, str]], runs: int, aws: str | None) -> None:
    headers = ("measure", "cognito-tui", "budget", "AWS CLI (same run)", "ok")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(5)]
    print(f"cognito-tui benchmarks, {time.strftime('%Y-%m-%d')}, medians of {runs} runs, "
          f"local pool on 127.0.0.1; AWS CLI: {aws or 'not installed (pip install .[bench])'}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")


if __name__ == "__main__":
    random.seed(0)
    raise SystemExit(main())
