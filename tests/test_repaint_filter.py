"""The repaint filter never changes what the terminal ends up showing, only how many bytes
it takes: proven against a VT emulator (pyte) over random frames, and case by case."""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.app.repaint_filter import RepaintFilter

COLUMNS, LINES = 20, 5
NO_WRAP = "\x1b[?7l"  # as Textual sets it


def screen_after(writes: list[str]) -> list[list[tuple[str, str, str, bool, bool]]]:
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.Stream(screen)
    stream.feed(NO_WRAP)
    for data in writes:
        stream.feed(data)
    return [[(c.data, c.fg, c.bg, c.bold, c.reverse)
             for c in (screen.buffer[y][x] for x in range(COLUMNS))] for y in range(LINES)]


styles = st.sampled_from(["", "\x1b[1m", "\x1b[31;49m", "\x1b[30;47m", "\x1b[7m"])
chunks = st.builds(
    lambda row, column, style, text, newline: (
        f"\x1b[{row};{column}H{style}{text}\x1b[0m" + ("\n" if newline and row < LINES else "")),
    st.integers(1, LINES), st.integers(1, COLUMNS), styles,
    st.text(alphabet="ab █─é", max_size=8), st.booleans())
frames = st.lists(chunks, min_size=1, max_size=6).map("".join)
writes = st.lists(
    st.one_of(frames, frames, frames,
              st.sampled_from(["\x1b[?25l", "\x1b[?25h", "\x1b[2J", "\x1b[?1049h",
                               "stray text", f"\x1b[{LINES};1Hend\n"])),
    min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(writes)
def test_the_screen_is_the_same_with_or_without_the_filter(data: list[str]) -> None:
    repaints = RepaintFilter()
    filtered = [repaints.filter(d, LINES) for d in data]
    assert screen_after(filtered) == screen_after(data)


def test_a_frame_sent_again_costs_only_its_cursor_move() -> None:
    repaints = RepaintFilter()
    frame = "\x1b[1;1H\x1b[1mname\x1b[0m\n\x1b[2;1Hvalue\x1b[0m\x1b[2;6H"
    assert repaints.filter(frame) == frame
    assert repaints.filter(frame) == "\x1b[2;6H"
    assert repaints.dropped == len(frame) - len("\x1b[2;6H")


def test_a_chunk_is_sent_again_once_something_else_was_drawn_over_it() -> None:
    repaints = RepaintFilter()
    line = "\x1b[3;1Habcdefghij"
    repaints.filter(line)
    assert repaints.filter("\x1b[3;5Hxy") == "\x1b[3;5Hxy"  # over the middle of it
    assert repaints.filter(line) == line


def test_anything_it_cannot_model_passes_and_makes_it_forget() -> None:
    repaints = RepaintFilter()
    line = "\x1b[3;1Habc"
    repaints.filter(line)
    assert repaints.filter("\x1b[2J") == "\x1b[2J"
    assert repaints.filter(line) == line


def test_modes_that_touch_no_cell_keep_what_it_remembers() -> None:
    repaints = RepaintFilter()
    frame = "\x1b[3;1Habc\x1b[1;1H"  # a line, then where the cursor rests
    repaints.filter(frame)
    for neutral in ("\x1b[?25l", "\x1b[?2026$p", "\x1b[>1u", "\x1b]22;default\x07"):
        assert repaints.filter(neutral) == neutral
    assert repaints.filter(frame) == "\x1b[1;1H"


def test_the_last_chunk_is_always_sent_so_the_cursor_ends_where_it_would() -> None:
    repaints = RepaintFilter()
    line = "\x1b[3;1Habc"
    repaints.filter(line)
    assert repaints.filter(line) == line


def test_a_chunk_is_only_left_out_in_the_default_style() -> None:
    repaints = RepaintFilter()
    frame = "\x1b[3;1H\x1b[1mabc\x1b[1;1H"  # leaves bold on: the next text would differ
    repaints.filter(frame)
    assert repaints.filter(frame) == frame


def test_a_line_feed_on_the_last_row_scrolls_so_it_forgets() -> None:
    repaints = RepaintFilter()
    line = "\x1b[1;1Habc"
    repaints.filter(line, LINES)
    repaints.filter(f"\x1b[{LINES};1Hzz\n", LINES)
    assert repaints.filter(line, LINES) == line
