"""What reaches a real terminal: the TUI on a pseudo-terminal at 80x24, its bytes replayed
through a VT emulator (pyte).

The TUI sends less than Textual would (a field repaints only the cells a key changed, the
detail panel only changed lines, and the repaint filter drops chunks that rewrite cells with
what they show). Each saving is a chance to leave a stale cell, so these tests drive a real
session and then make the app repaint everything (a resize there and back): the screen the
small updates built must be exactly the screen a full repaint draws.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pyte
import pytest

from tests.cli import ROOT
from tests.pty_spawn import set_size, spawn_on_pty

COLUMNS, LINES = 80, 24
Cells = list[list[tuple[str, str, str, bool, bool]]]


class Terminal:
    """cognito-tui --sandbox on a pty, everything it writes fed to a pyte screen."""

    def __init__(self, home: Path, term: str) -> None:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
               "COGNITO_TUI_CONFIG": str(home / "config.toml"), "LANG": "C.UTF-8",
               "TERM": term, "PYTHONPATH": str(ROOT)}
        self.proc, self.master = spawn_on_pty([sys.executable, "-m", "tui", "--sandbox"], env,
                                              columns=COLUMNS, lines=LINES, cwd=ROOT)
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.written = 0
        self.raw = bytearray()

    def pump(self, timeout: float = 0.05) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.written += len(data)
        self.raw += data
        self.stream.feed(data)
        return True

    def until(self, condition: Callable[[], bool], what: str, within: float = 30) -> None:
        deadline = time.monotonic() + within
        while not condition():
            if time.monotonic() > deadline:
                shown = "\n".join(self.screen.display)
                raise AssertionError(f"never saw {what}; the terminal shows:\n{shown}")
            self.pump()

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    def press(self, *keys: bytes) -> None:
        for key in keys:
            os.write(self.master, key)

    def cells(self) -> Cells:
        return [[(c.data, c.fg, c.bg, c.bold, c.reverse)
                 for c in (self.screen.buffer[y][x] for x in range(self.screen.columns))]
                for y in range(self.screen.lines)]

    def resize(self, columns: int, lines: int) -> None:
        self.screen.resize(lines, columns)
        set_size(self.master, columns, lines)
        self.proc.send_signal(signal.SIGWINCH)  # what the kernel does for the foreground

    def close(self) -> None:
        try:
            self.press(b"q")
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(10)
        finally:
            #: The terminal's modes as the program left them.
            self.modes_at_exit = termios.tcgetattr(self.master)
            os.close(self.master)


@contextmanager
def terminal(home: Path, term: str = "xterm") -> Iterator[Terminal]:
    t = Terminal(home, term)
    try:
        t.until(lambda: t.shows("Customer Support"), "the table")
        yield t
    finally:
        t.close()


def assert_full_repaint_draws_the_same(t: Terminal) -> None:
    built = t.cells()
    t.resize(COLUMNS + 1, LINES)
    t.until(lambda: t.cells() != built, "a repaint at 81 columns")
    t.resize(COLUMNS, LINES)
    deadline = time.monotonic() + 30
    while t.cells() != built:
        if time.monotonic() > deadline:
            now = t.cells()
            diff = [f"line {y + 1}: {''.join(c[0] for c in built[y])!r}\n"
                    f"   repaint: {''.join(c[0] for c in now[y])!r}"
                    for y in range(LINES) if built[y] != now[y]]
            raise AssertionError("the screen built from small updates differs from a full "
                                 "repaint:\n" + "\n".join(diff))
        t.pump()


def type_text(t: Terminal, field_line: Callable[[], str], text: str) -> None:
    """One key at a time, each seen on screen before the next, as a person types."""
    for ch in text:
        before = field_line()
        t.press(ch.encode())
        t.until(partial(_differs, field_line, before), f"the key {ch!r} echoed")


def _differs(now: Callable[[], str], before: str) -> bool:
    return now() != before


@pytest.mark.parametrize("term", ["xterm", "xterm-256color"])
def test_an_edit_leaves_the_screen_a_full_repaint_would_draw(tmp_path: Path,
                                                             term: str) -> None:
    with terminal(tmp_path, term) as t:
        t.press(b"G", b"e")
        t.until(lambda: t.shows("Esc cancels"), "the editor")
        def field() -> str:
            return str(t.screen.display[21])  # the value field's line

        t.press(b"\x15")
        t.until(lambda: "Tier 2" not in field(), "the field cleared")
        # Type, move back into the middle, insert, delete: the narrow repaints of a field.
        type_text(t, field, "nightshift")
        t.press(*[b"\x1b[D"] * 5)
        type_text(t, field, "-x")
        t.press(b"\x7f")
        t.until(lambda: "night-shift" in field(), "the inserted dash")
        t.press(b"\r")
        t.until(lambda: t.shows("custom:team = night-shift") and not t.shows("saving"),
                "the saved value in the detail panel")
        assert t.shows("night-shift") and not t.shows("Esc cancels")
        # Open and cancel, move about: the panel's lines change one at a time.
        t.press(b"e")
        t.until(lambda: t.shows("Esc cancels"), "the editor again")
        t.press(b"\x1b")
        t.until(lambda: not t.shows("Esc cancels"), "the editor closed")
        t.press(b"g", b"\x1b[B", b"\x1b[B")
        t.until(lambda: t.shows("family_name = Doe"), "the detail of the third row")
        assert_full_repaint_draws_the_same(t)


def test_a_burst_of_keys_is_applied_in_order_and_drawn_right(tmp_path: Path) -> None:
    """Keys faster than frames (a fast typist on a slow link): editing keys and characters
    in one read are applied in the order typed, and several changes land in one frame."""
    with terminal(tmp_path) as t:
        t.press(b"G", b"e")
        t.until(lambda: t.shows("Esc cancels"), "the editor")
        t.press(b"\x15nightshfit\x7f\x7f\x7fift\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D-\x1b[F!")
        t.until(lambda: "night-shift!" in t.screen.display[21], "the burst typed in order")
        assert_full_repaint_draws_the_same(t)


def test_the_first_screen_is_drawn_once(tmp_path: Path) -> None:
    """Textual paints the first screen twice (a layout, then the screen's resume); the
    filter sends the second only where it differs."""
    with terminal(tmp_path) as t:
        # A key's answer comes after everything start-up queued before it.
        t.press(b"\x1b[B")
        t.until(lambda: t.shows("email_verified = true"), "the second row's detail")
        assert t.written < 6 * 1024, f"{t.written} bytes for the first screen and one move"
        assert_full_repaint_draws_the_same(t)


def test_the_table_is_drawn_before_textual_loads_exactly_as_textual_draws_it(
        tmp_path: Path) -> None:
    t = Terminal(tmp_path, "xterm")
    try:
        modes_before = termios.tcgetattr(t.master)
        t.until(lambda: t.shows("q Quit"), "the table down to its last line")
        # Drawn by first_paint.py (Textual's start would send its mouse modes first).
        assert t.raw.startswith(b"\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[1;1H")
        first_sight = t.cells()
        # Keys pressed before Textual runs are kept, in order.
        t.press(b"G", b"e")
        t.until(lambda: t.shows("Edit custom:team"), "the editor on the last row")
        t.press(b"\x1b")  # alone: Esc and a key at once read as Alt+key
        t.until(lambda: not t.shows("Esc cancels"), "the editor closed")
        t.press(b"g")
        t.until(lambda: t.shows("email = jane.doe@example.com"), "the first row again")
        # Textual's own frames changed nothing the first paint had drawn.
        now = t.cells()
        assert [y for y in range(LINES) if now[y] != first_sight[y]] == [], \
            [(first_sight[y], now[y]) for y in range(LINES) if now[y] != first_sight[y]]
        assert t.written < len(t.raw[:t.raw.find(b"\x1b[1;2H")]) + 3 * 1024
        assert_full_repaint_draws_the_same(t)
    finally:
        t.close()
    # The terminal gets its own modes back (the first paint turned echo off before Textual).
    modes_after = t.modes_at_exit
    assert modes_after[3] & (termios.ECHO | termios.ICANON) == \
        modes_before[3] & (termios.ECHO | termios.ICANON)


def test_ctrl_c_before_textual_has_the_keyboard_exits_130_without_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Between the first paint and Textual's start, Ctrl+C is a plain SIGINT."""
    import tui.app.run
    from tui.cli.main import main

    def interrupted(_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(tui.app.run, "run_tui", interrupted)
    assert main([]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
