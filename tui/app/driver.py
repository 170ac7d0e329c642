"""Textual's Linux driver, with the repaint filter between the app and the terminal."""

from __future__ import annotations

import os
from typing import Any

from textual.drivers.linux_driver import LinuxDriver

from tui.app.repaint_filter import RepaintFilter


class FilteringDriver(LinuxDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.repaints = RepaintFilter()
        self._size: os.terminal_size | None = None

    def write(self, data: str) -> None:
        # A resized terminal may have moved or cleared any cell: forget what it showed.
        try:
            size: os.terminal_size | None = os.get_terminal_size(
                self._file.fileno() if self._file is not None else -1)
        except (OSError, ValueError):
            size = None
        if size != self._size or size is None:
            self.repaints.forget()
            self._size = size
        super().write(self.repaints.filter(data))

    def start_application_mode(self) -> None:
        self.repaints.forget()  # a fresh alternate screen (also after a suspend)
        super().start_application_mode()  # type: ignore[no-untyped-call]

    def stop_application_mode(self) -> None:
        self.repaints.forget()
        super().stop_application_mode()
