"""The room summary: grid cells, stuck radar, help queue, funnel (pure logic, fixed clocks)."""

from __future__ import annotations

from typing import Any

from workshop.classroom.room import Room
from workshop.classroom.watch import render

T0 = 1_764_000_000.0
STEPS = ["s1", "s2", "s3"]
LONG = 10**6  # offline_after for tests about other things: nobody goes offline


def new_room(**kwargs: Any) -> Room:
    """A room of lesson ``L`` (steps s1..s3) in which nobody goes offline by default."""
    return Room({"L": STEPS}, **{"offline_after": LONG, **kwargs})


class Feed:
    """Builds events for one learner with increasing seq."""

    def __init__(self, room: Room, learner_id: str, name: str):
        self.room, self.id, self.seq = room, learner_id, 0
        room.add_learner(learner_id, name, T0)

    def __call__(self, kind: str, at: float, step: str = "s1", **fields: Any) -> None:
        self.seq += 1
        event = {"learner": self.id, "seq": self.seq, "kind": kind, "time": T0 + at,
                 "received_at": T0 + at, "lesson": "L", "step": step, **fields}  # fmt: skip
        self.room.apply(event)


def test_cells_follow_a_learner_through_a_step() -> None:
    room = new_room()
    ada = Feed(room, "a", "Ada")
    ada("joined", 0, steps=STEPS)
    ada("step_started", 1)
    ada("command_run", 2, command="cf target", attempt=True)
    ada("check_failed", 3, reason="no")
    cell = room.learners["a"].cells["L"]["s1"]
    assert (cell.status, cell.attempts, cell.commands) == ("failing", 1, 1)
    ada("command_run", 3.5, command="clear", attempt=False)  # no attempt at the step
    ada("command_run", 3.6, command="cf target -s s1", attempt=True)
    ada("check_passed", 4)
    ada("step_completed", 5)
    assert (cell.status, cell.attempts) == ("done", 2)
    ada("step_started", 6, step="s2")
    assert room.learners["a"].step == "s2"
    assert room.lessons == {"L": STEPS}
    # replays and stale events change nothing
    room.apply({"learner": "a", "seq": 1, "kind": "left", "time": T0, "lesson": "", "step": ""})
    assert not room.learners["a"].left


def test_three_failed_checks_in_a_row_is_stuck() -> None:
    room = new_room()
    bob = Feed(room, "b", "Bob")
    bob("step_started", 0)
    for i in range(2):
        bob("check_failed", 1 + i)
    assert room.radar(now=T0 + 5)["stuck"] == []
    bob("check_error", 4, reason="timeout")
    stuck = room.radar(now=T0 + 5)["stuck"]
    assert [s["id"] for s in stuck] == ["b"] and "3 failed checks" in stuck[0]["reason"]
    bob("check_passed", 6)
    assert room.radar(now=T0 + 7)["stuck"] == []


def test_far_longer_than_the_room_median_is_stuck() -> None:
    room = new_room(min_stuck_seconds=60)
    slow = Feed(room, "slow", "Slow")
    slow("step_started", 0, step="s2")
    for i in range(4):  # four others finished s2 in about 100 s each
        other = Feed(room, f"o{i}", f"Other {i}")
        other("step_started", 0, step="s2")
        other("step_completed", 100 + i, step="s2")
    assert room.radar(now=T0 + 250)["stuck"] == []
    stuck = room.radar(now=T0 + 320)["stuck"]
    assert [s["id"] for s in stuck] == ["slow"]
    assert "room median 101 s" in stuck[0]["reason"]
    # without completions, the median of everyone's time on their current step is used
    room2 = new_room(min_stuck_seconds=60)
    for i, start in enumerate([300, 290, 280, 0]):
        feed = Feed(room2, f"p{i}", f"P{i}")
        feed("step_started", start)
        feed("command_run", start, command="cf target", attempt=True)
    assert [s["id"] for s in room2.radar(now=T0 + 320)["stuck"]] == ["p3"]


def test_help_queue_and_funnel() -> None:
    room = new_room()
    a, b = Feed(room, "a", "Ada"), Feed(room, "b", "Bob")
    a("joined", 0, steps=STEPS)
    a("step_started", 1)
    a("step_completed", 2)
    a("step_started", 3, step="s2")
    a("help_requested", 4, step="s2", message="push fails")
    b("step_started", 5)
    b("help_requested", 6, message="?")
    radar = room.radar(now=T0 + 10)
    assert [h["id"] for h in radar["help"]] == ["a", "b"]
    assert radar["help"][0]["message"] == "push fails"
    assert radar["funnel"] == [
        {"step": "s1", "started": 2, "completed": 1},
        {"step": "s2", "started": 1, "completed": 0},
        {"step": "s3", "started": 0, "completed": 0},
    ]
    assert room.resolve_help("b", upto_seq=99)
    a("step_completed", 11, step="s2")  # finishing the step closes its help request
    assert room.radar(now=T0 + 12)["help"] == []


def test_watch_renders_grid_stuck_and_help() -> None:
    room = new_room()
    a, b = Feed(room, "a", "Ada"), Feed(room, "b", "Bob <b>")
    a("joined", 0, steps=STEPS)
    a("step_started", 1)
    a("step_completed", 2)
    b("step_started", 3)
    for i in range(3):
        b("command_run", 4 + i, command="cf target", attempt=True)
        b("check_failed", 4.5 + i)
    b("help_requested", 8, message="help\x1b[2J")
    text = render(room.snapshot(now=T0 + 10))
    lines = text.splitlines()
    assert lines[0].startswith("Classroom — lesson L — 2 learner(s)")
    ada = next(line for line in lines if line.startswith("Ada"))
    bob = next(line for line in lines if line.startswith("Bob <b>"))
    assert "✓" in ada and "✗3" in bob and "STUCK" in bob and "HELP" in bob
    assert "Stuck (1):" in text and "3 failed checks in a row" in text
    assert "\x1b" not in text  # control characters from learners never reach the terminal


def test_watch_names_steps_and_lessons_by_their_titles() -> None:
    """``classroom watch`` reads the course's titles as the dashboard does: the steps'
    header, the help queue and the funnel (which counts the room's lesson, and says so)."""
    room = new_room()
    a = Feed(room, "a", "Ada")
    a("joined", 0, steps=STEPS)
    a("step_started", 1)
    a("help_requested", 2, message="lost")
    snapshot = room.snapshot(now=T0 + 10)
    snapshot["course"] = {"lessons": [{"id": "L", "title": "Dev/prod parity", "steps": [
        {"id": step, "title": f"Do {step}"} for step in STEPS]}]}  # fmt: skip
    text = render(snapshot)
    assert text.splitlines()[0].startswith("Classroom — lesson Dev/prod parity — 1 learner(s)")
    assert text.splitlines()[1] == "Steps: 1 Do s1  2 Do s2  3 Do s3"
    assert "  Ada on Do s1 (waiting" in text
    assert (
        "Funnel of Dev/prod parity, the room's lesson (learners done of those who started,"
        " as on the dashboard):" in text
    )
    assert "   1 Do s1" in text and "   0 of 1    done" in text


def test_times_are_the_servers_not_the_learners_clock() -> None:
    room = new_room(min_stuck_seconds=60)
    Feed(room, "late", "Clock an hour behind")
    for i in range(4):  # others finish in 100 s
        other = Feed(room, f"o{i}", f"O{i}")
        other("step_started", 0)
        other("step_completed", 100)
    # the learner's clock says an hour ago; the server received the events just now
    room.apply({"learner": "late", "seq": 1, "kind": "step_started", "time": T0 + 200 - 3600,
                "received_at": T0 + 200, "lesson": "L", "step": "s1"})  # fmt: skip
    # then their clock jumps forward a day: still the server's time counts
    room.apply({"learner": "late", "seq": 2, "kind": "check_failed", "time": T0 + 86400,
                "received_at": T0 + 230, "lesson": "L", "step": "s1"})  # fmt: skip
    assert room.learners["late"].step_since == T0 + 200
    assert room.learners["late"].last_seen == T0 + 230
    assert room.radar(now=T0 + 250)["stuck"] == []


def test_a_silent_learner_goes_offline_and_is_not_stuck() -> None:
    room = Room({"L": STEPS}, offline_after=30, min_stuck_seconds=60)
    ada = Feed(room, "a", "Ada")
    ada("step_started", 0)
    ada("command_run", 1, command="cf target", attempt=True)
    assert room.learner_json("a", now=T0 + 20)["online"] is True  # type: ignore[index]
    gone = room.learner_json("a", now=T0 + 40)
    assert gone is not None and gone["online"] is False and gone["last_seen"] == T0 + 1
    assert room.radar(now=T0 + 900)["stuck"] == []  # offline is shown as such, not as stuck
    assert room.radar(now=T0 + 900)["counts"]["online"] == 0
    room.contact("a", T0 + 899, polls=1)  # a long poll is open: connected, however long
    assert room.learner_json("a", now=T0 + 2000)["online"] is True  # type: ignore[index]
    room.contact("a", T0 + 2000, polls=-1)
    assert room.learner_json("a", now=T0 + 2031)["online"] is False  # type: ignore[index]


def test_joiners_who_do_nothing_do_not_drag_the_median_down() -> None:
    room = new_room(min_stuck_seconds=60)
    for i in range(3):  # three real learners, 200 s into the step, working
        real = Feed(room, f"r{i}", f"R{i}")
        real("step_started", 0)
        real("command_run", 10, command="cf target", attempt=True)
    for i in range(20):  # twenty fake joiners, just arrived on the same step
        Feed(room, f"f{i}", f"F{i}")("step_started", 199)
    radar = room.radar(now=T0 + 200)
    assert radar["median_on_step"] == 200.0
    assert radar["stuck"] == []


def test_failure_streak_and_last_failure_survive_a_runner_restart() -> None:
    room = new_room()
    bob = Feed(room, "b", "Bob")
    bob("step_started", 0)
    for i in range(2):
        bob("command_run", 1 + i, command="cf create-space dev", attempt=True)
        bob("check_failed", 1.5 + i, reason="no space named development")
    bob("joined", 5)  # the runner restarts on the same step
    bob("step_started", 5)
    bob("command_run", 6, command="cf create-space devel", attempt=True)
    bob("check_failed", 7, reason="no space named development")
    assert room.learners["b"].step_since == T0 + 0
    (stuck,) = room.radar(now=T0 + 8)["stuck"]
    assert "3 failed checks in a row" in stuck["reason"]
    assert stuck["last_command"] == "cf create-space devel"
    assert stuck["last_reason"] == "no space named development"


def test_finished_count() -> None:
    room = new_room()
    ada, bob = Feed(room, "a", "Ada"), Feed(room, "b", "Bob")
    for step in STEPS:
        ada("step_started", 1, step=step)
        ada("step_completed" if step != "s2" else "step_skipped", 2, step=step)
    bob("step_started", 1)
    assert room.radar(now=T0 + 3)["counts"] == {"joined": 2, "online": 2, "finished": 1}


def test_watch_sanitises_numbers_steps_and_keeps_its_header() -> None:
    room = new_room()
    evil = Feed(room, "e", "Eve\x9b2J\u202e\u200bgnirts")  # C1 CSI, bidi override, zero-width
    evil("step_started", 0, step="s2")
    for i in range(60):
        Feed(room, f"l{i:02}", f"Learner {i:02}")("step_started", 1)
    Feed(room, "h", "Hal")("help_requested", 2, message="push\x85fails")
    text = render(room.snapshot(now=T0 + 10), height=30)
    lines = text.splitlines()
    assert len(lines) == 30
    assert lines[0].startswith("Classroom — lesson L — 62 learner(s)")
    assert lines[1] == "Steps: 1 s1  2 s2  3 s3"
    assert lines[2].split()[:4] == ["contact", "1", "2", "3"]
    assert lines[3].startswith("Hal")  # a raised hand first
    assert lines[-1].startswith("… and ") and lines[-1].endswith(" more")
    full = render(room.snapshot(now=T0 + 10))
    assert "Eve2Jgnirts" in full
    assert not any(ord(ch) < 32 and ch != "\n" or 0x7F <= ord(ch) <= 0x9F for ch in full)
    assert "\u202e" not in full and "\u200b" not in full
    assert "waiting 8 s" in full


def brute_force_funnel(room: Room) -> list[dict[str, Any]]:
    """The funnel recomputed over every learner's cells (what the indexes must equal)."""
    out = []
    for step in STEPS:
        cells = [s.cells.get("L", {}).get(step) for s in room.learners.values()]
        out.append({"step": step, "started": sum(1 for c in cells if c is not None),
                    "completed": sum(1 for c in cells if c and c.status in ("done", "skipped"))})  # fmt: skip
    return out


def test_the_radar_s_indexes_follow_every_change_and_survive_a_summary() -> None:
    import random

    rng = random.Random(7)
    room = new_room()
    feeds = [Feed(room, f"l{i}", f"N{i}") for i in range(40)]
    kinds = ["step_started", "command_run", "check_failed", "check_passed", "step_completed",
             "step_skipped", "hint_shown"]  # fmt: skip
    for t in range(600):
        rng.choice(feeds)(rng.choice(kinds), float(t), step=rng.choice(STEPS))
        if t % 150 == 149:
            room.remove(f"l{t // 150}")
    assert room.radar(T0 + 600)["funnel"] == brute_force_funnel(room)
    for state in room.learners.values():
        for step, cell in state.cells.get("L", {}).items():
            if cell.completed_at is not None:
                assert room._done[("L", step)][state.id] == cell.completed_at - cell.started_at
    # a room rebuilt from the learners' summaries shows the same
    again = new_room()
    for state in room.learners.values():
        again.restore(type(state).restore(state.dump()))
    assert again.snapshot(T0 + 600) == room.snapshot(T0 + 600)


def test_a_learner_who_left_is_not_online_nor_sharing_a_screen() -> None:
    """A learner whose runner said goodbye is offline at once (not for the next 30 s), and a
    screen shared before leaving is no longer offered to the instructor."""
    room = Room({"L": STEPS}, offline_after=30)
    ada = Feed(room, "a", "Ada")
    ada("step_started", 0)
    room.learners["a"].sharing = "live"
    ada("left", 1)
    gone = room.learner_json("a", now=T0 + 2)
    assert gone is not None and gone["left"] is True
    assert gone["online"] is False and gone["sharing"] != "live"
    ada("joined", 3)  # back again: online, and sharing only when the screen says so
    back = room.learner_json("a", now=T0 + 4)
    assert back is not None and back["online"] is True
