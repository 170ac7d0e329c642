"""Make the README's pictures: SVG (and PNG where rsvg-convert exists) of each screen at 80x24.

    .venv/bin/python scripts/export_screenshots.py

They come from the sandbox's demo user on a local pool with seeded ids and a frozen clock, so
running it again only changes the files when the look changed. Needs the test extras.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402

from tests.tui_harness import Harness, editor_open, go_to, harness, table_ready, until  # noqa: E402
from tui.app.screens.signin import SignInScreen  # noqa: E402
from tui.app.screens.verify import VerifyScreen  # noqa: E402

OUT = ROOT / "screenshots"
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
    await go_to(pilot, screen, "email")
    await pilot.press("e")
    await until(pilot, lambda: editor_open(pilot.app))
    await pilot.press("ctrl+u", *"jd@example.org", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, VerifyScreen))
    await pilot.press(*h.code("email"))


async def sign_in(pilot: Pilot[Any], h: Harness) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen))
    await pilot.press(*"jane.doe", "enter", *"a-password")


async def failed(pilot: Pilot[Any], h: Harness) -> None:
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


SHOTS: dict[str, tuple[Steps, bool]] = {
    "main": (main_screen, True),
    "editor": (editor, True),
    "verify": (verify, True),
    "sign-in": (sign_in, False),
    "failed": (failed, True),
}


async def shoot(name: str, steps: Steps, signed_in: bool) -> Path:
    with harness(fixed=True) as h:
        app = h.app(signed_in=signed_in)
        async with app.run_test(size=(80, 24)) as pilot:
            await steps(pilot, h)
            await pilot.pause()
            return Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))


def main() -> int:
    OUT.mkdir(exist_ok=True)
    converter = shutil.which("rsvg-convert")
    for name, (steps, signed_in) in SHOTS.items():
        svg = asyncio.run(shoot(name, steps, signed_in))
        print(svg.relative_to(ROOT))
        if converter:
            png = svg.with_suffix(".png")
            subprocess.run([converter, "--zoom", "1", str(svg), "-o", str(png)], check=True)
            print(png.relative_to(ROOT))
    if not converter:
        print("rsvg-convert not found (Debian: librsvg2-bin): SVG only", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
