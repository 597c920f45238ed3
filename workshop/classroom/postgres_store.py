"""The classroom store on PostgreSQL: several server instances sharing one database.

``workshop classroom serve --db postgresql://…`` opens it. Each room is a schema of its
own (``classroom`` or ``classroom_<room>``), created and migrated by the server at start-up
(a ``schema_version`` table; instances starting together wait on an advisory lock).

Exactly once under concurrent instances: an append is one statement (one round trip) that
locks the learner's row (``FOR UPDATE``), inserts with ``ON CONFLICT (learner_id, seq) DO
NOTHING RETURNING seq``, and acknowledges only what was really inserted. Message ids come
from an identity column.

Every other write notifies the room's channel in its own transaction (``pg_notify``,
delivered at commit), so the other instances' dashboards and long polls wake; stored
events are announced by the server in batches (:meth:`announce`, one notification for
many learners). :meth:`watch` listens on a connection of its own, on a thread of its own,
and reconnects (asking for a resync) when the database goes away.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from workshop.classroom.pg_append import (
    APPEND,
    ONE_AT_A_TIME,
    STATEMENT_ERRORS,
    AppendGroup,
    LoopWriter,
    session_settings,
)
from workshop.classroom.protocol import distinct_name
from workshop.classroom.sql_store import (
    LEARNER_COLUMNS,
    SQLStore,
    learner_from_row,
    rows_to_events,
)
from workshop.classroom.store import AppendRequest, AppendResult, Broadcast, Change, Learner

log = logging.getLogger("workshop.classroom")

# Migrations in order: the schema's version is the number applied.
_MIGRATIONS = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE learners (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        joined_at DOUBLE PRECISION NOT NULL,
        last_seq BIGINT NOT NULL,
        removed BOOLEAN NOT NULL DEFAULT FALSE,
        named_by_instructor BOOLEAN NOT NULL DEFAULT FALSE
    );
    CREATE TABLE events (
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
    CREATE TABLE broadcasts (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        text TEXT NOT NULL,
        time DOUBLE PRECISION NOT NULL,
        learner_id TEXT,
        kind TEXT NOT NULL DEFAULT 'broadcast'
    );
    CREATE TABLE help_resolved (
        learner_id TEXT PRIMARY KEY REFERENCES learners(id),
        upto_seq BIGINT NOT NULL,
        time DOUBLE PRECISION NOT NULL
    );
    """,
    """
    CREATE TABLE summaries (
        learner_id TEXT PRIMARY KEY REFERENCES learners(id),
        upto_seq BIGINT NOT NULL,
        data TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE contacts (
        learner_id TEXT PRIMARY KEY REFERENCES learners(id),
        last_seen DOUBLE PRECISION NOT NULL
    );
    """,
    """
    CREATE TABLE screens (
        learner_id TEXT PRIMARY KEY REFERENCES learners(id),
        frame TEXT NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL,
        watched_until DOUBLE PRECISION NOT NULL DEFAULT 0
    );
    """,
    # The group commit inserts events only for the learners' rows it locked (learners are
    # never deleted): checking the foreign key again cost more than the insert itself.
    """
    ALTER TABLE events DROP CONSTRAINT IF EXISTS events_learner_id_fkey;
    """,
]
_PER_NOTIFY = 150  # learners' progress in one notification (under PostgreSQL's 8000 bytes)


def schema_name(room: str | None) -> str:
    """The schema that holds ``room`` (``--room``) in a shared database."""
    return "classroom" if room is None else f"classroom_{room.lower()}"


class PostgresStore(SQLStore):
    """:class:`workshop.classroom.store.Store` on PostgreSQL (psycopg 3 and its pool)."""

    shared = True

    def __init__(self, url: str, room: str | None = None, *, max_size: int = 8):
        self.url = url
        self.schema = schema_name(room)
        self.path = redacted_url(url) + (f" (room {room})" if room else "")
        self.origin = secrets.token_hex(6)
        """This instance's mark on its notifications (its own are not echoed back)."""
        self._closed = threading.Event()
        self._watcher: threading.Thread | None = None
        self._create_schema()
        self.pool = ConnectionPool(url, min_size=1, max_size=max_size, open=False,
                                   configure=self._configure, name="classroom")  # fmt: skip
        self.pool.open(wait=True, timeout=15)

    # -- connections ---------------------------------------------------------------------

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        for statement in session_settings(self.schema):
            conn.execute(statement)
        conn.commit()

    def _create_schema(self) -> None:
        with psycopg.connect(self.url, connect_timeout=10) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('workshop-classroom-schema'))")
            ident = sql.Identifier(self.schema)
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(ident))
            conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(ident))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM schema_version").fetchone()
            version = 0 if row is None else int(row[0])
            if version > len(_MIGRATIONS):
                raise RuntimeError(f"the database's classroom schema is version {version}, "
                                   f"newer than this server's ({len(_MIGRATIONS)}): upgrade")  # fmt: skip
            for migration in _MIGRATIONS[version:]:
                conn.execute(migration.encode())
            if row is None:
                conn.execute("INSERT INTO schema_version VALUES (%s)", (len(_MIGRATIONS),))
            else:
                conn.execute("UPDATE schema_version SET version = %s", (len(_MIGRATIONS),))

    def _notify(self, cur: psycopg.Cursor[Any], change: Change) -> None:
        payload = {"o": self.origin, "k": change.kind, "l": change.learner_id,
                   "v": change.value, "key": change.key}  # fmt: skip
        cur.execute("SELECT pg_notify(%s, %s)", (self.schema, json.dumps(payload)))

    def _one(self, query: str, *args: Any) -> tuple[Any, ...] | None:
        with self.pool.connection() as conn:
            row: tuple[Any, ...] | None = conn.execute(query.encode(), args).fetchone()
            return row

    def _all(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        with self.pool.connection() as conn:
            return conn.execute(query.encode(), args).fetchall()

    def _many(self, query: str, rows: list[tuple[Any, ...]]) -> None:
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.executemany(query.encode(), rows)

    # -- meta ----------------------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        """See :meth:`Store.set_meta`."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
            self._notify(cur, Change("meta", key=key))

    def set_meta_default(self, key: str, value: str) -> str:
        """See :meth:`Store.set_meta_default`."""
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
        return self.get_meta(key) or value

    # -- learners ------------------------------------------------------------------------

    def _lock_names(self, cur: psycopg.Cursor[Any]) -> set[str]:
        # names are made distinct across instances: one join or rename at a time decides
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.schema + ".names",))
        cur.execute("SELECT id, name FROM learners WHERE NOT removed")
        return {f"{r[0]}\0{str(r[1]).casefold()}" for r in cur.fetchall()}

    @staticmethod
    def _taken(rows: set[str], but: str | None) -> set[str]:
        return {r.split("\0", 1)[1] for r in rows if r.split("\0", 1)[0] != but}

    def join(self, client_id: str, name: str, next_seq: int, now: float) -> Learner:
        """See :meth:`Store.join`."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.execute((LEARNER_COLUMNS + " WHERE client_id = %s").encode(), (client_id,))
            row = cur.fetchone()
            if row is not None:
                learner = learner_from_row(row)
                if learner.removed or learner.named_by_instructor or learner.name == name:
                    return learner
            names = self._lock_names(cur)
            cur.execute((LEARNER_COLUMNS + " WHERE client_id = %s").encode(), (client_id,))
            row = cur.fetchone()
            if row is None:
                learner = Learner(id="l_" + secrets.token_hex(8), client_id=client_id,
                                  name=distinct_name(name, self._taken(names, None)),
                                  joined_at=now, last_seq=max(0, next_seq - 1))  # fmt: skip
                cur.execute(
                    "INSERT INTO learners (id, client_id, name, joined_at, last_seq) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    (learner.id, client_id, learner.name, now, learner.last_seq),
                )
            else:
                learner = learner_from_row(row)
                if learner.removed or learner.named_by_instructor or learner.name == name:
                    return learner
                learner = self._set_name(cur, learner, name, names, by_instructor=False)
            self._notify(cur, Change("learner", learner.id))
        return learner

    def _set_name(self, cur: psycopg.Cursor[Any], learner: Learner, name: str, names: set[str],
                  *, by_instructor: bool) -> Learner:  # fmt: skip
        name = distinct_name(name, self._taken(names, learner.id))
        flag = by_instructor or learner.named_by_instructor
        cur.execute("UPDATE learners SET name = %s, named_by_instructor = %s WHERE id = %s",
                    (name, flag, learner.id))  # fmt: skip
        return replace(learner, name=name, named_by_instructor=flag)

    def rename(self, learner_id: str, name: str) -> Learner | None:
        """See :meth:`Store.rename`."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            names = self._lock_names(cur)
            cur.execute(
                (LEARNER_COLUMNS + " WHERE id = %s AND NOT removed").encode(), (learner_id,)
            )
            row = cur.fetchone()
            if row is None:
                return None
            learner = self._set_name(cur, learner_from_row(row), name, names, by_instructor=True)
            self._notify(cur, Change("learner", learner_id))
        return learner

    def remove(self, learner_id: str) -> bool:
        """See :meth:`Store.remove`."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.execute("UPDATE learners SET removed = TRUE WHERE id = %s AND NOT removed",
                        (learner_id,))  # fmt: skip
            if cur.rowcount <= 0:
                return False
            self._notify(cur, Change("learner", learner_id))
        return True

    # -- events --------------------------------------------------------------------------

    def append(self, learner_id: str, events: list[dict[str, Any]], now: float) -> AppendResult:
        """See :meth:`Store.append`: one statement, one round trip (autocommit)."""
        result = self._append_many([AppendRequest(learner_id, events, now)])[0]
        if result is None:
            raise KeyError(learner_id)
        return result

    def append_many(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        """See :meth:`Store.append_many`: one statement for them all (see
        :mod:`workshop.classroom.pg_append`); should the statement fail, each request alone."""
        try:
            return self._append_many(requests)
        except STATEMENT_ERRORS:
            if len(requests) == 1:
                raise
            log.warning(ONE_AT_A_TIME, len(requests))
            results: list[AppendResult | None] = []
            refused: Exception | None = None
            for request in requests:  # every one tried, then the first refusal said
                try:
                    results += self._append_many([request])
                except STATEMENT_ERRORS as exc:
                    refused = refused or exc
            if refused is not None:
                raise refused from None
            return results

    def _append_many(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        group = AppendGroup(requests)
        with self.pool.connection() as conn:
            conn.autocommit = True
            try:
                rows = conn.execute(APPEND, group.args).fetchall()
            finally:
                conn.autocommit = False
        return group.results(rows)

    def loop_writer(self) -> LoopWriter:
        """Group commits written on the event loop (no thread): see :class:`LoopWriter`."""
        return LoopWriter(self.url, session_settings(self.schema))

    def announce(self, progress: dict[str, int]) -> None:
        """See :meth:`Store.announce`: as few notifications as fit the payload limit."""
        payloads, part = [], {}
        for learner_id, seq in progress.items():
            part[learner_id] = seq
            if len(part) >= _PER_NOTIFY:
                payloads.append(part)
                part = {}
        if part:
            payloads.append(part)
        texts = [json.dumps({"o": self.origin, "k": "events", "p": p}) for p in payloads]
        if texts:
            with self.pool.connection() as conn:
                conn.execute("SELECT pg_notify(%s, x) FROM unnest(%s::text[]) AS x",
                             (self.schema, texts))  # fmt: skip

    def events_after(self, cursors: dict[str, int], limit: int) -> list[dict[str, Any]]:
        """See :meth:`Store.events_after`: for each learner, an index scan that stops after
        ``limit`` rows (a join of the cursors with the whole table sorted them all)."""
        if not cursors:
            return []
        ids = sorted(cursors)
        return rows_to_events(self._all(
            "SELECT e.learner_id, e.seq, e.kind, e.lesson, e.step, e.time, e.received_at, e.data "
            "FROM unnest(%s::text[], %s::bigint[]) AS c(l, after) CROSS JOIN LATERAL "
            "(SELECT * FROM events WHERE learner_id = c.l AND seq > c.after "
            "ORDER BY seq LIMIT %s) AS e ORDER BY e.learner_id, e.seq LIMIT %s",
            ids, [cursors[i] for i in ids], limit, limit))  # fmt: skip

    def save_summaries(self, rows: list[tuple[str, int, str]]) -> None:
        """See :meth:`Store.save_summaries`: one statement, the rows as one JSON text
        (psycopg writes arrays out element by element, in Python)."""
        if rows:
            self._many_json(
                "INSERT INTO summaries (learner_id, upto_seq, data) "
                "SELECT x->>0, (x->>1)::bigint, x->>2 FROM json_array_elements(%s::json) AS x "
                "ON CONFLICT (learner_id) DO UPDATE SET upto_seq = excluded.upto_seq, "
                "data = excluded.data WHERE excluded.upto_seq >= summaries.upto_seq",
                rows,
            )

    def save_contacts(self, rows: list[tuple[str, float]]) -> None:
        """See :meth:`Store.save_contacts`: one statement, the rows as one JSON text."""
        if rows:
            self._many_json(
                "INSERT INTO contacts (learner_id, last_seen) "
                "SELECT x->>0, (x->>1)::float8 FROM json_array_elements(%s::json) AS x "
                "ON CONFLICT (learner_id) DO UPDATE SET last_seen = excluded.last_seen "
                "WHERE excluded.last_seen > contacts.last_seen",
                rows,
            )

    def _many_json(self, query: str, rows: list[tuple[Any, ...]]) -> None:
        with self.pool.connection() as conn:
            conn.execute(query.encode(), (json.dumps(rows),))

    # -- broadcasts and help -------------------------------------------------------------

    def add_broadcast(self, text: str, now: float, learner_id: str | None = None,
                      kind: str = "broadcast") -> Broadcast:  # fmt: skip
        """See :meth:`Store.add_broadcast`."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO broadcasts (text, time, learner_id, kind) VALUES (%s, %s, %s, %s) "
                "RETURNING id",
                (text, now, learner_id, kind),
            )
            row = cur.fetchone()
            assert row is not None
            new_id = int(row[0])
            self._notify(cur, Change("broadcast", learner_id, new_id))
        return Broadcast(id=new_id, text=text, time=now, learner_id=learner_id, kind=kind)

    def resolve_help(self, learner_id: str, upto_seq: int, now: float) -> None:
        """See :meth:`Store.resolve_help`."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO help_resolved (learner_id, upto_seq, time) VALUES (%s, %s, %s) "
                "ON CONFLICT (learner_id) DO UPDATE SET upto_seq = excluded.upto_seq, "
                "time = excluded.time",
                (learner_id, upto_seq, now),
            )
            self._notify(cur, Change("help", learner_id, upto_seq))

    # -- shared screens --------------------------------------------------------------------

    def put_screen(self, learner_id: str, frame: str | None, now: float) -> float:
        """See :meth:`Store.put_screen`."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            if frame is None:
                cur.execute("DELETE FROM screens WHERE learner_id = %s", (learner_id,))
                until = 0.0
            else:
                cur.execute(
                    "INSERT INTO screens (learner_id, frame, updated_at) VALUES (%s, %s, %s) "
                    "ON CONFLICT (learner_id) DO UPDATE SET frame = excluded.frame, "
                    "updated_at = excluded.updated_at RETURNING watched_until",
                    (learner_id, frame, now),
                )
                row = cur.fetchone()
                until = float(row[0]) if row else 0.0
            self._notify(cur, Change("screen", learner_id))
        return until

    def screen(self, learner_id: str) -> tuple[str, float] | None:
        """See :meth:`Store.screen`."""
        row = self._one("SELECT frame, updated_at FROM screens WHERE learner_id = %s", learner_id)
        return None if row is None else (str(row[0]), float(row[1]))

    def watch_screen(self, learner_id: str, until: float) -> None:
        """See :meth:`Store.watch_screen`."""
        with self.pool.connection() as conn:
            conn.execute("UPDATE screens SET watched_until = GREATEST(watched_until, %s) "
                         "WHERE learner_id = %s", (until, learner_id))  # fmt: skip

    # -- other instances -----------------------------------------------------------------

    def watch(self, callback: Callable[[Change], None]) -> None:
        """See :meth:`Store.watch`: returns once listening (or after 10 s of trying)."""
        listening = threading.Event()
        self._watcher = threading.Thread(target=self._listen, args=(callback, listening),
                                         name="classroom-listen", daemon=True)  # fmt: skip
        self._watcher.start()
        listening.wait(10)

    def _listen(self, callback: Callable[[Change], None], listening: threading.Event) -> None:
        first = True
        while not self._closed.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.schema)))
                    listening.set()
                    if not first:  # what was sent while we were away is lost: read it all
                        callback(Change("resync"))
                    first = False
                    while not self._closed.is_set():
                        for note in conn.notifies(timeout=0.5):
                            for change in self._changes(note.payload):
                                callback(change)
            except psycopg.Error as exc:
                if self._closed.is_set():
                    return
                log.warning("classroom: listening for other instances failed (%s); retrying",
                            str(exc).strip()[:200])  # fmt: skip
                self._closed.wait(1.0)

    def _changes(self, payload: str) -> list[Change]:
        try:
            data = json.loads(payload)
        except ValueError:
            return []
        if not isinstance(data, dict) or data.get("o") == self.origin:
            return []
        progress = data.get("p")
        if isinstance(progress, dict):  # an announcement: learners' events stored up to seq
            return [Change("events", str(lid), int(seq)) for lid, seq in progress.items()
                    if isinstance(seq, int)]  # fmt: skip
        return [Change(kind=str(data.get("k")), learner_id=data.get("l"),
                       value=int(data.get("v") or 0), key=str(data.get("key") or ""))]  # fmt: skip

    def close(self) -> None:
        """See :meth:`Store.close`."""
        self._closed.set()
        self.pool.close()
        if self._watcher is not None:
            self._watcher.join(timeout=2)


def redacted_url(url: str) -> str:
    """``url`` without its password (it is printed in the banner)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://…"
    host = info.get("host") or "localhost"
    port = info.get("port") or "5432"
    return f"postgresql://{info.get('user') or ''}{'@' if info.get('user') else ''}{host}:{port}/{info.get('dbname') or ''}"
