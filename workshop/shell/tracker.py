"""What the learner's bash is doing, worked out from its markers and the keys sent to it.

:class:`Tracker` is the state machine behind :class:`~workshop.shell.session.ShellSession`,
kept free of I/O so its rules can be read (and tested) in one place:

- ``C`` (PS0) starts a command, ``D`` (PROMPT_COMMAND) ends it with its status and the
  line from ``history 1``; a ``D`` without a ``C`` is an empty Enter or a Ctrl-C at the
  prompt, or (with a new history entry) a line bash refused, such as a syntax error.
- ``B`` (end of PS1) makes the shell idle; ``P`` (PS2) means the command needs more lines.
  readline repeats these when it redraws the prompt (window resize, Ctrl-L), so only the
  first after a ``D`` or after a submitted line counts.
- Keys that end a line at a prompt (Enter, Ctrl-C) are counted: until bash has answered
  each (with ``C``, ``D`` or ``P``) the shell is not idle, so a :meth:`ShellSession.run`
  never mistakes the answer to the learner's keystrokes for its own.

All methods are called with no lock held; the tracker's :attr:`cond` guards its state and
wakes threads waiting for events.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

from workshop.records import Record
from workshop.shell.errors import ShellTimeout
from workshop.shell.markers import (
    Marker,
    parse_environment,
    parse_finished,
    parse_history_line,
)
from workshop.shell.result import CommandResult, OutputBuffer

#: Keys that make readline give up the line it is editing (Enter, C-j, C-o).
SUBMIT_KEYS = ("\r", "\n", "\x0f")
#: A submitted line that bash has not answered after this long (a literal Enter typed
#: with Ctrl-V, say) no longer keeps the shell busy.
UNANSWERED_GRACE = 1.0
#: Lines typed while a command ran may have been read by that command (a login prompt)
#: or be left for bash; after the next prompt bash takes the latter at once, so the
#: tracker waits only this long for them.
TYPED_AHEAD_GRACE = 0.25
#: bash answers a Ctrl-C at a prompt at once; one left unanswered this long is pending
#: inside readline (it then swallows the next character typed).
INTERRUPT_GRACE = 0.3
#: A Ctrl-C in the first moments of a command (after PS0, before the program owns the
#: terminal) is lost by bash: interrupts wait until a command has run this long.
SETTLE = 0.05
#: Exit status of a command interrupted by Ctrl-C (SIGINT).
INTERRUPTED = 130
#: Text kept between markers, for a line bash refused before running it.
LOOSE_LIMIT = 64 * 1024

STARTING = "starting"  # bash has not shown its first prompt
READY = "ready"  # at the primary prompt, nothing pending
SUBMITTED = "submitted"  # lines were submitted, bash has not answered them all
RUNNING = "running"  # a command runs (C seen, D not yet)
BETWEEN = "between"  # a command ended (D), the next prompt is coming
CONTINUATION = "continuation"  # at PS2, the command needs more lines
EXITED = "exited"  # bash is gone


class Event(Record):
    """Something a waiter wants to know; ``seq`` orders them.

    ``kind`` is ``finished`` (a ``D`` marker, with the command's result if one ran),
    ``ready`` (idle at the primary prompt), ``continue`` (PS2) or ``exited``.
    """

    seq: int
    kind: str
    result: CommandResult | None = None
    status: int = 0


@dataclass
class Step:
    """What handling one stream item asks the session to do, in this order.

    Report ``started`` and ``finished`` through the callbacks, then :meth:`Tracker.push`
    the ``event`` (so a waiter wakes after the callbacks ran).
    """

    started: str | None = None
    finished: CommandResult | None = None
    event: tuple[str, CommandResult | None, int] | None = None


@dataclass
class _Counters:
    """Submitted lines bash has not answered, and keys typed while a command ran."""

    unanswered: int = 0
    typed_ahead: int = 0
    interrupted: bool = False
    grace: float = UNANSWERED_GRACE
    last_activity: float = field(default_factory=time.monotonic)


class Tracker:
    """The state of one shell session as its markers and keystrokes tell it."""

    def __init__(self) -> None:
        """Start in ``starting``: bash has not shown its first prompt."""
        self.cond = threading.Condition()
        self.state = STARTING
        self.cwd: str | None = None
        self.env: dict[str, str] | None = None
        """The exported environment of the last ``E`` marker (``None`` before the first)."""
        self.exit_status: int | None = None
        self.ready_seen = False
        """bash has shown a primary prompt at least once (start-up succeeded)."""
        self.startup = OutputBuffer(LOOSE_LIMIT)
        self._seq = 0
        self._events: deque[Event] = deque(maxlen=512)
        self._command = ""
        self._started_at = 0.0
        self._started_mono = 0.0
        self._output = OutputBuffer()
        self._loose = OutputBuffer(LOOSE_LIMIT)
        self._last_history = 0
        self._sent_line = ""
        self._keys = _Counters()

    # -- the stream ----------------------------------------------------------------------

    def feed(self, item: str | Marker) -> Step:
        """Take one piece of display text or one marker, in stream order."""
        with self.cond:
            if isinstance(item, str):
                return self._text(item)
            if item.kind == "C":
                return self._started(item.payload)
            if item.kind == "D":
                return self._finished(item.payload)
            if item.kind == "B":
                return self._prompt()
            if item.kind == "E":
                env = parse_environment(item.payload)
                if env is not None:
                    self.env = env
                return Step()
            return self._continuation()

    def running_output(self) -> str:
        """What the running command printed so far, made plain ("" between commands)."""
        with self.cond:
            return self._output.text() if self.state == RUNNING else ""

    def activity(self) -> None:
        """Note that bash printed something (it is not stuck)."""
        with self.cond:
            self._keys.last_activity = time.monotonic()

    def _text(self, text: str) -> Step:
        if self.state == RUNNING:
            self._output.append(text)
        elif self.state == STARTING:
            self.startup.append(text)
        self._loose.append(text)
        return Step()

    def _started(self, payload: str) -> Step:
        if self.state == RUNNING:  # a copy of PS0 printed by a command: not a start
            return Step()
        self._command = parse_history_line(payload)[1] or self._sent_line
        self._keys.unanswered = 0  # the command may read what was typed ahead
        self._keys.typed_ahead = 0
        self.state = RUNNING
        self._started_at = time.time()
        self._started_mono = time.monotonic()
        self._output.clear()
        self._loose.clear()
        return Step(started=self._command)

    def _finished(self, payload: str) -> Step:
        fin = parse_finished(payload)
        step = Step()
        now = time.time()
        if self.state == RUNNING:
            command = fin.command or self._command
            step.finished = CommandResult(
                command, fin.status, self._output.later(), self._started_at, now
            )
        elif (
            self.state != STARTING
            and fin.command
            and (fin.history_number or 0) > self._last_history
            and fin.status != INTERRUPTED
        ):
            # A new history entry without PS0: bash read the line but refused to run it.
            text = self._loose.text()
            output = text.split("\n", 1)[1] if "\n" in text else text
            step.started = fin.command
            step.finished = CommandResult(fin.command, fin.status, output, now, now)
        self._last_history = fin.history_number or 0
        self._keys.unanswered = max(0, self._keys.unanswered - 1)
        self._keys.interrupted = False
        self.cwd = fin.cwd or self.cwd
        self.state = BETWEEN
        self._loose.clear()
        self._output.clear()
        step.event = ("finished", step.finished, fin.status)
        return step

    def _prompt(self) -> Step:
        if self.state not in (STARTING, BETWEEN):
            return Step()  # a redraw
        self._loose.clear()
        keys = self._keys
        if keys.typed_ahead:
            keys.unanswered, keys.typed_ahead = keys.typed_ahead, 0
            keys.grace = TYPED_AHEAD_GRACE
        self.state = SUBMITTED if keys.unanswered else READY
        if self.state != READY:
            return Step()
        self.ready_seen = True
        return Step(event=("ready", None, 0))

    def _continuation(self) -> Step:
        if self.state not in (READY, SUBMITTED, BETWEEN):
            return Step()  # a redraw
        self._loose.clear()
        self._keys.unanswered = max(0, self._keys.unanswered - 1)
        self._keys.interrupted = False
        self.state = SUBMITTED if self._keys.unanswered else CONTINUATION
        return Step(event=("continue", None, 0))

    def exited(self, status: int, restarting: bool = False) -> Step:
        """bash is gone with ``status``: finish a command it was running (``ended_shell``).

        With ``restarting`` a new bash replaces it: the state goes back to ``starting`` at
        once (waiters for the primary prompt go on waiting, for the new bash's), keeping
        the folder, environment and history position; the ``exited`` event still wakes
        the waiters of a command in flight.
        """
        with self.cond:
            step = Step(event=("exited", None, status))
            if self.state == RUNNING:
                step.finished = CommandResult(
                    self._command,
                    status,
                    self._output.later(),
                    self._started_at,
                    time.time(),
                    ended_shell=True,
                )
            if restarting:
                self.state = STARTING
                self.exit_status = None
                self.startup.clear()
                self._loose.clear()
                self._output.clear()
                self._keys = _Counters()
            else:
                self.state = EXITED
                self.exit_status = status
            return step

    # -- keys sent -----------------------------------------------------------------------

    def keys(self, data: str) -> None:
        """Note the lines ``data`` submits; called before the keys are written.

        Ctrl-C discards input not yet read, so it restarts the count; lines typed while a
        command runs are only pending for bash once the command has ended.
        """
        cut = data.rfind("\x03")
        tail = data[cut + 1 :] if cut >= 0 else data
        submitted = sum(tail.count(key) for key in SUBMIT_KEYS)
        with self.cond:
            keys = self._keys
            if self.state == RUNNING:
                keys.typed_ahead = submitted if cut >= 0 else keys.typed_ahead + submitted
                return
            if self.state not in (READY, CONTINUATION, SUBMITTED):
                return
            keys.grace = UNANSWERED_GRACE
            keys.interrupted = cut >= 0
            keys.unanswered = 1 + submitted if cut >= 0 else keys.unanswered + submitted
            if keys.unanswered:
                self.state = SUBMITTED
                keys.last_activity = time.monotonic()

    def sent(self, line: str) -> None:
        """Remember the line :meth:`ShellSession.run` typed (used if history has none)."""
        with self.cond:
            self._sent_line = line

    def settle_delay(self) -> float:
        """Seconds to wait before a Ctrl-C can reach the running command (see SETTLE)."""
        with self.cond:
            if self.state != RUNNING:
                return 0.0
            return max(0.0, SETTLE - (time.monotonic() - self._started_mono))

    def expire(self) -> tuple[Step, bool]:
        """Give up on submitted lines bash evidently did not take as lines.

        Returns the step to report and whether a character must be typed to absorb a
        Ctrl-C that readline left pending (it prints ``^C`` and no new prompt).
        """
        with self.cond:
            keys = self._keys
            if self.state != SUBMITTED or not keys.unanswered:
                return Step(), False
            quiet = time.monotonic() - keys.last_activity
            absorb = keys.interrupted and quiet > INTERRUPT_GRACE
            if not absorb and quiet <= keys.grace:
                return Step(), False
            keys.unanswered = 0
            keys.interrupted = False
            self.state = BETWEEN
            return self._prompt(), absorb

    # -- waiting -------------------------------------------------------------------------

    @property
    def seq(self) -> int:
        """The number of the latest event (wait for events after it)."""
        with self.cond:
            return self._seq

    def push(self, kind: str, result: CommandResult | None = None, status: int = 0) -> None:
        """Record an event and wake every waiter."""
        with self.cond:
            self._seq += 1
            self._events.append(Event(self._seq, kind, result, status))
            self.cond.notify_all()

    def next_event(self, after: int, deadline: float | None, what: str) -> Event:
        """The first event newer than ``after``; :class:`ShellTimeout` at ``deadline``."""
        with self.cond:
            while True:
                for event in self._events:
                    if event.seq > after:
                        return event
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise ShellTimeout(f"{what!r} did not finish in time (it is still running)")
                self.cond.wait(remaining)

    def wait_ready(self, timeout: float | None) -> bool:
        """Wait until idle at the primary prompt (or bash is gone); True when idle."""
        with self.cond:
            self.cond.wait_for(lambda: self.state in (READY, EXITED), timeout)
            return self.state == READY
