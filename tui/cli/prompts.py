"""Asking the person at the terminal, or reading answers a script piped in.

Passwords never come from argv (the process list shows it) and are never echoed. With
`--password-stdin`, stdin's first line is the password and later lines answer any challenge in
order (new password, MFA code), so a script can sign in with no terminal at all.
"""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from tui.cognito.errors import UsageError
from tui.cognito.secrets import Secret


class Prompter:
    def __init__(self, *, use_stdin: bool, stdin: TextIO | None = None,
                 stderr: TextIO | None = None) -> None:
        self.use_stdin = use_stdin
        self.stdin = stdin or sys.stdin
        self.stderr = stderr or sys.stderr

    def _stdin_line(self, what: str) -> str:
        line = self.stdin.readline()
        if not line:
            raise UsageError(f"stdin ended before the {what}")
        return line.rstrip("\r\n")

    def _interactive(self) -> bool:
        return self.stdin.isatty()

    def ask(self, prompt: str, what: str) -> str:
        if self.use_stdin or not self._interactive():
            return self._stdin_line(what)
        self.stderr.write(f"{prompt}: ")
        self.stderr.flush()
        return self._stdin_line(what)

    def ask_secret(self, prompt: str, what: str) -> Secret:
        if self.use_stdin:
            return Secret(self._stdin_line(what))
        if not self._interactive():
            raise UsageError(f"no terminal to ask for the {what}; pipe it with --password-stdin")
        return Secret(getpass.getpass(f"{prompt}: ", stream=self.stderr))
