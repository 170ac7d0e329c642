"""A program on a pseudo-terminal of a given size, the way sshd starts one: the tests of what
reaches the terminal and the benchmarks both start the TUI this way."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
from pathlib import Path


def set_size(fd: int, columns: int, lines: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))


def _controlling_terminal() -> None:
    # A session of its own with the pty as its controlling terminal, so a closed terminal
    # sends SIGHUP (and a resize SIGWINCH) instead of leaving the program running.
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def spawn_on_pty(command: list[str], env: dict[str, str], *, columns: int = 80,
                 lines: int = 24, cwd: Path | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """The running program and the pty's master side (the caller closes it)."""
    master, slave = pty.openpty()
    set_size(slave, columns, lines)
    proc = subprocess.Popen(command, env=env, stdin=slave, stdout=slave, stderr=slave,
                            cwd=cwd, preexec_fn=_controlling_terminal)
    os.close(slave)
    return proc, master
