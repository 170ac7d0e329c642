"""The screens worth a picture, each as the keys that lead to it: used by the snapshot tests
and by scripts/export_screenshots.py, so the README shows exactly what the tests pin."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from tests.tui_harness import Harness, edit, editor_open, go_to, table_ready, until
from tui.app.screens.signin import SignInScreen
from tui.app.screens.verify import VerifyScreen

Steps = Callable[[Pilot[Any], Harness], Awaitable[None]]


async def main_screen(pilot: Pilot[Any], h: Harness) -> None:
    await table_ready(pilot)


async def editor(pilot: Pilot[Any], h: Harness) -> None:
    screen = await table_ready(pilot)
    await go_to(pilot, screen, "custom:team")
    await pilot.press("e")
    await until(pilot, lambda: editor_open(pilot.app))
    await pilot.press("end", *" and escalations")


async def verify(pilot: Pilot[Any], h: Harness) -> None:
    screen = await table_ready(pilot)
    await edit(pilot, screen, "email", "jd@example.org")
    await until(pilot, lambda: isinstance(pilot.app.screen, VerifyScreen))
    await pilot.press(*"000000", "enter")
    message = pilot.app.screen.query_one("#message")
    await until(pilot, lambda: "wrong" in str(message.render()))


async def sign_in(pilot: Pilot[Any], h: Harness) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen))
    await pilot.press(*"jane.doe", "enter", *"wrong-password")


async def failed(pilot: Pilot[Any], h: Harness) -> None:
    screen = await table_ready(pilot)

    async def no_wait(_: float) -> None:
        return None

    screen.session.client.transport._sleep = no_wait
    h.server.faults.fail_next = 3
    h.server.faults.fail_status = 503
    await edit(pilot, screen, "custom:department", "Night Support")
    await until(pilot, lambda: screen.book.rows["custom:department"].state == "failed")


#: name -> (the steps, whether the app starts signed in)
SCENES: dict[str, tuple[Steps, bool]] = {
    "main": (main_screen, True),
    "editor": (editor, True),
    "verify": (verify, True),
    "sign-in": (sign_in, False),
    "failed": (failed, True),
}
