"""A private tmux server for the end-to-end tests that type at the real program like a person.

Three tests run ``workshop run`` inside tmux (the plain runner, the TUI on one lesson, the
TUI on the first three lessons). They share this one helper so that they start tmux the
same way and survive a busy machine the same way:

- the server is private (``tmux -L <unique name>``) and reads no configuration
  (``-f /dev/null``), so neither a user's tmux nor another test gets in the way;
- its environment lacks ``COLUMNS``, ``LINES``, ``TMUX`` and ``TMUX_PANE``: the pane's size
  must come from tmux, not from the fixed size the test fixtures set for in-process tests
  (Textual would take ``COLUMNS``/``LINES`` over the terminal's real size);
- every tmux command gets a generous timeout, and a command that is safe to repeat gets one
  retry, because a ``capture-pane`` was once seen to take longer than 10 s under load
  although the program under test was fine;
- :meth:`Tmux.close` kills the server and removes the socket file tmux leaves behind in
  ``/tmp/tmux-<uid>/``; it may be called any number of times. A program that outlives its
  pane (its terminal gone) past :data:`PROGRAM_GRACE` seconds is killed: one was seen
  spinning at a third of a core long after its test, slowing every test after it.

The tests' folders differ, but the root ``tests/conftest.py`` puts ``tests/`` on
``sys.path``, so each imports ``from tmux_support import Tmux, require_tmux``.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[1]

COMMAND_TIMEOUT = 30.0
"""Seconds one tmux command may take (tmux answers in milliseconds when the machine is idle)."""

REPEATABLE = frozenset(
    {"capture-pane", "display-message", "has-session", "set-option", "kill-server"}
)
"""tmux commands run a second time when the first attempt timed out. The others are not:
a ``send-keys`` may have reached the server before its client was killed, and typing the
keys twice would change what the test does; a second ``new-session`` would fail as a
duplicate."""

HIDDEN_VARIABLES = ("COLUMNS", "LINES", "TMUX", "TMUX_PANE")
"""Variables kept from the tmux server (and so from the program in its pane)."""

POLL_INTERVAL = 0.05
"""Seconds between two looks at the screen in :meth:`Tmux.wait_for`."""

PROGRAM_GRACE = 5.0
"""Seconds the program in the pane has to end once its terminal is gone (tmux's server
killed): it gets SIGHUP and normally ends at once."""

SCREEN_LINES_ON_FAILURE = 200
"""How many of the screen's last lines a timed-out :meth:`Tmux.wait_for` shows."""


def require_tmux() -> None:
    """Make sure tmux is installed: ``scripts/ensure-system-deps`` installs it when missing.

    Fails the test with a clear message when it cannot be installed (no apt-get, not root).
    """
    if shutil.which("tmux") is not None:
        return
    script = REPO / "scripts" / "ensure-system-deps"
    done = subprocess.run([str(script)], capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or shutil.which("tmux") is None:
        raise AssertionError(
            f"tmux is missing and {script.name} could not install it: "
            f"{(done.stderr or done.stdout).strip()}"
        )


def process_start(pid: int) -> str:
    """When process ``pid`` started (its clock ticks since boot), or "" when it is gone or
    a zombie: a pid the system gave to another process since has another start."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return ""
    return "" if fields[0] == b"Z" else fields[19].decode()


def server_environment() -> dict[str, str]:
    """The environment the tmux server starts with: this process's, minus HIDDEN_VARIABLES."""
    return {name: value for name, value in os.environ.items() if name not in HIDDEN_VARIABLES}


def literal_argument(text: str) -> str:
    """``text`` as one tmux argument: tmux takes an argument's final ``;`` as the end of a
    command, so that one is escaped (``\\;``) to stay part of the text."""
    return text[:-1] + "\\;" if text.endswith(";") else text


class Tmux:
    """One private tmux server holding one session, the program under test in its pane.

    Use it as a context manager (``with Tmux() as tmux:``) or call :meth:`close` yourself.
    """

    def __init__(self, prefix: str = "workshop-test", session: str = "t") -> None:
        self.name = f"{prefix}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        """The server's socket name, unique per instance (``tmux -L NAME``)."""
        self.session = session
        """The session (and target) every command addresses."""
        self.socket_path: Path | None = None
        """The socket file, once the server runs (tmux does not remove it when it exits)."""
        self.server_pid: int | None = None
        """The server's process id, once it runs (ended directly if ``kill-server`` hangs)."""
        self.program: tuple[int, str] | None = None
        """The pane's program: its process id and start time (so a reused pid is told apart)."""
        self.closed = False
        """Whether :meth:`close` has run."""

    def __call__(self, *args: str) -> str:
        """Run one tmux command against this server; its stdout.

        A command that is still running after COMMAND_TIMEOUT seconds is killed and, if it
        is REPEATABLE, run once more. A failing command fails the test with tmux's message.
        """
        attempts = 2 if args and args[0] in REPEATABLE else 1
        for attempt in range(1, attempts + 1):
            try:
                done = subprocess.run(
                    ["tmux", "-L", self.name, "-f", "/dev/null", *args],
                    capture_output=True,
                    text=True,
                    timeout=COMMAND_TIMEOUT,
                    env=server_environment(),
                )
            except subprocess.TimeoutExpired:
                if attempt == attempts:
                    raise AssertionError(
                        f"tmux {' '.join(args)}: no answer in {COMMAND_TIMEOUT:g} s"
                        f" ({attempts} attempt{'s' if attempts > 1 else ''})"
                    ) from None
                continue
            if done.returncode != 0:
                raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
            return done.stdout
        raise AssertionError("unreachable: every attempt returns or raises")

    def start(
        self,
        command: str,
        width: int,
        height: int,
        env: Mapping[str, str] | None = None,
        cwd: Path = REPO,
    ) -> None:
        """Start the server with ``command`` (a shell command line) in a ``width``×``height``
        pane, run in ``cwd`` with ``env`` set on top of the server's environment.

        The pane stays open when the command ends (``remain-on-exit``), so its last words
        can still be read.
        """
        variables = [f"{name}={value}" for name, value in (env or {}).items()]
        env_args = [arg for variable in variables for arg in ("-e", literal_argument(variable))]
        # one command list, so that remain-on-exit holds before the command can end and the
        # server's pid and socket are known even if the server exits at once
        where = self(
            "start-server", ";",
            "set-option", "-g", "remain-on-exit", "on", ";",
            "new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height),
            "-c", str(cwd), *env_args, literal_argument(command), ";",
            "display-message", "-p", "#{pid} #{pane_pid} #{socket_path}",
        )  # fmt: skip
        pid, pane_pid, socket_path = where.strip().split(" ", 2)
        self.server_pid, self.socket_path = int(pid), Path(socket_path)
        started = process_start(int(pane_pid))
        self.program = (int(pane_pid), started) if started else None

    def screen(self, history: bool = False, joined: bool = False) -> str:
        """What the pane shows now; with the lines scrolled off its top if ``history``, with
        wrapped lines joined into one if ``joined``."""
        options = [*(["-S", "-"] if history else []), *(["-J"] if joined else [])]
        return self("capture-pane", "-p", *options, "-t", self.session)

    def wait_for(
        self,
        predicate: Callable[[str], bool],
        what: str,
        timeout: float = 45,
        history: bool = False,
        joined: bool = False,
    ) -> str:
        """Poll the screen until ``predicate(screen)`` holds; that screen.

        Fails after ``timeout`` seconds, naming ``what`` and showing the screen (its last
        SCREEN_LINES_ON_FAILURE lines). ``history`` and ``joined`` are as in :meth:`screen`.
        """
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen(history=history, joined=joined)
            if predicate(text):
                return text
            if time.monotonic() > deadline:
                shown = "\n".join(text.splitlines()[-SCREEN_LINES_ON_FAILURE:])
                raise AssertionError(
                    f"timed out after {timeout:g} s waiting for {what}; the screen:\n{shown}"
                )
            time.sleep(POLL_INTERVAL)  # tmux is another process: poll it with a deadline

    def exit_status(self, timeout: float = 15) -> str:
        """The pane's program's exit status (``#{pane_dead_status}``) once it has ended, or
        "" when it still runs after ``timeout`` seconds.

        tmux learns the status when it collects its ended child, on SIGCHLD; tmux 3.3a can
        miss that signal (two children ending together, under load) and keeps the pane dead
        without a status, its program a zombie, until another child ends. A dead pane
        without a status is given a SIGCHLD of our own, and tmux collects it then.
        """
        deadline = time.monotonic() + timeout
        while True:
            dead, _, status = (
                self(
                    "display-message", "-p", "-t", self.session, "#{pane_dead} #{pane_dead_status}"
                )
                .strip()
                .partition(" ")
            )
            if dead == "1" and status:
                return status
            if time.monotonic() > deadline:
                return ""
            if dead == "1" and self.server_pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.server_pid, signal.SIGCHLD)
            time.sleep(POLL_INTERVAL)

    def type(self, text: str, per_key: bool = False) -> None:
        """Type ``text`` literally (no Enter), all of it in one ``send-keys``: the program
        reads the keys from its terminal together, as from a fast typist. ``per_key`` sends
        one key at a time instead, each read alone, as a person types: every key costs the
        program a repaint, so the tests that care how single keys are taken ask for it."""
        for chunk in text if per_key else [text]:
            self("send-keys", "-t", self.session, "-l", literal_argument(chunk))

    def press(self, *keys: str) -> None:
        """Press named keys, in order (``Enter``, ``C-c``, ``q`` …)."""
        self("send-keys", "-t", self.session, *keys)

    def close(self) -> None:
        """Kill the server (and the program, if it still runs) and remove its socket file.

        Safe to call again, and when the server never started or already ended.
        """
        if self.closed:
            return
        self.closed = True
        try:
            subprocess.run(
                ["tmux", "-L", self.name, "kill-server"],
                capture_output=True,
                timeout=COMMAND_TIMEOUT,
                env=server_environment(),
            )
        except subprocess.TimeoutExpired:
            if self.server_pid is not None:  # too slow to answer: end the server directly
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.server_pid, signal.SIGTERM)
        socket_path = self.socket_path or self.default_socket_path()
        socket_path.unlink(missing_ok=True)
        if self.program is not None:
            pid, started = self.program
            deadline = time.monotonic() + PROGRAM_GRACE
            while process_start(pid) == started and time.monotonic() < deadline:
                time.sleep(POLL_INTERVAL)
            if process_start(pid) == started:  # it outlived its terminal: end it
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def default_socket_path(self) -> Path:
        """Where tmux puts this server's socket: ``$TMUX_TMPDIR`` (or /tmp)/tmux-<uid>/NAME."""
        folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp")
        return folder / f"tmux-{os.getuid()}" / self.name

    def __enter__(self) -> Tmux:
        """The server itself (started with :meth:`start`)."""
        return self

    def __exit__(
        self,
        kind: builtins.type[BaseException] | None,  # ``type`` here is the method
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Close the server, whatever happened inside the ``with`` block."""
        self.close()
