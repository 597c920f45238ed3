"""The screen model behind the terminal pane: pyte plus scrollback and a fast path.

Why not ``pyte.HistoryScreen``: it wraps every screen method in a Python-level
``__getattribute__`` hook and runs at about 140 KB/s, so a ``seq 1 200000`` in the pane
would queue seconds of output in front of the learner's key echo. Here a plain
``pyte.Screen`` keeps its own scrollback by overriding :meth:`index` (the one place a line
leaves the top of the screen), and :meth:`TerminalModel.feed` takes a fast path for the
common case of plain ASCII lines streaming past the bottom of the screen: lines that would
only scroll through the screen go to the scrollback without being drawn cell by cell.

Thread safety: the shell's reader thread feeds the model and the UI thread reads it, both
under :attr:`TerminalModel.lock`. This module imports no Textual (it is a pure model).
"""

from __future__ import annotations

import functools
import re
import threading
from collections import defaultdict, deque
from collections.abc import Iterable
from typing import Any

import pyte
from pyte import modes as mo

# Private modes that switch to the alternate screen (xterm).
_ALTERNATE = {47, 1047, 1049}

# Application cursor keys (DECCKM, private mode 1), as pyte stores private modes.
DECCKM = 1 << 5

# One line of plain text ending in CR LF (what a PTY turns "\n" into): ASCII printable only,
# so one cell a character. A bare LF keeps the column, so it does not qualify.
_PLAIN_LINE = re.compile(r"[ -~]*\r\n")

Row = pyte.screens.StaticDefaultDict[int, pyte.screens.Char]
"""A screen row as pyte keeps it: column → character with attributes (sparse; a blank
cell reads as the screen's default character)."""


class ScrollbackScreen(pyte.Screen):
    """A ``pyte.Screen`` that keeps the lines scrolled off its top in :attr:`history`."""

    def __init__(self, columns: int, lines: int, history: int = 5000) -> None:
        self.history: deque[Row | PlainLine | str] = deque(maxlen=history)
        """Lines that left the top of the screen, oldest first. Plain lines that only
        streamed past stay text until someone looks at them: a ``str`` drawn in the
        screen's default colours (the usual case: no object made per line), else a
        :class:`PlainLine`."""
        self._main: Any = None  # the main screen's rows while the alternate one shows
        super().__init__(columns, lines)

    @property
    def alternate(self) -> bool:
        """A full-screen program (vim, less, top) has switched to the alternate screen."""
        return self._main is not None

    def reset(self) -> None:
        """Reset the terminal (RIS); back on the main screen."""
        self._main = None
        super().reset()

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        """Modes as pyte has them, plus the alternate screen (private 47, 1047, 1049):
        the main screen is put aside, to come back intact when the program ends."""
        if kwargs.get("private") and _ALTERNATE & set(modes) and self._main is None:
            if 1049 in modes:
                self.save_cursor()
            self._main = self.buffer
            self.buffer = defaultdict(lambda: pyte.screens.StaticDefaultDict(self.default_char))
            self.dirty.update(range(self.lines))
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        """Leaving the alternate screen brings the main one back (and the cursor, for 1049)."""
        if kwargs.get("private") and _ALTERNATE & set(modes) and self._main is not None:
            main, self._main = self._main, None
            for y in [y for y in main if y >= self.lines]:
                del main[y]
            for row in main.values():
                for x in [x for x in row if x >= self.columns]:
                    del row[x]
            self.buffer = main
            if 1049 in modes:
                self.restore_cursor()
            self.dirty.update(range(self.lines))
        super().reset_mode(*modes, **kwargs)

    def index(self) -> None:
        """Move down a line; when that scrolls the whole main screen, keep the top line."""
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        if self.cursor.y == bottom and top == 0 and self._main is None:
            self.history.append(self.buffer[top])
        super().index()

    def erase_in_display(self, how: int = 0, *args: object, **kwargs: object) -> None:
        """``ESC [ 3 J`` (what ``clear`` sends) also empties the scrollback."""
        if how == 3:
            self.history.clear()
        super().erase_in_display(how, *args, **kwargs)

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        """Resize as a terminal does: when the screen gets shorter, rows leave its top (into
        the scrollback) only as far as the cursor's row must move up to stay on it, and the
        rows below the cursor go first. pyte cut as many rows from the top as were lost,
        wherever the cursor was: a prompt mid-screen was cut with them."""
        lines = lines or self.lines
        shorter = lines < self.lines
        if shorter:
            cut = max(0, self.cursor.y + 1 - lines)
            buffer = self.buffer
            if self._main is None:
                for y in range(cut):
                    self.history.append(buffer[y])
            kept = {y - cut: buffer[y] for y in range(cut, cut + lines) if y in buffer}
            buffer.clear()
            buffer.update(kept)
            self.cursor.y -= cut
            self.dirty.update(range(lines))
            self.lines = lines  # done: pyte only has the columns left to follow
        super().resize(lines, columns)
        if shorter:
            self.set_margins()  # pyte returned early when the columns stayed as they were


class TerminalModel:
    """Everything the pane shows: the screen, its scrollback, and a dirty flag for redraws."""

    def __init__(self, rows: int = 24, cols: int = 80, history: int = 5000) -> None:
        self.lock = threading.RLock()
        """Held while feeding (reader thread) and while reading rows (UI thread)."""
        self.screen = ScrollbackScreen(cols, rows, history)
        self.stream = pyte.Stream(self.screen)
        self.dirty = True
        """Set by every change; the UI clears it when it has redrawn."""
        self.bytes_fed = 0
        """Characters fed so far (for tests and benchmarks)."""

    # --- writing ---------------------------------------------------------------------------

    def feed(self, text: str) -> None:
        """Interpret ``text`` (already decoded) as terminal output."""
        if not text:
            return
        with self.lock:
            self.bytes_fed += len(text)
            if len(text) > 256 and "\n" in text:
                self._feed_fast(text)
            else:
                self.stream.feed(text)
            self.dirty = True

    def _fast_path_ready(self) -> bool:
        """True when plain lines can bypass pyte: cursor at the bottom-left of an empty row,
        whole-screen scrolling, no insert mode, no special charset."""
        screen = self.screen
        cursor = screen.cursor
        return (
            cursor.x == 0
            and cursor.y == screen.lines - 1
            and screen.margins is None
            and mo.IRM not in screen.mode
            and screen.charset == 0
            and screen.g0_charset is pyte.charsets.LAT1_MAP
            and not screen.buffer.get(cursor.y)
            and not screen.alternate
        )

    def _feed_fast(self, text: str) -> None:
        """Feed ``text``, moving runs of plain full lines straight into the scrollback."""
        screen = self.screen
        pos = 0
        end = len(text)
        while pos < end:
            # Let pyte take everything up to and including the next newline.
            nl = text.find("\n", pos)
            if nl < 0:
                self.stream.feed(text[pos:])
                return
            self.stream.feed(text[pos : nl + 1])
            pos = nl + 1
            if not self._fast_path_ready():
                continue
            maxlen = screen.history.maxlen
            last = None if maxlen is None else maxlen + screen.lines
            lines, count, scan = _plain_run(text, pos, screen.columns, last)
            if count < screen.lines:
                continue  # too few to matter: pyte draws them
            self._scroll_in(lines, count)
            pos = scan

    def _scroll_in(self, lines: list[str], count: int) -> None:
        """As if each of ``count`` lines were drawn on the empty bottom row and followed by
        a newline; ``lines`` are the last of them (at least the scrollback's size and a
        screen: the ones before would only pass through)."""
        screen = self.screen
        rows = screen.lines
        attrs = screen.cursor.attrs
        old: list[Row] = [screen.buffer[y] for y in range(rows - 1)]
        offset = count - len(lines)  # lines[0] is line number ``offset`` of the run
        total = len(old) + count
        keep_from = total - (rows - 1)  # index (in old + the run) of the first row kept
        history = screen.history
        for row in old[:keep_from] if keep_from < len(old) else old:
            history.append(row)
        first_new_in_history = max(0, keep_from - len(old))
        # Only the newest ``maxlen`` lines can stay in the scrollback: build only those.
        skip = max(0, first_new_in_history - (history.maxlen or first_new_in_history))
        default = screen.default_char
        cells = _ascii_cells(attrs)
        passing = lines[max(0, skip - offset) : first_new_in_history - offset]
        if attrs == default:
            history.extend(passing)
        else:
            history.extend(PlainLine(line, cells, default) for line in passing)
        kept: list[Row] = old[keep_from:] if keep_from < len(old) else []
        kept += [_make_row(line, cells, default) for line in lines[first_new_in_history - offset :]]
        buffer = screen.buffer
        buffer.clear()
        for y, row in enumerate(kept):
            if row:
                buffer[y] = row
        screen.dirty.update(range(rows))

    def resize(self, rows: int, cols: int) -> None:
        """Change the screen size (the shell is told separately)."""
        with self.lock:
            self.screen.resize(rows, cols)
            self.dirty = True

    # --- reading ---------------------------------------------------------------------------

    @property
    def size(self) -> tuple[int, int]:
        """``(rows, cols)`` of the screen."""
        return self.screen.lines, self.screen.columns

    @property
    def application_cursor(self) -> bool:
        """Arrow keys send ``ESC O A`` instead of ``ESC [ A`` (DECCKM set by the program)."""
        return DECCKM in self.screen.mode

    @property
    def cursor_visible(self) -> bool:
        """The program has not hidden the cursor (DECTCEM)."""
        return not self.screen.cursor.hidden and mo.DECTCEM in self.screen.mode

    def visible_rows(self, scroll: int = 0) -> list[Row]:
        """The rows to show, ``scroll`` lines up into the scrollback (0: the live screen)."""
        screen = self.screen
        rows = screen.lines
        blank: Row = pyte.screens.StaticDefaultDict(screen.default_char)
        live = [screen.buffer.get(y) or blank for y in range(rows)]
        if scroll <= 0:
            return live
        history = screen.history
        scroll = min(scroll, len(history))
        start = len(history) - scroll
        default = screen.default_char
        end = min(start + rows, len(history))
        above = [_row(history[i], default) for i in range(start, end)]
        return (above + live)[:rows]

    def text_lines(self, scroll: int = 0) -> list[str]:
        """The visible rows as plain strings without trailing spaces (tests, tmux-free checks)."""
        return [row_text(row) for row in self.visible_rows(scroll)]

    def history_text(self) -> list[str]:
        """The scrollback as plain strings, oldest first."""
        default = self.screen.default_char
        return [row_text(_row(entry, default)) for entry in self.screen.history]


def _plain_run(
    text: str, pos: int, width: int, last: int | None = None
) -> tuple[list[str], int, int]:
    """The plain CR LF lines (none wider than ``width``) from ``pos`` on: the last ``last``
    of them (None: all), how many there are, and where they end.

    First tries the whole rest of ``text`` up to its last CR LF with C-speed string checks
    (the usual case under a flood of output), making only the last lines into strings (a
    flood's earlier ones would only pass through); else goes line by line."""
    end = text.rfind("\r\n", pos)
    if end >= 0:
        block = text[pos:end]
        bare = block.replace("\r\n", "")  # a CR or LF left alone is not plain
        if bare.isascii() and bare.isprintable():
            count = (len(block) - len(bare)) // 2 + 1
            if last is None or count <= last:
                lines = block.split("\r\n")
            else:
                lines = block.rsplit("\r\n", last)[1:]
            if max(map(len, lines)) <= width:
                return lines, count, end + 2
    lines = []
    scan = pos
    while True:
        match = _PLAIN_LINE.match(text, scan)
        if match is None or match.end() - match.start() - 2 > width:
            return lines, len(lines), scan
        lines.append(match.group()[:-2])
        scan = match.end()


@functools.lru_cache(maxsize=16)
def _ascii_cells(attrs: pyte.screens.Char) -> dict[str, pyte.screens.Char]:
    """Every printable ASCII character drawn with ``attrs`` (cells are immutable: shared)."""
    return {chr(c): attrs._replace(data=chr(c)) for c in range(32, 127)}


class PlainLine:
    """A scrollback line that streamed past as plain text: made into a row when shown."""

    __slots__ = ("text", "cells", "default")

    def __init__(
        self, text: str, cells: dict[str, pyte.screens.Char], default: pyte.screens.Char
    ) -> None:
        self.text = text
        self.cells = cells
        self.default = default

    def row(self) -> Row:
        """The pyte row this line stands for."""
        return _make_row(self.text, self.cells, self.default)


def _row(entry: Row | PlainLine | str, default: pyte.screens.Char) -> Row:
    """A scrollback entry as a row (a ``str`` is drawn in ``default``'s colours)."""
    if isinstance(entry, str):
        return _make_row(entry, _ascii_cells(default), default)
    return entry.row() if isinstance(entry, PlainLine) else entry


def _make_row(line: str, cells: dict[str, pyte.screens.Char], default: pyte.screens.Char) -> Row:
    """A pyte row (blank cells read as ``default``, as pyte's own rows do) holding ``line``
    (printable ASCII) drawn with ``cells`` (see :func:`_ascii_cells`) from column 0."""
    row: Row = pyte.screens.StaticDefaultDict(default)
    row.update({x: cells[ch] for x, ch in enumerate(line)})
    return row


def row_text(row: Row) -> str:
    """A row's characters as a string, gaps as spaces, trailing spaces removed."""
    if not row:
        return ""
    width = max(row) + 1
    return "".join(row[x].data if x in row else " " for x in range(width)).rstrip()


def iter_runs(row: Row, width: int) -> Iterable[tuple[str, pyte.screens.Char | None]]:
    """Runs of adjacent cells with the same attributes: ``(text, attrs)``; gaps have None.

    Only the cells up to the row's last one are looked at one by one; the blank rest of the
    row (all of an empty one) is one run, which is most of a screen."""
    if not row:
        if width > 0:
            yield " " * width, None
        return
    end = min(width, max(row) + 1)
    run: list[str] = []
    run_key: tuple[object, ...] | None = None
    run_attrs: pyte.screens.Char | None = None
    for x in range(end):
        char = row.get(x)
        if char is None:
            key: tuple[object, ...] | None = None
            data = " "
        else:
            key = char[1:]
            data = char.data
        if run and key != run_key:
            yield "".join(run), run_attrs
            run = []
        run_key = key
        run_attrs = char
        run.append(data)
    if end < width:
        if run and run_key is not None:
            yield "".join(run), run_attrs
            run = []
            run_attrs = None
        run.append(" " * (width - end))
    if run:
        yield "".join(run), run_attrs
