"""Low-level handling of the bash process and its PTY: spawning, writing, killing.

Kept apart from the session logic so the few operating-system details (non-blocking
writes that time out, finding every process of the shell's session) are in one place.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import os
import select
import shlex
import shutil
import signal
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path
from typing import Protocol

import pexpect

from workshop.shell.errors import ShellClosed, ShellError, ShellTimeout
from workshop.terminal_signals import restore_defaults

#: The terminal type the learner's shell always gets (the TUI pane emulates it).
TERM = "xterm-256color"
#: Variables of the runner's environment that would disturb the session's prompt hooks.
_DROPPED = (
    "PROMPT_COMMAND",
    "PS0",
    "PS1",
    "PS2",
    "BASH_ENV",
    "ENV",
    "HISTFILE",
    "HISTTIMEFORMAT",
    "COLUMNS",
    "LINES",
)


#: Variables bash maintains itself: a restarted bash must not take over the old values.
_BASH_OWN = ("_", "PWD", "OLDPWD", "SHLVL")


def build_env(extra: dict[str, str] | None) -> dict[str, str]:
    """The runner's environment, overlaid with ``extra``, made fit for the session.

    ``TERM`` and ``PAGER`` are fixed; prompt variables are dropped (the rc file sets its
    own); a UTF-8 ``LANG`` is supplied when no locale variable is set.
    """
    env = dict(os.environ)
    if extra:
        env.update(extra)
    for name in _DROPPED:
        env.pop(name, None)
    env["TERM"] = TERM
    env["PAGER"] = "cat"
    if not any(env.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG")):
        env["LANG"] = "C.UTF-8"
    return env


def restart_env(reported: dict[str, str]) -> dict[str, str]:
    """The environment for a bash that replaces one that ended: what that one exported.

    The learner's exports carry over; the variables bash keeps itself (``PWD``, ``SHLVL``
    ...) and the ones :func:`build_env` drops are left out, ``TERM`` and ``PAGER`` fixed.
    """
    env = {k: v for k, v in reported.items() if k not in _BASH_OWN and k not in _DROPPED}
    env["TERM"] = TERM
    env["PAGER"] = "cat"
    return env


def environment_dump(env: dict[str, str]) -> str | None:
    """A shell command that prints the exported environment, NUL-separated, in base64.

    Absolute paths, so a learner's ``PATH`` cannot break it; ``None`` when ``env`` or
    ``base64`` is missing (the session then keeps its start environment).
    """
    search = env.get("PATH") or os.defpath
    dump, encode = shutil.which("env", path=search), shutil.which("base64", path=search)
    if dump is None or encode is None:
        return None
    return f"{shlex.quote(dump)} -0 | {shlex.quote(encode)}"


def find_bash(env: dict[str, str]) -> str:
    """The path of bash on the session's ``PATH``; a :class:`ShellError` when missing."""
    found = shutil.which("bash", path=env.get("PATH") or os.defpath)
    if found is None:
        raise ShellError("bash was not found on PATH; the workshop shell needs bash 4.4 or later")
    return found


def _default_signals() -> None:
    """In the forked child, before bash starts: the signals a terminal's programs expect
    at their defaults, whatever the runner does with them.

    A runner started with SIGINT and SIGQUIT ignored (a background job of a
    non-interactive shell, some CI runners) would pass that on; bash keeps an inherited
    ignore for every command it runs, and Ctrl-C would never interrupt one. Python itself
    ignores SIGPIPE and SIGXFSZ (:mod:`workshop.terminal_signals`).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
    restore_defaults()


def _inherits_ignored_signals() -> bool:
    """True when a child would start with SIGINT or SIGQUIT ignored (see :func:`_default_signals`)."""
    return signal.SIG_IGN in (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGQUIT))


class _Child(Protocol):
    """What :class:`BashProcess` uses of a started child: pexpect's spawn has it, and so
    has :class:`_SessionChild`."""

    pid: int
    child_fd: int
    exitstatus: int | None
    signalstatus: int | None

    def isalive(self) -> bool: ...

    def setwinsize(self, rows: int, cols: int) -> None: ...

    def close(self, force: bool = True) -> None: ...


class _SessionChild:
    """bash on a new PTY, started by ``setsid -c`` without a fork of this process.

    pexpect forks the runner, then execs bash in the fork: the fork copies the page tables
    of the whole runner (a TUI, a test worker: hundreds of MB), 8-11 ms of CPU a shell from
    a process of 280 MB against about 3 ms this way (``bench/bench_shell_start.py``). Here
    ``subprocess`` starts ``setsid`` the light way (vfork and exec, nothing run in between),
    with the PTY's other side as its standard input, output and error; ``setsid`` makes a
    new session, takes that terminal as its controlling terminal and execs bash, which
    keeps its pid. ``subprocess`` puts SIGPIPE and SIGXFSZ back to their defaults, as
    :func:`_default_signals` does. Used where the runner has such a ``setsid``
    (:func:`_setsid`) and does not ignore SIGINT or SIGQUIT (:func:`_default_signals` needs
    code run in the child, so pexpect starts bash then).
    """

    exitstatus: int | None = None
    signalstatus: int | None = None
    closed = False
    """True once :meth:`close` has closed the PTY (its fd number may be another file's now)."""

    def __init__(
        self,
        setsid: str,
        argv: list[str],
        env: dict[str, str],
        cwd: str | None,
        size: tuple[int, int],
    ) -> None:
        master, terminal = os.openpty()
        try:
            fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", *size, 0, 0))
            self._process = subprocess.Popen(
                [setsid, "-c", *argv],
                stdin=terminal,
                stdout=terminal,
                stderr=terminal,
                env=env,
                cwd=cwd,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(terminal)
        self.pid = self._process.pid
        self.child_fd = master
        # as pexpect's: bash leads its session once started (its session is what kill ends)
        deadline = time.monotonic() + 5
        while self._process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if os.getsid(self.pid) == self.pid:
                    break
            time.sleep(0.0005)

    def isalive(self) -> bool:
        """True while the child has not exited (reaps it when it has)."""
        code = self._process.poll()
        if code is None:
            return True
        if code < 0:
            self.signalstatus = -code
        else:
            self.exitstatus = code
        return False

    def setwinsize(self, rows: int, cols: int) -> None:
        """Set the terminal's size (the foreground process group gets SIGWINCH)."""
        if not self.closed:
            fcntl.ioctl(self.child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def close(self, force: bool = True) -> None:
        """Close the PTY (once); a child still running is hung up, then killed, and reaped."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError):
                os.close(self.child_fd)
        if not self.isalive():
            return
        for signum, wait in ((signal.SIGHUP, 0.1), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(OSError):
                os.kill(self.pid, signum)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(wait)
            if not self.isalive():
                return


@functools.cache
def _setsid() -> str | None:
    """The runner's ``setsid`` program when it can take a terminal as its controlling one
    (``-c``: util-linux since 2.25, BusyBox); None when there is none such (macOS). Looked
    up once, on the runner's PATH: the learner's PATH, which a restarted bash is given,
    may have lost it."""
    found = shutil.which("setsid", path=os.environ.get("PATH") or os.defpath)
    if found is None:
        return None
    try:
        usage = subprocess.run(
            [found, "--help"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    said = usage.stdout + usage.stderr  # util-linux: "-c, --ctty"; BusyBox: "setsid [-c] PROG"
    return found if "--ctty" in said or "[-c]" in said else None


def _spawn(
    bash: str, args: list[str], env: dict[str, str], cwd: str | None, rows: int, cols: int
) -> _Child:
    """Start ``bash ARGS`` on a new PTY of ``rows`` x ``cols``, as its session's leader."""
    setsid = _setsid()
    if setsid is not None and not _inherits_ignored_signals():
        return _SessionChild(setsid, [bash, *args], env, cwd, (rows, cols))
    spawned = pexpect.spawn(
        bash,
        args,
        env=env,
        cwd=cwd,
        echo=True,
        encoding=None,
        dimensions=(rows, cols),
        use_poll=True,
        preexec_fn=_default_signals,
    )
    spawned.delaybeforesend = None
    spawned.ptyproc.delayafterclose = 0.0
    child: _Child = spawned
    return child


class BashProcess:
    """One running bash on its own PTY: its pid, the master side's fd, and how to end it.

    Wraps the started child so nothing untyped leaks out of this module. The methods that
    look at the process (:meth:`alive`, :meth:`reap`, :meth:`resize`, :meth:`close`) may be
    called from any thread.
    """

    def __init__(self, child: _Child) -> None:
        """Take over a started child (see :meth:`spawn`)."""
        self._child = child
        self._lock = threading.Lock()
        self.pid: int = int(child.pid)
        """The process id of bash (also its session and process group id)."""
        self.fd: int = int(child.child_fd)
        """The PTY master, non-blocking."""

    @classmethod
    def spawn(
        cls, rcfile: Path, env: dict[str, str], cwd: Path | None, rows: int, cols: int
    ) -> BashProcess:
        """Start interactive bash on a new PTY, reading only ``rcfile`` at start-up.

        The terminal echoes (readline draws what the learner types, programs such as ``cat``
        or a login prompt show typed input, ``read -s`` turns it off itself). SIGINT and
        SIGQUIT start at their defaults whatever the runner inherited. The master side is
        made non-blocking so :func:`write_all` can give up instead of hanging.
        """
        bash = find_bash(env)
        args = ["--noprofile", "--rcfile", str(rcfile), "-i"]
        try:
            child = _spawn(bash, args, env, str(cwd) if cwd is not None else None, rows, cols)
        except (OSError, subprocess.SubprocessError, pexpect.ExceptionPexpect) as exc:
            raise ShellError(f"could not start bash ({bash}): {exc}") from exc
        flags = fcntl.fcntl(child.child_fd, fcntl.F_GETFL)
        fcntl.fcntl(child.child_fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        return cls(child)

    def alive(self) -> bool:
        """True while bash has not exited (reaps it when it has)."""
        with self._lock:
            try:
                return bool(self._child.isalive())
            except Exception:
                return False

    def reap(self, timeout: float = 1.0) -> int:
        """bash's exit status (128 + signal when killed; -1 unknown), waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        status = self._child.exitstatus
        if status is not None:
            return int(status)
        signum = self._child.signalstatus
        if signum is not None:
            return 128 + int(signum)
        return -1

    def resize(self, rows: int, cols: int) -> None:
        """Set the terminal size (bash and its foreground program get SIGWINCH)."""
        with contextlib.suppress(OSError, ValueError):
            self._child.setwinsize(rows, cols)

    def hangup(self) -> None:
        """Send SIGHUP to bash (it saves its history and hangs up its jobs)."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGHUP)

    def kill(self) -> None:
        """SIGKILL bash and every process of its session."""
        kill_session(self.pid)

    def close(self) -> None:
        """Release the PTY (and reap bash); call once bash is gone or killed."""
        with self._lock, contextlib.suppress(Exception):
            self._child.close(force=True)


def write_all(fd: int, data: bytes, timeout: float) -> None:
    """Write all of ``data`` to the non-blocking PTY master within ``timeout`` seconds.

    Raises :class:`ShellTimeout` when the terminal's input queue stays full (bash and its
    program are not reading) and :class:`ShellClosed` when the PTY is gone.
    """
    view = memoryview(data)
    deadline = time.monotonic() + timeout
    while view:
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ShellTimeout(
                    f"the shell did not accept input for {timeout:g} s (its input queue is full)"
                ) from None
            select.select([], [fd], [], min(remaining, 0.05))
            continue
        except OSError as exc:
            if exc.errno in (errno.EIO, errno.EBADF):
                raise ShellClosed("the shell has exited") from exc
            raise ShellError(f"writing to the shell failed: {exc}") from exc
        view = view[written:]


def session_pids(sid: int) -> list[int] | None:
    """Every process still in session ``sid`` (bash and all it started); ``None`` without ``/proc``."""
    me = os.getpid()
    pids: list[int] = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    for name in names:
        if not name.isdigit():
            continue
        pid = int(name)
        if pid == me:
            continue
        try:
            if os.getsid(pid) == sid:
                pids.append(pid)
        except OSError:
            continue
    return pids


def kill_session(sid: int) -> None:
    """SIGKILL every process of the shell's session, including jobs that ignore SIGHUP."""
    if sid <= 1 or sid == os.getsid(0):
        return
    targets = session_pids(sid)
    if targets is None:  # no /proc: at least the shell's own process group
        try:
            os.killpg(sid, signal.SIGKILL)
        except OSError:
            pass
        return
    for pid in targets:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
