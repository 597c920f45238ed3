"""The default classroom store: one SQLite file in the data dir.

WAL mode with ``synchronous=NORMAL``: a committed batch survives the server being killed
(``kill -9``), which is what "acknowledged" promises the reporter. The SQL is kept
portable to PostgreSQL (see :mod:`workshop.classroom.store`); only the PRAGMAs and the
``?`` placeholders are SQLite's.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from workshop.classroom.protocol import distinct_name
from workshop.classroom.sql_store import (
    LEARNER_COLUMNS,
    SQLStore,
    event_data,
    learner_from_row,
    rows_to_events,
)
from workshop.classroom.store import AppendRequest, AppendResult, Broadcast, Change, Learner

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS learners (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    joined_at DOUBLE PRECISION NOT NULL,
    last_seq BIGINT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    named_by_instructor INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events (
    learner_id TEXT NOT NULL REFERENCES learners(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    lesson TEXT NOT NULL,
    step TEXT NOT NULL,
    time DOUBLE PRECISION NOT NULL,
    received_at DOUBLE PRECISION NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (learner_id, seq)
);
CREATE TABLE IF NOT EXISTS broadcasts (
    id BIGINT PRIMARY KEY,
    text TEXT NOT NULL,
    time DOUBLE PRECISION NOT NULL,
    learner_id TEXT,
    kind TEXT NOT NULL DEFAULT 'broadcast'
);
CREATE TABLE IF NOT EXISTS summaries (
    learner_id TEXT PRIMARY KEY REFERENCES learners(id),
    upto_seq BIGINT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    learner_id TEXT PRIMARY KEY REFERENCES learners(id),
    last_seen DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS help_resolved (
    learner_id TEXT PRIMARY KEY REFERENCES learners(id),
    upto_seq BIGINT NOT NULL,
    time DOUBLE PRECISION NOT NULL
);
"""

# Columns added since the first version: (table, column, definition).
_ADDED = [
    ("learners", "removed", "INTEGER NOT NULL DEFAULT 0"),
    ("learners", "named_by_instructor", "INTEGER NOT NULL DEFAULT 0"),
    ("broadcasts", "learner_id", "TEXT"),
    ("broadcasts", "kind", "TEXT NOT NULL DEFAULT 'broadcast'"),
]


def _private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (it holds the instructor token and the
    learners' signing key); tighten an existing one. SQLite gives its -wal and -shm
    files the main file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists():
            os.chmod(name, 0o600)


class SQLiteStore(SQLStore):
    """:class:`workshop.classroom.store.Store` on a SQLite file (or ``:memory:``)."""

    shared = False
    """One server process owns a SQLite room."""

    def __init__(self, path: Path | str):
        self.path = str(path)
        if self.path != ":memory:":
            _private_file(Path(self.path))
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        for table, column, definition in _ADDED:  # a database of an older version
            names = {d[0] for d in self._db.execute(f"SELECT * FROM {table} LIMIT 0").description}
            if column not in names:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    # -- helpers -------------------------------------------------------------------------

    def _all(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql.replace("%s", "?"), args).fetchall()

    def _one(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql.replace("%s", "?"), args).fetchone()
            return row

    def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with self._lock:
            self._db.executemany(sql.replace("%s", "?"), rows)

    def _taken(self, but: str | None) -> set[str]:
        rows = self._db.execute("SELECT id, name FROM learners WHERE removed = 0").fetchall()
        return {str(r[1]).casefold() for r in rows if r[0] != but}

    # -- meta ----------------------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        """See :meth:`Store.set_meta`."""
        with self._lock:
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def set_meta_default(self, key: str, value: str) -> str:
        """See :meth:`Store.set_meta_default`."""
        with self._lock:
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
        return self.get_meta(key) or value

    # -- learners ------------------------------------------------------------------------

    def join(self, client_id: str, name: str, next_seq: int, now: float) -> Learner:
        """See :meth:`Store.join`."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    LEARNER_COLUMNS + " WHERE client_id = ?", (client_id,)
                ).fetchone()
                if row is None:
                    learner = Learner(
                        id="l_" + secrets.token_hex(8),
                        client_id=client_id,
                        name=distinct_name(name, self._taken(None)),
                        joined_at=now,
                        last_seq=max(0, next_seq - 1),
                    )
                    self._db.execute(
                        "INSERT INTO learners (id, client_id, name, joined_at, last_seq) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (learner.id, client_id, learner.name, now, learner.last_seq),
                    )
                else:
                    learner = learner_from_row(row)
                    if not (learner.removed or learner.named_by_instructor) and (
                        learner.name != name
                    ):
                        learner = self._set_name(learner, name, by_instructor=False)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return learner

    def _set_name(self, learner: Learner, name: str, *, by_instructor: bool) -> Learner:
        name = distinct_name(name, self._taken(learner.id))
        flag = 1 if by_instructor or learner.named_by_instructor else 0
        self._db.execute(
            "UPDATE learners SET name = ?, named_by_instructor = ? WHERE id = ?",
            (name, flag, learner.id),
        )
        return replace(learner, name=name, named_by_instructor=bool(flag))

    def rename(self, learner_id: str, name: str) -> Learner | None:
        """See :meth:`Store.rename`."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    LEARNER_COLUMNS + " WHERE id = ? AND removed = 0", (learner_id,)
                ).fetchone()
                learner = None
                if row is not None:
                    learner = self._set_name(learner_from_row(row), name, by_instructor=True)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return learner

    def remove(self, learner_id: str) -> bool:
        """See :meth:`Store.remove`."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE learners SET removed = 1 WHERE id = ? AND removed = 0", (learner_id,)
            )
            return cursor.rowcount > 0

    # -- events --------------------------------------------------------------------------

    def append(self, learner_id: str, events: list[dict[str, Any]], now: float) -> AppendResult:
        """See :meth:`Store.append`."""
        result = self.append_many([AppendRequest(learner_id, events, now)])[0]
        if result is None:
            raise KeyError(learner_id)
        return result

    def append_many(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        """See :meth:`Store.append_many`: one transaction, one commit for them all."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                results = [self._append(r.learner_id, r.events, r.now) for r in requests]
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return results

    def _append(self, learner_id: str, events: list[dict[str, Any]],
                now: float) -> AppendResult | None:  # fmt: skip
        """One learner's events, inside the caller's transaction."""
        row = self._db.execute(
            "SELECT last_seq FROM learners WHERE id = ?", (learner_id,)
        ).fetchone()
        if row is None:
            return None
        last = int(row[0])
        rows = []
        accepted: list[dict[str, Any]] = []
        for event in events:
            if event["seq"] <= last:
                continue
            if event["seq"] != last + 1:
                break
            last = event["seq"]
            rows.append((learner_id, last, event["kind"], event["lesson"], event["step"],
                         event["time"], now, event_data(event)))  # fmt: skip
            accepted.append(dict(event, learner=learner_id, received_at=now))
        if rows:
            self._db.executemany(
                "INSERT INTO events (learner_id, seq, kind, lesson, step, time, "
                "received_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (learner_id, seq) DO NOTHING",
                rows,
            )
            self._db.execute("UPDATE learners SET last_seq = ? WHERE id = ?", (last, learner_id))
        return AppendResult(accepted=accepted, last_seq=last)

    def announce(self, progress: dict[str, int]) -> None:
        """See :meth:`Store.announce`: nobody else shares this file."""

    def events_after(self, cursors: dict[str, int], limit: int) -> list[dict[str, Any]]:
        """See :meth:`Store.events_after`."""
        rows: list[tuple[Any, ...]] = []
        with self._lock:
            for learner_id in sorted(cursors):
                if len(rows) >= limit:
                    break
                rows += self._db.execute(
                    "SELECT learner_id, seq, kind, lesson, step, time, received_at, data "
                    "FROM events WHERE learner_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                    (learner_id, cursors[learner_id], limit - len(rows)),
                ).fetchall()
        return rows_to_events(rows)

    # -- broadcasts and help -------------------------------------------------------------

    def add_broadcast(self, text: str, now: float, learner_id: str | None = None,
                      kind: str = "broadcast") -> Broadcast:  # fmt: skip
        """See :meth:`Store.add_broadcast`."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT MAX(id) FROM broadcasts").fetchone()
                new_id = int(row[0] or 0) + 1
                self._db.execute(
                    "INSERT INTO broadcasts (id, text, time, learner_id, kind) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (new_id, text, now, learner_id, kind),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return Broadcast(id=new_id, text=text, time=now, learner_id=learner_id, kind=kind)

    def resolve_help(self, learner_id: str, upto_seq: int, now: float) -> None:
        """See :meth:`Store.resolve_help`."""
        with self._lock:
            self._db.execute(
                "INSERT INTO help_resolved (learner_id, upto_seq, time) VALUES (?, ?, ?) "
                "ON CONFLICT (learner_id) DO UPDATE SET upto_seq = excluded.upto_seq, "
                "time = excluded.time",
                (learner_id, upto_seq, now),
            )

    def put_screen(self, learner_id: str, frame: str | None, now: float) -> float:
        """See :meth:`Store.put_screen`: one process holds the screens in memory."""
        return 0.0

    def screen(self, learner_id: str) -> tuple[str, float] | None:
        """See :meth:`Store.screen`."""
        return None

    def watch_screen(self, learner_id: str, until: float) -> None:
        """See :meth:`Store.watch_screen`."""

    def watch(self, callback: Callable[[Change], None]) -> None:
        """See :meth:`Store.watch`: one server process owns a SQLite room, so never."""

    def close(self) -> None:
        """See :meth:`Store.close`."""
        with self._lock:
            self._db.close()
