"""The table on the terminal before Textual has loaded.

Importing Textual and starting it takes ~200 ms, longer than the whole GetUser round trip.
With a stored sign-in, the TUI makes its one GetUser first, with no event loop, and draws the
table screen right away, in the very bytes Textual will draw it with (its ANSI theme at
80x24 or larger). Textual then starts on that screen: the repaint filter is handed what is
already there, so Textual's first frame sends only what differs (nothing, when it matches).
Keys pressed meanwhile wait in the terminal (echo off) and reach the app in order.

No Textual here: this module must stay cheap to import (an import-linter contract).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len

from tui.app.book import (
    KEY_LINE,
    NAME_WIDTH,
    STATUS_WIDTH,
    VALUE_WIDTH,
    AttributeBook,
    detail_text,
    header_text,
    row_cells,
)
from tui.app.repaint_filter import RepaintFilter
from tui.cognito.models import User
from tui.cognito.session import Session

try:
    import termios
except ImportError:  # not a Unix terminal: Textual draws everything itself
    termios = None  # type: ignore[assignment]

#: The smallest terminal drawn ahead; smaller ones wait for Textual.
MIN_COLUMNS, MIN_LINES = 80, 12

RESET = "\x1b[0m"
# The ansi-dark theme's styles, as Textual writes them.
HEADER = "\x1b[44m"
HEADER_TEXT = "\x1b[39;44m"
COLUMNS = "\x1b[1;39;104m"
CURSOR = "\x1b[1;30;47m"
PLAIN = "\x1b[39;49m"
PANEL = "\x1b[49m"
RULE = "\x1b[32;49m"
#: A status's style on a plain row: (attributes, foreground).
STATUS_STYLES = {"dim": ("2;", "39"), "green": ("", "32"), "yellow": ("", "33"),
                 "bold red": ("1;", "31"), "italic": ("3;", "39")}


@dataclass
class FirstPaint:
    """What was drawn, for the app to take over."""

    repaints: RepaintFilter  # seeded with every chunk on the screen
    saved_tty: list[Any] | None  # the terminal's modes before, restored at the very end
    size: os.terminal_size  # what it was drawn for


def _segment(style: str, text: str) -> str:
    return f"{style}{text}{RESET}" if text else ""


def _text_then_pad(style: str, text: str, pad_style: str, width: int) -> str:
    """A line's text and the blanks after it, as two segments the way Textual writes them."""
    return _segment(style, text) + _segment(pad_style, " " * (width - cell_len(text)))


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def frame(session: Session, user: User, *, keep_original: bool, columns: int,
          lines: int) -> list[str]:
    """The table screen as Textual's chunks: one cursor move and styled text per line."""
    book = AttributeBook(keep_original=keep_original)
    book.load(user)
    rows = list(book.rows.values())
    out: list[str] = []

    def line(y: int, body: str, last: bool = False) -> None:
        out.append(f"\x1b[{y};1H{body}" + ("" if last else "\n"))

    for y, text in enumerate(header_text(session).split("\n")[:2], start=1):
        text = text[: columns - 2]
        line(y, _segment(HEADER, " ") + _text_then_pad(HEADER_TEXT, text, HEADER, columns - 2)
             + _segment(HEADER, " "))
    widths = (NAME_WIDTH, VALUE_WIDTH, STATUS_WIDTH)
    filler = columns - sum(w + 2 for w in widths)
    line(3, "".join(_segment(COLUMNS, " " + _pad(label, w) + " ")
                    for label, w in zip(("attribute", "value", "status"), widths, strict=True))
         + _segment(COLUMNS, " " * filler))
    table_rows = lines - 8  # header 2, column names 1, detail panel 4, key line 1
    for i in range(table_rows):
        y = 4 + i
        if i >= len(rows):
            line(y, _segment(PLAIN, " " * columns))
            continue
        name, value, status, style = row_cells(book, rows[i])
        base = CURSOR if i == 0 else PLAIN
        cells = _segment(base, " " + _pad(name, NAME_WIDTH) + " ")
        cells += _segment(base, " " + _pad(value, VALUE_WIDTH) + " ")
        if not status or not style or (i == 0 and style in ("green", "yellow")):
            # Plain, or a colour the cursor's own colours replace: one segment.
            cells += _segment(base, " " + _pad(status, STATUS_WIDTH) + " ")
        else:
            attributes, colour = STATUS_STYLES[style]
            styled = (f"\x1b[{attributes}{colour};49m" if i else  # the cursor row: a guess
                      base.replace("\x1b[", "\x1b[" + attributes, 1))
            cells += (_segment(base, " ") + _segment(styled, status)
                      + _segment(base, " " * (STATUS_WIDTH + 1 - cell_len(status))))
        line(y, cells + _segment(base, " " * filler))
    line(lines - 4, _segment(RULE, "─" * columns))
    detail = detail_text(rows[0] if rows else None).split("\n")
    for k in range(3):
        text = detail[k][: columns - 2] if k < len(detail) else ""
        if text:
            body = _text_then_pad(PLAIN, text, PANEL, columns - 2)
        else:
            body = _segment(PLAIN, " " * (columns - 2))
        line(lines - 3 + k, _segment(PANEL, " ") + body + _segment(PANEL, " "))
    line(lines, _text_then_pad(PLAIN, KEY_LINE[:columns], PANEL, columns), last=True)
    return out


def paint(session: Session, user: User, *, keep_original: bool) -> FirstPaint | None:
    """Draw the table on the controlling terminal; None when it is not one to draw on."""
    stream = sys.__stderr__  # where Textual's driver writes
    if termios is None or stream is None or not stream.isatty() or not sys.stdin.isatty():
        return None
    if (os.environ.get("TERM", "dumb") in ("dumb", "") or os.environ.get("TEXTUAL_DRIVER")
            or "NO_COLOR" in os.environ):  # Textual would draw it otherwise: let it
        return None
    try:
        size = os.get_terminal_size(stream.fileno())
    except OSError:
        return None
    if size.columns < MIN_COLUMNS or size.lines < MIN_LINES:
        return None
    chunks = frame(session, user, keep_original=keep_original, columns=size.columns,
                   lines=size.lines)
    saved = _quiet_keyboard()
    repaints = RepaintFilter()
    shown = repaints.filter("".join(chunks))  # remembers every chunk
    # Alternate screen, cursor hidden, no line wrap: as Textual will set them.
    os.write(stream.fileno(), ("\x1b[?1049h\x1b[?25l\x1b[?7l" + shown).encode())
    return FirstPaint(repaints, saved, size)


def _quiet_keyboard() -> list[Any] | None:
    """Echo and line buffering off, so keys typed before Textual starts neither print over
    the table nor wait for Enter. Textual sets its own modes on top."""
    with contextlib.suppress(termios.error, OSError):
        fd = sys.stdin.fileno()
        saved: list[Any] = termios.tcgetattr(fd)
        quiet = termios.tcgetattr(fd)
        quiet[3] &= ~(termios.ECHO | termios.ICANON)
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
        return saved
    return None


@contextlib.contextmanager
def handed_over(first: FirstPaint | None) -> Iterator[None]:
    """Around the app's run: the terminal gets back its own modes at the very end, and if
    the app never took over the screen, the alternate screen is left."""
    try:
        yield
    except BaseException:
        if first is not None and sys.__stderr__ is not None:
            with contextlib.suppress(OSError):
                os.write(sys.__stderr__.fileno(), b"\x1b[?7h\x1b[?25h\x1b[?1049l")
        raise
    finally:
        if first is not None and first.saved_tty is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, first.saved_tty)
