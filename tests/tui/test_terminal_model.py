"""The pane's screen model and key table, without a shell: pyte semantics must hold.

The fast path (plain lines scrolled straight into the scrollback) has to leave exactly the
state pyte itself would: property-tested against a plain pyte feed of the same chunks.
"""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.tui.widgets.terminal_keys import key_to_sequence
from workshop.tui.widgets.terminal_model import (
    Row,
    ScrollbackScreen,
    TerminalModel,
    iter_runs,
    row_text,
)

PIECES = st.one_of(
    st.text(alphabet="abc XYZ09", max_size=30).map(lambda s: s + "\r\n"),
    st.text(alphabet="abc", max_size=5).map(lambda s: s + "\n"),
    st.sampled_from(
        [
            "\x1b[31mred\x1b[0m\r\n",
            "ab\rc\r\n",
            "\x1b[2;3H",
            "é\r\n",
            "\x1b[1;3r",
            "\x1b[r",
            "\t",
            "\x1b[4h",
            "\x1b[4l",
            "\x1b(0",
            "\x1b(B",
            "\x1b[2P",  # delete characters
            "\x1b[3@",  # insert blanks
            "\x1b[K",  # erase to the end of the line
            "\x1b[1;1H",
            "\u0301",  # a combining accent: reads the cell before the cursor
            "\x1b[M",  # delete a line
        ]
    ),
)


def reference(
    chunks: list[str], rows: int, cols: int, history: int = 5000
) -> tuple[list[str], tuple[int, int]]:
    screen = ScrollbackScreen(cols, rows, history)
    stream = pyte.Stream(screen)
    for chunk in chunks:
        stream.feed(chunk)
    lines = [row_text(r) for r in screen.history] + [
        row_text(screen.buffer.get(y) or {}) for y in range(rows)
    ]
    return lines, (screen.cursor.x, screen.cursor.y)


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(PIECES, max_size=120),
    rows=st.integers(2, 8),
    cols=st.integers(4, 30),
    cuts=st.lists(st.integers(0, 5000), max_size=4),
)
def test_fast_path_matches_pyte(pieces: list[str], rows: int, cols: int, cuts: list[int]) -> None:
    text = "".join(pieces)
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    chunks = [text[a:b] for a, b in zip(points, points[1:], strict=False) if b > a]
    model = TerminalModel(rows, cols)
    for chunk in chunks:
        with model.lock:
            model._feed_fast(chunk)  # always the fast path, whatever the chunk's size
    expected, cursor = reference(chunks, rows, cols)
    got = model.history_text() + model.text_lines()
    assert got == expected
    assert (model.screen.cursor.x, model.screen.cursor.y) == cursor


PLAIN_RUN = st.lists(
    st.text(alphabet="abc XYZ09", max_size=5).map(lambda s: s + "\r\n"), max_size=60
).map("".join)
"""A run of plain lines (some wider than a narrow screen), as a flood prints them."""


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.one_of(PLAIN_RUN, PIECES), max_size=12),
    rows=st.integers(2, 8),
    cols=st.integers(4, 30),
    history=st.integers(1, 12),
    cuts=st.lists(st.integers(0, 5000), max_size=4),
)
def test_fast_path_matches_pyte_past_the_end_of_the_scrollback(
    pieces: list[str], rows: int, cols: int, history: int, cuts: list[int]
) -> None:
    """A flood longer than the scrollback: the fast path makes only the lines that stay
    into strings, and still leaves what pyte leaves (wide lines, which wrap, among them)."""
    text = "".join(pieces)
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    chunks = [text[a:b] for a, b in zip(points, points[1:], strict=False) if b > a]
    model = TerminalModel(rows, cols, history)
    for chunk in chunks:
        with model.lock:
            model._feed_fast(chunk)
    expected, cursor = reference(chunks, rows, cols, history)
    assert model.history_text() + model.text_lines() == expected
    assert (model.screen.cursor.x, model.screen.cursor.y) == cursor


def test_a_flood_past_the_scrollback_with_wide_lines_early_and_late() -> None:
    lines = [f"{n}" for n in range(300)]
    lines[3] = "a line wider than the screen"
    lines[296] = "another line wider than it"
    text = "".join(line + "\r\n" for line in lines)
    model = TerminalModel(rows=5, cols=8, history=10)
    model.feed(text)
    expected, cursor = reference([text], rows=5, cols=8, history=10)
    assert model.history_text() + model.text_lines() == expected
    assert (model.screen.cursor.x, model.screen.cursor.y) == cursor
    assert "299" in model.text_lines()


def test_flood_of_lines_keeps_the_tail_and_bounded_scrollback() -> None:
    model = TerminalModel(rows=10, cols=40, history=100)
    data = "".join(f"{i}\r\n" for i in range(1, 20001))
    for start in range(0, len(data), 4096):
        model.feed(data[start : start + 4096])
    assert model.text_lines()[-2] == "20000"
    history = model.history_text()
    assert len(history) == 100 and history[-1] == "19991"


def test_scrolled_view_and_clear_scrollback() -> None:
    model = TerminalModel(rows=3, cols=10)
    model.feed("one\r\ntwo\r\nthree\r\nfour\r\n")
    assert model.text_lines() == ["three", "four", ""]
    assert model.text_lines(scroll=2) == ["one", "two", "three"]
    model.feed("\x1b[H\x1b[2J\x1b[3J")
    assert model.history_text() == []


def test_resize_keeps_rows_cut_from_the_top() -> None:
    model = TerminalModel(rows=4, cols=10)
    model.feed("a\r\nb\r\nc\r\nd")
    model.resize(2, 10)
    assert model.size == (2, 10)
    assert model.history_text() == ["a", "b"]
    assert model.text_lines() == ["c", "d"]


def test_a_shorter_pane_keeps_the_prompt_in_sight() -> None:
    """The learner shrinks the window with the prompt mid-screen: rows leave the top only as
    far as the cursor's row needs, into the scrollback; the empty rows below go first (pyte
    cut as many rows from the top as the pane lost, the prompt's row among them)."""
    model = TerminalModel(rows=6, cols=10)
    model.feed("a\r\nb\r\nc\r\n$ ")
    model.resize(3, 10)
    assert model.history_text() == ["a"]
    assert model.text_lines() == ["b", "c", "$"]
    assert model.screen.cursor.y == 2 and model.screen.cursor.x == 2
    model.feed("ok")
    assert model.text_lines()[-1] == "$ ok"
    roomy = TerminalModel(rows=6, cols=10)
    roomy.feed("a\r\n$ ")
    roomy.resize(3, 10)  # the prompt fits: nothing leaves
    assert roomy.history_text() == []
    assert roomy.text_lines() == ["a", "$", ""]
    assert roomy.screen.cursor.y == 1


def test_key_table() -> None:
    assert key_to_sequence("enter", "\r") == "\r"
    assert key_to_sequence("backspace", None) == "\x7f"
    assert key_to_sequence("tab", "\t") == "\t"
    assert key_to_sequence("ctrl+c", None) == "\x03"
    assert key_to_sequence("ctrl+d", None) == "\x04"
    assert key_to_sequence("up", None) == "\x1b[A"
    assert key_to_sequence("up", None, application_cursor=True) == "\x1bOA"
    assert key_to_sequence("home", None) == "\x1b[H"
    assert key_to_sequence("end", None) == "\x1b[F"
    assert key_to_sequence("ctrl+left", None) == "\x1b[1;5D"
    assert key_to_sequence("delete", None) == "\x1b[3~"
    assert key_to_sequence("alt+b", "b") == "\x1bb"
    assert key_to_sequence("a", "a") == "a"
    assert key_to_sequence("f5", None) == ""


def test_alternate_screen_gives_the_main_screen_back() -> None:
    model = TerminalModel(rows=4, cols=20)
    model.feed("$ vim notes\r\n")
    before = model.text_lines()
    model.feed("\x1b[?1049h\x1b[H\x1b[2J~\r\n~\r\n~\r\n\x1b[1;1Hediting")
    assert model.screen.alternate
    assert model.text_lines()[0] == "editing"
    model.feed("\x1b[?1049l")
    assert not model.screen.alternate
    assert model.text_lines() == before
    assert (model.screen.cursor.x, model.screen.cursor.y) == (0, 1)
    assert model.history_text() == []  # nothing the program drew went to the scrollback


def _runs_cell_by_cell(row: Row, width: int) -> list[tuple[str, object]]:
    """The runs of a row read one cell at a time across the whole width (the reference)."""
    runs: list[tuple[str, object]] = []
    for x in range(width):
        char = row.get(x)
        key = None if char is None else char[1:]
        data = " " if char is None else char.data
        if runs and runs[-1][1] == key:
            runs[-1] = (runs[-1][0] + data, key)
        else:
            runs.append((data, key))
    return runs


def test_runs_of_a_row_match_reading_it_cell_by_cell() -> None:
    """The blank rest of a row is one run (not read cell by cell): same runs as before."""
    import random

    rng = random.Random(7)
    default = pyte.screens.Char(" ")
    for _ in range(3000):
        row: Row = pyte.screens.StaticDefaultDict(default)
        width = rng.randint(0, 30)
        for _ in range(rng.randint(0, 12)):
            row[rng.randint(0, 40)] = pyte.screens.Char(
                rng.choice("ab "), fg=rng.choice(["default", "red"]), bold=rng.random() < 0.3
            )
        got = [
            (text, None if attrs is None else attrs[1:]) for text, attrs in iter_runs(row, width)
        ]
        assert got == _runs_cell_by_cell(row, width), (dict(row), width)
