"""The layers at run time: the Cognito core and the commands never load Textual, and the
commands run without an event loop (asyncio alone is ~35 ms of a command's start)."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from tests.cli import ROOT
from tui.cognito.wire import run_blocking


def _modules_after(code: str) -> set[str]:
    script = code + "\nimport sys\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", script],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return set(out.stdout.split())


def test_the_core_imports_without_textual() -> None:
    loaded = _modules_after("import tui.cognito.session, tui.cognito.client, tui.store.choose")
    assert "tui.cognito.session" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_a_command_runs_without_textual() -> None:
    loaded = _modules_after(
        "import sys\n"
        "from tui.cli.main import main\n"
        "assert main(['--sandbox', '--json', 'get']) == 0")
    assert "tui.cli.commands" in loaded and "httpx" in loaded
    assert not {m for m in loaded
                if m.split(".")[0] in ("textual", "rich", "click", "asyncio")}


def test_the_tui_fetches_and_draws_the_table_before_textual_loads() -> None:
    loaded = _modules_after("import tui.app.run")
    assert "tui.app.first_paint" in loaded and "tui.cognito.wire" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "asyncio")}


def test_run_blocking_returns_what_the_coroutine_returns() -> None:
    async def answer() -> int:
        return 42

    assert run_blocking(answer()) == 42


def test_run_blocking_refuses_a_coroutine_that_waits_on_a_loop() -> None:
    async def waits() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="without an event loop"):
        run_blocking(waits())
