"""The attribute table: a DataTable that never takes the focus.

Every widget repaints itself when it gains or loses the focus, and for a full table that is
a few KB on the wire each time the editor opens or closes. So the table stays unfocused and
the screen drives it (`MainScreen` binds the arrows, Page Up/Down, Home/End, g/G and Enter);
the cursor row keeps the focused look through CSS.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class AttributeTable(DataTable[object]):
    can_focus = False

    DEFAULT_CSS = """
    AttributeTable {
        /* 3 fixed columns fit 80 cells with a 1-cell scrollbar; never scroll sideways. */
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    AttributeTable > .datatable--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    def set_row(self, key: str, cells: Sequence[object]) -> None:
        """Change one row's cells and repaint that row alone.

        DataTable.update_cell repaints the whole table for each cell (a few KB over SSH per
        change). This does what update_cell does, minus its refresh(), then refreshes the
        row's own region. It touches DataTable internals (_data, _update_count): Textual is
        pinned in constraints.txt, and the TUI tests read rows back through get_row().
        """
        row_key = RowKey(key)
        for column_key, cell in zip(self.columns, cells, strict=True):
            self._data[row_key][column_key] = cell
        self._update_count += 1  # invalidates the rendered-row cache
        self.refresh_row(self.get_row_index(key))

    def first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)
