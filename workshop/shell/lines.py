"""How :meth:`ShellSession.run` types a command of one or more lines and collects its result.

Each line is typed with Enter as a learner would; the tracker's events tell whether bash
ran something (``finished``), wants more lines (``continue``, a here-document or a ``for``
loop), is back at its prompt (``ready``) or is gone (``exited``). When the lines make
several commands, their results are joined into one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from workshop.shell.errors import ShellClosed, ShellError
from workshop.shell.result import CommandResult
from workshop.shell.tracker import Event, Tracker


def remaining(deadline: float) -> float:
    """Seconds left until ``deadline`` (monotonic clock), never negative."""
    return max(0.0, deadline - time.monotonic())


def type_lines(
    tracker: Tracker,
    write: Callable[[str], None],
    cancel: Callable[[], None],
    command: str,
    lines: list[str],
    deadline: float | None,
) -> CommandResult:
    """Send each line with ``write`` and collect the results of the commands they complete.

    ``cancel`` drops an incomplete last line (bash still at ``PS2``), after which a
    :class:`ShellError` is raised. :class:`ShellClosed` when bash exits before running
    anything; :class:`~workshop.shell.errors.ShellTimeout` at ``deadline``.
    """
    started = time.time()
    results: list[CommandResult] = []
    status = 0
    event: Event | None = None
    for index, line in enumerate(lines):
        seq = tracker.seq
        tracker.sent(line)
        write(line + "\r")
        while True:
            event = tracker.next_event(seq, deadline, command)
            seq = event.seq
            if event.kind == "finished":
                status = event.status
                if event.result is not None:
                    results.append(event.result)
            elif event.kind in ("ready", "continue"):
                break
            elif results:  # exited after running something (`exit`)
                return combine(results)
            else:
                raise ShellClosed(f"the shell exited while running {command!r}")
        if event.kind == "continue" and index == len(lines) - 1:
            cancel()
            raise ShellError(
                f"incomplete command (bash waits for more lines): {command!r}; it was cancelled"
            )
    if not results:  # blank lines or comments: nothing ran
        return CommandResult(command.strip(), status, "", started, time.time())
    return combine(results)


def combine(results: list[CommandResult]) -> CommandResult:
    """One result for the several commands a multi-line :meth:`ShellSession.run` ran."""
    if len(results) == 1:
        return results[0]
    return CommandResult(
        command="\n".join(r.command for r in results),
        exit_code=results[-1].exit_code,
        output="".join(r.output for r in results),
        started_at=results[0].started_at,
        ended_at=results[-1].ended_at,
        ended_shell=any(r.ended_shell for r in results),
    )
