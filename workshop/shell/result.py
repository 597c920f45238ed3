"""What one finished command looked like, and the bounded buffer its output is kept in."""

from __future__ import annotations

import threading

from workshop.shell.ansi import strip_ansi

#: At most this many characters of a command's output are kept (the last ones).
OUTPUT_LIMIT = 1 << 20


class PlainLater:
    """Terminal output made plain (:func:`strip_ansi`, the last ``limit`` characters) when
    first read, by whichever thread reads it first, then kept.

    The shell's reader thread finishes a command and goes straight on to the prompt that
    follows: making a flood of output plain (10-20 ms for ``seq 1 100000``) is left to
    whoever needs the text (the checks, on their own thread)."""

    __slots__ = ("_raw", "_limit", "_text", "_lock")

    def __init__(self, raw: str, limit: int = OUTPUT_LIMIT) -> None:
        self._raw = raw
        self._limit = limit
        self._text: str | None = None
        self._lock = threading.Lock()

    def text(self) -> str:
        """The plain text (made once)."""
        text = self._text
        if text is not None:
            return text
        with self._lock:
            if self._text is None:
                self._text = strip_ansi(self._raw)[-self._limit :]
                self._raw = ""
            return self._text


class CommandResult:
    """One command the shell ran, typed by the learner or sent by :meth:`ShellSession.run`.

    ``command`` is the line as finally typed (after readline edits), ``exit_code`` its exit
    status (130 after Ctrl-C), ``output`` the plain text it printed (escape sequences
    removed, ``\\n`` line ends, the last :data:`OUTPUT_LIMIT` characters; given as text, or
    as a :class:`PlainLater` made plain when first read), and ``started_at``/``ended_at``
    wall-clock times (``time.time()``). ``ended_shell`` is true when bash itself ended
    while the command ran (``exit``, ``exec false``, bash killed, the session closed):
    ``exit_code`` is then bash's exit status (128 + signal when killed), and the command is
    no attempt at anything.
    """

    __slots__ = ("command", "exit_code", "_output", "started_at", "ended_at", "ended_shell")

    def __init__(
        self,
        command: str,
        exit_code: int,
        output: str | PlainLater,
        started_at: float,
        ended_at: float,
        ended_shell: bool = False,
    ) -> None:
        self.command = command
        self.exit_code = exit_code
        self._output = output
        self.started_at = started_at
        self.ended_at = ended_at
        self.ended_shell = ended_shell

    @property
    def output(self) -> str:
        """The plain text the command printed."""
        output = self._output
        return output if isinstance(output, str) else output.text()

    @property
    def duration(self) -> float:
        """Seconds between start and end."""
        return self.ended_at - self.started_at

    def _key(self) -> tuple[str, int, str, float, float, bool]:
        return (
            self.command,
            self.exit_code,
            self.output,
            self.started_at,
            self.ended_at,
            self.ended_shell,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CommandResult):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return (
            f"CommandResult(command={self.command!r}, exit_code={self.exit_code!r}, "
            f"output={self.output!r}, started_at={self.started_at!r}, "
            f"ended_at={self.ended_at!r}, ended_shell={self.ended_shell!r})"
        )


class OutputBuffer:
    """Collects display text and keeps only the last ``limit`` characters (amortised)."""

    def __init__(self, limit: int = OUTPUT_LIMIT) -> None:
        """Keep at most ``limit`` characters of plain text once :meth:`text` is taken."""
        self._limit = limit
        self._parts: list[str] = []
        self._size = 0

    def append(self, text: str) -> None:
        """Add raw display text; trims from the front when well over the limit."""
        self._parts.append(text)
        self._size += len(text)
        if self._size > 2 * self._limit + 4096:
            joined = "".join(self._parts)[-(self._limit + 4096) :]
            self._parts = [joined]
            self._size = len(joined)

    def clear(self) -> None:
        """Forget everything collected."""
        self._parts.clear()
        self._size = 0

    def raw(self) -> str:
        """The collected text as received (escape sequences kept)."""
        return "".join(self._parts)

    def text(self) -> str:
        """The collected text made plain by :func:`strip_ansi`, at most ``limit`` characters."""
        return strip_ansi(self.raw())[-self._limit :]

    def later(self) -> PlainLater:
        """The collected text, made plain only when read (see :class:`PlainLater`)."""
        return PlainLater(self.raw(), self._limit)
