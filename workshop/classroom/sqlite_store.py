"""The default classroom store: one SQLite file in the data dir.

WAL mode with ``synchronous=NORMAL``: a committed batch survives the server being killed
(``kill -9``), which is what "acknowledged" promises the reporter. The SQL is kept
portable to PostgreSQL (see :mod:`workshop.classroom.store`); only the PRAGMAs and the
``?`` placeholders are SQLite's.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from workshop.classroom.protocol import distinct_name
from workshop.classroom.store import AppendResult, Broadcast, Change, Learner

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
_LEARNER = (
    "SELECT id, client_id, name, joined_at, last_seq, removed, named_by_instructor FROM learners"
)
_COMMON = ("seq", "kind", "lesson", "step", "time")


def _private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (it holds the instructor token and the
    learners' signing key); tighten an existing one. SQLite gives its -wal and -shm
    files the main file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists():
            os.chmod(name, 0o600)


class SQLiteStore:
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
            return self._db.execute(sql, args).fetchall()

    def _one(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, args).fetchone()
            return row

    @staticmethod
    def _learner(row: tuple[Any, ...]) -> Learner:
        return Learner(id=row[0], client_id=row[1], name=row[2], joined_at=row[3],
                       last_seq=row[4], removed=bool(row[5]), named_by_instructor=bool(row[6]))  # fmt: skip

    def _taken(self, but: str | None) -> set[str]:
        rows = self._db.execute("SELECT id, name FROM learners WHERE removed = 0").fetchall()
        return {str(r[1]).casefold() for r in rows if r[0] != but}

    # -- meta ----------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """See :meth:`Store.get_meta`."""
        row = self._one("SELECT value FROM meta WHERE key = ?", key)
        return None if row is None else str(row[0])

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
                row = self._db.execute(_LEARNER + " WHERE client_id = ?", (client_id,)).fetchone()
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
                    learner = self._learner(row)
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

    def learner_by_client(self, client_id: str) -> Learner | None:
        """See :meth:`Store.learner_by_client`."""
        row = self._one(_LEARNER + " WHERE client_id = ?", client_id)
        return None if row is None else self._learner(row)

    def rename(self, learner_id: str, name: str) -> Learner | None:
        """See :meth:`Store.rename`."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    _LEARNER + " WHERE id = ? AND removed = 0", (learner_id,)
                ).fetchone()
                learner = None
                if row is not None:
                    learner = self._set_name(self._learner(row), name, by_instructor=True)
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

    def learner(self, learner_id: str) -> Learner | None:
        """See :meth:`Store.learner`."""
        row = self._one(_LEARNER + " WHERE id = ?", learner_id)
        return None if row is None else self._learner(row)

    def learners(self) -> list[Learner]:
        """See :meth:`Store.learners`."""
        with self._lock:
            rows = self._db.execute(
                _LEARNER + " WHERE removed = 0 ORDER BY joined_at, id"
            ).fetchall()
        return [self._learner(r) for r in rows]

    # -- events --------------------------------------------------------------------------

    def append(self, learner_id: str, events: list[dict[str, Any]], now: float) -> AppendResult:
        """See :meth:`Store.append`."""
        accepted: list[dict[str, Any]] = []
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT last_seq FROM learners WHERE id = ?", (learner_id,)
                ).fetchone()
                if row is None:
                    raise KeyError(learner_id)
                last = int(row[0])
                rows = []
                for event in events:
                    if event["seq"] <= last:
                        continue
                    if event["seq"] != last + 1:
                        break
                    last = event["seq"]
                    extra = {k: v for k, v in event.items() if k not in _COMMON}
                    rows.append(
                        (learner_id, last, event["kind"], event["lesson"], event["step"],
                         event["time"], now, json.dumps(extra, separators=(",", ":")))
                    )  # fmt: skip
                    accepted.append(dict(event, learner=learner_id, received_at=now))
                if rows:
                    self._db.executemany(
                        "INSERT INTO events (learner_id, seq, kind, lesson, step, time, "
                        "received_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (learner_id, seq) DO NOTHING",
                        rows,
                    )
                    self._db.execute(
                        "UPDATE learners SET last_seq = ? WHERE id = ?", (last, learner_id)
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return AppendResult(accepted=accepted, last_seq=last)

    def announce(self, progress: dict[str, int]) -> None:
        """See :meth:`Store.announce`: nobody else shares this file."""

    def events(
        self, learner_id: str | None = None, limit: int | None = None, after: int = 0
    ) -> list[dict[str, Any]]:
        """See :meth:`Store.events`."""
        sql = "SELECT learner_id, seq, kind, lesson, step, time, received_at, data FROM events"
        sql += " WHERE seq > ?"
        args: list[Any] = [after]
        if learner_id is not None:
            sql += " AND learner_id = ?"
            args.append(learner_id)
        if limit is not None:
            sql += " ORDER BY learner_id DESC, seq DESC LIMIT ?"
            args.append(int(limit))
        else:
            sql += " ORDER BY learner_id, seq"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        if limit is not None:
            rows.reverse()
        return self._rows_to_events(rows)

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
        return self._rows_to_events(rows)

    @staticmethod
    def _rows_to_events(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        out = []
        for lid, seq, kind, lesson, step, when, received, data in rows:
            event = {"learner": lid, "seq": seq, "kind": kind, "lesson": lesson, "step": step,
                     "time": when, "received_at": received}  # fmt: skip
            event.update(json.loads(data))
            out.append(event)
        return out

    def save_summaries(self, rows: list[tuple[str, int, str]]) -> None:
        """See :meth:`Store.save_summaries`."""
        with self._lock:
            self._db.executemany(
                "INSERT INTO summaries (learner_id, upto_seq, data) VALUES (?, ?, ?) "
                "ON CONFLICT (learner_id) DO UPDATE SET upto_seq = excluded.upto_seq, "
                "data = excluded.data WHERE excluded.upto_seq >= summaries.upto_seq",
                rows,
            )

    def summaries(self) -> dict[str, tuple[int, str]]:
        """See :meth:`Store.summaries`."""
        rows = self._all("SELECT learner_id, upto_seq, data FROM summaries")
        return {r[0]: (int(r[1]), str(r[2])) for r in rows}

    def unsummarised_events(self) -> list[dict[str, Any]]:
        """See :meth:`Store.unsummarised_events`."""
        return self._rows_to_events(self._all(
            "SELECT e.learner_id, e.seq, e.kind, e.lesson, e.step, e.time, e.received_at, "
            "e.data FROM events e LEFT JOIN summaries s ON s.learner_id = e.learner_id "
            "WHERE e.seq > COALESCE(s.upto_seq, 0) ORDER BY e.learner_id, e.seq"))  # fmt: skip

    def save_contacts(self, rows: list[tuple[str, float]]) -> None:
        """See :meth:`Store.save_contacts`."""
        with self._lock:
            self._db.executemany(
                "INSERT INTO contacts (learner_id, last_seen) VALUES (?, ?) "
                "ON CONFLICT (learner_id) DO UPDATE SET last_seen = excluded.last_seen "
                "WHERE excluded.last_seen > contacts.last_seen",
                rows,
            )

    def contacts(self, since: float) -> dict[str, float]:
        """See :meth:`Store.contacts`."""
        rows = self._all("SELECT learner_id, last_seen FROM contacts WHERE last_seen > ?", since)
        return {r[0]: float(r[1]) for r in rows}

    def count_events(self) -> int:
        """See :meth:`Store.count_events`."""
        row = self._one("SELECT COUNT(*) FROM events")
        return int(row[0]) if row else 0

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

    def broadcasts(self, after: int = 0, limit: int = 50, to: str | None = None) -> list[Broadcast]:
        """See :meth:`Store.broadcasts`."""
        sql = "SELECT id, text, time, learner_id, kind FROM broadcasts WHERE id > ?"
        args: list[Any] = [after]
        if to is not None:
            sql += " AND (learner_id IS NULL OR learner_id = ?)"
            args.append(to)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id LIMIT ?", (*args, limit)).fetchall()
        return [Broadcast(id=r[0], text=r[1], time=r[2], learner_id=r[3], kind=r[4]) for r in rows]

    def last_broadcast(self) -> int:
        """See :meth:`Store.last_broadcast`."""
        row = self._one("SELECT MAX(id) FROM broadcasts")
        return int(row[0] or 0) if row else 0

    def resolve_help(self, learner_id: str, upto_seq: int, now: float) -> None:
        """See :meth:`Store.resolve_help`."""
        with self._lock:
            self._db.execute(
                "INSERT INTO help_resolved (learner_id, upto_seq, time) VALUES (?, ?, ?) "
                "ON CONFLICT (learner_id) DO UPDATE SET upto_seq = excluded.upto_seq, "
                "time = excluded.time",
                (learner_id, upto_seq, now),
            )

    def help_resolutions(self) -> dict[str, int]:
        """See :meth:`Store.help_resolutions`."""
        with self._lock:
            rows = self._db.execute("SELECT learner_id, upto_seq FROM help_resolved").fetchall()
        return {r[0]: int(r[1]) for r in rows}

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
