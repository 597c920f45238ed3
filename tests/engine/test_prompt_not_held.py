"""The prompt after a command reaches the front end without waiting for progress to be kept.

The shell's reader thread hands a finished command to the front end at once and leaves the
progress store's committed write (``synchronous=FULL``: a disk flush) to the check worker;
before, the reader made the write itself, and the prompt that follows waited for the disk
(about 30 ms on a busy machine after ``seq 1 100000``, a third of the time it took on screen).
Real bash, the real mock, a real progress store whose write of the command is held open.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from engine_support import LESSON, WORKSHOP, Events, wait_for
from test_session_headless import close_session

from workshop.content import load_workshop
from workshop.engine import events as ev
from workshop.engine.session import LearnerSession
from workshop.progress import ProgressStore


class HeldStore(ProgressStore):
    """A progress store whose write of a command waits until ``release`` is set."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writing = threading.Event()
        self.release = threading.Event()

    def record_command(self, *args: Any, **kwargs: Any) -> int:
        self.writing.set()
        self.release.wait(30)
        return super().record_command(*args, **kwargs)


def output_since(events: Events, mark: int) -> str:
    return "".join(e.text for e in events.since(mark, ev.OutputReceived))


def test_the_prompt_is_shown_while_the_command_is_being_kept(tmp_path: Path) -> None:
    events = Events()
    store = HeldStore(tmp_path / "progress.db")
    session = LearnerSession(
        load_workshop(WORKSHOP), LESSON, listener=events, rows=30, cols=100, store=store
    )
    session.start()
    try:
        wait_for(lambda: output_since(events, 0).rstrip().endswith(("$", "#")), what="a prompt")
        mark = events.mark()
        session.type_keys("echo kept-$((6*7))\r")
        events.wait(ev.CommandFinished, mark)
        assert store.writing.wait(15), "the command was never written"

        def prompt_after_output() -> bool:
            text = output_since(events, mark)
            after = text.rpartition("kept-42")[2]
            return after.rstrip().endswith(("$", "#"))

        wait_for(prompt_after_output, what="the prompt while the write is held")
        assert not store.release.is_set()
        store.release.set()
        verdict = events.wait(ev.CheckCompleted, mark)
        assert verdict.attempt is False
        kept = store.commands(session.workshop.id, LESSON)
        assert [c.command for c in kept][-1:] == ["echo kept-$((6*7))"]
    finally:
        store.release.set()
        close_session(session)


def test_a_front_end_can_have_the_verdict_wait_until_it_showed_the_prompt(tmp_path: Path) -> None:
    """``pace_verdicts``: keeping the command and judging it wait for the front end's word
    (the TUI draws the prompt first: judging would take the interpreter from it)."""
    events = Events()
    store = ProgressStore(tmp_path / "progress.db")
    session = LearnerSession(
        load_workshop(WORKSHOP), LESSON, listener=events, rows=30, cols=100, store=store
    )
    asked: list[float] = []
    shown = threading.Event()

    def wait(ended: float) -> None:
        asked.append(ended)
        shown.wait(30)

    session.pace_verdicts(wait)
    session.start()
    try:
        wait_for(lambda: output_since(events, 0).rstrip().endswith(("$", "#")), what="a prompt")
        mark = events.mark()
        before = time.monotonic()
        session.type_keys("cf target\r")
        finished = events.wait(ev.CommandFinished, mark)
        assert finished.attempt
        wait_for(lambda: bool(asked), what="the front end asked to pace")
        assert before <= asked[0] <= time.monotonic()
        wait_for(
            lambda: output_since(events, mark).rstrip().endswith(("$", "#")),
            what="the prompt while the verdict waits",
        )
        assert not events.since(mark, ev.CheckCompleted)
        assert store.commands(session.workshop.id, LESSON) == []
        shown.set()
        verdict = events.wait(ev.CheckCompleted, mark)
        assert verdict.passed
        kept = store.commands(session.workshop.id, LESSON)
        assert [c.command for c in kept] == ["cf target"]
    finally:
        shown.set()
        close_session(session)
