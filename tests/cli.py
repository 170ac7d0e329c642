"""Run `cognito-tui` as a separate process, the way a person or a script does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "tui", *args], input=stdin, env=full_env,
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def run_json(*args: str, **kwargs: Any) -> tuple[int, Any]:
    proc = run_cli(*args, "--json", **kwargs)
    try:
        return proc.returncode, json.loads(proc.stdout)
    except ValueError as exc:
        raise AssertionError(f"not JSON: {proc.stdout!r} / {proc.stderr!r}") from exc
