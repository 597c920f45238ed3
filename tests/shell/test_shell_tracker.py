"""The tracker's rules, fed marker sequences as bash prints them (no bash needed)."""

from __future__ import annotations

import time

import pytest

from workshop.shell import ShellTimeout
from workshop.shell.markers import Marker
from workshop.shell.tracker import (
    BETWEEN,
    CONTINUATION,
    READY,
    RUNNING,
    SUBMITTED,
    Step,
    Tracker,
)


def C(line: str, number: int = 1) -> Marker:  # noqa: N802 - named after the marker
    return Marker("C", f"{number:5d}  {line}")


def D(status: int, line: str = "", number: int = 0, cwd: str = "/w") -> Marker:  # noqa: N802
    history = f"{number:5d}  {line}\r\n" if line else ""
    return Marker("D", f"{status}\x1f{cwd}\x1f{history}")


B = Marker("B", "")
P = Marker("P", "")


def ready_tracker() -> Tracker:
    tracker = Tracker()
    tracker.feed(D(0))
    tracker.feed("$ ")
    tracker.feed(B)
    assert tracker.state == READY
    return tracker


def test_a_command_from_start_to_end() -> None:
    tracker = ready_tracker()
    tracker.keys("ls -l\r")
    assert tracker.state == SUBMITTED
    tracker.feed("ls -l\r\n")
    assert tracker.feed(C("ls -l")) == Step(started="ls -l")
    tracker.feed("\x1b[1mtotal\x1b[0m 0\r\n")
    step = tracker.feed(D(0, "ls -l", 1, cwd="/home"))
    assert step.finished is not None and step.event is not None
    assert (step.finished.command, step.finished.exit_code, step.finished.output) == (
        "ls -l",
        0,
        "total 0\n",
    )
    assert step.event[0] == "finished" and tracker.state == BETWEEN
    assert tracker.feed(B).event == ("ready", None, 0)
    assert tracker.cwd == "/home"


def test_prompt_redraws_do_not_count() -> None:
    tracker = ready_tracker()
    assert tracker.feed(B) == Step()  # window resized: same prompt drawn again
    tracker.keys("true\r")
    assert tracker.feed(B) == Step()  # redraw before bash read the line
    assert tracker.state == SUBMITTED


def test_empty_enter_and_ctrl_c_at_the_prompt_are_not_commands() -> None:
    tracker = ready_tracker()
    tracker.feed(C("true", 1))
    tracker.feed(D(0, "true", 1))
    tracker.feed(B)
    tracker.keys("\r")
    step = tracker.feed(D(0, "true", 1))  # same history entry, no PS0
    assert step.finished is None and step.started is None
    tracker.feed(B)
    tracker.keys("partial\x03")
    assert tracker.feed(D(130, "true", 1)).finished is None
    assert tracker.feed(B).event is not None and tracker.state == READY


def test_a_refused_line_is_a_command_with_its_error() -> None:
    tracker = ready_tracker()
    tracker.keys("echo )\r")
    tracker.feed("echo )\r\nbash: syntax error near unexpected token `)'\r\n")
    step = tracker.feed(D(2, "echo )", 1))
    assert step.started == "echo )"
    assert step.finished is not None
    assert step.finished.exit_code == 2
    assert step.finished.output == "bash: syntax error near unexpected token `)'\n"


def test_lines_submitted_together_are_each_answered() -> None:
    tracker = ready_tracker()
    tracker.keys("\r")
    tracker.keys("   \r")
    tracker.feed(D(0))
    assert tracker.feed(B) == Step() and tracker.state == SUBMITTED  # one still pending
    tracker.feed(D(0))
    assert tracker.feed(B).event is not None and tracker.state == READY


def test_continuation_lines() -> None:
    tracker = ready_tracker()
    tracker.keys("for i in 1 2\r")
    assert tracker.feed(P).event == ("continue", None, 0)
    assert tracker.state == CONTINUATION
    assert tracker.feed(P) == Step()  # redraw
    tracker.keys("do echo $i; done\r")
    assert tracker.state == SUBMITTED
    assert tracker.feed(C("for i in 1 2; do echo $i; done")).started is not None
    assert tracker.state == RUNNING


def test_keys_typed_while_running_are_pending_after_the_prompt() -> None:
    tracker = ready_tracker()
    tracker.keys("sleep 1\r")
    tracker.feed(C("sleep 1"))
    tracker.keys("echo ahead\r")
    tracker.feed(D(0, "sleep 1", 1))
    assert tracker.feed(B) == Step() and tracker.state == SUBMITTED
    tracker.feed(C("echo ahead", 2))
    tracker.feed(D(0, "echo ahead", 2))
    assert tracker.feed(B).event is not None


def test_unanswered_lines_expire_and_a_pending_ctrl_c_is_absorbed() -> None:
    tracker = ready_tracker()
    tracker.keys("\x03")
    assert tracker.expire() == (Step(), False)  # too early
    tracker._keys.last_activity -= 10  # noqa: SLF001 - pretend bash stayed quiet
    step, absorb = tracker.expire()
    assert absorb and step.event == ("ready", None, 0) and tracker.state == READY


def test_a_copy_of_ps0_inside_output_is_not_a_start() -> None:
    tracker = ready_tracker()
    tracker.keys('echo "$PS0"\r')
    tracker.feed(C('echo "$PS0"'))
    assert tracker.feed(C("forged", 9)) == Step()
    assert tracker.state == RUNNING


def test_exit_finishes_the_running_command() -> None:
    tracker = ready_tracker()
    tracker.feed(C("exit 4"))
    step = tracker.exited(4)
    assert step.finished is not None and step.finished.exit_code == 4
    assert step.event == ("exited", None, 4)
    assert not tracker.wait_ready(0)


def test_waiting_times_out() -> None:
    tracker = Tracker()
    with pytest.raises(ShellTimeout):
        tracker.next_event(tracker.seq, time.monotonic() + 0.05, "sleep 9")
    tracker.push("ready")
    assert tracker.next_event(0, None, "x").kind == "ready"
