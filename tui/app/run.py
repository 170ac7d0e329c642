"""Start the TUI from the command line's arguments: a profile, or the sandbox.

Nothing here imports Textual before it is needed: with a stored sign-in the table is fetched
and drawn first (first_paint.py), and Textual loads while the user already reads it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.app.first_paint import FirstPaint, handed_over, paint
from tui.app.theme import DEFAULT_THEME, choose_theme
from tui.cognito.errors import CognitoTuiError
from tui.cognito.models import User
from tui.cognito.profiles import Profile, ProfileFile, choose_profile_name
from tui.cognito.session import Session
from tui.cognito.wire import run_blocking
from tui.store.choose import choose_store

if TYPE_CHECKING:
    from tui.app.app import CognitoApp
    from tui.localpool.model import Delivery


@dataclass
class Start:
    """What the app starts with, gathered without Textual."""

    session: Session | None
    profile_name: str
    open_session: Callable[[Profile], Session] | None = None
    keep_original: bool = False
    notices: list[str] = field(default_factory=list)
    #: The sandbox's code deliveries, shown as toasts once the app exists.
    deliveries: list[Callable[[Delivery], None]] = field(default_factory=list)


def prepare(args: argparse.Namespace) -> Start:
    if args.sandbox:
        return _sandbox(args)
    name = choose_profile_name(args.profile)
    file = ProfileFile()
    profile = file.get(name)
    choice = choose_store(args.token_store, profile=name)

    def open_session(new: Profile) -> Session:
        file.save(new)
        # Blocking calls, run off the event loop: see tui/cognito/wire.py.
        return Session.open(new, choice.store, endpoint_url=args.endpoint_url,
                            timeout=args.timeout, blocking=True)

    session = open_session(profile) if profile is not None else None
    return Start(session, name, open_session=open_session,
                 keep_original=bool(profile and profile.keep_original), notices=choice.notices)


def _sandbox(args: argparse.Namespace) -> Start:
    from tui.localpool.sandbox import SANDBOX_PROFILE, signed_in_session, start_sandbox
    from tui.store.memory import MemoryStore

    start = Start(None, SANDBOX_PROFILE, keep_original=args.keep_original)

    def delivered(delivery: Delivery) -> None:
        for show in start.deliveries:  # called from the pool's server thread
            show(delivery)

    sandbox = start_sandbox(on_delivery=delivered, keep_original=args.keep_original)
    # Signed in before the app starts (no loop yet: the call just blocks), so the sandbox
    # opens straight on the table like a stored sign-in does.
    start.session = run_blocking(signed_in_session(sandbox, MemoryStore(),
                                                   keep_original=args.keep_original,
                                                   request_timeout=args.timeout))
    return start


def build_app(start: Start, *, first_user: User | CognitoTuiError | None = None,
              first_paint: FirstPaint | None = None) -> CognitoApp:
    from tui.app.app import CognitoApp

    app = CognitoApp(start.session, profile_name=start.profile_name,
                     open_session=start.open_session, keep_original=start.keep_original,
                     notices=start.notices,
                     first_user=first_user, first_paint=first_paint)

    def toast(delivery: Delivery) -> None:
        from tui.localpool.sandbox import delivery_line

        app.call_from_thread(app.notify, delivery_line(delivery), timeout=30, markup=False)

    start.deliveries.append(toast)
    return app


def run_tui(args: argparse.Namespace) -> int:
    start = prepare(args)
    session = start.session
    first_user: User | CognitoTuiError | None = None
    first: FirstPaint | None = None
    if session is not None and session.signed_in:
        try:
            # The one GetUser of the start, before Textual loads (no event loop yet).
            first_user = run_blocking(session.get_user())
        except CognitoTuiError as exc:
            first_user = exc  # the table screen shows it, or asks to sign in again
        if isinstance(first_user, User) and choose_theme() == DEFAULT_THEME:
            first = paint(session, first_user, keep_original=start.keep_original)
    with handed_over(first):
        app = build_app(start, first_user=first_user, first_paint=first)
        app.run(mouse=not args.no_mouse)
    return app.return_code or 0
