"""A learner's bash, kept for the whole workshop, that reports every command it runs.

:class:`ShellSession` runs interactive bash on a PTY (:mod:`workshop.shell.process`) with the
rc file of :mod:`workshop.shell.rcfile`. A reader thread reads the PTY, decodes UTF-8 incrementally,
removes the markers of :mod:`workshop.shell.markers` and turns them into events: a command
started, a command finished (its line as finally typed, exit status, plain output), the
shell waits at its prompt. This works the same whether the learner typed the command in a
terminal pane (:meth:`ShellSession.write`) or the runner sent it (:meth:`ShellSession.run`).
The prompt hook also reports the exported environment when it changed (:attr:`env`), keeps
the history file current, and optionally a state file (:mod:`workshop.shell.state`); with
``restart=True`` a bash that ends by itself is replaced (:mod:`workshop.shell.restart`).

Threads: the callbacks (``on_output``, ``on_command_started``, ``on_command_finished``,
``on_restarted``) are
called on the reader thread, in stream order. They must return quickly and must not call
:meth:`~ShellSession.run`, :meth:`~ShellSession.wait_idle` or :meth:`~ShellSession.start`
(those wait for the reader thread and raise :class:`RuntimeError` there); a front end
should hand the data to its own loop (Textual: ``post_message``). :meth:`write`,
:meth:`interrupt`, :meth:`resize` and :meth:`close` may be called from any thread.
Every wait has a timeout and :meth:`close` works even when bash is stuck.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import os
import select
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from workshop.shell import process
from workshop.shell.errors import ShellClosed, ShellError, ShellTimeout
from workshop.shell.lines import remaining, type_lines
from workshop.shell.markers import Marker, MarkerParser, make_nonce
from workshop.shell.process import BashProcess
from workshop.shell.rcfile import write_rc
from workshop.shell.restart import (
    RestartPolicy,
    failed_notice,
    gave_up_notice,
    pick_cwd,
    restarted_notice,
)
from workshop.shell.result import CommandResult
from workshop.shell.state import StateRecorder
from workshop.shell.tracker import CONTINUATION, EXITED, READY, Step, Tracker

log = logging.getLogger(__name__)

#: How long :meth:`ShellSession.write` waits for room in the terminal's input queue.
WRITE_TIMEOUT = 5.0
#: Poll interval of the reader thread when the PTY is quiet (also its stop latency).
_POLL_MS = 50


class ShellSession:
    """One learner's interactive bash on a PTY, with command start/end reporting.

    ``env`` is added to (and overrides) the runner's environment; ``TERM`` is always
    ``xterm-256color`` and ``PAGER`` is ``cat``. ``cwd`` is the starting directory.
    ``init_commands`` run in the shell before its first prompt (for example
    ``eval "$(workshop mock env)"``), and their effects stay.

    ``histfile``: where history lives, read at start and appended to after every command
    (so a ``kill -9`` of the runner keeps it); ``None`` keeps it in a private temporary
    directory removed by :meth:`close`. ``state_file``: rewritten atomically at a prompt
    whenever the folder or the exported names changed (see :mod:`workshop.shell.state`).
    ``restart``: when bash ends by itself (not through :meth:`close`), start a new one in
    the last known folder with the environment it had exported and the same history; one
    line about it goes to ``on_output``, then ``on_restarted(status)`` is called (status:
    how the old bash ended). A shell that keeps ending is restarted at most
    :data:`~workshop.shell.restart.MAX_RESTARTS` times within
    :data:`~workshop.shell.restart.RESTART_WINDOW` seconds, then stays closed (and says so).
    Callbacks run on the reader thread (see the module documentation).
    """

    def __init__(
        self,
        env: dict[str, str] | None = None,
        cwd: str | Path | None = None,
        rows: int = 24,
        cols: int = 80,
        on_output: Callable[[str], None] | None = None,
        on_command_started: Callable[[str], None] | None = None,
        on_command_finished: Callable[[CommandResult], None] | None = None,
        init_commands: Sequence[str] | None = None,
        histfile: Path | None = None,
        state_file: Path | None = None,
        restart: bool = False,
        on_restarted: Callable[[int], None] | None = None,
    ) -> None:
        """Prepare a session; nothing runs until :meth:`start`."""
        self._extra_env = dict(env) if env else None
        self._start_cwd = Path(cwd) if cwd is not None else None
        self._size = (rows, cols)
        self.on_output = on_output
        self.on_command_started = on_command_started
        self.on_command_finished = on_command_finished
        self.on_restarted = on_restarted
        self._init_commands = list(init_commands or [])
        self._histfile = histfile
        self._recorder = StateRecorder(state_file) if state_file is not None else None
        self._policy = RestartPolicy() if restart else None
        self._start_env: dict[str, str] = {}

        self._nonce = make_nonce()
        self._parser = MarkerParser(self._nonce)
        self._tracker = Tracker()
        self._write_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._close_lock = threading.Lock()
        self._stop = threading.Event()
        self._exited = threading.Event()
        self._bash: BashProcess | None = None
        self._rcfile: Path | None = None
        self._reader: threading.Thread | None = None
        self._dir: Path | None = None
        self._closed = False
        self._started = False

    # -- life cycle -----------------------------------------------------------------------

    def start(self, timeout: float = 10) -> None:
        """Spawn bash and wait (at most ``timeout`` seconds) for its first prompt.

        Raises :class:`ShellError` when bash cannot start or exits during start-up (the
        message ends with what it printed) and :class:`ShellTimeout` when no prompt comes;
        the session is closed in both cases.
        """
        self._not_on_reader("start")
        if self._started:
            raise ShellError("this shell session was already started")
        self._started = True
        if self._start_cwd is not None and not self._start_cwd.is_dir():
            self._closed = True
            raise ShellError(f"cannot start the shell in {self._start_cwd}: not a directory")
        env = process.build_env(self._extra_env)
        self._start_env = env
        try:
            self._dir = Path(tempfile.mkdtemp(prefix="workshop-shell-"))
            self._rcfile = write_rc(
                self._dir, self._nonce, self._histfile, self._init_commands, env
            )
            self._bash = BashProcess.spawn(self._rcfile, env, self._start_cwd, *self._size)
        except (OSError, ShellError) as exc:
            self._remove_dir()
            self._closed = True
            if isinstance(exc, ShellError):
                raise
            raise ShellError(f"could not prepare the shell: {exc}") from exc
        self._reader = threading.Thread(
            target=self._read_loop, name=f"workshop-shell-reader-{self._bash.pid}", daemon=True
        )
        self._reader.start()
        if self._tracker.wait_ready(timeout):
            return
        with self._tracker.cond:
            status = self._tracker.exit_status
            printed = self._tracker.startup.text()[-2000:].strip()
        self.close()
        if status is not None:
            raise ShellError(
                f"bash exited during start-up (status {status}); it printed:\n{printed}"
            )
        raise ShellTimeout(
            f"bash showed no prompt within {timeout:g} s (an init command may hang); "
            f"it printed:\n{printed}"
        )

    def close(self) -> None:
        """Stop bash and everything it started; idempotent, never blocks for long.

        bash first gets SIGHUP (it saves history and hangs up its jobs); after a short grace
        every process left in its session gets SIGKILL. A command still running is reported
        finished (``on_command_finished``) with the status bash ended with.
        """
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        bash = self._bash
        if bash is not None:
            bash.hangup()
            self._exited.wait(0.5)
            bash.kill()
            self._stop.set()
            reader = self._reader
            if reader is not None and reader is not threading.current_thread():
                reader.join(2.0)
            bash.close()
        self._remove_dir()
        self._tracker.push("exited")

    def __enter__(self) -> ShellSession:
        """Start the session (if not started) for a ``with`` block."""
        if not self._started:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the session at the end of a ``with`` block."""
        self.close()

    # -- input ----------------------------------------------------------------------------

    def write(self, data: str) -> None:
        """Send raw keystrokes (as a terminal pane would); thread-safe.

        Keys that end the line being edited at the prompt (Enter, Ctrl-C) make the session
        busy (``at_prompt`` false) until bash answers them, so a following :meth:`run` or
        :meth:`wait_idle` waits for what the keystrokes started. Raises
        :class:`ShellClosed` when the shell is gone and :class:`ShellTimeout` when it
        accepts no input for :data:`WRITE_TIMEOUT` seconds.
        """
        bash = self._bash
        if self._closed or bash is None:
            raise ShellClosed(
                "the shell session is closed" if self._started else "the shell is not started"
            )
        self._tracker.keys(data)
        with self._write_lock:  # a restart swaps the bash under this lock
            process.write_all(
                (self._bash or bash).fd, data.encode("utf-8", "surrogateescape"), WRITE_TIMEOUT
            )

    def interrupt(self) -> None:
        """Press Ctrl-C: interrupt the running command (or drop the line being typed).

        Right after a command started this first waits a few milliseconds: bash loses a
        Ctrl-C that comes before the program owns the terminal.
        """
        delay = self._tracker.settle_delay()
        if delay > 0:
            time.sleep(delay)
        self.write("\x03")

    def resize(self, rows: int, cols: int) -> None:
        """Tell the terminal its new size (bash and the running program get SIGWINCH)."""
        self._size = (rows, cols)
        bash = self._bash
        if bash is not None and not self._closed:
            bash.resize(rows, cols)

    def run(self, command: str, timeout: float | None = 30) -> CommandResult:
        """Type ``command`` and Enter as a learner would and wait for it to finish.

        Waits first (within ``timeout``) for the shell to be at its prompt. A command of
        several lines is typed line by line (here-documents and ``for`` loops continue on
        bash's ``PS2`` prompt); when the lines make several commands, the result joins them
        (commands and output concatenated, the last exit status). A line bash refuses
        (syntax error) comes back as a result with its status (2) and error message.

        Raises :class:`ShellTimeout` when the time runs out (the command keeps running;
        :meth:`interrupt` stops it), :class:`ShellClosed` when the shell is gone and
        :class:`ShellError` when the text is an incomplete command (bash still waits for
        more lines; the partial command is cancelled with Ctrl-C).
        """
        self._not_on_reader("run")
        if not self._started:
            raise ShellError("the shell is not started; call start() first")
        deadline = None if timeout is None else time.monotonic() + timeout
        lines = command.split("\n")
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()
        if not self._run_lock.acquire(timeout=-1 if deadline is None else remaining(deadline)):
            raise ShellTimeout(f"another command is being run in this shell: {command!r}")
        try:
            if not self.wait_idle(None if deadline is None else remaining(deadline)):
                if not self.alive:
                    raise ShellClosed("the shell has exited")
                raise ShellTimeout(
                    f"the shell stayed busy for {timeout:g} s; did not run {command!r}"
                )
            return type_lines(
                self._tracker, self.write, self._cancel_line, command, lines, deadline
            )
        finally:
            self._run_lock.release()

    def _cancel_line(self) -> None:
        """Drop an incomplete command bash waits at ``PS2`` for (Ctrl-C), then settle."""
        time.sleep(0.05)  # a Ctrl-C as PS2 appears can stay pending in readline
        self.interrupt()
        self.wait_idle(2.0)

    # -- waiting and state ----------------------------------------------------------------

    def output_so_far(self) -> str:
        """What the command running now printed so far, made plain ("" at a prompt): what a
        command that does not end is waiting at."""
        return self._tracker.running_output()

    def wait_idle(self, timeout: float | None) -> bool:
        """Wait until bash shows its primary prompt; ``True`` if it does within ``timeout``."""
        self._not_on_reader("wait_idle")
        return self._tracker.wait_ready(timeout)

    @property
    def alive(self) -> bool:
        """True while bash runs and the session is not closed."""
        with self._tracker.cond:
            return self._started and not self._closed and self._tracker.state != EXITED

    @property
    def at_prompt(self) -> bool:
        """True while bash waits at its primary prompt (not at ``PS2``, not running)."""
        with self._tracker.cond:
            return self._tracker.state == READY and not self._closed

    @property
    def at_continuation(self) -> bool:
        """True while bash waits at ``PS2`` for more lines of a command."""
        with self._tracker.cond:
            return self._tracker.state == CONTINUATION and not self._closed

    @property
    def cwd(self) -> Path | None:
        """The shell's working directory as of its last prompt (``None`` before the first)."""
        with self._tracker.cond:
            return Path(self._tracker.cwd) if self._tracker.cwd else None

    @property
    def env(self) -> dict[str, str]:
        """The shell's exported environment as of its last prompt (a copy).

        Before bash first reports it (and when ``env``/``base64`` are missing), the
        environment bash was (or will be) started with. Reported only when it changed, so
        reading it costs nothing in the shell.
        """
        with self._tracker.cond:
            reported = self._tracker.env
        if reported is not None:
            return dict(reported)
        return dict(self._start_env) if self._started else process.build_env(self._extra_env)

    @property
    def pid(self) -> int | None:
        """The process id of the current bash (``None`` before :meth:`start`)."""
        return self._bash.pid if self._bash is not None else None

    # -- reader thread --------------------------------------------------------------------

    def _read_loop(self) -> None:
        """Read each bash in turn until one ends for good (closed, no restart wanted)."""
        try:
            while self._bash is not None:
                status = self._read_bash(self._bash)
                if not self._after_exit(status):
                    break
        finally:
            self._exited.set()

    def _read_bash(self, bash: BashProcess) -> int:
        """Read one bash's PTY until it is gone, turning bytes into output and events."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        poller = select.poll()
        poller.register(bash.fd, select.POLLIN | select.POLLPRI)
        try:
            while not self._stop.is_set():
                if not poller.poll(_POLL_MS):
                    self._dispatch(self._parser.flush())
                    self._expire()
                    if not bash.alive():
                        break
                    continue
                try:
                    data = os.read(bash.fd, 65536)
                except BlockingIOError:
                    continue
                except OSError:  # EIO: every process holding the terminal is gone
                    break
                if not data:
                    break
                data += _drain(bash.fd)
                self._tracker.activity()
                self._dispatch(self._parser.feed(decoder.decode(data)))
            tail = decoder.decode(b"", final=True)
            self._dispatch(self._parser.feed(tail) if tail else [])
            self._dispatch(self._parser.flush(force=True))
        except Exception:  # a bug here must not leave waiters hanging
            log.exception("the shell reader failed")
        return bash.reap()

    def _after_exit(self, status: int) -> bool:
        """Report that bash ended; start a new one if wanted and allowed (True if so)."""
        policy, rcfile = self._policy, self._rcfile
        with self._tracker.cond:
            wanted = policy is not None and rcfile is not None and self._tracker.ready_seen
            last_cwd, reported = self._tracker.cwd, self._tracker.env
        wanted = wanted and not self._closed
        allowed = wanted and policy is not None and policy.allow()
        self._report(self._tracker.exited(status, restarting=allowed))
        if wanted and not allowed and policy is not None:
            _call(self.on_output, gave_up_notice(status, policy))
        if not allowed or rcfile is None:
            return False
        cwd = pick_cwd(last_cwd, self._start_cwd)
        env = process.restart_env(reported if reported is not None else self._start_env)
        with self._close_lock:  # close() waits for the swap, then ends the new bash
            failed = "the session was closed" if self._closed else None
            with self._write_lock:
                if self._bash is not None:
                    self._bash.close()
                self._parser = MarkerParser(self._nonce)
                if failed is None:
                    try:
                        self._bash = BashProcess.spawn(rcfile, env, cwd, *self._size)
                    except ShellError as exc:
                        failed = str(exc)
        if failed is not None:
            self._report(self._tracker.exited(status))
            if not self._closed:
                _call(self.on_output, failed_notice(status, failed))
            return False
        _call(self.on_output, restarted_notice(status, cwd, env.get("HOME")))
        _call(self.on_restarted, status)
        return True

    def _dispatch(self, items: Iterable[str | Marker]) -> None:
        """Hand display text and markers to the tracker in stream order; report the steps."""
        for item in items:
            step = self._tracker.feed(item)
            if isinstance(item, str):
                _call(self.on_output, item)
            self._report(step)

    def _report(self, step: Step) -> None:
        """Call the callbacks a step asks for, then wake the waiters."""
        if step.started is not None:
            _call(self.on_command_started, step.started)
        if step.event is not None and step.event[0] == "finished" and self._recorder:
            # at a prompt; on the reader thread, the only writer of the tracker's cwd/env
            self._recorder.update(self._tracker.cwd, self._tracker.env or self._start_env)
        if step.finished is not None:
            _call(self.on_command_finished, step.finished)
        if step.event is not None:
            self._tracker.push(*step.event)

    def _expire(self) -> None:
        """Let the tracker give up on unanswered lines; absorb a pending Ctrl-C."""
        step, absorb = self._tracker.expire()
        if absorb:
            with contextlib.suppress(ShellError):
                self.write(" ")
        self._report(step)

    # -- helpers --------------------------------------------------------------------------

    def _not_on_reader(self, name: str) -> None:
        if self._reader is not None and threading.current_thread() is self._reader:
            raise RuntimeError(f"ShellSession.{name}() cannot be called from a session callback")

    def _remove_dir(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


def _call(callback: Callable[..., None] | None, *args: object) -> None:
    """Call a user callback; an exception is logged, never allowed to stop the reader."""
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:
        log.exception("a shell session callback failed")


DRAIN_LIMIT = 256 * 1024
"""Bytes read in one go while more output is waiting (see :func:`_drain`)."""


def _drain(fd: int) -> bytes:
    """What else is waiting on ``fd`` (non-blocking) right now, up to DRAIN_LIMIT bytes.

    A PTY hands over 4 KB a read; under a flood of output (``seq 1 100000``) handling
    each piece on its own (markers, events, the terminal's model) costs more than the
    reading. Taking what is already there in one piece keeps the reader ahead of bash.
    Reading until the PTY has nothing left (no ``poll`` before each read) halves the
    system calls, each of which lets another thread take the interpreter."""
    parts: list[bytes] = []
    size = 0
    while size < DRAIN_LIMIT:
        try:
            more = os.read(fd, 65536)
        except OSError:  # EAGAIN: nothing left; EIO as bash ends: the outer loop sees it
            break
        if not more:
            break
        parts.append(more)
        size += len(more)
    return b"".join(parts)
