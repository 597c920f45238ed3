"""The progress database's tables, and the migrations that take an old file to the current one.

The version lives in ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes a database from
version ``n`` to ``n + 1``. A file newer than this code is refused rather than damaged.
"""

from __future__ import annotations

import sqlite3

from workshop.errors import WorkshopError

MIGRATIONS: list[str] = [
    # 0 -> 1: the first schema.
    """
    CREATE TABLE steps (
        workshop   TEXT NOT NULL,
        learner    TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('locked', 'current', 'passed')),
        attempts   INTEGER NOT NULL DEFAULT 0,
        started_at REAL,
        started_seq INTEGER,
        passed_at  REAL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (workshop, learner, lesson, step)
    );
    CREATE TABLE commands (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        workshop    TEXT NOT NULL,
        learner     TEXT NOT NULL,
        lesson      TEXT NOT NULL,
        step        TEXT NOT NULL,
        command     TEXT NOT NULL,
        exit_code   INTEGER,
        output      TEXT NOT NULL,
        output_size INTEGER NOT NULL,
        started_at  REAL,
        finished_at REAL NOT NULL
    );
    CREATE INDEX commands_by_step ON commands (workshop, learner, lesson, step);
    CREATE TABLE checks (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        workshop   TEXT NOT NULL,
        learner    TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        command_id INTEGER REFERENCES commands (id) ON DELETE SET NULL,
        kind       TEXT NOT NULL,
        status     TEXT NOT NULL,
        reason     TEXT NOT NULL,
        hint       TEXT,
        duration   REAL NOT NULL,
        at         REAL NOT NULL
    );
    CREATE INDEX checks_by_step ON checks (workshop, learner, lesson, step);
    CREATE TABLE hints (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        workshop   TEXT NOT NULL,
        learner    TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        hint_index INTEGER NOT NULL,
        text       TEXT NOT NULL,
        at         REAL NOT NULL
    );
    CREATE INDEX hints_by_step ON hints (workshop, learner, lesson, step);
    CREATE TABLE position (
        workshop   TEXT NOT NULL,
        learner    TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (workshop, learner)
    );
    CREATE TABLE checkpoints (
        workshop   TEXT NOT NULL,
        learner    TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        state_json BLOB,
        files_tar  BLOB,
        created_at REAL NOT NULL,
        PRIMARY KEY (workshop, learner, lesson, step)
    );
    """,
    # 1 -> 2: failed attempts apart from all attempts (a round of a multi-command step that
    # is only part way, or a step passed at once, is an attempt but no failure), and when the
    # step was last judged (a command after that had no verdict yet: checked on resume).
    # A step can also be skipped (its solve ran for the learner): SQLite cannot change a
    # CHECK constraint in place, so the table is made anew.
    """
    CREATE TABLE steps_v2 (
        workshop   TEXT NOT NULL,
        learner    TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('locked', 'current', 'passed', 'skipped')),
        attempts   INTEGER NOT NULL DEFAULT 0,
        started_at REAL,
        started_seq INTEGER,
        passed_at  REAL,
        updated_at REAL NOT NULL,
        failures   INTEGER NOT NULL DEFAULT 0,
        judged_at  REAL,
        PRIMARY KEY (workshop, learner, lesson, step)
    );
    INSERT INTO steps_v2 (workshop, learner, lesson, step, status, attempts, started_at,
        started_seq, passed_at, updated_at)
        SELECT workshop, learner, lesson, step, status, attempts, started_at, started_seq,
            passed_at, updated_at FROM steps;
    DROP TABLE steps;
    ALTER TABLE steps_v2 RENAME TO steps
    """,
]
VERSION = len(MIGRATIONS)
"""The schema version this code writes."""


def migrate(conn: sqlite3.Connection, path: object) -> None:
    """Bring ``conn`` to ``VERSION``, one transaction per migration (safe if two processes race)."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current > VERSION:
                raise WorkshopError(
                    f"{path}: progress database version {current} is newer than this "
                    f"workshop runner understands ({VERSION}); upgrade workshop"
                )
            if current == VERSION:
                conn.execute("COMMIT")
                return
            # executescript would commit on its own: run the statements one by one instead
            for statement in MIGRATIONS[current].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
