"""The terminal pane: a VT100 emulator (pyte, see ``terminal_model``) drawn with Textual's line API.

It does no I/O. Output arrives through :meth:`TerminalView.feed`, which any thread may call
(the shell's reader thread does, so the pyte work stays off the event loop and the PTY's
own buffer is the back-pressure). Output wakes the pane with one message at a time: the
pane marks itself for repaint and Textual paints it on its next screen update, so an echo
or a prompt shows on the next update rather than after a timer of our own and then
Textual's. While output streams in (more than :data:`STREAM_CHARS` a repaint: not an
echo), the pane repaints at most :data:`STREAM_HZ` times a second (each frame of a flood
holds the interpreter, and with it the shell's reader), and not within
:data:`STREAM_FIRST_SECONDS` after Enter; the output that follows
:meth:`TerminalView.hurry` (a command ended: its prompt; a key: its echo) is drawn at once,
and :meth:`TerminalView.wait_shown` tells another thread when it was. Keys and pastes leave
as :class:`TerminalView.Typed` messages carrying the bytes a terminal would send; a size
change leaves as :class:`TerminalView.Resized`. Whoever owns the shell (the app) writes and
resizes it.
"""

from __future__ import annotations

import functools
import threading
import time

import pyte
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from workshop.tui.widgets.terminal_keys import key_to_sequence
from workshop.tui.widgets.terminal_model import TerminalModel, iter_runs

REFRESH_HZ = 60
"""How often the frame timer (a safety net: output wakes the pane itself) looks for output."""

STREAM_HZ = 30
"""Redraws a second at most while output streams in: frames of a flood nobody can read would
each hold the interpreter (and the shell's reader with it) for a few milliseconds."""

STREAM_CHARS = 2048
"""Output of more than this since the last repaint is a stream (not an echo, a prompt or a
line of a log): it waits for the next of the :data:`STREAM_HZ` repaints."""

STREAM_FIRST_SECONDS = 0.1
"""A stream of output that follows Enter is first drawn this long after it (then
:data:`STREAM_HZ` times a second): a command's burst shorter than that (``seq 1 100000``)
is drawn once, with its prompt, rather than in frames nobody could read. Another key
pressed meanwhile ends the wait (its echo is drawn at the stream's next repaint)."""

HURRY_SECONDS = 0.25
"""A piece of output (not a stream) that arrives this long after :meth:`TerminalView.hurry`
(a command ended, a key was pressed) is drawn at once: the prompt that follows a flood, or
an echo, shows on the next screen update."""

# pyte's colour names → Rich's (pyte calls yellow "brown", and has one typo of its own).
_COLOURS = {
    "brown": "yellow",
    "brightbrown": "bright_yellow",
    "bfightmagenta": "bright_magenta",
}


def _colour(name: str) -> str | None:
    """A Rich colour for a pyte colour name or hex string (None: the pane's own colour)."""
    if name == "default":
        return None
    if name in _COLOURS:
        return _COLOURS[name]
    if name.startswith("bright"):
        return "bright_" + name[6:]
    if len(name) == 6 and all(c in "0123456789abcdefABCDEF" for c in name):
        return "#" + name
    return name


@functools.lru_cache(maxsize=1024)
def cell_style(char: pyte.screens.Char | None) -> Style:
    """The Rich style of a pyte cell (cached: a screen uses only a handful)."""
    if char is None:
        return Style()
    fg, bg = _colour(char.fg), _colour(char.bg)
    try:
        return Style(
            color=fg,
            bgcolor=bg,
            bold=char.bold or None,
            italic=char.italics or None,
            underline=char.underscore or None,
            strike=char.strikethrough or None,
            reverse=char.reverse or None,
        )
    except Exception:  # an odd colour name from a program: draw it plainly
        return Style(bold=char.bold or None)


CURSOR = Style(reverse=True)


class TerminalView(Widget, can_focus=True):
    """A terminal: shows a :class:`TerminalModel`, sends keys out as messages."""

    DEFAULT_CSS = """
    TerminalView {
        background: $surface;
        color: $foreground;
        height: 1fr;
        width: 1fr;
    }
    """

    class Typed(Message):
        """The learner typed (or pasted) ``data``, to be written to the shell as it is."""

        def __init__(self, data: str) -> None:
            super().__init__()
            self.data = data

    class Fed(Message):
        """Output arrived (posted by :meth:`feed` from the reader thread, one at a time)."""

    class Resized(Message):
        """The pane's size in cells changed; the shell's PTY should follow."""

        def __init__(self, rows: int, cols: int) -> None:
            super().__init__()
            self.rows = rows
            self.cols = cols

    scroll_back: reactive[int] = reactive(0)
    """How many lines the view is scrolled up into the scrollback (0: following output)."""

    def __init__(
        self,
        model: TerminalModel | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.model = model or TerminalModel()
        """The emulated screen; safe to feed from any thread through :meth:`feed`."""
        self._strips: list[Strip] = []
        self._stale = True
        self._waking = threading.Event()
        """A :class:`Fed` message is on its way: no need for another."""
        self._live = False
        """Mounted: output may wake the pane."""
        self._painted = 0.0
        """When output was last drawn (``time.monotonic``)."""
        self._painted_chars = 0
        """How many characters the model had been fed then."""
        self._hurry_until = 0.0
        self._urgent = False
        """Output arrived soon after :meth:`hurry`: draw it without waiting."""
        self._deferred_until = 0.0
        """When the timer set for a redraw held back (:data:`STREAM_HZ`) fires."""
        self._burst_until = 0.0
        """A stream is not drawn before then (Enter was pressed: see STREAM_FIRST_SECONDS)."""
        self._shown = threading.Condition()
        self._shown_at = 0.0
        """When the last output hurried (a prompt, an echo) was decided to be drawn, once
        the screen update that drew it was done (``time.monotonic``)."""

    # --- input from the shell ------------------------------------------------------------

    def feed(self, text: str) -> None:
        """Take terminal output (any thread). The next screen update draws it."""
        self.model.feed(text)
        if len(text) <= STREAM_CHARS and time.monotonic() < self._hurry_until:
            self._urgent = True  # a prompt or an echo, not the stream a command prints
        if self._live and not self._waking.is_set():
            self._waking.set()
            self.post_message(self.Fed())

    def hurry(self) -> None:
        """Draw the output of the next moment at once, however fast output came before (any
        thread; the engine's reader calls it when a command ended: its prompt follows)."""
        self._hurry_until = time.monotonic() + HURRY_SECONDS

    def on_terminal_view_fed(self, event: Fed) -> None:
        """Output arrived: repaint on the next screen update."""
        event.stop()
        self._waking.clear()
        self._frame()

    def on_mount(self) -> None:
        """Start the frame timer (a safety net: output wakes the pane itself)."""
        self._live = True
        self.set_interval(1 / REFRESH_HZ, self._frame, name="terminal-frame")

    def on_unmount(self) -> None:
        """Output no longer wakes the pane."""
        self._live = False

    def _frame(self) -> None:
        """Redraw when the model changed since the last frame: at once, unless a stream of
        output (more than STREAM_CHARS since the last repaint) is coming in; then at most
        STREAM_HZ times a second, and not within STREAM_FIRST_SECONDS after Enter."""
        model = self.model
        if not model.dirty:
            if self._urgent:  # another repaint (a resize, focus, the layout) drew it first
                self._urgent = False
                self.call_after_refresh(self._drew, time.monotonic(), True)
            return
        now = time.monotonic()
        fed = model.bytes_fed
        if fed - self._painted_chars > STREAM_CHARS and not self._urgent:
            due = max(self._painted + 1 / STREAM_HZ, self._burst_until)
            if due > now:
                if not self._deferred_until > now or due < self._deferred_until:
                    self._deferred_until = due
                    self.set_timer(due - now, self._frame, name="terminal-stream")
                return
        urgent, self._urgent = self._urgent, False
        self._painted = now
        self._painted_chars = fed
        self._redraw()
        self.call_after_refresh(self._drew, now, urgent)

    def _drew(self, when: float, urgent: bool) -> None:
        """A frame is on the screen: a thread in :meth:`wait_shown` looks again (hurried
        output, such as a prompt, is shown as of ``when``)."""
        with self._shown:
            if urgent:
                self._shown_at = max(self._shown_at, when)
            self._shown.notify_all()

    def wait_shown(self, since: float, timeout: float = HURRY_SECONDS) -> bool:
        """Wait (on any thread but the UI's) until output hurried after ``since`` (a
        ``time.monotonic`` time: a command's end, whose prompt is hurried) is on the screen;
        False when ``timeout`` seconds went by first. A screen with nothing left to draw
        needs no wait: the prompt may have been drawn before ``since`` was taken (the UI
        thread can be quicker than the one that asks)."""
        model = self.model
        with self._shown:
            return self._shown.wait_for(
                lambda: self._shown_at >= since or not (self._urgent or model.dirty), timeout
            )

    def _redraw(self) -> None:
        """Rebuild the rows on the next paint."""
        self._stale = True
        self.refresh()

    # --- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One row of the screen (or of the scrollback when scrolled up)."""
        if self._stale:
            self._stale = False
            self._strips = self._build_strips()
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _build_strips(self) -> list[Strip]:
        """All visible rows as strips, taken under the model's lock in one go."""
        base = self.rich_style
        width = self.size.width
        model = self.model
        with model.lock:
            model.dirty = False
            rows = model.visible_rows(self.scroll_back)
            cols = model.screen.columns
            show_cursor = self.has_focus and self.scroll_back == 0 and model.cursor_visible
            cx, cy = model.screen.cursor.x, model.screen.cursor.y
            strips = []
            for y, row in enumerate(rows):
                segments = [
                    Segment(text, base + cell_style(attrs)) for text, attrs in iter_runs(row, cols)
                ]
                strip = Strip(segments, cols)
                if show_cursor and y == cy:
                    strip = _with_cursor(strip, min(cx, cols - 1), base)
                strips.append(strip.adjust_cell_length(width, base))
        return strips

    # --- keys, mouse, size ---------------------------------------------------------------

    async def on_key(self, event: events.Key) -> None:
        """Send the key to the shell (app bindings with priority never get here)."""
        data = key_to_sequence(event.key, event.character, self.model.application_cursor)
        if not data:
            if event.key in ("shift+pageup", "shift+pagedown"):
                self._scroll_page(up=event.key == "shift+pageup")
                event.stop()
                event.prevent_default()
            return
        event.stop()
        event.prevent_default()
        self.scroll_back = 0
        self._typed(data)

    def on_paste(self, event: events.Paste) -> None:
        """A paste is typed as it is, with line ends as Enter."""
        event.stop()
        text = event.text.replace("\r\n", "\r").replace("\n", "\r")
        if text:
            self.scroll_back = 0
            self._typed(text)

    def _typed(self, data: str) -> None:
        """Send what was typed; its echo is drawn at once, even in a stream of output, and
        the output a line ended with Enter starts is first drawn when it is done (or after
        STREAM_FIRST_SECONDS)."""
        self.hurry()
        now = time.monotonic()
        self._burst_until = now + STREAM_FIRST_SECONDS if data.endswith("\r") else 0.0
        self.post_message(self.Typed(data))

    def _scroll_page(self, up: bool) -> None:
        page = max(1, self.size.height - 1)
        self._scroll_by(page if up else -page)

    def _scroll_by(self, lines: int) -> None:
        with self.model.lock:
            limit = len(self.model.screen.history)
        self.scroll_back = max(0, min(limit, self.scroll_back + lines))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The wheel scrolls back through earlier output."""
        event.stop()
        self._scroll_by(3)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """The wheel scrolls forward, back to the live screen."""
        event.stop()
        self._scroll_by(-3)

    def on_click(self, event: events.Click) -> None:
        """A click puts the keyboard in the terminal."""
        self.focus()

    def on_focus(self) -> None:
        """Show the cursor."""
        self._redraw()

    def on_blur(self) -> None:
        """Hide the cursor."""
        self._redraw()

    def on_resize(self, event: events.Resize) -> None:
        """Follow the pane's size: resize the screen model and tell the owner of the shell."""
        rows, cols = self.size.height, self.size.width
        if rows < 1 or cols < 1:
            return
        if (rows, cols) != self.model.size:
            self.model.resize(rows, cols)
        self._redraw()
        self.post_message(self.Resized(rows, cols))

    def watch_scroll_back(self) -> None:
        """Redraw when scrolled."""
        self._redraw()


def _with_cursor(strip: Strip, x: int, base: Style) -> Strip:
    """``strip`` with the cell at ``x`` drawn in reverse video."""
    left, cell, right = strip.divide([x, x + 1, strip.cell_length])
    if cell.cell_length == 0:
        cell = Strip([Segment(" ", base)], 1)
    cursor = Strip([Segment(seg.text, seg.style + CURSOR if seg.style else CURSOR) for seg in cell])
    return Strip.join([left, cursor, right])
