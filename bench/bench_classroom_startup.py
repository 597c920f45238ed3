"""Classroom start-up on a big room: replaying every stored event vs the saved summaries.

Fills a SQLite room with ``--learners`` learners of ``--events`` events each, then times
building the server's room (``Classroom``) twice in the same run: first with no summaries
(every event replayed, as a database of an older version starts), then from the learners'
saved summaries, and checks both show the same room. Prints both times and their ratio.

    .venv/bin/python bench/bench_classroom_startup.py --learners 1000 --events 300
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from workshop import paths
from workshop.classroom.course import load_course
from workshop.classroom.server import Classroom
from workshop.classroom.sqlite_store import SQLiteStore

KINDS = ["step_started", "command_run", "check_failed", "check_passed", "step_completed"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--events", type=int, default=300, help="events per learner")
    args = parser.parse_args()
    course = load_course(paths.bundled_workshop())
    lesson, steps = next(iter(course.steps().items()))
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        store = SQLiteStore(Path(tmp) / "classroom.sqlite3")
        now = time.time()
        for i in range(args.learners):
            learner = store.join(f"client-{i:08d}-bench", f"learner {i}", 1, now)
            store.append(learner.id, [
                {"seq": s, "kind": KINDS[s % 5], "lesson": lesson, "time": now,
                 "step": steps[(s // 5) % len(steps)], "command": "cf push"}
                for s in range(1, args.events + 1)], now)  # fmt: skip
        started = time.perf_counter()
        replayed = Classroom(store, "CODE", "bench-token", course)
        full = time.perf_counter() - started
        store.save_summaries(replayed.summary_rows())
        started = time.perf_counter()
        summarised = Classroom(store, "CODE", "bench-token", course)
        fast = time.perf_counter() - started
        same = summarised.room.snapshot(now) == replayed.room.snapshot(now)
        print(f"classroom start-up, {args.learners} learners × {args.events} events "
              f"({store.count_events()} stored, SQLite):")  # fmt: skip
        print(f"  replaying every event:     {full:6.2f} s (the baseline)")
        print(f"  from the saved summaries:  {fast:6.2f} s ({fast / full:.3f}× the baseline)")
        print(f"  the same room both ways:   {'yes' if same else 'NO'}")
        store.close()
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
