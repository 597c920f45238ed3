"""Group commits on PostgreSQL: several learners' batches in one statement, one round trip.

:data:`APPEND` stores the batches of many learners at once and says what it really
inserted, so each learner's acknowledgement is exact whatever other instances write at
the same moment. :class:`AppendGroup` turns requests into the statement's arguments and
its rows back into one result per request. :class:`LoopWriter` runs the statement on the
server's event loop over a connection of its own (psycopg's async connection): the
server's hottest path then never hands over to a database thread, whose every wake-up
waits for the event loop to let go of the interpreter (under load, a write that takes the
database 3 ms took 150 ms that way).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import psycopg
from psycopg import sql
from psycopg.abc import Query

from workshop.classroom.sql_store import extra_fields
from workshop.classroom.store import AppendRequest, AppendResult

log = logging.getLogger("workshop.classroom")

ONE_AT_A_TIME = "classroom: a group commit of %d learners failed; trying them one at a time"
STATEMENT_ERRORS = (
    psycopg.errors.TransactionRollback,
    psycopg.errors.DataError,
    psycopg.errors.IntegrityError,
)
"""Failures of the statement, not of the database: each learner of the group is tried
alone (a broken connection or a database down fails the whole group: each alone would
fail too, a connection timeout each)."""

# The batches of several learners in one statement. For each learner, only
# the events that continue their sequence are inserted: those above last_seq whose seq is
# last_seq + their rank (a gap stops the batch). The learners' rows are locked for the
# statement, in id order (two instances locking the same learners cannot deadlock), so
# concurrent instances append one after the other. Returned: a row per learner (id,
# last_seq before, NULL), then a row per event inserted (id, NULL, seq).
APPEND = """
WITH req AS (
    SELECT * FROM json_to_recordset(%(e)s::json)
        AS u(id text, s bigint, k text, l text, st text, t float8, r float8, d json)
),
cur AS (
    SELECT id, last_seq FROM learners
    WHERE id = ANY(ARRAY(SELECT json_array_elements_text(%(ids)s::json)))
    ORDER BY id FOR NO KEY UPDATE
),
batch AS (
    SELECT req.*, cur.last_seq AS base,
           row_number() OVER (PARTITION BY req.id ORDER BY req.s) AS n
    FROM req JOIN cur USING (id) WHERE req.s > cur.last_seq
),
ins AS (
    INSERT INTO events (learner_id, seq, kind, lesson, step, time, received_at, data)
    SELECT id, s, k, l, st, t, r, d::text FROM batch WHERE s = base + n
    ON CONFLICT (learner_id, seq) DO NOTHING RETURNING learner_id, seq
),
top AS (SELECT learner_id, max(seq) AS seq FROM ins GROUP BY learner_id),
upd AS (
    UPDATE learners SET last_seq = GREATEST(learners.last_seq, top.seq)
    FROM top WHERE learners.id = top.learner_id
)
SELECT id, last_seq, NULL::bigint FROM cur
UNION ALL SELECT learner_id, NULL, seq FROM ins
"""


def session_settings(schema: str) -> list[Query]:
    """What each connection of the store sets first: the room's schema, and the cost of
    reading a page out of order as on an SSD, or in memory, where the room's tables live
    (with the default, meant for spinning disks, PostgreSQL read all the learners' rows
    to find the eight of a group commit rather than look them up in their index).
    """
    return [sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)),
            sql.SQL("SET random_page_cost = 1.1")]  # fmt: skip


class AppendGroup:
    """The arguments of :data:`APPEND` for some requests, and their results from its rows."""

    def __init__(self, requests: list[AppendRequest]) -> None:
        self.requests = requests
        rows: list[dict[str, Any]] = []
        self.batches: list[dict[int, dict[str, Any]]] = []
        for request in requests:
            batch = {e["seq"]: e for e in reversed(request.events)}  # a doubled seq: the first
            self.batches.append(batch)
            for seq in sorted(batch):
                event = batch[seq]
                rows.append({"id": request.learner_id, "s": seq, "k": event["kind"],
                             "l": event["lesson"], "st": event["step"], "t": event["time"],
                             "r": request.now, "d": extra_fields(event)})  # fmt: skip
        # one JSON text each (psycopg writes arrays out element by element, in Python)
        self.args: dict[str, Any] = {
            "e": json.dumps(rows, separators=(",", ":")),
            "ids": json.dumps([r.learner_id for r in requests]),
        }

    def results(self, rows: list[tuple[Any, ...]]) -> list[AppendResult | None]:
        """One result per request, in order (None: a learner the database does not know)."""
        before: dict[str, int] = {}
        inserted: dict[str, list[int]] = {}
        for learner_id, last_seq, seq in rows:
            if seq is None:
                before[learner_id] = int(last_seq)
            else:
                inserted.setdefault(learner_id, []).append(int(seq))
        results: list[AppendResult | None] = []
        for request, batch in zip(self.requests, self.batches, strict=True):
            if request.learner_id not in before:
                results.append(None)
                continue
            seqs = sorted(inserted.get(request.learner_id, []))
            accepted = [dict(batch[seq], learner=request.learner_id, received_at=request.now)
                        for seq in seqs]  # fmt: skip
            last_seq = max([before[request.learner_id], *seqs])
            results.append(AppendResult(accepted=accepted, last_seq=last_seq))
        return results


class LoopWriter:
    """Group commits written on the event loop over one connection of its own (opened at
    the first write, opened again after the database went away), one at a time."""

    def __init__(self, url: str, settings: list[Query]) -> None:
        self.url = url
        self.settings = settings
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()

    async def append_many(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        """:meth:`workshop.classroom.store.Store.append_many`, on the loop: one statement;
        should the statement fail, each request alone (one learner's trouble is not the
        others')."""
        async with self._lock:
            try:
                return await self._write(requests)
            except STATEMENT_ERRORS:
                if len(requests) == 1:
                    raise
                log.warning(ONE_AT_A_TIME, len(requests))
                results: list[AppendResult | None] = []
                refused: Exception | None = None
                for request in requests:  # every one tried, then the first refusal said
                    try:
                        results += await self._write([request])
                    except STATEMENT_ERRORS as exc:
                        refused = refused or exc
                if refused is not None:
                    raise refused from None
                return results

    async def _write(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        group = AppendGroup(requests)
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(
                self.url, autocommit=True, connect_timeout=10
            )
            for statement in self.settings:
                await self._conn.execute(statement)
        conn = self._conn
        try:
            cursor = await conn.execute(APPEND, group.args)
            rows = await cursor.fetchall()
        except psycopg.OperationalError:
            if conn.broken:
                self._conn = None
                await conn.close()
            raise
        return group.results(rows)

    async def close(self) -> None:
        """Close the connection (the server stops)."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
