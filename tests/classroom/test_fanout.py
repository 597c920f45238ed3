"""An instance that falls behind the others holds bounded state and then catches up.

The changes other instances commit arrive on the store's thread faster than a busy event
loop applies them. What waits is bounded whatever the rate: the highest seq heard per
learner, and a bounded list of other changes past which the instance reads everything
again from the database. Nothing is lost either way.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from classroom_support import COURSE

from workshop.classroom.course import load_course
from workshop.classroom.fanout import Fanout
from workshop.classroom.server import Classroom
from workshop.classroom.sqlite_store import SQLiteStore
from workshop.classroom.store import Change


def test_changes_heard_while_the_loop_is_busy_are_bounded_then_applied(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "classroom.sqlite3")
    other = SQLiteStore(tmp_path / "classroom.sqlite3")  # another instance on the database
    learners = [other.join(f"client-{i}", f"L{i}", 1, 1.0) for i in range(5)]
    classroom = Classroom(store, "CODE", "token", load_course(COURSE))

    async def scenario() -> tuple[int, int, dict[str, int], int]:
        fanout = Fanout(classroom, max_changes=100)
        for learner in learners:  # stored by the other instance, then heard of
            other.append(learner.id, [{"seq": s, "kind": "command_run", "lesson": "L",
                                       "step": "push", "time": 2.0} for s in range(1, 301)], 3.0)  # fmt: skip
        sent = [other.add_broadcast(f"b{i}", 4.0) for i in range(3)]

        def flood() -> None:  # the listening thread, 30,000 notifications
            for seq in range(1, 301):
                for learner in learners:
                    fanout._heard(Change("events", learner.id, seq))
                for i in range(80):
                    fanout._heard(Change("broadcast", None, sent[i % 3].id))

        thread = threading.Thread(target=flood)
        thread.start()
        time.sleep(0.5)  # the event loop is busy meanwhile (blocked)
        thread.join()
        waiting = fanout.pending()
        resync_asked = fanout._resync
        for _ in range(1000):  # up to 20 s on a loaded machine; done as soon as it holds
            await asyncio.sleep(0.02)
            if classroom.last_broadcast == 3 and all(  # both applied, in either order
                classroom.room.learners[lr.id].last_seq == 300 for lr in learners
            ):
                break
        fanout.close()
        seqs = {lid: s.last_seq for lid, s in classroom.room.learners.items()}
        return waiting, int(resync_asked), seqs, classroom.last_broadcast

    waiting, resync_asked, seqs, last_broadcast = asyncio.run(scenario())
    assert waiting <= len(learners) + 100  # one entry per learner, 100 other changes at most
    assert resync_asked == 1  # past the bound: everything is read again
    assert seqs == {lr.id: 300 for lr in learners}
    assert last_broadcast == 3
    store.close()
    other.close()


def test_events_heard_of_are_read_in_pages_until_every_learner_is_complete(
    tmp_path: Path,
) -> None:
    store = SQLiteStore(tmp_path / "classroom.sqlite3")
    other = SQLiteStore(tmp_path / "classroom.sqlite3")
    learners = [other.join(f"client-{i}", f"L{i}", 1, 1.0) for i in range(5)]
    classroom = Classroom(store, "CODE", "token", load_course(COURSE))

    async def scenario() -> dict[str, int]:
        fanout = Fanout(classroom, page=50)  # 1,500 events: 30 pages, most of them cut short
        for learner in learners:
            other.append(learner.id, [{"seq": s, "kind": "command_run", "lesson": "L",
                                       "step": "push", "time": 2.0} for s in range(1, 301)], 3.0)  # fmt: skip
            fanout._heard(Change("events", learner.id, 300))
        for _ in range(1000):  # up to 20 s on a loaded machine; done as soon as it holds
            await asyncio.sleep(0.02)
            if all(classroom.room.learners[lr.id].last_seq == 300 for lr in learners):
                break
        fanout.close()
        return {lid: s.last_seq for lid, s in classroom.room.learners.items()}

    assert asyncio.run(scenario()) == {lr.id: 300 for lr in learners}
    store.close()
    other.close()


def test_a_room_joining_through_another_instance_is_read_at_once(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "classroom.sqlite3")
    other = SQLiteStore(tmp_path / "classroom.sqlite3")
    classroom = Classroom(store, "CODE", "token", load_course(COURSE))

    async def scenario() -> tuple[bool, int, dict[str, tuple[str, int]]]:
        fanout = Fanout(classroom, max_changes=100)
        joined = [other.join(f"client-{i}", f"J{i}", 5 if i == 0 else 1, 1.0) for i in range(300)]
        other.append(joined[1].id, [{"seq": 1, "kind": "command_run", "lesson": "L",
                                     "step": "push", "time": 2.0}], 3.0)  # fmt: skip
        gone = joined[2].id
        other.remove(gone)
        for _ in range(3):  # each heard several times (joined, then renamed, ...)
            for learner in joined:
                fanout._heard(Change("learner", learner.id))
        resync_asked, waiting = fanout._resync, fanout.pending()
        for _ in range(1000):  # up to 20 s on a loaded machine; done as soon as it holds
            await asyncio.sleep(0.02)
            room = classroom.room.learners
            if len(room) == 299 and (  # the learners, and what they had reported, both read
                room[joined[0].id].last_seq,
                room[joined[1].id].last_seq,
            ) == (4, 1):
                break
        fanout.close()
        seen = {lid: (s.name, s.last_seq) for lid, s in classroom.room.learners.items()}
        return resync_asked, waiting, seen

    resync_asked, waiting, seen = asyncio.run(scenario())
    assert not resync_asked and waiting <= 300  # one entry per learner, no resync storm
    assert len(seen) == 299 and all(name.startswith("J") for name, _ in seen.values())
    lids = sorted(seen, key=lambda lid: int(seen[lid][0][1:]))
    assert seen[lids[0]][1] == 4 and seen[lids[1]][1] == 1  # joined at seq 5; one event
    store.close()
    other.close()
