"""The attribute table: every attribute, one row each, edited one attribute per call.

Calls run in workers, so a slow Cognito never freezes keys or the screen; edits of one row
wait for each other (a lock per attribute), edits of different rows run side by side.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from tui.app.book import (
    NAME_WIDTH,
    STATUS_WIDTH,
    VALUE_WIDTH,
    VERIFIABLE,
    AttributeBook,
    Row,
    detail_text,
    error_words,
    row_cells,
    shorten,
)
from tui.app.widgets.attribute_table import AttributeTable
from tui.app.widgets.edit_bar import EditBar
from tui.app.widgets.key_line import KeyLine
from tui.app.widgets.line_static import LineStatic
from tui.app.widgets.session_header import SessionHeader
from tui.app.widgets.steady_input import SteadyInput
from tui.cognito.errors import CognitoTuiError, NotSignedInError
from tui.cognito.models import CodeDelivery, User
from tui.cognito.session import Session

# The dialogs are imported when first opened: the first screen must not wait for them.
T = TypeVar("T")
class MainScreen(Screen[None]):
    # Its styles (main_screen.tcss) are loaded by CognitoApp.CSS_PATH, see there.
    # Screen repaints all 24 lines whenever its focused widget changes, though the widgets
    # that gain and lose the focus repaint themselves anyway: 3-5 KB per editor opened or
    # closed on a slow link. Here the change repaints nothing more.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    # Nothing has the focus at rest: the screen's bindings drive the table (AttributeTable).
    AUTO_FOCUS = ""
    BINDINGS = [
        # The table never has the focus (see AttributeTable), so the screen moves its cursor.
        Binding("up", "move('up')", show=False),
        Binding("down", "move('down')", show=False),
        Binding("pageup", "move('page_up')", show=False),
        Binding("pagedown", "move('page_down')", show=False),
        Binding("home,g", "move('first')", show=False),
        Binding("end,G", "move('last')", show=False),
        Binding("enter", "edit", show=False),
        Binding("e", "edit", "Edit"),
        Binding("a", "add", "Add"),
        Binding("d", "delete", "Delete"),
        Binding("r", "retry", "Retry", show=False),
        Binding("v", "verify", "Verify"),
        Binding("R", "reload", "Reload", key_display="R"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("l", "log", "Log"),
        Binding("question_mark", "help", "Keys", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("escape", "clear_filter", show=False),
    ]

    def __init__(self, session: Session, *, keep_original: bool = False,
                 prefetch: asyncio.Task[User] | None = None) -> None:
        super().__init__()
        self.session = session
        #: GetUser, started by the app before this screen was built (saves a frame or two).
        self._prefetch = prefetch
        self.book = AttributeBook(keep_original=keep_original)
        self.locks: dict[str, asyncio.Lock] = {}
        self._reauth = asyncio.Lock()
        self.filter_text = ""

    def compose(self) -> ComposeResult:
        yield SessionHeader(self.session)
        yield AttributeTable(id="attributes", cursor_type="row", zebra_stripes=False)
        yield LineStatic("loading…", id="detail")
        yield EditBar(id="editor")
        yield SteadyInput(id="filter", placeholder="filter: part of a name or value (Esc clears)",
                          compact=True)
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("attribute", width=NAME_WIDTH, key="name")
        table.add_column("value", width=VALUE_WIDTH, key="value")
        table.add_column("status", width=STATUS_WIDTH, key="status")
        self.query_one("#filter", Input).display = False
        prefetch = self._prefetch
        if prefetch is not None and prefetch.done() and prefetch.exception() is None:
            # The answer came before the screen was built (CognitoApp.on_load): the rows go
            # into the very first frame, so the terminal gets one full paint, not three.
            self._prefetch = None
            self.book.load(prefetch.result())
            self.render_table()
            return
        if self._prefetch is None and self.session.signed_in:
            self._prefetch = asyncio.create_task(self.session.get_user())
        self.load()

    # --- rendering ----------------------------------------------------------------------------

    def _visible(self) -> list[Row]:
        needle = self.filter_text.lower()
        return [row for row in self.book.rows.values()
                if not needle or needle in row.name.lower() or needle in row.value.lower()]

    def _cells(self, row: Row) -> tuple[Text, Text, Text]:
        name, value, status, style = row_cells(self.book, row)
        return Text(name), Text(value), Text(status, style=style)

    def render_table(self) -> None:
        """Rebuild the rows (after a load, an add, a delete, a filter)."""
        table = self.query_one(DataTable)
        current = self.current_name()
        table.clear()
        for row in self._visible():
            table.add_row(*self._cells(row), key=row.name)
        names = [row.name for row in self._visible()]
        if current in names:
            table.move_cursor(row=names.index(current))
        self.show_detail()

    def render_row(self, name: str) -> None:
        """Update one row in place: no redraw of the rest of the table."""
        table = self.query_one(AttributeTable)
        row = self.book.rows.get(name)
        if row is None or name not in table.rows:
            self.render_table()
            return
        table.set_row(name, self._cells(row))
        flag = f"{name}_verified"
        if name in VERIFIABLE and flag in self.book.rows and flag in table.rows:
            table.set_row(flag, self._cells(self.book.rows[flag]))
        elif name in VERIFIABLE and flag in self.book.rows:
            self.render_table()
        if name == self.current_name():
            self.show_detail()

    def current_name(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def current_row(self) -> Row | None:
        name = self.current_name()
        return self.book.rows.get(name) if name else None

    def show_detail(self) -> None:
        self.query_one("#detail", Static).update(
            detail_text(self.current_row(), filtered=bool(self.filter_text)))

    def on_data_table_row_highlighted(self) -> None:
        self.show_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the editor is open, keys belong to it; nothing else moves underneath.
        return not self.query_one(EditBar).is_open

    def action_move(self, where: str) -> None:
        table = self.query_one(AttributeTable)
        if where == "first":
            table.first_row()
        elif where == "last":
            table.last_row()
        else:
            getattr(table, f"action_{'cursor_' if where in ('up', 'down') else ''}{where}")()

    # --- calls: every one goes through here ----------------------------------------------------

    async def call(self, action: Callable[[], Awaitable[T]], *, what: str) -> T:
        """Run a Session call; when the session has ended, sign in again and repeat it once."""
        try:
            result = await action()
        except NotSignedInError as exc:
            if not await self.sign_in_again(f"{exc}. Sign in again to finish: {what}."):
                raise
            result = await action()
        self.query_one(SessionHeader).refresh_session()
        return result

    async def sign_in_again(self, reason: str) -> bool:
        from tui.app.screens.signin import SignInScreen

        async with self._reauth:
            if self.session.signed_in:
                return True  # another call already did it
            username = self.book.username
            tokens = await self.app.push_screen_wait(
                SignInScreen(self.session, reason=reason, username=username))
            if tokens is None:
                return False
            self.session.accept(tokens)
            return True

    @work(group="load")
    async def load(self) -> None:
        prefetch, self._prefetch = self._prefetch, None
        try:
            user: User | None = None
            if prefetch is not None:
                try:
                    user = await prefetch
                except NotSignedInError:
                    user = None  # asked again below, with the sign-in on the way
                else:
                    self.query_one(SessionHeader).refresh_session()
            if user is None:
                user = await self.call(self.session.get_user, what="loading the attributes")
        except CognitoTuiError as exc:
            self.query_one("#detail", Static).update(f"could not load: {error_words(exc)}\n"
                                                     "R tries again")
            return
        self.book.load(user)
        self.render_table()

    # --- editing -------------------------------------------------------------------------------

    def _writable_row(self) -> Row | None:
        """The highlighted row if it can be changed; says why not when it can't."""
        row = self.current_row()
        if row is not None and row.read_only:
            self.notify(f"{row.name} is read-only", severity="warning")
            return None
        return row

    def action_edit(self) -> None:
        row = self._writable_row()
        if row is None:
            return
        typed = row.typed if row.state == "failed" and row.typed is not None else row.value
        self.query_one(EditBar).open(row.name, typed)

    def action_add(self) -> None:
        self.query_one(EditBar).open(adding=True)

    def on_edit_bar_done(self, message: EditBar.Done) -> None:
        self.set_focus(None)
        if message.edit is not None:
            self.save(message.edit.name, message.edit.value)

    def action_retry(self) -> None:
        row = self.current_row()
        if row is None or row.state != "failed" or row.typed is None:
            self.notify("nothing to retry on this row")
            return
        self.save(row.name, row.typed)

    @work(group="save")
    async def save(self, name: str, value: str) -> None:
        lock = self.locks.setdefault(name, asyncio.Lock())
        self.book.begin(name, value)  # "saving" at once, even while an earlier edit runs
        self.render_row(name)
        async with lock:
            self.book.begin(name, value)
            try:
                result = await self.call(lambda: self.session.set_attribute(name, value),
                                         what=f"saving {name}")
            except CognitoTuiError as exc:
                self.book.failed(name, value, exc)
                self.render_row(name)
                # The whole error is on the row's detail line; the toast only points at it.
                self.notify(f"{name} not saved; r retries", severity="error", markup=False)
                return
            delivery = self.book.saved(name, value, result)
            self.render_row(name)
        if delivery is not None:
            await self.ask_code(name, delivery)

    # --- verification --------------------------------------------------------------------------

    def action_verify(self) -> None:
        row = self.current_row()
        if row is None or row.state != "pending":
            self.notify("no code is pending for this row")
            return
        self.reopen(row.name)

    @work(group="verify")
    async def reopen(self, name: str) -> None:
        row = self.book.rows[name]
        await self.ask_code(name, row.delivery)

    async def ask_code(self, name: str, delivery: CodeDelivery | None) -> None:
        from tui.app.screens.verify import VerifyScreen

        async def verify(code: str) -> None:
            try:
                result = await self.call(lambda: self.session.verify(name, code),
                                         what=f"verifying {name}")
            except CognitoTuiError as exc:
                self.book.verify_failed(name, exc)
                raise
            self.book.verified(name, result)
            self.render_row(name)

        async def resend() -> CodeDelivery | None:
            row = self.book.rows[name]
            if row.pending_value is not None:
                # Keep-original mode: GetUserAttributeVerificationCode would send to the old
                # address, so the same update is sent again.
                result = await self.call(
                    lambda: self.session.set_attribute(name, row.pending_value or ""),
                    what=f"resending the code for {name}")
                fresh = next(iter(result.deliveries), None)
                self.book.resent(name, fresh, result.request_id)
                return fresh
            sent, request_id = await self.call(lambda: self.session.resend(name),
                                               what=f"resending the code for {name}")
            self.book.resent(name, sent, request_id)
            return sent

        verified = await self.app.push_screen_wait(
            VerifyScreen(name, delivery, verify=verify, resend=resend))
        if verified:
            self.notify(f"{name} verified", severity="information")
        else:
            self.render_row(name)

    # --- the rest ------------------------------------------------------------------------------

    def action_delete(self) -> None:
        from tui.app.screens.confirm import ConfirmScreen

        row = self._writable_row()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes and row is not None:
                self.delete(row.name)

        self.app.push_screen(ConfirmScreen(f"Delete {row.name} ({shorten(row.value, 40)})? "
                                           "This cannot be undone."), answered)

    @work(group="save")
    async def delete(self, name: str) -> None:
        lock = self.locks.setdefault(name, asyncio.Lock())
        async with lock:
            old = self.book.rows[name].value
            self.book.begin(name, old)
            self.render_row(name)
            try:
                result = await self.call(lambda: self.session.delete(name),
                                         what=f"deleting {name}")
            except CognitoTuiError as exc:
                self.book.failed(name, old, exc, action="delete")
                self.render_row(name)
                self.notify(f"{name} not deleted: {error_words(exc)}", severity="error",
                            markup=False)
                return
            self.book.deleted(name, result)
            self.render_table()

    def action_reload(self) -> None:
        self.query_one("#detail", Static).update("reloading…")
        self.load()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.filter_text = event.value.strip()
            self.render_table()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.set_focus(None)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.filter_text = ""
            self.render_table()
            self.set_focus(None)

    def action_log(self) -> None:
        from tui.app.screens.log import LogScreen

        self.app.push_screen(LogScreen(list(self.book.log)))

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.app.exit()
