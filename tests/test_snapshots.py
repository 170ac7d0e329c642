"""The look at 80x24, pinned: main screen, editor, verification modal, sign-in, an error.

Each app runs against a local pool with seeded ids and a frozen clock, so the pictures only
change when the look does. `pytest --snapshot-update` accepts a new look (then look at it,
and run scripts/export_screenshots.py for the README).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui_harness import harness
from tests.tui_scenes import SCENES


@pytest.mark.parametrize("scene", list(SCENES))
def test_scene(snap_compare: Callable[..., bool], scene: str) -> None:
    steps, signed_in = SCENES[scene]
    with harness(fixed=True) as h:
        async def run_before(pilot: Pilot[Any]) -> None:
            await steps(pilot, h)

        assert snap_compare(h.app(signed_in=signed_in), terminal_size=(80, 24),
                            run_before=run_before)
