"""Terminal output of the fake cf: colours, OK/FAILED, tables, prompts, number/time formats.

Why: cf CLI v6 prints everything through one "UI" with very particular habits (every table
line ends with three spaces, ``FAILED`` then the message, colour only on a terminal, all
of it on stdout). This module reproduces those habits once, so commands only say *what*
to print. Output is buffered by default (so a recorded cassette may replace it) and
written straight to the terminal once a command needs to prompt.
"""

from __future__ import annotations

import os
import sys
import time

# Colour codes of cf/terminal/color.go (white is 38, sic).
RED, GREEN, YELLOW, MAGENTA, CYAN, GREY, WHITE = 31, 32, 33, 35, 36, 37, 38


class Failed(Exception):
    """Raised after ``FAILED`` and its message are printed: the command exits with 1."""


class Exit(Exception):
    """End the command now with ``code`` (output already printed)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def color_enabled() -> bool:
    """cf v6.16.1's rule (``terminal/color.go``): CF_COLOR=false wins, CF_COLOR=true forces,
    else ``cf config --color`` (``ColorEnabled`` in config.json) decides, else a terminal."""
    value = os.environ.get("CF_COLOR", "")
    if value == "false":
        return False
    if value == "true":
        return True
    asked = _config_color()
    if asked in ("true", "false"):
        return asked == "true"
    try:
        return os.isatty(1)
    except OSError:
        return False


def _config_color() -> str:
    """``ColorEnabled`` of ``$CF_HOME/.cf/config.json`` ("" when unset or unreadable)."""
    home = os.environ.get("CF_HOME") or os.environ.get("WORKSHOP_MOCK_HOME")
    if not home:
        return ""
    try:
        with open(os.path.join(home, ".cf", "config.json"), encoding="utf-8") as fh:
            from workshop.mock import jsonlite as json

            value = json.load(fh).get("ColorEnabled", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def visible_len(text: str) -> int:
    """Width on screen: ANSI ``ESC[..m`` ignored, 3-byte UTF-8 runes count 2 (cf ≥ 6.15)."""
    n = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\033":
            end = text.find("m", i)
            if end != -1:
                i = end + 1
                continue
        n += 2 if 0x800 <= ord(ch) <= 0xFFFF else 1
        i += 1
    return n


class UI:
    """Where a command's output goes, with cf's colour and formatting rules."""

    def __init__(self, color: bool | None = None, buffered: bool = True) -> None:
        self.color = color_enabled() if color is None else color
        self.buffered = buffered
        self.parts: list[str] = []
        self.interactive = False
        """True once the command prompted: its output was shown live, not replayable."""

    # -- raw output -------------------------------------------------------------------
    def write(self, text: str) -> None:
        """Print ``text`` as is (buffered, or straight to stdout)."""
        if self.buffered:
            self.parts.append(text)
        else:
            _emit(text)

    def output(self) -> str:
        """Everything buffered so far."""
        return "".join(self.parts)

    def go_live(self) -> None:
        """Flush the buffer and print directly from now on (prompts, streaming)."""
        if self.buffered:
            self.buffered = False
            _emit(self.output())
            self.parts.clear()
        self.interactive = True

    def say(self, text: str = "") -> None:
        """One line."""
        self.write(text + "\n")

    # -- colours ----------------------------------------------------------------------
    def paint(self, text: str, colour: int, bold: bool = True) -> str:
        """``ESC[{bold};{colour}m{text}ESC[0m`` when colour is on."""
        if not self.color:
            return text
        return f"\033[{1 if bold else 0};{colour}m{text}\033[0m"

    def entity(self, text: str) -> str:
        """Names inside sentences: bold cyan."""
        return self.paint(text, CYAN)

    def hint(self, text: str) -> str:
        """Command hints such as ``'cf login'``: bold yellow."""
        return self.paint(text, YELLOW)

    def header(self, text: str) -> str:
        """Table headers, labels, help titles: bold white."""
        return self.paint(text, WHITE)

    def warning(self, text: str) -> str:
        """Warnings: bold magenta."""
        return self.paint(text, MAGENTA)

    # -- cf's idioms ------------------------------------------------------------------
    def ok(self) -> None:
        """The ``OK`` line."""
        self.say(self.paint("OK", GREEN))

    def warn(self, text: str) -> None:
        """A bold magenta warning line."""
        self.say(self.warning(text))

    def failed(self, message: str) -> Failed:
        """Print ``FAILED`` and ``message``; return the exception to raise."""
        self.say(self.paint("FAILED", RED))
        self.say(message)
        return Failed(message)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        """cf's table: widths over header and rows, every cell followed by three spaces."""
        if self.color:
            header = [self.header(h) for h in header]
            rows = [[self.entity(r[0]), *r[1:]] if r else r for r in rows]
        all_rows = [header, *rows]
        widths = [0] * len(header)
        for row in all_rows:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], visible_len(cell))
        last = len(header) - 1
        for row in all_rows:
            line = []
            for i, cell in enumerate(row):
                pad = "" if i == last else " " * (widths[i] - visible_len(cell))
                line.append(cell + pad + "   ")
            self.say("".join(line))

    # -- prompts ----------------------------------------------------------------------
    def ask(self, prompt: str) -> str:
        """Text prompt: ``\\n{prompt}> ``, read a line from stdin, trimmed ('' on EOF)."""
        self.go_live()
        _emit("\n" + prompt + self.paint(">", CYAN) + " ")
        line = sys.stdin.readline()
        return line.strip()

    def ask_password(self, prompt: str) -> str:
        """Password prompt without echo on a terminal; cf supplies the newline afterwards.

        Ctrl-C here restores the echo and exits with 2, as cf v6 does.
        """
        self.go_live()
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, OSError, ValueError):  # no stdin, or not a file
            fd = -1
        old = None
        try:
            if fd >= 0 and os.isatty(fd):
                import termios

                old = termios.tcgetattr(fd)
                new = termios.tcgetattr(fd)
                new[3] &= ~termios.ECHO
                termios.tcsetattr(fd, termios.TCSAFLUSH, new)
            _emit("\n" + prompt + self.paint(">", CYAN) + " ")
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            raise Exit(2) from None
        finally:
            if old is not None:
                import termios

                termios.tcsetattr(fd, termios.TCSAFLUSH, old)
            _emit("\n")
        return line.rstrip("\r\n")

    def confirm(self, question: str) -> bool:
        """``y``/``yes`` (any case) is yes; anything else, empty or EOF, is no."""
        return self.ask(question).lower() in ("y", "yes")


def _emit(text: str) -> None:
    if not text:
        return
    out = sys.stdout
    try:
        out.buffer.write(text.encode("utf-8", "replace"))
    except AttributeError:  # a replaced stdout (tests)
        out.write(text)
    out.flush()


# ---------------------------------------------------------------------------- formats


def format_megabytes(mb: int) -> str:
    """cf's byte formatter for MB quantities: ``1G``, ``512M``, ``1.5G``, ``0``."""
    return format_bytes(int(mb) * 1024 * 1024)


def format_bytes(n: float) -> str:
    """Largest of T/G/M/K/B (1024-based), one decimal, ``.0`` dropped; ``0`` for zero."""
    if n <= 0:
        return "0"
    for unit, size in (("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n >= size:
            value = f"{n / size:.1f}"
            return (value[:-2] if value.endswith(".0") else value) + unit
    return f"{int(n)}B"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_uploaded(t: float) -> str:
    """Go layout ``Mon Jan 2 15:04:05 MST 2006`` in UTC: ``Tue Feb 2 13:11:05 UTC 2016``."""
    g = time.gmtime(t)
    return (
        f"{_DAYS[g.tm_wday]} {_MONTHS[g.tm_mon - 1]} {g.tm_mday} "
        f"{g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d} UTC {g.tm_year}"
    )


def format_since(t: float) -> str:
    """Go layout ``2006-01-02 03:04:05 PM`` in local time."""
    return time.strftime("%Y-%m-%d %I:%M:%S %p", time.localtime(t))


def format_log_time(t: float) -> str:
    """Go layout ``2006-01-02T15:04:05.00-0700`` in local time."""
    lt = time.localtime(t)
    cs = int((t - int(t)) * 100) % 100
    return time.strftime("%Y-%m-%dT%H:%M:%S", lt) + f".{cs:02d}" + time.strftime("%z", lt)
