"""The layers at run time: the Cognito core and the commands never load Textual."""

from __future__ import annotations

import subprocess
import sys

from tests.cli import ROOT


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
        "try:\n"
        "    main(['--sandbox', '--json', 'get'])\n"
        "except SystemExit:\n"
        "    pass")
    assert "tui.cli.commands" in loaded and "httpx" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich", "click")}
