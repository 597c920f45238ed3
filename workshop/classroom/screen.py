"""Learners' shared screens: the latest frame of each, and the instructors watching it.

A learner shares their terminal only by their own action (raising a hand, or accepting
the instructor's request); their reporter then posts the screen as plain text, redacted,
a few times a second while it changes. The server keeps only the latest frame of each
learner, in memory (frames are worth nothing a second later), and streams it to the
dashboards watching as server-sent events. When the learner stops, the watchers are
told and the frame is dropped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from workshop.classroom.sse import format_sse

LIVE = "live"
STALE_AFTER = 10.0
"""Seconds without a frame after which a share counts as ended (the learner vanished)."""


@dataclass
class Shared:
    """One learner's shared screen."""

    frame: str = ""
    version: int = 0
    updated: float = 0.0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    watchers: int = 0


class Screens:
    """Every shared screen; all methods run on the event loop."""

    def __init__(self) -> None:
        self.shared: dict[str, Shared] = {}
        self.closed = False

    def update(self, learner_id: str, sharing: bool, frame: str | None) -> str:
        """The learner's post: a new frame, or the end of sharing; returns the new state."""
        if not sharing:
            self.stop(learner_id)
            return ""
        shared = self.shared.setdefault(learner_id, Shared())
        shared.updated = time.monotonic()
        if frame is not None and frame != shared.frame:
            shared.frame = frame
            shared.version += 1
            self._wake(shared)
        return LIVE

    def stop(self, learner_id: str) -> None:
        """The learner stopped sharing (or left)."""
        shared = self.shared.pop(learner_id, None)
        if shared is not None:
            self._wake(shared)

    def watching(self, learner_id: str) -> bool:
        """Whether a dashboard is watching this learner's screen now."""
        shared = self.shared.get(learner_id)
        return shared is not None and shared.watchers > 0

    def is_live(self, learner_id: str) -> bool:
        """The learner shares and their last frame is recent."""
        shared = self.shared.get(learner_id)
        return shared is not None and time.monotonic() - shared.updated < STALE_AFTER

    def close(self) -> None:
        """End every stream (server shutdown)."""
        self.closed = True
        for shared in self.shared.values():
            self._wake(shared)

    @staticmethod
    def _wake(shared: Shared) -> None:
        shared.changed.set()
        shared.changed = asyncio.Event()

    async def stream(self, learner_id: str) -> AsyncIterator[bytes]:
        """Server-sent events for one dashboard: ``frame`` on each change, ``stopped`` at the end."""
        shared = self.shared.get(learner_id)
        if shared is None:
            yield format_sse("stopped", {"reason": "not shared"})
            return
        shared.watchers += 1
        try:
            yield b"retry: 2000\n\n"
            version = -1
            while not self.closed and self.shared.get(learner_id) is shared:
                if shared.version != version:
                    version = shared.version
                    yield format_sse("frame", {"text": shared.frame, "version": version})
                waiter = shared.changed
                try:
                    await asyncio.wait_for(waiter.wait(), STALE_AFTER)
                except TimeoutError:
                    if not self.is_live(learner_id):
                        self.stop(learner_id)
                        break
            yield format_sse("stopped", {"reason": "the learner stopped sharing"})
        finally:
            shared.watchers -= 1
