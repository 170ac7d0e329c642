"""The look at 80x24, pinned: main screen, editor, verification modal, sign-in, an error.

Each app runs against a local pool with seeded ids and a frozen clock, so the pictures only
change when the look does. `pytest --snapshot-update` accepts a new look (then look at it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tests.tui_harness import editor_open, go_to, harness, table_ready, until
from tui.app.screens.signin import SignInScreen
from tui.app.screens.verify import VerifyScreen

SnapCompare = Callable[..., bool]
SIZE = (80, 24)


def test_main_screen(snap_compare: SnapCompare) -> None:
    with harness(fixed=True) as h:
        async def ready(pilot: Pilot[Any]) -> None:
            await table_ready(pilot)

        assert snap_compare(h.app(), terminal_size=SIZE, run_before=ready)


def test_editor(snap_compare: SnapCompare) -> None:
    with harness(fixed=True) as h:
        async def edit(pilot: Pilot[Any]) -> None:
            screen = await table_ready(pilot)
            await go_to(pilot, screen, "custom:team")
            await pilot.press("e")
            await until(pilot, lambda: editor_open(pilot.app))
            await pilot.press("end", *" and escalations")

        assert snap_compare(h.app(), terminal_size=SIZE, run_before=edit)


def test_verification_modal(snap_compare: SnapCompare) -> None:
    with harness(fixed=True) as h:
        async def change_email(pilot: Pilot[Any]) -> None:
            screen = await table_ready(pilot)
            await go_to(pilot, screen, "email")
            await pilot.press("e")
            await until(pilot, lambda: editor_open(pilot.app))
            await pilot.press("ctrl+u", *"jd@example.org", "enter")
            await until(pilot, lambda: isinstance(pilot.app.screen, VerifyScreen))
            await pilot.press(*"000000", "enter")
            message = pilot.app.screen.query_one("#message")
            await until(pilot, lambda: "wrong" in str(message.render()))

        assert snap_compare(h.app(), terminal_size=SIZE, run_before=change_email)


def test_sign_in(snap_compare: SnapCompare) -> None:
    with harness(fixed=True) as h:
        async def sign_in(pilot: Pilot[Any]) -> None:
            await until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen))
            await pilot.press(*"jane.doe", "enter", *"wrong-password")

        assert snap_compare(h.app(signed_in=False), terminal_size=SIZE, run_before=sign_in)


def test_failed_change(snap_compare: SnapCompare) -> None:
    with harness(fixed=True) as h:
        async def fail(pilot: Pilot[Any]) -> None:
            screen = await table_ready(pilot)

            async def no_wait(_: float) -> None:
                return None

            screen.session.client.transport._sleep = no_wait
            h.server.faults.fail_next = 3
            h.server.faults.fail_status = 503
            await go_to(pilot, screen, "custom:department")
            await pilot.press("e")
            await until(pilot, lambda: editor_open(pilot.app))
            await pilot.press("ctrl+u", *"Night Support", "enter")
            await until(pilot, lambda: screen.book.rows["custom:department"].state == "failed")

        assert snap_compare(h.app(), terminal_size=SIZE, run_before=fail)
