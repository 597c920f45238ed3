"""Live updates for dashboards: a hub that fans out changes to server-sent-event streams.

Every accepted batch marks its learners dirty on each subscriber; the subscriber's stream
wakes, waits ``coalesce`` seconds so a burst becomes one message, and sends the changed
learners' summaries, the new events (for timelines) and a fresh radar. A slow dashboard
never slows ingestion: pending events per subscriber are bounded (the oldest are dropped,
the summaries are always current).
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Any

MAX_PENDING_EVENTS = 2000


def format_sse(event: str, data: Any) -> bytes:
    """One server-sent event: ``event: NAME`` and a single-line JSON ``data:``."""
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"event: {event}\ndata: {payload}\n\n".encode()


class Subscriber:
    """One open dashboard stream: what changed since its last message."""

    def __init__(self) -> None:
        self.dirty: set[str] = set()
        self.events: deque[dict[str, Any]] = deque(maxlen=MAX_PENDING_EVENTS)
        self.extra: list[tuple[str, Any]] = []
        self.wake = asyncio.Event()


class Hub:
    """The set of open dashboard streams; all methods run on the event loop."""

    def __init__(self, coalesce: float = 0.05, radar_every: float = 2.0):
        self.subscribers: set[Subscriber] = set()
        self.coalesce = coalesce
        self.radar_every = radar_every
        self.closed = asyncio.Event()

    def learners_changed(self, learner_ids: set[str], events: list[dict[str, Any]]) -> None:
        """Accepted events (compact copies are sent) changed these learners."""
        for sub in self.subscribers:
            sub.dirty |= learner_ids
            sub.events.extend(events)
            sub.wake.set()

    def send(self, event: str, data: Any) -> None:
        """Send a named message (broadcast, settings) to every dashboard."""
        for sub in self.subscribers:
            sub.extra.append((event, data))
            sub.wake.set()

    def close(self) -> None:
        """End every stream (server shutdown)."""
        self.closed.set()
        for sub in self.subscribers:
            sub.wake.set()

    async def stream(
        self,
        snapshot: Callable[[], dict[str, Any]],
        learner_json: Callable[[str], dict[str, Any] | None],
        radar: Callable[[], dict[str, Any]],
    ) -> AsyncIterator[bytes]:
        """The byte stream of one dashboard: a snapshot, then updates as they happen."""
        sub = Subscriber()
        self.subscribers.add(sub)
        loop = asyncio.get_running_loop()
        try:
            yield b"retry: 1000\n\n"  # reconnect within a second after a server restart
            yield format_sse("snapshot", snapshot())
            last_radar = loop.time()
            while not self.closed.is_set():
                timeout = max(0.05, self.radar_every - (loop.time() - last_radar))
                try:
                    await asyncio.wait_for(sub.wake.wait(), timeout)
                except TimeoutError:
                    yield format_sse("radar", radar())
                    last_radar = loop.time()
                    continue
                if self.closed.is_set():
                    break
                await asyncio.sleep(self.coalesce)
                sub.wake.clear()
                dirty, sub.dirty = sub.dirty, set()
                events = [_compact(e) for e in sub.events]
                sub.events.clear()
                extra, sub.extra = sub.extra, []
                for name, data in extra:
                    yield format_sse(name, data)
                if dirty or events:
                    learners = [j for j in map(learner_json, sorted(dirty)) if j is not None]
                    yield format_sse("update", {"learners": learners, "events": events,
                                                "radar": radar()})  # fmt: skip
                    last_radar = loop.time()
        finally:
            self.subscribers.discard(sub)


def _compact(event: dict[str, Any]) -> dict[str, Any]:
    """An event as the dashboard timeline shows it (no bulky output)."""
    out = {k: v for k, v in event.items() if k not in ("output", "steps", "received_at")}
    if "output" in event:
        out["output"] = event["output"][:2000]
    return out
