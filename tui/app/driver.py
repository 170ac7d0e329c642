"""Textual's Linux driver, with the repaint filter between the app and the terminal."""

from __future__ import annotations

import os
from typing import Any

from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

from tui.app.first_paint import FirstPaint
from tui.app.repaint_filter import RepaintFilter


class FilteringDriver(LinuxDriver):
    def __init__(self, app: App[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(app, *args, **kwargs)
        # The table drawn before Textual loaded (first_paint.py): what is on screen already.
        first: FirstPaint | None = getattr(app, "first_paint", None)
        self._adopting = first is not None
        self.repaints = first.repaints if first is not None else RepaintFilter()
        self._size: os.terminal_size | None = self._terminal_size()
        if first is not None and first.size != self._size:
            self.repaints.forget()  # resized since: the table drawn then is not what shows

    def _terminal_size(self) -> os.terminal_size | None:
        try:
            return os.get_terminal_size(self._file.fileno() if self._file is not None else -1)
        except (OSError, ValueError):
            return None

    def write(self, data: str) -> None:
        if self._adopting and data == "\x1b[?1049h":
            return  # already on the alternate screen: entering again would clear the table
        # A resized terminal may have moved or cleared any cell: forget what it showed.
        size = self._terminal_size()
        if size != self._size or size is None:
            self.repaints.forget()
            self._size = size
        super().write(self.repaints.filter(data, size.lines if size else None))

    def start_application_mode(self) -> None:
        if not self._adopting:
            self.repaints.forget()  # a fresh alternate screen (also after a suspend)
        super().start_application_mode()  # type: ignore[no-untyped-call]
        self._adopting = False  # a later start (after a suspend) is a fresh screen

    def stop_application_mode(self) -> None:
        self.repaints.forget()
        super().stop_application_mode()
