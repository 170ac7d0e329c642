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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.tui_harness import harness  # noqa: E402
from tests.tui_scenes import SCENES, Steps  # noqa: E402

OUT = ROOT / "screenshots"


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
    for name, (steps, signed_in) in SCENES.items():
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
