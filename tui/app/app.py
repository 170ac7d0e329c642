"""The application: first-run set-up, sign-in when needed, then the attribute table."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import work
from textual.app import App
from textual.driver import Driver
from textual.screen import Screen

from tui.app.first_paint import FirstPaint
from tui.app.screens.main_screen import MainScreen
from tui.app.theme import choose_theme
from tui.cognito.errors import CognitoTuiError
from tui.cognito.models import User
from tui.cognito.profiles import Profile
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.cognito.tokens import TokenSet

#: How long start-up waits for GetUser before showing the table as "loading…".
FIRST_FRAME_WAIT = 0.5


class CognitoApp(App[None]):
    TITLE = "cognito-tui"
    # The table's styles load with the app: with a stored token MainScreen is the default
    # screen, and Textual only reads a screen's own CSS_PATH when the screen is pushed.
    CSS_PATH = ["app.tcss", "screens/main_screen.tcss"]
    ENABLE_COMMAND_PALETTE = False  # every action has its own key; ctrl+p would only confuse

    def __init__(self, session: Session | None, *, profile_name: str = "default",
                 open_session: Callable[[Profile], Session] | None = None,
                 keep_original: bool = False, notices: list[str] | None = None,
                 theme: str | None = None,
                 sandbox_login: tuple[str, str] | None = None,
                 first_user: User | CognitoTuiError | None = None,
                 first_paint: FirstPaint | None = None) -> None:
        theme = theme or choose_theme()
        super().__init__(ansi_color=theme.startswith("ansi"))
        self.theme = theme
        self.session = session
        self.profile_name = profile_name
        self.open_session = open_session
        self.keep_original = keep_original
        self.notices = notices or []
        self._first_user: asyncio.Task[User] | None = None
        #: The sandbox signs in as its demo user by itself (SRP, like any other sign-in).
        self.sandbox_login = sandbox_login
        #: The start's GetUser, made before Textual loaded (tui/app/run.py), and the table
        #: already drawn from it, which the driver takes over (tui/app/driver.py).
        self.first_user = first_user
        self.first_paint = first_paint

    async def on_load(self) -> None:
        # Signed in already (a stored token): GetUser goes out before the terminal is even
        # set up, and a quick answer (within FIRST_FRAME_WAIT) is in the first frame.
        if self.first_user is not None:
            self._first_user = asyncio.create_task(_known(self.first_user))
            await asyncio.wait({self._first_user})
        elif self.session is not None and self.session.signed_in:
            self._first_user = asyncio.create_task(self.session.get_user())
            await asyncio.wait({self._first_user}, timeout=FIRST_FRAME_WAIT)

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":  # not Windows, not a driver chosen by env var
            from tui.app.driver import FilteringDriver

            return FilteringDriver
        return driver

    def get_default_screen(self) -> Screen[None]:
        # With a stored token the table is the first and only screen built: one full paint,
        # not a blank screen and then the table.
        if self.session is not None and self.session.signed_in:
            return MainScreen(self.session, keep_original=self.keep_original,
                              prefetch=self._first_user)
        return super().get_default_screen()

    def on_mount(self) -> None:
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)
        self.start()

    @work(group="start")
    async def start(self) -> None:
        session = self.session
        if session is not None:
            self._tell(session)
        if isinstance(self.screen, MainScreen):
            return  # started on the table (see get_default_screen)
        if session is None:
            from tui.app.screens.setup import SetupScreen

            profile = await self.push_screen_wait(SetupScreen(self.profile_name))
            if profile is None or self.open_session is None:
                self.exit()
                return
            session = self.session = self.open_session(profile)
            self._tell(session)
        if not session.signed_in and self.sandbox_login is not None:
            username, password = self.sandbox_login
            step = await session.new_sign_in().start(username, Secret(password))
            if isinstance(step, TokenSet):
                session.accept(step)
        if not session.signed_in:
            from tui.app.screens.signin import SignInScreen

            tokens = await self.push_screen_wait(SignInScreen(session))
            if tokens is None:
                self.exit()
                return
            session.accept(tokens)
        # The first request goes out now; the table's screen is built while it travels.
        prefetch = asyncio.create_task(session.get_user())
        await self.push_screen(MainScreen(session, keep_original=self.keep_original,
                                          prefetch=prefetch))

    def _tell(self, session: Session) -> None:
        for notice in session.notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)
        session.notices.clear()

    async def on_unmount(self) -> None:
        if self.session is not None:
            await self.session.aclose()


async def _known(answer: User | CognitoTuiError) -> User:
    if isinstance(answer, CognitoTuiError):
        raise answer
    return answer
