"""Driving the real app over real HTTP: a local user pool with the demo user, and helpers."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

from tui.app.app import CognitoApp
from tui.app.screens.main_screen import MainScreen
from tui.cognito.profiles import Profile
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.cognito.tokens import TokenSet
from tui.localpool.model import Delivery
from tui.localpool.sandbox import Sandbox, start_sandbox
from tui.localpool.server import LocalPoolServer
from tui.localpool.userpool import LocalCognito
from tui.store.memory import MemoryStore

#: A fixed instant for snapshots: 2026-03-02 09:00 UTC.
FIXED_NOW = 1772442000.0
FIXED_PORT = 47211


@dataclass
class Clock:
    now: float

    def __call__(self) -> float:
        return self.now


@dataclass
class Harness:
    sandbox: Sandbox
    clock: Clock
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def server(self) -> LocalPoolServer:
        return self.sandbox.server

    def session(self) -> Session:
        profile = Profile("sandbox", self.sandbox.pool_id, self.sandbox.client_id,
                          endpoint_url=self.sandbox.endpoint)
        # As the app runs it (tui/app/run.py): blocking calls, off the event loop.
        return Session.open(profile, MemoryStore(), clock=self.clock, blocking=True)

    async def signed_in_session(self) -> Session:
        """A session signed in as the demo user (SRP), as if its tokens had been stored."""
        session = self.session()
        step = await session.new_sign_in().start(self.sandbox.username,
                                                 Secret(self.sandbox.password))
        assert isinstance(step, TokenSet)
        session.accept(step)
        return session

    async def access_token(self) -> str:
        """The demo user's access token, for seeding the pool as the user would."""
        session = await self.signed_in_session()
        async with session:
            assert session.tokens is not None
            return session.tokens.access_token.reveal()

    def app(self, *, signed_in: bool = True, keep_original: bool = False) -> CognitoApp:
        login = (self.sandbox.username, self.sandbox.password) if signed_in else None
        return CognitoApp(self.session(), profile_name="sandbox", theme="ansi-dark",
                          sandbox_login=login, keep_original=keep_original)

    def code(self, attribute: str) -> str:
        return [d for d in self.deliveries if d.attribute == attribute][-1].code

    def server_user(self) -> dict[str, str]:
        pool = self.sandbox.server.cognito.pools[self.sandbox.pool_id]
        user = pool.users[self.sandbox.username]
        return dict(user.attributes)


@contextmanager
def harness(*, fixed: bool = False, keep_original: bool = False) -> Iterator[Harness]:
    """A fresh demo pool. `fixed`: seeded ids and a frozen clock, for snapshots."""
    clock = Clock(FIXED_NOW if fixed else time.time())
    cognito = LocalCognito(clock=clock, ids=random.Random(1042) if fixed else None)
    found: list[Delivery] = []
    # Pictures show the endpoint, so a fixed harness uses a fixed (rarely taken) port.
    sandbox = start_sandbox(cognito=cognito, on_delivery=found.append,
                            keep_original=keep_original, port=FIXED_PORT if fixed else 0)
    try:
        yield Harness(sandbox, clock, found)
    finally:
        sandbox.server.stop()


async def until(pilot: Pilot[None], condition: Callable[[], object], within: float = 10,
                what: str = "the condition") -> None:
    """Let the app run until `condition()` holds: waits on the app, not on a guessed time."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)


def main_screen(app: CognitoApp) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


async def table_ready(pilot: Pilot[None]) -> MainScreen:
    app = pilot.app
    assert isinstance(app, CognitoApp)
    await until(pilot, lambda: any(isinstance(s, MainScreen) and s.book.rows
                                   for s in app.screen_stack), what="the table")
    return main_screen(app)


async def go_to(pilot: Pilot[None], screen: MainScreen, name: str) -> None:
    table = screen.query_one(DataTable)
    names = [str(k.value) for k in table.rows]
    table.focus()
    target = names.index(name)
    while table.cursor_row != target:
        await pilot.press("down" if table.cursor_row < target else "up")


def editor_open(app: App[Any]) -> bool:
    from tui.app.widgets.edit_bar import EditBar

    return any(isinstance(s, MainScreen) and s.query_one(EditBar).is_open
               for s in app.screen_stack)


async def edit(pilot: Pilot[None], screen: MainScreen, name: str, value: str) -> None:
    """Go to a row, open the editor, replace the value and press Enter, as a person would."""
    await go_to(pilot, screen, name)
    await pilot.press("e")
    await until(pilot, lambda: editor_open(pilot.app))
    await pilot.press("ctrl+u", *value, "enter")
