"""Start the TUI from the command line's arguments: a profile, or the sandbox."""

from __future__ import annotations

import argparse

from tui.app.app import CognitoApp
from tui.cognito.profiles import Profile, ProfileFile, choose_profile_name
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.cognito.tokens import TokenSet
from tui.cognito.wire import run_blocking
from tui.store.choose import choose_store


def build_app(args: argparse.Namespace) -> CognitoApp:
    if args.sandbox:
        return sandbox_app(args)
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
    return CognitoApp(session, profile_name=name, open_session=open_session,
                      keep_original=bool(profile and profile.keep_original),
                      notices=choice.notices)


def sandbox_app(args: argparse.Namespace) -> CognitoApp:
    from tui.localpool.model import Delivery
    from tui.localpool.sandbox import delivery_line, start_sandbox
    from tui.store.memory import MemoryStore

    app_ref: list[CognitoApp] = []

    def toast(delivery: Delivery) -> None:
        # Called from the pool's server thread.
        if app_ref:
            app_ref[0].call_from_thread(app_ref[0].notify, delivery_line(delivery),
                                        timeout=30, markup=False)

    sandbox = start_sandbox(on_delivery=toast, keep_original=args.keep_original)
    profile = Profile("sandbox", sandbox.pool_id, sandbox.client_id,
                      endpoint_url=sandbox.endpoint, keep_original=args.keep_original)
    # Sandbox tokens never go near the user's keyring.
    session = Session.open(profile, MemoryStore(), endpoint_url=sandbox.endpoint,
                           blocking=True)
    # Signed in before the app starts (no loop yet: the call just blocks), so the sandbox
    # opens straight on the table like a stored sign-in does.
    step = run_blocking(session.new_sign_in().start(sandbox.username,
                                                    Secret(sandbox.password)))
    if isinstance(step, TokenSet):
        session.accept(step)
    app = CognitoApp(session, profile_name="sandbox", keep_original=args.keep_original,
                     sandbox_login=(sandbox.username, sandbox.password))
    app_ref.append(app)
    return app


def run_tui(args: argparse.Namespace) -> int:
    app = build_app(args)
    app.run(mouse=not args.no_mouse)
    return app.return_code or 0
