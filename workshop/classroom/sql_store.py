"""What the two classroom stores share: the reads and the idempotent writes in plain SQL.

:class:`SQLStore` implements the :class:`workshop.classroom.store.Store` methods whose SQL
is the same on SQLite and PostgreSQL, written with ``%s`` placeholders; each store runs
them through its own :meth:`SQLStore._all`, :meth:`SQLStore._one` and
:meth:`SQLStore._many` (SQLite turns ``%s`` into ``?``). What differs (transactions,
locking, ids, notifications) stays in :mod:`workshop.classroom.sqlite_store` and
:mod:`workshop.classroom.postgres_store`.
"""

from __future__ import annotations

import json
from typing import Any

from workshop.classroom.store import Broadcast, Learner

LEARNER_COLUMNS = (
    "SELECT id, client_id, name, joined_at, last_seq, removed, named_by_instructor FROM learners"
)
EVENT_COLUMNS = "SELECT learner_id, seq, kind, lesson, step, time, received_at, data FROM events"
COMMON = ("seq", "kind", "lesson", "step", "time")
"""An event's fields that have columns of their own; the others are its ``data`` (JSON)."""


def extra_fields(event: dict[str, Any]) -> dict[str, Any]:
    """The fields of an event beyond :data:`COMMON` (stored as its ``data``)."""
    return {k: v for k, v in event.items() if k not in COMMON}


def event_data(event: dict[str, Any]) -> str:
    """The fields of an event beyond :data:`COMMON`, as compact JSON."""
    return json.dumps(extra_fields(event), separators=(",", ":"))


def learner_from_row(row: tuple[Any, ...]) -> Learner:
    """A :class:`Learner` from a row of :data:`LEARNER_COLUMNS`."""
    return Learner(id=row[0], client_id=row[1], name=row[2], joined_at=row[3],
                   last_seq=row[4], removed=bool(row[5]), named_by_instructor=bool(row[6]))  # fmt: skip


def rows_to_events(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Events (each with ``learner``) from rows of :data:`EVENT_COLUMNS`."""
    out = []
    for lid, seq, kind, lesson, step, when, received, data in rows:
        event = {"learner": lid, "seq": seq, "kind": kind, "lesson": lesson, "step": step,
                 "time": when, "received_at": received}  # fmt: skip
        event.update(json.loads(data))
        out.append(event)
    return out


class SQLStore:
    """The store methods written once for both databases."""

    def _all(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _one(self, query: str, *args: Any) -> tuple[Any, ...] | None:
        raise NotImplementedError

    def _many(self, query: str, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def get_meta(self, key: str) -> str | None:
        """See :meth:`Store.get_meta`."""
        row = self._one("SELECT value FROM meta WHERE key = %s", key)
        return None if row is None else str(row[0])

    def learner_by_client(self, client_id: str) -> Learner | None:
        """See :meth:`Store.learner_by_client`."""
        row = self._one(LEARNER_COLUMNS + " WHERE client_id = %s", client_id)
        return None if row is None else learner_from_row(row)

    def learner(self, learner_id: str) -> Learner | None:
        """See :meth:`Store.learner`."""
        row = self._one(LEARNER_COLUMNS + " WHERE id = %s", learner_id)
        return None if row is None else learner_from_row(row)

    def learners(self) -> list[Learner]:
        """See :meth:`Store.learners`."""
        rows = self._all(LEARNER_COLUMNS + " WHERE NOT removed ORDER BY joined_at, id")
        return [learner_from_row(r) for r in rows]

    def events(
        self, learner_id: str | None = None, limit: int | None = None, after: int = 0
    ) -> list[dict[str, Any]]:
        """See :meth:`Store.events`."""
        query = EVENT_COLUMNS + " WHERE seq > %s"
        args: list[Any] = [after]
        if learner_id is not None:
            query += " AND learner_id = %s"
            args.append(learner_id)
        if limit is not None:
            query += " ORDER BY learner_id DESC, seq DESC LIMIT %s"
            args.append(int(limit))
        else:
            query += " ORDER BY learner_id, seq"
        rows = self._all(query, *args)
        if limit is not None:
            rows.reverse()
        return rows_to_events(rows)

    def save_summaries(self, rows: list[tuple[str, int, str]]) -> None:
        """See :meth:`Store.save_summaries`."""
        self._many(
            "INSERT INTO summaries (learner_id, upto_seq, data) VALUES (%s, %s, %s) "
            "ON CONFLICT (learner_id) DO UPDATE SET upto_seq = excluded.upto_seq, "
            "data = excluded.data WHERE excluded.upto_seq >= summaries.upto_seq",
            list(rows),
        )

    def summaries(self) -> dict[str, tuple[int, str]]:
        """See :meth:`Store.summaries`."""
        rows = self._all("SELECT learner_id, upto_seq, data FROM summaries")
        return {r[0]: (int(r[1]), str(r[2])) for r in rows}

    def unsummarised_events(self) -> list[dict[str, Any]]:
        """See :meth:`Store.unsummarised_events`."""
        return rows_to_events(self._all(
            "SELECT e.learner_id, e.seq, e.kind, e.lesson, e.step, e.time, e.received_at, "
            "e.data FROM events e LEFT JOIN summaries s ON s.learner_id = e.learner_id "
            "WHERE e.seq > COALESCE(s.upto_seq, 0) ORDER BY e.learner_id, e.seq"))  # fmt: skip

    def save_contacts(self, rows: list[tuple[str, float]]) -> None:
        """See :meth:`Store.save_contacts`."""
        self._many(
            "INSERT INTO contacts (learner_id, last_seen) VALUES (%s, %s) "
            "ON CONFLICT (learner_id) DO UPDATE SET last_seen = excluded.last_seen "
            "WHERE excluded.last_seen > contacts.last_seen",
            list(rows),
        )

    def contacts(self, since: float) -> dict[str, float]:
        """See :meth:`Store.contacts`."""
        rows = self._all("SELECT learner_id, last_seen FROM contacts WHERE last_seen > %s", since)
        return {r[0]: float(r[1]) for r in rows}

    def count_events(self) -> int:
        """See :meth:`Store.count_events`."""
        row = self._one("SELECT COUNT(*) FROM events")
        return int(row[0]) if row else 0

    def broadcasts(self, after: int = 0, limit: int = 50, to: str | None = None) -> list[Broadcast]:
        """See :meth:`Store.broadcasts`."""
        query = "SELECT id, text, time, learner_id, kind FROM broadcasts WHERE id > %s"
        args: list[Any] = [after]
        if to is not None:
            query += " AND (learner_id IS NULL OR learner_id = %s)"
            args.append(to)
        rows = self._all(query + " ORDER BY id LIMIT %s", *args, limit)
        return [Broadcast(id=r[0], text=r[1], time=r[2], learner_id=r[3], kind=r[4]) for r in rows]

    def last_broadcast(self) -> int:
        """See :meth:`Store.last_broadcast`."""
        row = self._one("SELECT MAX(id) FROM broadcasts")
        return int(row[0] or 0) if row else 0

    def help_resolutions(self) -> dict[str, int]:
        """See :meth:`Store.help_resolutions`."""
        rows = self._all("SELECT learner_id, upto_seq FROM help_resolved")
        return {r[0]: int(r[1]) for r in rows}
