"""After a command, the shell's reader thread goes straight on to the prompt that follows.

Between a command's last output and the prompt after it, the reader used to make the whole
output plain (escape sequences out: 10-20 ms after ``seq 1 100000``) and, after the first
command of a session, build the workshop's vocabulary (every command line of the course
parsed). Both held the prompt on the learner's screen. The output is now made plain by
whoever reads it first (the check worker), and the worker builds the vocabulary while the
first command runs. Real bash and the real mock; the slow parts are held open to show who
waits for them.
"""

from __future__ import annotations

import threading

import pytest
from engine_support import LESSON, WORKSHOP, Events, wait_for
from test_session_headless import close_session

import workshop.engine.session as session_module
import workshop.shell.result as result_module
from workshop.content import load_workshop
from workshop.engine import events as ev
from workshop.engine.session import LearnerSession


def output_since(events: Events, mark: int) -> str:
    return "".join(e.text for e in events.since(mark, ev.OutputReceived))


def started_session(events: Events) -> LearnerSession:
    session = LearnerSession(load_workshop(WORKSHOP), LESSON, listener=events, rows=30, cols=100)
    session.start()
    wait_for(lambda: output_since(events, 0).rstrip().endswith(("$", "#")), what="a prompt")
    return session


def test_the_prompt_after_a_flood_does_not_wait_for_its_output_to_be_made_plain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = Events()
    session = started_session(events)
    making = threading.Event()
    release = threading.Event()
    strip = result_module.strip_ansi

    def held_strip(text: str) -> str:
        if "99999" in text:  # the flood's output, not a short one made plain elsewhere
            making.set()
            release.wait(90)
        return strip(text)

    monkeypatch.setattr(result_module, "strip_ansi", held_strip)
    try:
        mark = events.mark()
        session.type_keys("seq 1 100000\r")

        def prompt_after_flood() -> bool:
            after = output_since(events, mark).rpartition("100000")[2]
            return after.rstrip().endswith(("$", "#"))

        wait_for(prompt_after_flood, timeout=30, what="the prompt while the output is held")
        finished = events.wait(ev.CommandFinished, mark)
        assert not release.is_set()
        release.set()
        assert finished.result.output.endswith("99999\n100000\n")
        assert making.is_set(), "the output was made plain somewhere else"
        verdict = events.wait(ev.CheckCompleted, mark, timeout=60)
        assert verdict.attempt is False
    finally:
        release.set()
        close_session(session)


def test_the_first_command_finds_the_vocabulary_made_by_the_check_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made_on: list[str] = []
    make = session_module.vocabulary_for

    def recorded(workshop: object) -> object:
        made_on.append(threading.current_thread().name)
        return make(workshop)  # type: ignore[arg-type]

    monkeypatch.setattr(session_module, "vocabulary_for", recorded)
    events = Events()
    session = started_session(events)
    try:
        assert made_on == [], "the vocabulary was made while the session started"
        mark = events.mark()
        session.type_keys("sleep 1\r")  # the worker has a second to make it
        finished = events.wait(ev.CommandFinished, mark)
        assert finished.result.command == "sleep 1"
        events.wait(ev.CheckCompleted, mark)
        assert len(made_on) == 1
        assert made_on[0].startswith("checks"), made_on
    finally:
        close_session(session)
