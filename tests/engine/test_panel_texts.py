"""What a learner is told is true: F3 before the step's command ran asks for the command;
F3 after it judges that command again (not an unrelated one typed since); a command that
is no attempt (``echo hi``) is not judged. The same session serves both front ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from engine_support import Events
from test_session_headless import close_session, open_session, run_and_settle

from workshop.engine import events as ev
from workshop.engine.session import LearnerSession


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def session(events: Events) -> Iterator[LearnerSession]:
    started = open_session(events)
    yield started
    close_session(started)


def check_now(session: LearnerSession, events: Events) -> ev.CheckCompleted:
    mark = events.mark()
    session.check_now()
    session.settle()
    (verdict,) = events.since(mark, ev.CheckCompleted)
    return verdict


def test_f3_before_anything_ran_asks_for_the_command(
    session: LearnerSession, events: Events
) -> None:
    verdict = check_now(session, events)
    assert not verdict.passed and not verdict.quiet
    assert verdict.reason == "Run the step's command first: `cf target`."


def test_a_command_that_is_no_attempt_is_not_judged(
    session: LearnerSession, events: Events
) -> None:
    caused = run_and_settle(session, events, "echo hi")
    (verdict,) = [e for e in caused if isinstance(e, ev.CheckCompleted)]
    assert verdict.quiet and not verdict.attempt and not verdict.passed
    assert check_now(session, events).reason == "Run the step's command first: `cf target`."


def test_f3_judges_the_steps_last_command_again(session: LearnerSession, events: Events) -> None:
    run_and_settle(session, events, "cf targte")
    run_and_settle(session, events, "echo hi")
    verdict = check_now(session, events)
    assert not verdict.passed
    # `echo hi` is not what F3 looks at: the failed `cf targte` is
    assert verdict.reason == "`cf target` did not succeed: read its output for the reason."
