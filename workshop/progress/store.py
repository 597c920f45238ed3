"""``ProgressStore``: where a learner is, what they ran and what the checks said, in SQLite.

One database file (``workshop.paths.progress_db()`` by default) holds every workshop's
progress for a learner. It is written as things happen: each call below is one committed
transaction in WAL mode with ``synchronous=FULL``, so ``kill -9`` (or a power cut) loses
nothing a call has already returned from. The TUI writes from a worker thread while it
reads on the loop, so one connection is shared behind a lock; other processes (``workshop
progress``) can read at the same time thanks to WAL.

Step status is ``locked`` (never started: no row), ``current`` or ``passed``; ``attempts``
counts the learner's attempts at a step (commands that belong to it; see
``workshop.engine.lesson_progress``) and ``failures`` those of them that failed. Commands
are kept with bounded output (``MAX_OUTPUT`` characters, head and tail) as a history that
step and lesson resets leave in place.

Resets rewind in time: resetting a step makes it ``current`` again (what the learner did on it
stays counted) and returns the steps of its lesson started after it to ``locked`` (their
checks, hints and checkpoints go); given the mock folder, the mock state saved when the step
started is restored (see ``checkpoints``).
Each lesson's foundation as the learner left it is kept too (``save_lesson_state``), so that
coming back to a lesson puts its own state back.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop.progress import checkpoints
from workshop.progress.schema import migrate

if TYPE_CHECKING:
    from workshop.checking.result import CheckResult

DEFAULT_LEARNER = "local"
"""The learner of a single-user runner."""
MAX_OUTPUT = 64 * 1024
"""Characters of a command's output kept (the head and the tail)."""
LESSON_STATE = ""
"""The checkpoint "step" under which a lesson's foundation is kept when the learner leaves it."""


@dataclass
class StepProgress:
    """Where a learner stands on one step."""

    lesson: str
    step: str
    status: str
    """``locked``, ``current``, ``passed`` or ``skipped``."""
    attempts: int = 0
    started_at: float | None = None
    passed_at: float | None = None
    failures: int = 0
    """Attempts that failed (``attempts`` also counts a part-way round and the passing one)."""


@dataclass
class CommandRecord:
    """One command the learner ran, as recorded."""

    id: int
    lesson: str
    step: str
    command: str
    exit_code: int | None
    output: str
    """Bounded to ``MAX_OUTPUT`` characters; ``output_size`` is the original length."""
    output_size: int
    started_at: float | None
    finished_at: float


def _bound(text: str) -> str:
    if len(text) <= MAX_OUTPUT:
        return text
    half = MAX_OUTPUT // 2
    return f"{text[:half]}\n… [{len(text) - 2 * half} characters left out] …\n{text[-half:]}"


class ProgressStore:
    """A learner's progress in one SQLite file; every method is one committed transaction."""

    def __init__(self, path: Path | None = None, learner: str = DEFAULT_LEARNER) -> None:
        if path is None:
            from workshop.paths import progress_db

            path = progress_db()
        self.path = Path(path)
        self.learner = learner
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA busy_timeout = 30000")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")
        self._conn.execute("PRAGMA foreign_keys = ON")
        migrate(self._conn, self.path)

    # -- plumbing ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the database (further calls fail)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed before the caller's call returns."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    # -- steps and position -----------------------------------------------------------

    def start_step(self, workshop: str, lesson: str, step: str) -> None:
        """The learner is on ``step`` now: it becomes ``current`` (unless passed) and the position."""
        now = time.time()
        with self._write() as db:
            db.execute(
                """INSERT INTO steps (workshop, learner, lesson, step, status, started_at,
                       started_seq, updated_at)
                   VALUES (?, ?, ?, ?, 'current', ?,
                       (SELECT COALESCE(MAX(started_seq), 0) + 1 FROM steps
                        WHERE workshop = ? AND learner = ?), ?)
                   ON CONFLICT DO NOTHING""",
                (workshop, self.learner, lesson, step, now, workshop, self.learner, now),
            )
            self._set_position(db, workshop, lesson, step, now)

    def set_position(self, workshop: str, lesson: str, step: str) -> None:
        """Remember where the learner is looking (to resume there), without starting anything."""
        with self._write() as db:
            self._set_position(db, workshop, lesson, step, time.time())

    def _set_position(
        self, db: sqlite3.Connection, workshop: str, lesson: str, step: str, now: float
    ) -> None:
        db.execute(
            """INSERT INTO position (workshop, learner, lesson, step, updated_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (workshop, learner) DO UPDATE SET
                   lesson = excluded.lesson, step = excluded.step,
                   updated_at = excluded.updated_at""",
            (workshop, self.learner, lesson, step, now),
        )

    def position(self, workshop: str) -> tuple[str, str] | None:
        """``(lesson, step)`` to resume at, or None for a workshop never started."""
        rows = self._read(
            "SELECT lesson, step FROM position WHERE workshop = ? AND learner = ?",
            (workshop, self.learner),
        )
        return (rows[0]["lesson"], rows[0]["step"]) if rows else None

    def pass_step(self, workshop: str, lesson: str, step: str) -> None:
        """Mark ``step`` passed (for steps without checks: read, open a URL)."""
        now = time.time()
        with self._write() as db:
            self._ensure_step(db, workshop, lesson, step, now)
            db.execute(
                """UPDATE steps SET status = 'passed', passed_at = COALESCE(passed_at, ?),
                   updated_at = ? WHERE workshop = ? AND learner = ? AND lesson = ? AND step = ?""",
                (now, now, workshop, self.learner, lesson, step),
            )

    def skip_step(self, workshop: str, lesson: str, step: str) -> None:
        """Mark ``step`` skipped: the learner had its solve run for them (it is done, not
        passed)."""
        now = time.time()
        with self._write() as db:
            self._ensure_step(db, workshop, lesson, step, now)
            db.execute(
                """UPDATE steps SET status = 'skipped', passed_at = COALESCE(passed_at, ?),
                   updated_at = ? WHERE workshop = ? AND learner = ? AND lesson = ? AND step = ?
                   AND status != 'passed'""",
                (now, now, workshop, self.learner, lesson, step),
            )

    def _ensure_step(
        self, db: sqlite3.Connection, workshop: str, lesson: str, step: str, now: float
    ) -> None:
        db.execute(
            """INSERT INTO steps (workshop, learner, lesson, step, status, started_at,
                   started_seq, updated_at)
               VALUES (?, ?, ?, ?, 'current', ?,
                   (SELECT COALESCE(MAX(started_seq), 0) + 1 FROM steps
                    WHERE workshop = ? AND learner = ?), ?)
               ON CONFLICT DO NOTHING""",
            (workshop, self.learner, lesson, step, now, workshop, self.learner, now),
        )

    def step_status(self, workshop: str, lesson: str, step: str) -> StepProgress:
        """The learner's standing on one step (``locked`` when never started)."""
        rows = self._read(
            """SELECT lesson, step, status, attempts, started_at, passed_at, failures FROM steps
               WHERE workshop = ? AND learner = ? AND lesson = ? AND step = ?""",
            (workshop, self.learner, lesson, step),
        )
        if not rows:
            return StepProgress(lesson, step, "locked")
        return StepProgress(**dict(rows[0]))

    def steps(self, workshop: str) -> list[StepProgress]:
        """Every started step of ``workshop``, in the order the learner started them."""
        rows = self._read(
            """SELECT lesson, step, status, attempts, started_at, passed_at, failures FROM steps
               WHERE workshop = ? AND learner = ? ORDER BY started_seq""",
            (workshop, self.learner),
        )
        return [StepProgress(**dict(row)) for row in rows]

    # -- what happened ----------------------------------------------------------------

    def record_command(
        self,
        workshop: str,
        lesson: str,
        step: str,
        command: str,
        exit_code: int | None,
        output: str,
        started_at: float | None = None,
        finished_at: float | None = None,
    ) -> int:
        """Store a command the learner ran (output bounded); returns its id."""
        finished = time.time() if finished_at is None else finished_at
        with self._write() as db:
            cursor = db.execute(
                """INSERT INTO commands (workshop, learner, lesson, step, command, exit_code,
                       output, output_size, started_at, finished_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (workshop, self.learner, lesson, step, command, exit_code,
                 _bound(output), len(output), started_at, finished),
            )  # fmt: skip
            return int(cursor.lastrowid or 0)

    def commands(
        self, workshop: str, lesson: str | None = None, step: str | None = None
    ) -> list[CommandRecord]:
        """Recorded commands, oldest first, optionally of one lesson or one step."""
        sql = """SELECT id, lesson, step, command, exit_code, output, output_size, started_at,
                        finished_at FROM commands WHERE workshop = ? AND learner = ?"""
        args: list[Any] = [workshop, self.learner]
        if lesson is not None:
            sql += " AND lesson = ?"
            args.append(lesson)
        if step is not None:
            sql += " AND step = ?"
            args.append(step)
        return [CommandRecord(**dict(row)) for row in self._read(sql + " ORDER BY id", args)]

    def record_checks(
        self,
        workshop: str,
        lesson: str,
        step: str,
        results: Sequence[CheckResult],
        command_id: int | None = None,
        *,
        attempt: bool = True,
        failed: bool | None = None,
    ) -> bool:
        """Store one round of check results; passed when all pass or warn.

        ``attempt``: the round came from a command that belongs to the step (one more
        attempt); ``failed`` (default: not passed) counts it as a failed one too. Returns
        whether the step passed with this round (it stays passed afterwards).
        """
        now = time.time()
        passed = bool(results) and all(r.status in ("pass", "warn") for r in results)
        failure = (not passed if failed is None else failed) and attempt
        with self._write() as db:
            self._ensure_step(db, workshop, lesson, step, now)
            for r in results:
                db.execute(
                    """INSERT INTO checks (workshop, learner, lesson, step, command_id, kind,
                           status, reason, hint, duration, at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (workshop, self.learner, lesson, step, command_id, r.check.kind,
                     r.status, r.reason, r.hint, r.duration, now),
                )  # fmt: skip
            db.execute(
                """UPDATE steps SET attempts = attempts + ?, failures = failures + ?,
                       updated_at = ?, judged_at = ?,
                       status = CASE WHEN ? THEN 'passed' ELSE status END,
                       passed_at = CASE WHEN ? THEN COALESCE(passed_at, ?) ELSE passed_at END
                   WHERE workshop = ? AND learner = ? AND lesson = ? AND step = ?""",
                (
                    int(attempt),
                    int(failure),
                    now,
                    now,
                    passed,
                    passed,
                    now,
                    workshop,
                    self.learner,
                    lesson,
                    step,
                ),
            )
        return passed

    def check_results(self, workshop: str, lesson: str, step: str) -> list[dict[str, Any]]:
        """Stored check results of a step, oldest first (kind, status, reason, hint, …)."""
        rows = self._read(
            """SELECT command_id, kind, status, reason, hint, duration, at FROM checks
               WHERE workshop = ? AND learner = ? AND lesson = ? AND step = ? ORDER BY id""",
            (workshop, self.learner, lesson, step),
        )
        return [dict(row) for row in rows]

    def last_judged_at(self, workshop: str, lesson: str, step: str) -> float | None:
        """When a round of checks of the step was last stored (None: never)."""
        rows = self._read(
            """SELECT judged_at FROM steps WHERE workshop = ? AND learner = ? AND lesson = ?
               AND step = ?""",
            (workshop, self.learner, lesson, step),
        )
        return float(rows[0]["judged_at"]) if rows and rows[0]["judged_at"] is not None else None

    def record_hint(self, workshop: str, lesson: str, step: str, index: int, text: str) -> None:
        """Store that hint number ``index`` of a step was shown (``-1``: the solution)."""
        with self._write() as db:
            db.execute(
                """INSERT INTO hints (workshop, learner, lesson, step, hint_index, text, at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (workshop, self.learner, lesson, step, index, text, time.time()),
            )

    def hints_shown(self, workshop: str, lesson: str, step: str) -> list[int]:
        """Indexes of the hints shown for a step, first showing first, without repeats."""
        rows = self._read(
            """SELECT hint_index FROM hints WHERE workshop = ? AND learner = ? AND lesson = ?
               AND step = ? GROUP BY hint_index ORDER BY MIN(id)""",
            (workshop, self.learner, lesson, step),
        )
        return [int(row["hint_index"]) for row in rows]

    # -- checkpoints and resets --------------------------------------------------------

    def checkpoint(
        self, workshop: str, lesson: str, step: str, mock_dir: Path, *, replace: bool = False
    ) -> bool:
        """Save ``mock_dir``'s state as the start of ``step``; keeps an existing one unless
        ``replace``. Returns whether a checkpoint was written."""
        with self._lock:
            if not replace and self.has_checkpoint(workshop, lesson, step):
                return False
            snap = checkpoints.capture(Path(mock_dir))
            with self._write() as db:
                db.execute(
                    """INSERT OR REPLACE INTO checkpoints (workshop, learner, lesson, step,
                           state_json, files_tar, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (workshop, self.learner, lesson, step, snap.state_json, snap.files_tar,
                     time.time()),
                )  # fmt: skip
            return True

    def has_checkpoint(self, workshop: str, lesson: str, step: str) -> bool:
        """True when the mock state at the start of ``step`` was saved."""
        return bool(
            self._read(
                """SELECT 1 FROM checkpoints WHERE workshop = ? AND learner = ? AND lesson = ?
                   AND step = ?""",
                (workshop, self.learner, lesson, step),
            )
        )

    def restore(self, workshop: str, lesson: str, step: str, mock_dir: Path) -> bool:
        """Put the mock state saved at the start of ``step`` back; False when there is none."""
        rows = self._read(
            """SELECT state_json, files_tar FROM checkpoints WHERE workshop = ? AND learner = ?
               AND lesson = ? AND step = ?""",
            (workshop, self.learner, lesson, step),
        )
        if not rows:
            return False
        snap = checkpoints.Snapshot(rows[0]["state_json"], rows[0]["files_tar"])
        checkpoints.restore(Path(mock_dir), snap)
        return True

    def save_lesson_state(self, workshop: str, lesson: str, mock_dir: Path) -> None:
        """Keep ``mock_dir`` as ``lesson``'s foundation as the learner left it (replacing the
        one kept before): coming back to the lesson restores it."""
        self.checkpoint(workshop, lesson, LESSON_STATE, mock_dir, replace=True)

    def restore_lesson_state(self, workshop: str, lesson: str, mock_dir: Path) -> bool:
        """Put ``lesson``'s foundation as the learner left it back; False when none was kept."""
        return self.restore(workshop, lesson, LESSON_STATE, mock_dir)

    def reset_step(
        self, workshop: str, lesson: str, step: str, mock_dir: Path | None = None
    ) -> bool:
        """Rewind to the start of ``step``: it becomes ``current`` again (its attempts,
        failures and hints stay: they happened) and the steps of its lesson started after it
        become ``locked``; other lessons are untouched. Given ``mock_dir``, the mock state
        saved when the step started is restored (the lesson the learner was in keeps its own
        first, when it is another one). Returns whether the mock state was restored."""
        if mock_dir is not None:
            position = self.position(workshop)
            if (
                position is not None
                and position[0] != lesson
                and (mock_dir / "state.json").exists()
            ):
                self.save_lesson_state(workshop, position[0], mock_dir)
        restored = self.restore(workshop, lesson, step, mock_dir) if mock_dir else False
        rows = self._read(
            """SELECT started_seq FROM steps WHERE workshop = ? AND learner = ? AND lesson = ?
               AND step = ?""",
            (workshop, self.learner, lesson, step),
        )
        now = time.time()
        with self._write() as db:
            if rows and rows[0]["started_seq"] is not None:
                later = db.execute(
                    """SELECT step FROM steps WHERE workshop = ? AND learner = ? AND lesson = ?
                       AND started_seq > ?""",
                    (workshop, self.learner, lesson, rows[0]["started_seq"]),
                ).fetchall()
                for row in later:
                    for table in ("steps", "checks", "hints", "checkpoints"):
                        db.execute(
                            f"DELETE FROM {table} WHERE workshop = ? AND learner = ? "
                            "AND lesson = ? AND step = ?",
                            (workshop, self.learner, lesson, row["step"]),
                        )
            # the learner stands on the rewound step: current again, from now on
            self._ensure_step(db, workshop, lesson, step, now)
            db.execute(
                """UPDATE steps SET status = 'current', passed_at = NULL, started_at = ?,
                       updated_at = ?
                   WHERE workshop = ? AND learner = ? AND lesson = ? AND step = ?""",
                (now, now, workshop, self.learner, lesson, step),
            )
            self._set_position(db, workshop, lesson, step, now)
        return restored

    def reset_lesson(self, workshop: str, lesson: str, mock_dir: Path | None = None) -> bool:
        """Rewind to the start of ``lesson`` (its first started step; see ``reset_step``)."""
        rows = self._read(
            """SELECT step FROM steps WHERE workshop = ? AND learner = ? AND lesson = ?
               ORDER BY started_seq LIMIT 1""",
            (workshop, self.learner, lesson),
        )
        if not rows:
            rows = self._read(
                """SELECT step FROM checkpoints WHERE workshop = ? AND learner = ? AND lesson = ?
                   AND step != ? ORDER BY created_at LIMIT 1""",
                (workshop, self.learner, lesson, LESSON_STATE),
            )
            if not rows:
                return False
        restored = self.reset_step(workshop, lesson, rows[0]["step"], mock_dir)
        with self._write() as db:
            db.execute(
                """DELETE FROM checkpoints WHERE workshop = ? AND learner = ? AND lesson = ?
                   AND step = ?""",
                (workshop, self.learner, lesson, LESSON_STATE),
            )
        return restored

    def reset_all(self, workshop: str, mock_dir: Path | None = None) -> bool:
        """Forget everything about ``workshop`` for this learner, commands included; with
        ``mock_dir``, first restore the oldest checkpoint (the state the learner began in)."""
        restored = False
        if mock_dir is not None:
            rows = self._read(
                """SELECT lesson, step FROM checkpoints WHERE workshop = ? AND learner = ?
                   AND step != ? ORDER BY created_at LIMIT 1""",
                (workshop, self.learner, LESSON_STATE),
            )
            if rows:
                restored = self.restore(workshop, rows[0]["lesson"], rows[0]["step"], mock_dir)
        with self._write() as db:
            for table in ("checks", "commands", "hints", "steps", "position", "checkpoints"):
                db.execute(
                    f"DELETE FROM {table} WHERE workshop = ? AND learner = ?",
                    (workshop, self.learner),
                )
        return restored

    # -- reporting ---------------------------------------------------------------------

    def workshops(self) -> list[str]:
        """Ids of the workshops this learner has progress in."""
        rows = self._read(
            """SELECT workshop FROM steps WHERE learner = ? UNION
               SELECT workshop FROM position WHERE learner = ? UNION
               SELECT workshop FROM commands WHERE learner = ? ORDER BY 1""",
            (self.learner, self.learner, self.learner),
        )
        return [row["workshop"] for row in rows]

    def summary(self, workshop: str) -> dict[str, Any]:
        """Everything ``workshop progress --json`` prints: position, steps, counts."""
        position = self.position(workshop)
        counts = {
            (r["lesson"], r["step"]): r["n"]
            for r in self._read(
                """SELECT lesson, step, COUNT(*) AS n FROM commands WHERE workshop = ?
                   AND learner = ? GROUP BY lesson, step""",
                (workshop, self.learner),
            )
        }
        hints = {
            (r["lesson"], r["step"]): r["n"]
            for r in self._read(
                """SELECT lesson, step, COUNT(DISTINCT hint_index) AS n FROM hints
                   WHERE workshop = ? AND learner = ? GROUP BY lesson, step""",
                (workshop, self.learner),
            )
        }
        last_checks: dict[tuple[str, str], dict[str, Any]] = {}
        for r in self._read(
            """SELECT lesson, step, kind, status, reason FROM checks WHERE id IN (
                   SELECT MAX(id) FROM checks WHERE workshop = ? AND learner = ?
                   GROUP BY lesson, step)""",
            (workshop, self.learner),
        ):
            last_checks[(r["lesson"], r["step"])] = {
                "kind": r["kind"], "status": r["status"], "reason": r["reason"]
            }  # fmt: skip
        steps = []
        for s in self.steps(workshop):
            key = (s.lesson, s.step)
            steps.append(
                {
                    "lesson": s.lesson,
                    "step": s.step,
                    "status": s.status,
                    "attempts": s.attempts,
                    "failures": s.failures,
                    "started_at": s.started_at,
                    "passed_at": s.passed_at,
                    "commands": counts.get(key, 0),
                    "hints_shown": hints.get(key, 0),
                    "last_check": last_checks.get(key),
                }
            )
        return {
            "workshop": workshop,
            "learner": self.learner,
            "position": {"lesson": position[0], "step": position[1]} if position else None,
            "passed": sum(1 for s in steps if s["status"] == "passed"),
            "skipped": sum(1 for s in steps if s["status"] == "skipped"),
            "started": len(steps),
            "commands": sum(counts.values()),
            "steps": steps,
        }
