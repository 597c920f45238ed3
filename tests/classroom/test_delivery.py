"""Real reporters against the real server: every event arrives once, in order, whatever happens."""

from __future__ import annotations

from pathlib import Path

from classroom_support import CODE, HTTP, TOKEN, ServerProcess, wait_for

from workshop.classroom.reporter import SHARE_OFF, SHARE_ON, Reporter

LESSON = "L"
STEPS = ["target", "create-space", "push"]


def learner_id(server: ServerProcess, name: str) -> str:
    """The id of the learner called ``name`` (waits for them to join)."""

    def find() -> str | None:
        for learner in server.room()["learners"]:
            if learner["name"] == name:
                return str(learner["id"])
        return None

    return str(wait_for(find, 10, f"{name} to join"))


def assert_exactly(server: ServerProcess, lid: str, count: int) -> list[dict]:
    """The learner's stored events are seq 1..count, each once."""
    events = wait_for(lambda: (e := server.timeline(lid)) and len(e) >= count and e, 15,
                      f"{count} events")  # fmt: skip
    assert [e["seq"] for e in events] == list(range(1, count + 1))
    return events


def test_events_arrive_once_and_in_order(shared_server: ServerProcess) -> None:
    states: list[str] = []
    reporter = Reporter(shared_server.url, CODE, "Ada Delivered", on_state=states.append)
    reporter.start()
    reporter.report("joined", lesson=LESSON, step=STEPS[0], steps=STEPS)
    for step in STEPS:
        reporter.report("step_started", lesson=LESSON, step=step)
        reporter.report(
            "command_run", command=f"cf {step}", exit_code=0, output="secret output", attempt=True
        )
        reporter.report("check_failed", reason="not yet")
        reporter.report("command_run", command=f"cf {step} -f", exit_code=0, attempt=True)
        reporter.report("check_passed")
        reporter.report("step_completed")
    reporter.report("left")
    wait_for(lambda: reporter.pending == 0, 10, "the outbox to drain")
    reporter.close()
    lid = learner_id(shared_server, "Ada Delivered")
    events = assert_exactly(shared_server, lid, 2 + 6 * len(STEPS))
    kinds = [e["kind"] for e in events]
    assert kinds[:3] == ["joined", "step_started", "command_run"] and kinds[-1] == "left"
    assert all(e["lesson"] == LESSON for e in events)
    assert events[3]["step"] == "target" and events[3]["reason"] == "not yet"
    # output is kept only when the instructor enabled it (here: not)
    assert all("output" not in e for e in events)
    assert "online" in states
    room = shared_server.room()
    cells = next(lr for lr in room["learners"] if lr["id"] == lid)["cells"][LESSON]
    assert {s: c["status"] for s, c in cells.items()} == dict.fromkeys(STEPS, "done")
    assert cells["push"]["attempts"] == 2
    assert room["lessons"][LESSON][:3] == STEPS  # the served workshop's, in its order


def test_kill_9_mid_stream_loses_and_doubles_nothing(classroom_server: ServerProcess) -> None:
    names = ["Grace", "Hedy", "Radia"]
    total = 240
    reporters = [Reporter(classroom_server.url, CODE, name) for name in names]
    for reporter in reporters:
        reporter.min_backoff = reporter.max_backoff = 0.1
        reporter.batch_size = 4  # many small requests: the kills land mid-stream
        for i in range(total):
            reporter.report("command_run", lesson=LESSON, step="push", command=f"echo {i}",
                            exit_code=0)  # fmt: skip
    for reporter in reporters:
        reporter.start()

    def pending() -> int:
        return sum(r.pending for r in reporters)

    for left in (2 * len(names) * total // 3, len(names) * total // 3):
        wait_for(lambda left=left: pending() <= left, 15, f"{left} events left to send")
        classroom_server.kill()  # some batches acked, one in flight per learner, the rest queued
        assert 0 < pending()
        classroom_server.start()  # same port, same database
    for reporter in reporters:
        reporter.report("left")  # and the learners keep working
        wait_for(lambda r=reporter: r.pending == 0, 15, "the outbox to drain after restarts")
        reporter.close()
    for name in names:
        events = assert_exactly(classroom_server, learner_id(classroom_server, name), total + 1)
        assert [e["command"] for e in events[:-1]] == [f"echo {i}" for i in range(total)]


def test_network_drop_then_outbox_drains(classroom_server: ServerProcess, tmp_path: Path) -> None:
    states: list[str] = []
    reporter = Reporter(classroom_server.url, CODE, "Linus", on_state=states.append)
    reporter.min_backoff = reporter.max_backoff = 0.1
    reporter.start()
    reporter.report("joined", lesson=LESSON, step="target")
    wait_for(lambda: reporter.pending == 0, 10, "the first event to be acked")
    classroom_server.stop()
    for i in range(20):  # the learner keeps working while the server is gone
        reporter.report("command_run", command=f"cf target {i}", exit_code=1)
    wait_for(lambda: reporter.state == "offline", 10, "the reporter to notice")
    assert reporter.pending == 20
    classroom_server.start()
    wait_for(lambda: reporter.pending == 0, 15, "the outbox to drain")
    assert reporter.state == "online"
    reporter.close()
    lid = learner_id(classroom_server, "Linus")
    assert_exactly(classroom_server, lid, 21)
    assert states[:3] == ["online", "offline", "online"]


def test_runner_restart_keeps_numbering_and_identity(shared_server: ServerProcess) -> None:
    first = Reporter(shared_server.url, CODE, "Barbara")
    first.report("joined", lesson=LESSON, step="target")  # queued before start: offline-first
    first.start()
    first.report("step_started")
    first.close(flush_timeout=5)
    second = Reporter(shared_server.url, CODE, "Barbara")  # same outbox: same learner
    second.start()
    second.report("check_passed")
    wait_for(lambda: second.pending == 0, 10, "the outbox to drain")
    second.close()
    room = shared_server.room()
    assert len([lr for lr in room["learners"] if lr["name"] == "Barbara"]) == 1
    events = assert_exactly(shared_server, learner_id(shared_server, "Barbara"), 3)
    assert [e["step"] for e in events] == ["target"] * 3


def test_wrong_code_is_rejected_with_a_clear_state(shared_server: ServerProcess) -> None:
    states: list[str] = []
    reporter = Reporter(shared_server.url, "NOPE", "Eve", on_state=states.append)
    reporter.start()
    reporter.report("joined")
    wait_for(lambda: reporter.state.startswith("rejected"), 10, "the rejection")
    assert "wrong join code" in reporter.state
    assert reporter.pending == 1  # kept: nothing is lost if the code is fixed later
    reporter.close(flush_timeout=0.1)
    assert all(lr["name"] != "Eve" for lr in shared_server.room()["learners"])


def test_broadcast_and_share_output_reach_the_reporter(shared_server: ServerProcess) -> None:
    received: list[str] = []
    reporter = Reporter(shared_server.url, CODE, "Ken", on_broadcast=received.append)
    reporter.start()
    reporter.report("joined", lesson=LESSON, step="target")
    wait_for(lambda: reporter.state == "online", 10, "online")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = HTTP.post(shared_server.url + "/api/settings", json={"share_output": True}, headers=auth)
    assert r.status_code == 200
    r = HTTP.post(shared_server.url + "/api/broadcast", json={"text": "Break: 10 min"},
                   headers=auth)  # fmt: skip
    assert r.status_code == 200
    wait_for(lambda: "Break: 10 min" in received, 10, "the broadcast")
    try:
        wait_for(lambda: reporter.share_output, 10, "the setting to reach the reporter")
        # the learner is told, the way broadcasts reach them (TUI and line mode alike)
        wait_for(lambda: SHARE_ON in received, 10, "the learner to be told")
        reporter.report(
            "command_run", command="cf apps", exit_code=0, output="name state\nstock up"
        )
        wait_for(lambda: reporter.pending == 0, 10, "the outbox to drain")
    finally:
        HTTP.post(shared_server.url + "/api/settings", json={"share_output": False}, headers=auth)
    wait_for(lambda: received[-1] == SHARE_OFF, 10, "the learner to be told it stopped")
    assert received.count(SHARE_ON) == 1
    reporter.close()
    lid = learner_id(shared_server, "Ken")
    events = shared_server.timeline(lid)
    assert events[-1]["output"] == "name state\nstock up"


def test_a_new_classroom_database_is_joined_again(
    classroom_server: ServerProcess, tmp_path: Path
) -> None:
    received: list[str] = []
    reporter = Reporter(classroom_server.url, CODE, "Margaret", on_broadcast=received.append)
    reporter.min_backoff = reporter.max_backoff = 0.1
    reporter.start()
    for step in ("s1", "s2", "s3"):
        reporter.report("step_started", lesson=LESSON, step=step)
    wait_for(lambda: reporter.pending == 0, 10, "the first events")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    HTTP.post(classroom_server.url + "/api/broadcast", json={"text": "old room"}, headers=auth)
    HTTP.post(classroom_server.url + "/api/broadcast", json={"text": "old room 2"}, headers=auth)
    wait_for(lambda: len(received) == 2, 10, "the old room's broadcasts")
    # the instructor starts over on a fresh database, same address
    classroom_server.stop()
    classroom_server.db = tmp_path / "fresh.sqlite3"
    classroom_server.start()
    reporter.report("step_completed")
    wait_for(lambda: reporter.pending == 0 and reporter.state == "online", 15, "delivery")
    lid = learner_id(classroom_server, "Margaret")
    assert [(e["seq"], e["kind"]) for e in classroom_server.timeline(lid)] == [
        (4, "step_completed")
    ]
    HTTP.post(classroom_server.url + "/api/broadcast", json={"text": "new room"}, headers=auth)
    wait_for(lambda: received[-1:] == ["new room"], 10, "the new room's broadcast")
    reporter.close()


def test_a_restart_reads_the_learners_summaries_not_every_event(
    classroom_server: ServerProcess,
) -> None:
    import sqlite3

    reporter = Reporter(classroom_server.url, CODE, "Sum")
    reporter.start()
    reporter.report("step_started", lesson=LESSON, step="target")
    reporter.report("command_run", lesson=LESSON, step="target", command="cf target",
                    exit_code=0, attempt=True)  # fmt: skip
    reporter.report("step_completed", lesson=LESSON, step="target")
    wait_for(lambda: reporter.pending == 0, 10, "the outbox to drain")
    reporter.close()
    lid = learner_id(classroom_server, "Sum")
    before = next(lr for lr in classroom_server.room()["learners"] if lr["id"] == lid)
    classroom_server.stop()  # saves the summaries
    with sqlite3.connect(classroom_server.db) as db:
        assert db.execute("SELECT upto_seq FROM summaries").fetchall() == [(3,)]
        db.execute("DELETE FROM events")  # what start-up would replay, were it to
    classroom_server.start()
    after = next(lr for lr in classroom_server.room()["learners"] if lr["id"] == lid)
    assert after["cells"] == before["cells"] and after["last_seq"] == 3
    assert after["cells"][LESSON]["target"]["status"] == "done"
