"""An Input that repaints only what changed, and whose cursor does not blink.

A blinking cursor redraws twice a second for as long as the field has the focus: bytes on a
slow SSH link for nothing, and snapshots that differ run to run.

Textual repaints an Input's whole line at every key (~135 bytes at 80 columns). Typing at the
end changes two cells, the new character and the cursor, so this Input narrows each repaint
to the cells that differ from what is on screen (~35 bytes a key). Whenever the narrowing is
not certain (a scroll, a selection, wide characters, the placeholder, focus or size changed)
it repaints the line as Textual would.

It also applies its own editing keys (Backspace, Ctrl+U, arrows...) in the order they came.
Textual runs an Input's key bindings only after the key has bubbled to the app, while typed
characters are inserted at once: when several keys arrive in one read (a fast typist on a
slow link), "ab<Backspace>c" became "abc" and "<Ctrl+U>new" ended empty.
"""

from __future__ import annotations

from typing import NamedTuple, Self

from rich.cells import cell_len
from textual import events
from textual.binding import BindingsMap
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Input


class _Look(NamedTuple):
    """What the field's line shows, besides its styles."""

    value: str
    cursor: int
    selection_empty: bool
    scroll_x: int
    focused: bool
    width: int
    suggestion: str


class SteadyInput(Input):
    _painted: _Look | None = None
    _EDITING_KEYS = BindingsMap(Input.BINDINGS).key_to_bindings

    def on_mount(self) -> None:
        self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._EDITING_KEYS.get(event.key)
        if bindings:
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)

    def _look(self) -> _Look:
        return _Look(self.value, self.cursor_position, self.selection.is_empty,
                     self.scroll_offset.x, self.has_focus, self.size.width, self._suggestion)

    def render_line(self, y: int) -> Strip:
        if y == 0:
            self._painted = self._look()
        return super().render_line(y)

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        if not regions and repaint and not recompose and self._painted is not None:
            regions = self._changed_cells(self._painted, self._look())
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _changed_cells(self, before: _Look, now: _Look) -> tuple[Region, ...]:
        """The one-line region that differs between two looks, or () for "all of it"."""
        if (before._replace(value="", cursor=0) != now._replace(value="", cursor=0)
                or not (before.selection_empty and now.selection_empty)
                or not before.value or not now.value or self.password
                or self.highlighter is not None or before.suggestion or now.suggestion
                or not _narrow(before.value) or not _narrow(now.value)):
            return ()
        length = max(len(before.value), len(now.value)) + 1  # the cursor may sit past the end

        def cell(look: _Look, i: int) -> tuple[str, bool]:
            return (look.value[i] if i < len(look.value) else " ", i == look.cursor)

        changed = [i for i in range(length) if cell(before, i) != cell(now, i)]
        if not changed:
            return ()  # something else changed (a style?): repaint it all
        first, last = changed[0], changed[-1]
        return (Region(first - now.scroll_x, 0, last - first + 1, 1),)


def _narrow(text: str) -> bool:
    """Every character one cell wide, so an index is a column."""
    return "\t" not in text and cell_len(text) == len(text)
