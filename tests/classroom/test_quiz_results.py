"""Quiz results in the classroom: the ``quiz_answered`` event, the room's results, the export.

The protocol and the room are pure logic (fixed clocks); the rest runs against a real
server on loopback serving the test course, whose lesson ``q`` ends with two quiz
questions (``quiz-1``, ``quiz-2``). The learner's side is the engine's own
:class:`~workshop.engine.recorders.ClassroomFeed` over a real reporter, fed the events a
session emits when a learner answers.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
from pathlib import Path
from typing import Any

import pytest
from classroom_support import CODE, HTTP, TOKEN, ServerProcess, wait_for

from workshop.classroom import protocol
from workshop.classroom.reporter import Reporter
from workshop.classroom.room import Room
from workshop.engine import events as ev
from workshop.engine.recorders import ClassroomFeed

T0 = 1_764_000_000.0


@pytest.fixture
def classroom_server(shared_server: ServerProcess) -> ServerProcess:
    """The tests on a real server share one: each has learners of its own."""
    return shared_server


def quiz_event(**fields: Any) -> dict[str, Any]:
    base = {"seq": 1, "kind": "quiz_answered", "time": T0, "lesson": "q", "step": "quiz-1",
            "answer": "pwd", "right": True}  # fmt: skip
    return {**base, **fields}


def test_a_quiz_answer_is_validated_like_any_event() -> None:
    assert protocol.validate_event(quiz_event())["right"] is True
    for broken, field in [
        ({"right": "yes"}, "right"),
        ({"answer": "x" * 501}, "answer"),
        ({"answer": "a\x1bb"}, "answer"),
        ({"step": ""}, "step"),
        ({"reason": "no"}, "reason"),
    ]:
        with pytest.raises(protocol.ProtocolError) as raised:
            protocol.validate_event(quiz_event(**broken))
        assert raised.value.field == field, broken
    for missing in ("answer", "right"):
        event = quiz_event()
        del event[missing]
        with pytest.raises(protocol.ProtocolError, match="is required for quiz_answered"):
            protocol.validate_event(event)
    clamped = protocol.clamp_event(quiz_event(answer="line one\nline two " + "y" * 600))
    assert len(clamped["answer"]) == 500 and "\n" not in clamped["answer"]
    assert protocol.validate_event(clamped)["answer"].startswith("line one line two")


def room_after(*events: tuple[str, float, dict[str, Any]]) -> Room:
    """A room of lesson ``q`` with one learner ``a`` who sent ``events`` (kind, at, fields)."""
    room = Room({"q": ["q0", "quiz-1", "quiz-2"]}, offline_after=10**6)
    room.add_learner("a", "Ada", T0)
    for seq, (kind, at, fields) in enumerate(events, 1):
        base = {"learner": "a", "seq": seq, "kind": kind, "time": T0 + at,
                "received_at": T0 + at, "lesson": "q", "step": "quiz-1"}  # fmt: skip
        room.apply({**base, **fields})
    return room


def result(room: Room, step: str = "quiz-1") -> str:
    return room.learners["a"].cells["q"][step].to_json().get("quiz", "")


def answer(right: bool, text: str = "x", step: str = "quiz-1") -> tuple[str, float, dict[str, Any]]:
    return ("quiz_answered", 1, {"answer": text, "right": right, "step": step})


DONE = ("step_completed", 2, {})
REVEALED = ("hint_shown", 1, {"hint": "[solution] pwd"})


def test_the_room_says_how_each_question_went() -> None:
    assert result(room_after(answer(True), DONE)) == "right at first try"
    assert result(room_after(answer(False), answer(False), answer(True), DONE)) == (
        "right after 3 tries"
    )
    assert result(room_after(answer(False), REVEALED, answer(True), DONE)) == "revealed"
    assert result(room_after(REVEALED)) == "revealed"
    assert result(room_after(answer(False), answer(False))) == "wrong (2 tries)"
    # answering a question already done again is a review: its result stands
    assert result(room_after(answer(True), DONE, answer(False), REVEALED)) == "right at first try"
    cell = room_after(answer(False), answer(True), DONE).learners["a"].cells["q"]["quiz-1"]
    assert (cell.status, cell.attempts) == ("done", 2), "each answer is an attempt in the grid"
    # a step that is no question shows no quiz result
    assert (
        "quiz"
        not in room_after(("command_run", 1, {"command": "ls", "step": "q0"}))
        .learners["a"]
        .cells["q"]["q0"]
        .to_json()
    )


def test_an_older_server_is_sent_no_quiz_answer(tmp_path: Path) -> None:
    """Before the classroom said which kinds it takes, only those every server takes are
    queued: a refused event would be resent forever and hold back the rest."""
    reporter = Reporter("http://127.0.0.1:9", CODE, "Ada", outbox_path=tmp_path / "outbox")
    try:
        assert reporter.report("quiz_answered", lesson="q", step="quiz-1", answer="a",
                               right=False) == 0  # fmt: skip
        assert reporter.report("hint_shown", lesson="q", step="quiz-1", hint="h") == 1
    finally:
        reporter.close(flush_timeout=0)


def feed_answers(reporter: Reporter) -> None:
    """What a session emits as Ada answers lesson q's questions: quiz-1 wrong (a password
    in it), then right; quiz-2's answer revealed, then right."""
    feed = ClassroomFeed(reporter)
    feed(ev.StepStarted("q", "quiz-1", ("q0", "quiz-1", "quiz-2"), "Lesson q"))
    feed(ev.QuizAnswered("q", "quiz-1", "cf login -p hunter2", False))
    feed(ev.CheckCompleted("quiz-1", False, reason="Not quite.", lesson_id="q", attempt=True))
    feed(ev.QuizAnswered("q", "quiz-1", "pwd", True))
    feed(ev.CheckCompleted("quiz-1", True, reason="Right.", lesson_id="q", attempt=True))
    feed(ev.StepUnlocked("quiz-1", "quiz-2", "q"))
    feed(ev.StepStarted("q", "quiz-2", ("q0", "quiz-1", "quiz-2"), "Lesson q"))
    feed(ev.HintShown("quiz-2", "1. bash; 3. zsh", True, "q", -1))
    feed(ev.QuizAnswered("q", "quiz-2", "1, 3", True))
    feed(ev.CheckCompleted("quiz-2", True, reason="Right.", lesson_id="q", attempt=True))
    feed(ev.StepUnlocked("quiz-2", None, "q"))


def joined(server: ServerProcess, name: str, tmp_path: Path) -> Reporter:
    reporter = Reporter(server.url, CODE, name, outbox_path=tmp_path / f"{name}.outbox")
    reporter.min_backoff = reporter.max_backoff = 0.1
    reporter.start()
    wait_for(lambda: reporter.state == "online", 10, "the learner to join")
    return reporter


def test_a_learners_quiz_answers_reach_the_room_and_its_export(
    classroom_server: ServerProcess, tmp_path: Path
) -> None:
    ada = joined(classroom_server, "Ada Quizzed", tmp_path)
    try:
        feed_answers(ada)
        wait_for(lambda: ada.pending == 0, 10, "every event acknowledged")
    finally:
        ada.close()
    room = classroom_server.room()
    learner = next(x for x in room["learners"] if x["name"] == "Ada Quizzed")
    cells = learner["cells"]["q"]
    assert cells["quiz-1"]["quiz"] == "right after 2 tries"
    assert cells["quiz-2"]["quiz"] == "revealed"
    assert [s["quiz"] for s in room["course"]["lessons"][2]["steps"]] == [False, True, True]
    answers = [(e["step"], e["answer"], e["right"])
               for e in classroom_server.timeline(learner["id"])
               if e["kind"] == "quiz_answered"]  # fmt: skip
    assert answers == [("quiz-1", "cf login -p ***", False), ("quiz-1", "pwd", True),
                       ("quiz-2", "1, 3", True)]  # fmt: skip
    response = HTTP.get(classroom_server.url + "/api/export.csv?lesson=q",
                        headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    rows = list(csv.reader(io.StringIO(response.text)))
    ada_row = dict(zip(rows[0], next(r for r in rows if r[0] == "Ada Quizzed"), strict=True))
    assert ada_row["2. quiz-1"] == "right after 2 tries"
    assert ada_row["3. quiz-2"] == "revealed"


def test_a_quiz_answer_for_a_step_that_is_no_question_is_refused(
    classroom_server: ServerProcess,
) -> None:
    body = {"code": CODE, "name": "Eve Quizzed", "client_id": secrets.token_hex(10), "next_seq": 1}
    who = HTTP.post(classroom_server.url + "/api/join", json=body).json()
    assert "quiz_answered" in who["kinds"]
    url = f"{classroom_server.url}/api/learners/{who['learner_id']}/events"
    headers = {"Authorization": f"Bearer {who['token']}"}
    bad = quiz_event(step="q0", time=time.time())
    response = HTTP.post(url, json={"events": [bad]}, headers=headers)
    assert response.status_code == 422 and "'q0' is no quiz question" in response.text
    good = quiz_event(time=time.time())
    assert HTTP.post(url, json={"events": [good]}, headers=headers).json()["acked"] == 1


def test_the_terminal_view_counts_each_learners_right_answers() -> None:
    from workshop.classroom.watch import render

    revealed = ("hint_shown", 1, {"hint": "[solution] 1. bash; 3. zsh", "step": "quiz-2"})
    room = room_after(answer(False), answer(True), DONE, revealed, answer(True, step="quiz-2"))
    snapshot = room.snapshot(now=T0 + 5)
    snapshot["course"] = {"lessons": [{"id": "q", "steps": [
        {"id": "q0", "quiz": False}, {"id": "quiz-1", "quiz": True},
        {"id": "quiz-2", "quiz": True}]}]}  # fmt: skip
    ada = next(line for line in render(snapshot, "q").splitlines() if line.startswith("Ada"))
    assert "quiz 1/2 right, 1 revealed" in ada
    del snapshot["course"]  # an older server's room: no quiz column
    assert "quiz" not in next(x for x in render(snapshot, "q").splitlines() if x.startswith("Ada"))
