"""Drops the parts of a frame that would rewrite cells with what they already show.

Textual paints whole widgets, and sometimes the same frame twice: a screen repaints itself
when it resumes, a layout pass repaints widgets whose size was first learned. On a slow SSH
link every such byte is latency. A frame from Textual is a run of chunks, each an absolute
cursor move and then styled text (`ESC[y;xH`, SGR codes, characters). This filter remembers
the last chunk written at each position and leaves out a chunk identical to the one there.

It is conservative: any escape sequence other than SGR and cursor moves (or modes that touch
no cell, written on their own), or text before the first cursor move, passes through
untouched and makes it forget everything, as does a new terminal size (the caller says
so). Forgetting only costs bytes; remembering wrongly would leave stale cells, so nothing is
remembered that it cannot account for.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_CUP = re.compile(r"\x1b\[(\d+);(\d+)H")
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b.")
_SGR = re.compile(r"\x1b\[[0-9;]*m")
#: What changes no cell: cursor shown/hidden, synchronized output, mouse, focus events,
#: bracketed paste, line wrap, mode queries, the keyboard protocol, the pointer's shape.
#: Written on their own, they leave what is remembered valid.
_CELL_NEUTRAL = re.compile(
    r"\x1b\[\?(?:25|2026|1000|1002|1003|1004|1006|1015|2004|7)[hl]"
    r"|\x1b\[\?\d+\$p"  # a question about a mode (the answer comes on input)
    r"|\x1b\[[<>=]\d*u"  # the kitty keyboard protocol on and off
    r"|\x1b\]22;[^\x07\x1b]*\x07")  # the mouse pointer's shape


class RepaintFilter:
    def __init__(self) -> None:
        #: row -> chunks on it as (first column, column after the last, the chunk's bytes)
        self._rows: dict[int, list[tuple[int, int, str]]] = {}
        self.dropped = 0  # characters left out, for the curious and the tests
        #: The terminal's text style is the default (as after a reset), as far as is known.
        self._plain = True

    def forget(self) -> None:
        self._rows.clear()

    def filter(self, data: str, lines: int | None = None) -> str:
        """`data` as it should be written; `lines` is the terminal's height, when known.

        A chunk is left out only when the same bytes are remembered at the same place, the
        styles are the defaults before and after it (so the chunk drew exactly what it drew
        then, and leaves nothing behind), and it is not the write's last (so the cursor ends
        where it would have)."""
        if not _CELL_NEUTRAL.sub("", data):
            return data
        chunks = self._chunks(data, lines)
        if chunks is None:
            self.forget()
            self._plain = _ends_plain(data, self._plain)
            return data
        out: list[str] = []
        for i, (row, column, chunk, width) in enumerate(chunks):
            plain_after = _ends_plain(chunk, self._plain)
            if not width:
                out.append(chunk)  # a bare move (where the cursor rests), or only styles
                self._plain = plain_after
                continue
            written = self._rows.setdefault(row, [])
            same = self._plain and plain_after
            if same and i < len(chunks) - 1 and (column, column + width, chunk) in written:
                self.dropped += len(chunk)
                continue
            written[:] = [c for c in written if c[1] <= column or c[0] >= column + width]
            if same:
                written.append((column, column + width, chunk))
            out.append(chunk)
            self._plain = plain_after
        return "".join(out)

    def _chunks(self, data: str, lines: int | None) -> list[tuple[int, int, str, int]] | None:
        """(row, column, chunk, cells wide) for each cursor move, or None if the data does
        anything this filter cannot model."""
        moves = list(_CUP.finditer(data))
        if not moves or moves[0].start() != 0 or not self._accountable(data):
            return None
        chunks = []
        for i, move in enumerate(moves):
            end = moves[i + 1].start() if i + 1 < len(moves) else len(data)
            # A line may end in a newline (the tty makes it CR LF): harmless before a move.
            text = _SGR.sub("", data[move.end():end]).removesuffix("\n").removesuffix("\r")
            if "\r" in text or "\n" in text:
                return None  # text running onto another row without a move
            row = int(move.group(1))
            if lines is not None and row >= lines and data[:end].endswith("\n"):
                return None  # a line feed on the last row scrolls the whole screen
            chunks.append((row, int(move.group(2)), data[move.start():end], cell_len(text)))
        return chunks

    @staticmethod
    def _accountable(data: str) -> bool:
        """Only cursor moves, SGR, printable text and line ends: effects it can model."""
        for escape in _ESCAPE.finditer(data):
            code = escape.group()
            if not (code.endswith("m") or _CUP.fullmatch(code)) or code.startswith("\x1b[?"):
                return False
        return "\x1b" not in _ESCAPE.sub("", data) and not any(
            ch in data for ch in "\b\t\x07\x0b\x0c")


def _ends_plain(data: str, plain_before: bool) -> bool:
    """Whether the text style is the default after `data`: its last SGR is a reset, or it has
    none and the style was the default before."""
    styles = _SGR.findall(data)
    if not styles:
        return plain_before
    return styles[-1] in ("\x1b[0m", "\x1b[m")
