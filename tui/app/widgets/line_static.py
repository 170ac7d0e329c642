"""A Static of plain text that repaints only the lines whose text changed.

Textual repaints a whole Static at every update, border and padding included: for the detail
panel under the table that is four full lines (~500 bytes) each time the cursor moves or a
save finishes, where often one line differs. Lines that wrap, or a size not known yet, fall
back to Textual's full repaint.
"""

from __future__ import annotations

from typing import Self

from rich.cells import cell_len
from textual.geometry import Region
from textual.visual import VisualType
from textual.widgets import Static


class LineStatic(Static):
    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id, markup=False)
        self._text = text
        self._narrow: tuple[Region, ...] = ()

    @property
    def text(self) -> str:
        return self._text

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        """Plain text only. The height is fixed by CSS, so no layout pass by default."""
        text = str(content)
        if text == self._text:
            return  # nothing to repaint, nothing to send
        self._narrow = self._changed_lines(self._text, text)
        self._text = text
        super().update(text, layout=layout)
        self._narrow = ()

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        if not regions and self._narrow and not layout:
            regions = self._narrow
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _changed_lines(self, before: str, now: str) -> tuple[Region, ...]:
        width, height = self.content_region.size
        old, new = before.split("\n"), now.split("\n")
        if not width or any(cell_len(line) > width for line in old + new):
            return ()
        changed = [y for y in range(min(height, max(len(old), len(new))))
                   if (old[y] if y < len(old) else "") != (new[y] if y < len(new) else "")]
        return tuple(Region(0, y, width, 1) for y in changed)
