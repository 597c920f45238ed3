"""The classroom store: one small interface between the server and its database.

The server talks to the database only through :class:`Store`: one SQLite file
(:class:`workshop.classroom.sqlite_store.SQLiteStore`, the default, one server process) or
PostgreSQL (:class:`workshop.classroom.postgres_store.PostgresStore`, rooms of thousands:
several server instances sharing one database). Both pass the same test suite.

Instances sharing a database learn of each other's writes through :meth:`Store.watch`
(PostgreSQL's LISTEN/NOTIFY); a store no other process can share never calls it.

Methods are synchronous; the server calls them from worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Learner:
    """One learner of the room, as the store knows them."""

    id: str
    """Server-issued id (``l_`` + 16 hex digits)."""
    client_id: str
    """The reporter's random install id: joining again with it is the same learner."""
    name: str
    joined_at: float
    last_seq: int
    """The highest sequence number stored; the next accepted event is ``last_seq + 1``."""
    removed: bool = False
    """The instructor removed this learner: joining again is refused."""
    named_by_instructor: bool = False
    """The instructor renamed this learner: the name they join with no longer counts."""


@dataclass(frozen=True)
class Broadcast:
    """A message from the instructor: to every learner, or to one (``learner_id``).

    ``kind`` says what it is: ``broadcast``, ``message`` (to one learner),
    ``help_answered`` or ``screen_request`` / ``screen_stop`` (the instructor asks to
    see the learner's screen, or stops looking).
    """

    id: int
    text: str
    time: float
    learner_id: str | None = None
    kind: str = "broadcast"

    def to_json(self) -> dict[str, Any]:
        """The wire form (inbox and dashboard)."""
        return {"id": self.id, "text": self.text, "time": self.time,
                "learner_id": self.learner_id, "kind": self.kind}  # fmt: skip


@dataclass(frozen=True)
class AppendResult:
    """What :meth:`Store.append` did: the events newly stored and the new ``last_seq``."""

    accepted: list[dict[str, Any]]
    last_seq: int


@dataclass(frozen=True)
class AppendRequest:
    """One learner's batch for :meth:`Store.append_many`: validated events, sorted by seq."""

    learner_id: str
    events: list[dict[str, Any]]
    now: float
    """When the server received them (the stored ``received_at``)."""


@dataclass(frozen=True)
class Change:
    """Something another server instance committed to the shared database.

    ``kind`` is ``events`` (``learner_id`` stored events up to ``value``), ``learner``
    (``learner_id`` joined, was renamed or removed), ``broadcast`` (message ``value``
    sent), ``meta`` (room setting ``key`` changed), ``help`` (``learner_id``'s help
    answered up to ``value``), ``screen`` (``learner_id``'s shared screen changed) or
    ``resync`` (notifications may have been missed: read
    everything again).
    """

    kind: str
    learner_id: str | None = None
    value: int = 0
    key: str = ""


class AppendWriter(Protocol):
    """Writes group commits on the event loop itself (see :class:`LoopAppends`)."""

    async def append_many(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        """What :meth:`Store.append_many` does, without a database thread."""
        ...

    async def close(self) -> None:
        """Release what it holds (the server stops)."""
        ...


@runtime_checkable
class LoopAppends(Protocol):
    """A store whose group commits can be written on the server's event loop."""

    def loop_writer(self) -> AppendWriter:
        """A writer of this store's group commits, for the running event loop."""
        ...


class Store(Protocol):
    """Everything the classroom server needs from its database."""

    shared: bool
    """Other server instances may use this database at the same time."""

    def get_meta(self, key: str) -> str | None:
        """A room setting (join code, token secret, share_output …) or None."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Store a room setting."""
        ...

    def set_meta_default(self, key: str, value: str) -> str:
        """The setting ``key``, first set to ``value`` if it has none (of several
        instances starting together, the first decides)."""
        ...

    def join(self, client_id: str, name: str, next_seq: int, now: float) -> Learner:
        """The learner with ``client_id``, created if new (idempotent).

        A new learner's ``last_seq`` is ``next_seq - 1``, so a reporter whose outbox
        already numbered events continues where it is. An existing learner keeps their
        id and ``last_seq``; their name is updated unless the instructor named them.
        Names are made distinct from the other learners' (``Ada (2)``, see
        :func:`workshop.classroom.protocol.distinct_name`). A removed learner is returned
        as such (``removed``), unchanged.
        """
        ...

    def learner_by_client(self, client_id: str) -> Learner | None:
        """The learner who joined with ``client_id``, or None."""
        ...

    def rename(self, learner_id: str, name: str) -> Learner | None:
        """The instructor names a learner (made distinct); None if unknown."""
        ...

    def remove(self, learner_id: str) -> bool:
        """The instructor removes a learner: gone from the room, refused when joining again."""
        ...

    def learner(self, learner_id: str) -> Learner | None:
        """One learner, or None."""
        ...

    def learners(self) -> list[Learner]:
        """Every learner not removed, in join order."""
        ...

    def append(self, learner_id: str, events: list[dict[str, Any]], now: float) -> AppendResult:
        """Store the events that continue the learner's sequence, in one transaction.

        ``events`` are validated and sorted by ``seq``. Events at or below ``last_seq``
        were stored before (a retry) and are skipped; a gap stops the batch, so the
        stored sequence is always 1..last_seq with nothing missing or doubled.
        """
        ...

    def append_many(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        """Group commit: what :meth:`append` does for each request (distinct learners), in
        one transaction; a result per request, in order (None: an unknown learner).

        The acknowledgements are computed from what was really inserted, as for
        :meth:`append`, so exactly-once holds whatever other instances write at once.
        """
        ...

    def announce(self, progress: dict[str, int]) -> None:
        """Tell the other instances that these learners' events are stored up to these seqs
        (after the appends committed; a store no other process shares does nothing)."""
        ...

    def events(
        self, learner_id: str | None = None, limit: int | None = None, after: int = 0
    ) -> list[dict[str, Any]]:
        """Stored events (each with ``learner``), ordered by learner then seq.

        With ``limit``, the last ``limit`` events of the learner; with ``after``, only
        those with a higher seq.
        """
        ...

    def events_after(self, cursors: dict[str, int], limit: int) -> list[dict[str, Any]]:
        """The events of the learners in ``cursors`` (learner id → seq) above that seq,
        ordered by learner then seq, at most ``limit`` of them (the first learners' first)."""
        ...

    def save_summaries(self, rows: list[tuple[str, int, str]]) -> None:
        """Keep ``(learner id, up to seq, summary JSON)``: the room's state of each learner
        after their events up to that seq, read at start-up instead of every event. An
        older summary never replaces a newer one."""
        ...

    def summaries(self) -> dict[str, tuple[int, str]]:
        """learner id → (up to seq, summary JSON), as saved."""
        ...

    def unsummarised_events(self) -> list[dict[str, Any]]:
        """The events above their learner's summary (all of a learner who has none),
        ordered by learner then seq."""
        ...

    def save_contacts(self, rows: list[tuple[str, float]]) -> None:
        """``(learner id, time)``: this instance heard from these learners then (a later
        time never goes back)."""
        ...

    def contacts(self, since: float) -> dict[str, float]:
        """learner id → the last contact any instance saved, for those after ``since``."""
        ...

    def count_events(self) -> int:
        """How many events are stored (benchmarks and tests check nothing is lost)."""
        ...

    def add_broadcast(self, text: str, now: float, learner_id: str | None = None,
                      kind: str = "broadcast") -> Broadcast:  # fmt: skip
        """Record a message (to everyone, or to ``learner_id``); its id orders them all."""
        ...

    def broadcasts(self, after: int = 0, limit: int = 50, to: str | None = None) -> list[Broadcast]:
        """Messages with an id above ``after``, oldest first.

        With ``to``, only those learner ``to`` receives (to everyone, or to them).
        """
        ...

    def last_broadcast(self) -> int:
        """The id of the latest message (0 when none)."""
        ...

    def resolve_help(self, learner_id: str, upto_seq: int, now: float) -> None:
        """The instructor answered the learner's help requests up to ``upto_seq``."""
        ...

    def help_resolutions(self) -> dict[str, int]:
        """learner id → the seq up to which help requests are answered."""
        ...

    def put_screen(self, learner_id: str, frame: str | None, now: float) -> float:
        """A shared store: the learner's latest shared screen (None: sharing stopped), for
        the instances whose dashboards watch it; returns until when a dashboard of any
        instance watches it (0: none). A store no other process shares keeps nothing."""
        ...

    def screen(self, learner_id: str) -> tuple[str, float] | None:
        """A shared store: the learner's latest shared screen and when it came, or None."""
        ...

    def watch_screen(self, learner_id: str, until: float) -> None:
        """A shared store: a dashboard watches the learner's screen until ``until``."""
        ...

    def watch(self, callback: Callable[[Change], None]) -> None:
        """Call ``callback`` (on a thread of the store's) for every change that another
        server instance commits to this database, from now until :meth:`close`."""
        ...

    def close(self) -> None:
        """Release the database."""
        ...
