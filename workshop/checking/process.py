"""Run one check subprocess with a deadline, and kill its whole process group when it is late.

A check script may start children (``curl``, ``cf``, a ``sleep`` in a loop); a timeout must
not leave them running, and a child that keeps a pipe open must not hang the runner. So the
process gets its own session (process group), its output goes to temporary files rather
than pipes, and the group is killed on timeout and swept after a normal exit.
``CommandRuns`` keeps the outcomes of one evaluation, so that checks sharing a command line
(two ``command:`` checks on ``cf services``) run it once.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

MAX_CAPTURE = 256 * 1024
"""Bytes of stdout (and of stderr) kept from a check process."""


@dataclass
class Outcome:
    """How a check process ended."""

    returncode: int | None
    """Exit status; negative for a signal; None when it could not start or timed out."""
    stdout: str
    stderr: str
    timed_out: bool = False
    start_error: str | None = None
    """Why it could not start (not found, not executable), else None."""
    pid: int | None = None


def run_process(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    cwd: str | None,
    timeout: float,
) -> Outcome:
    """Run ``argv`` to completion or until ``timeout`` seconds, then kill its process group."""
    with (
        tempfile.TemporaryFile(prefix="workshop-check-out-") as out,
        tempfile.TemporaryFile(prefix="workshop-check-err-") as err,
    ):
        try:
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env,
                cwd=cwd,
                start_new_session=True,
                close_fds=True,
            )
        except PermissionError as exc:
            return Outcome(None, "", "", start_error=f"not executable: {exc.filename or argv[0]}")
        except FileNotFoundError as exc:
            return Outcome(None, "", "", start_error=f"not found: {exc.filename or argv[0]}")
        except OSError as exc:
            return Outcome(None, "", "", start_error=f"cannot run {argv[0]}: {exc.strerror or exc}")
        timed_out = not _wait(proc, max(timeout, 0.0))
        _kill_group(proc.pid)
        if timed_out:
            proc.wait()
        return Outcome(
            None if timed_out else proc.returncode,
            _read(out),
            _read(err),
            timed_out=timed_out,
            pid=proc.pid,
        )


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for ``proc`` up to ``timeout`` seconds; False when it is still running.

    ``Popen.wait(timeout)`` polls with growing sleeps (adding milliseconds to every check);
    a pidfd (Linux ≥ 5.3) wakes us the moment the process exits.
    """
    try:
        pidfd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout)
    finally:
        os.close(pidfd)
    if not ready:
        return False
    proc.wait()
    return True


def _kill_group(pgid: int) -> None:
    """SIGKILL every process left in group ``pgid`` (gone already: nothing to do)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return


def _read(handle: IO[bytes]) -> str:
    handle.seek(0)
    return handle.read(MAX_CAPTURE).decode("utf-8", errors="replace")


class CommandRuns:
    """The command lines run by one evaluation of a step's checks, each with its outcome.

    ``run`` starts ``bash -c COMMAND`` the first time a line (with that timeout) is asked
    for and hands back the same outcome after that; ``forget`` drops them all, so that a
    retry of a failing check sees fresh output. ``started`` counts the processes run.
    """

    def __init__(self) -> None:
        self._outcomes: dict[tuple[str, str | None, float], Outcome] = {}
        self.started = 0

    def run(self, command: str, *, env: dict[str, str], cwd: str | None, timeout: float) -> Outcome:
        """The outcome of ``command`` in ``cwd``: run now, or the one already run."""
        key = (command, cwd, timeout)
        outcome = self._outcomes.get(key)
        if outcome is None:
            self.started += 1
            outcome = run_process(["bash", "-c", command], env=env, cwd=cwd, timeout=timeout)
            self._outcomes[key] = outcome
        return outcome

    def forget(self) -> None:
        """Drop every kept outcome: the next ``run`` of any line starts it again."""
        self._outcomes.clear()
