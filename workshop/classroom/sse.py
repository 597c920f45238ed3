"""Live updates for dashboards: a hub that fans out changes to server-sent-event streams.

Every accepted batch marks its learners dirty on each subscriber; the subscriber's stream
wakes, waits ``coalesce`` seconds so a burst becomes one message, and sends the changed
learners' summaries, the new events (for timelines) and the radar when it changed (it is
computed at most every 0.2 s). What every dashboard sends is encoded once for them all:
the radar, each new event, and each changed learner's summary (until it changes again). A slow dashboard
never slows ingestion and costs bounded memory: past :data:`MAX_PENDING_EVENTS` pending
events, a subscriber keeps only, for each learner, the seq after which it stopped queueing;
once the dashboard reads again, those events are read back from the database in pages
(``backlog``), so every stored event reaches every dashboard once, in order.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

MAX_PENDING_EVENTS = 2000
"""Events queued for one dashboard; past that they are read back from the database."""
BACKLOG_PAGE = 2000
"""Events read back from the database for one message of a dashboard that fell behind."""

Backlog = Callable[[dict[str, int]], Awaitable[list[dict[str, Any]]]]
"""Stored events of these learners above these seqs (at most :data:`BACKLOG_PAGE`)."""


def encode(data: Any) -> bytes:
    """Compact single-line JSON, as the dashboard's messages carry it."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def format_sse(event: str, data: Any) -> bytes:
    """One server-sent event: ``event: NAME`` and a single-line JSON ``data:``."""
    return b"event: " + event.encode() + b"\ndata: " + encode(data) + b"\n\n"


Queued = tuple[str, int, bytes]
"""An event waiting for a dashboard: learner id, seq, and its JSON (encoded once)."""


class Subscriber:
    """One open dashboard stream: what changed since its last message."""

    def __init__(self, limit: int = MAX_PENDING_EVENTS) -> None:
        self.dirty: set[str] = set()
        self.events: deque[Queued] = deque()
        self.limit = limit
        self.behind: dict[str, int] = {}
        """learner id → the last seq queued: the later ones are to be read from the store."""
        self.extra: list[tuple[str, Any]] = []
        self.wake = asyncio.Event()

    def add(self, events: list[Queued]) -> None:
        """Queue events, or past the bound note where each learner's queue stops."""
        for event in events:
            learner_id = event[0]
            if learner_id in self.behind:
                continue  # read back from the store later, in order
            if len(self.events) >= self.limit:
                self.behind[learner_id] = event[1] - 1
            else:
                self.events.append(event)

    async def catch_up(
        self, backlog: Backlog, last_seq: Callable[[str], int]
    ) -> list[dict[str, Any]]:
        """A page of the events this dashboard missed while it was behind, from the store."""
        if not self.behind:
            return []
        found = await backlog(dict(self.behind))
        # what the room has not applied yet reaches the hub (and this queue) when it does
        found = [e for e in found if e["seq"] <= last_seq(e["learner"])]
        upto: dict[str, int] = {}
        for event in found:
            upto[event["learner"]] = event["seq"]
        for learner_id in list(self.behind):
            cursor = max(self.behind[learner_id], upto.get(learner_id, 0))
            if cursor >= last_seq(learner_id):  # caught up: queue what comes next again
                del self.behind[learner_id]
            else:
                self.behind[learner_id] = cursor
        if self.behind:
            self.wake.set()  # the next page, after this message is written
        return found


class Hub:
    """The set of open dashboard streams; all methods run on the event loop."""

    def __init__(self, coalesce: float = 0.05, radar_every: float = 2.0,
                 max_pending: int = MAX_PENDING_EVENTS):  # fmt: skip
        self.subscribers: set[Subscriber] = set()
        self.max_pending = max_pending
        self._radar: dict[str, Any] | None = None
        self._radar_json = b""
        self._learners: dict[str, bytes | None] = {}
        """Changed learners' summaries as encoded for the first dashboard that sent them."""
        self.coalesce = coalesce
        self.radar_every = radar_every
        self.closed = asyncio.Event()

    def learners_changed(self, learner_ids: set[str], events: list[dict[str, Any]]) -> None:
        """Accepted events (compact copies are sent) changed these learners."""
        for learner_id in learner_ids:
            self._learners.pop(learner_id, None)
        if not self.subscribers:
            return
        queued = [(e["learner"], e["seq"], encode(_compact(e))) for e in events]
        for sub in self.subscribers:
            sub.dirty |= learner_ids
            sub.add(queued)
            sub.wake.set()

    def _learner(self, learner_id: str, learner_json: Callable[[str], dict[str, Any] | None]
                 ) -> bytes | None:  # fmt: skip
        """A changed learner's summary, encoded once for every dashboard that sends it."""
        if learner_id not in self._learners:
            data = learner_json(learner_id)
            self._learners[learner_id] = None if data is None else encode(data)
        return self._learners[learner_id]

    def send(self, event: str, data: Any) -> None:
        """Send a named message (broadcast, settings, removed) to every dashboard."""
        self._learners.clear()  # a learner removed is no longer in any summary
        for sub in self.subscribers:
            sub.extra.append((event, data))
            sub.wake.set()

    def _encoded(self, radar: dict[str, Any]) -> bytes:
        """The radar's JSON, encoded once for every dashboard (a room of thousands has a
        large one)."""
        if radar is not self._radar:
            self._radar = radar
            self._radar_json = json.dumps(radar, separators=(",", ":"), ensure_ascii=False).encode()
        return self._radar_json

    def close(self) -> None:
        """End every stream (server shutdown)."""
        self.closed.set()
        for sub in self.subscribers:
            sub.wake.set()

    async def stream(
        self,
        snapshot: Callable[[], Awaitable[dict[str, Any]]],
        learner_json: Callable[[str], dict[str, Any] | None],
        radar: Callable[[], dict[str, Any]],
        backlog: Backlog,
        last_seq: Callable[[str], int],
    ) -> AsyncIterator[bytes]:
        """The byte stream of one dashboard: a snapshot, then updates as they happen.

        ``last_seq`` is the room's last applied seq of a learner (-1 when gone):
        events up to it are in the store for ``backlog`` to read."""
        sub = Subscriber(self.max_pending)
        self.subscribers.add(sub)
        loop = asyncio.get_running_loop()
        try:
            # subscribed in the same step as the snapshot reads the room (before its first
            # await): an event is either in the snapshot or in the updates, never lost
            first = await snapshot()
            yield b"retry: 1000\n\n"  # reconnect within a second after a server restart
            yield format_sse("snapshot", first)
            last_radar = loop.time()
            sent: dict[str, Any] | None = first.get("radar")
            while not self.closed.is_set():
                timeout = max(0.05, self.radar_every - (loop.time() - last_radar))
                try:
                    await asyncio.wait_for(sub.wake.wait(), timeout)
                except TimeoutError:
                    sent = radar()
                    yield b"event: radar\ndata: " + self._encoded(sent) + b"\n\n"
                    last_radar = loop.time()
                    continue
                if self.closed.is_set():
                    break
                await asyncio.sleep(self.coalesce)
                sub.wake.clear()
                dirty, sub.dirty = sub.dirty, set()
                events = [e[2] for e in sub.events]
                sub.events.clear()
                events += [encode(_compact(e)) for e in await sub.catch_up(backlog, last_seq)]
                extra, sub.extra = sub.extra, []
                for name, data in extra:
                    yield format_sse(name, data)
                if dirty or events:
                    found = (self._learner(lid, learner_json) for lid in sorted(dirty))
                    learners = b",".join(j for j in found if j is not None)
                    update = (b'event: update\ndata: {"learners":[' + learners
                              + b'],"events":[' + b",".join(events) + b"]}\n\n")  # fmt: skip
                    fresh = radar()
                    if fresh is not sent:  # a radar is sent when it changed, not every time
                        update = update[:-3] + b',"radar":' + self._encoded(fresh) + b"}\n\n"
                        sent = fresh
                        last_radar = loop.time()
                    yield update
        finally:
            self.subscribers.discard(sub)


def _compact(event: dict[str, Any]) -> dict[str, Any]:
    """An event as the dashboard timeline shows it (no bulky output)."""
    out = {k: v for k, v in event.items() if k not in ("output", "steps", "received_at")}
    if "output" in event:
        out["output"] = event["output"][:2000]
    return out
