"""Keeping one server instance in step with the others that share its database.

With PostgreSQL, several ``serve`` processes hold the same room: a learner reports to one,
a dashboard watches another, the instructor broadcasts through a third. The store tells
each instance what the others committed (:meth:`Store.watch`, LISTEN/NOTIFY); this module
folds those changes into the instance's room summary, wakes its dashboards and its
learners' long polls. Changes are applied one at a time, in the order they arrive, on the
event loop; what they carry is read back from the database (a notification says *that*
something changed, the store says *what*), so nothing is applied twice or skipped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from workshop.classroom.store import Change

if TYPE_CHECKING:
    from workshop.classroom.server import Classroom

log = logging.getLogger("workshop.classroom")


class Fanout:
    """Receives the store's changes on its thread; applies them on the event loop."""

    def __init__(self, classroom: Classroom):
        self.c = classroom
        self.queue: asyncio.Queue[Change] = asyncio.Queue()
        self.loop = asyncio.get_running_loop()
        self.task = asyncio.ensure_future(self._run())
        classroom.store.watch(self._heard)

    def _heard(self, change: Change) -> None:
        """On the store's thread: hand over to the event loop."""
        self.loop.call_soon_threadsafe(self.queue.put_nowait, change)

    async def _run(self) -> None:
        while True:
            change = await self.queue.get()
            try:
                await self.apply(change)
            except Exception as exc:  # noqa: BLE001 - one log line; the next change may heal it
                log.error("classroom: applying %s from another instance failed: %s: %s",
                          change.kind, type(exc).__name__, str(exc)[:200])  # fmt: skip

    async def apply(self, change: Change) -> None:
        """Fold one change into this instance's room and tell whoever waits for it."""
        c = self.c
        if change.kind == "events" and change.learner_id:
            state = c.room.learners.get(change.learner_id)
            if state and change.events and change.events[0].get("seq") == state.last_seq + 1:
                applied = [e for e in change.events if c.room.apply(e) is not None]
                c.hub.learners_changed({change.learner_id}, applied)
            else:  # too large to carry, or this instance missed some: read them
                await catch_up(c, change.learner_id)
        elif change.kind == "learner" and change.learner_id:
            await reload_learner(c, change.learner_id)
        elif change.kind == "broadcast":
            found = await c.run(c.store.broadcasts, change.value - 1, 1)
            for sent in found:
                c.last_broadcast = max(c.last_broadcast, sent.id)
                c.hub.send("broadcast", sent.to_json())
            c.poke()
        elif change.kind == "meta" and change.key == "share_output":
            c.share_output = await c.run(c.store.get_meta, "share_output") == "1"
            c.hub.send("settings", c.settings())
            c.poke()
        elif change.kind == "help" and change.learner_id:
            if c.room.resolve_help(change.learner_id, change.value):
                c.learner_changed(change.learner_id)
        elif change.kind == "resync":
            await resync(c)

    def close(self) -> None:
        """Stop applying changes."""
        self.task.cancel()


async def share_contacts(c: Classroom) -> None:
    """Learners in touch with this instance (a long poll open, a recent request) are shown
    online on every instance: each saves its contacts and reads the others' a few times
    per ``offline_after``."""
    every = min(10.0, c.room.offline_after / 3)
    while True:
        await asyncio.sleep(every)
        now = time.time()
        mine = [(lid, now if s.polls > 0 else s.last_seen) for lid, s in c.room.learners.items()
                if s.polls > 0 or now - s.last_seen < 2 * every]  # fmt: skip
        if mine:
            await c.run(c.store.save_contacts, mine)
        for learner_id, when in (await c.run(c.store.contacts, now - 2 * every)).items():
            state = c.room.learners.get(learner_id)
            if state is not None and when > state.last_seen:
                state.last_seen = when
                if now - when < 2 * every:
                    c.hub.learners_changed({learner_id}, [])


async def reload_learner(c: Classroom, learner_id: str) -> bool:
    """Read one learner back from the store: added, renamed or removed; True if in the room."""
    learner = await c.run(c.store.learner, learner_id)
    if learner is None or learner.removed:
        if learner_id in c.room.learners:
            c.room.remove(learner_id)
            c.hub.send("removed", {"id": learner_id})
        return False
    c.room.add_learner(learner.id, learner.name, learner.joined_at)
    await catch_up(c, learner_id)
    state = c.room.learners[learner_id]
    # a reporter that numbered events before joining starts above 0
    state.last_seq = max(state.last_seq, learner.last_seq)
    c.learner_changed(learner_id)
    return True


async def catch_up(c: Classroom, learner_id: str) -> list[dict[str, Any]]:
    """Apply the learner's stored events this instance has not seen; those events."""
    state = c.room.learners.get(learner_id)
    if state is None:
        await reload_learner(c, learner_id)
        return []
    fresh: list[dict[str, Any]] = await c.run(c.store.events, learner_id, None, state.last_seq)
    applied = [e for e in fresh if c.room.apply(e) is not None]
    if applied:
        c.hub.learners_changed({learner_id}, applied)
    return applied


async def resync(c: Classroom) -> None:
    """After a lost connection: every learner, message and setting read again."""
    known = {learner.id for learner in await c.run(c.store.learners)}
    for learner_id in list(c.room.learners):
        if learner_id not in known:
            await reload_learner(c, learner_id)
    for learner_id in known:
        await reload_learner(c, learner_id)
    c.last_broadcast = max(c.last_broadcast, await c.run(c.store.last_broadcast))
    c.share_output = await c.run(c.store.get_meta, "share_output") == "1"
    c.poke()
