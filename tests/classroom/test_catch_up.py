"""Progress made before joining a classroom: the ``caught_up`` event.

A learner who passed steps offline (or in an earlier run) and then joins a classroom must not
show as "not started" on those steps. The session tells the reporter what is finished; the
reporter sends it once per run, after the join, to a classroom that takes it; the room marks
those cells finished without a time of their own. The protocol and the room are pure logic;
the rest runs against a real server on loopback serving the test course (lessons ``L``,
``l1``, ``q``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from classroom_support import CODE, ServerProcess, wait_for

from workshop.classroom import protocol
from workshop.classroom.reporter import Reporter
from workshop.classroom.room import DONE, SKIPPED, Room
from workshop.engine import events as ev
from workshop.engine.recorders import ClassroomFeed

T0 = 1_764_000_000.0


def caught_up(**fields: Any) -> dict[str, Any]:
    base = {"seq": 1, "kind": "caught_up", "time": T0, "lesson": "q", "step": "q0",
            "done": ["L/a", "q/q0"], "skipped": ["L/b"]}  # fmt: skip
    return {**base, **fields}


def test_the_event_is_validated_and_every_item_is_a_lesson_and_step() -> None:
    assert protocol.validate_event(caught_up())["done"] == ["L/a", "q/q0"]
    for broken in ({"done": "L/a"}, {"done": ["L"]}, {"skipped": ["/a"]}, {"done": [3]}):
        with pytest.raises(protocol.ProtocolError):
            protocol.validate_event(caught_up(**broken))
    with pytest.raises(protocol.ProtocolError, match="is required for caught_up"):
        protocol.validate_event({k: v for k, v in caught_up().items() if k != "done"})
    assert "caught_up" not in protocol.BASE_KINDS  # sent only to a server that takes it


def test_the_room_marks_the_steps_finished_without_times_of_their_own() -> None:
    room = Room({"L": ["a", "b", "c"], "q": ["q0"]}, offline_after=10**6)
    room.add_learner("x", "Ada", T0)
    room.apply({**caught_up(), "learner": "x", "received_at": T0})
    cells = room.learners["x"].cells
    assert cells["L"]["a"].status == DONE and cells["L"]["b"].status == SKIPPED
    assert cells["L"]["a"].completed_at is None  # not in the room's durations
    assert "c" not in cells["L"]
    funnel = room.radar(now=T0)["funnel"]
    assert funnel, "the room's lesson has a funnel"
    # a step finished since stays as the later event made it
    room.apply({"learner": "x", "seq": 2, "kind": "step_completed", "time": T0 + 5,
                "received_at": T0 + 5, "lesson": "L", "step": "c"})  # fmt: skip
    room.apply({**caught_up(seq=3, done=["L/c"], skipped=[]), "learner": "x",
                "received_at": T0 + 9})  # fmt: skip
    assert cells["L"]["c"].completed_at == T0 + 5


def test_progress_from_before_the_join_reaches_the_instructor_once(
    shared_server: ServerProcess, tmp_path: Path
) -> None:
    reporter = Reporter(shared_server.url, CODE, "Ada Caught Up", outbox_path=tmp_path / "outbox")
    reporter.min_backoff = reporter.max_backoff = 0.1
    feed = ClassroomFeed(reporter)
    try:
        # the session starts (it knows what was done) before the reporter has joined
        feed(
            ev.SessionStarted("l1", "s1", ("s1",), "Lesson l1", ("L/target", "nope/x"), ("L/push",))
        )
        reporter.start()
        wait_for(lambda: reporter.state == "online" and reporter.pending == 0, 10, "the join")
        room = shared_server.room()
        ada = next(x for x in room["learners"] if x["name"] == "Ada Caught Up")
        wait_for(
            lambda: any(e["kind"] == "caught_up" for e in shared_server.timeline(ada["id"])),
            10,
            "the caught_up event",
        )
        room = shared_server.room()
        ada = next(x for x in room["learners"] if x["name"] == "Ada Caught Up")
        assert ada["cells"]["L"]["target"]["status"] == "done"
        assert ada["cells"]["L"]["push"]["status"] == "skipped"
        assert "create-space" not in ada["cells"]["L"]
        assert (ada["lesson"], ada["step"]) == ("l1", "s1")  # the learner is where they are
        sent = [e for e in shared_server.timeline(ada["id"]) if e["kind"] == "caught_up"]
        assert [(e["done"], e["skipped"]) for e in sent] == [(["L/target"], ["L/push"])]  # the
        # lesson the classroom's workshop does not have is left out, and it is sent once
        reporter.catch_up(["L/target"], [])
        wait_for(lambda: reporter.pending == 0, 10, "the second summary")
        assert len([e for e in shared_server.timeline(ada["id"]) if e["kind"] == "caught_up"]) == 2
    finally:
        reporter.close()
