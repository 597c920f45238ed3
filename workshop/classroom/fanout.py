"""Keeping one server instance in step with the others that share its database.

With PostgreSQL, several ``serve`` processes hold the same room: a learner reports to one,
a dashboard watches another, the instructor broadcasts through a third. The store tells
each instance what the others committed (:meth:`Store.watch`, LISTEN/NOTIFY); this module
folds those changes into the instance's room summary, wakes its dashboards and its
learners' long polls. What a change carries is read back from the database (a notification
says *that* something changed, the store says *what*), so nothing is applied twice or
skipped.

Stored events are announced in batches (:class:`Fanout` gathers the learners whose events
this instance stored and announces them every ``tick``: one notification for many), and
the instances that hear of them read the new events of all those learners in one query.
What waits to be applied is bounded whatever the rate: the highest seq heard per learner,
the learners who joined or changed (a room joining at once is read in one query), and a
bounded list of other changes (past it, the instance reads everything again). Every
``reconcile`` seconds the learners' stored progress is compared with the room's, so an
announcement lost with an instance killed between its commit and its notification is
made good too.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from workshop.classroom.screen import STALE_AFTER
from workshop.classroom.store import Change

if TYPE_CHECKING:
    from workshop.classroom.server import Classroom

log = logging.getLogger("workshop.classroom")

MAX_CHANGES = 1000
"""Changes other than stored events waiting to be applied; past that: a full resync."""
PAGE = 5000
"""Events read from the store in one query while catching up with other instances."""


class Fanout:
    """Announces this instance's stored events; applies the others' changes on the loop."""

    def __init__(self, classroom: Classroom, *, tick: float = 0.05, reconcile: float = 5.0,
                 max_changes: int = MAX_CHANGES, page: int = PAGE):  # fmt: skip
        self.c = classroom
        self.page = page
        self.tick = tick
        self.reconcile = reconcile
        self.max_changes = max_changes
        self.loop = asyncio.get_running_loop()
        # heard on the store's thread, taken on the event loop
        self._lock = threading.Lock()
        self._progress: dict[str, int] = {}
        self._learners: set[str] = set()
        self._changes: deque[Change] = deque()
        self._resync = False
        self._scheduled = False
        self._wake = asyncio.Event()
        # stored here, to announce
        self._stored: dict[str, int] = {}
        self._announce = asyncio.Event()
        self.tasks = [asyncio.ensure_future(self._run())]
        if classroom.store.shared:
            self.tasks += [asyncio.ensure_future(self._announcer()),
                           asyncio.ensure_future(self._reconciler())]  # fmt: skip
            classroom.store.watch(self._heard)

    def pending(self) -> int:
        """Changes heard and not applied yet (bounded: learners plus ``max_changes``)."""
        with self._lock:
            return len(self._progress) + len(self._learners) + len(self._changes)

    # -- this instance's events, announced -------------------------------------------------

    def stored(self, learner_id: str, last_seq: int) -> None:
        """This instance stored the learner's events up to ``last_seq``: announce it soon."""
        if self.c.store.shared:
            self._stored[learner_id] = max(last_seq, self._stored.get(learner_id, 0))
            self._announce.set()

    async def _announcer(self) -> None:
        while True:
            await self._announce.wait()
            await asyncio.sleep(self.tick)  # a burst of appends: one announcement
            self._announce.clear()
            await self.flush()

    async def flush(self) -> None:
        """Announce the stored events not announced yet (each tick, and at shutdown)."""
        stored, self._stored = self._stored, {}
        if stored:
            try:
                await self.c.run(self.c.store.announce, stored)
            except Exception as exc:  # noqa: BLE001 - the others reconcile
                log.warning("classroom: announcing stored events failed: %s: %s",
                            type(exc).__name__, str(exc)[:200])  # fmt: skip

    async def _reconciler(self) -> None:
        first = True  # at once: what was committed between start-up and listening
        while True:
            if not first:
                await asyncio.sleep(self.reconcile)
            try:
                if first:
                    await self.settings()
                    first = False
                for learner in await self.c.run(self.c.store.learners):
                    state = self.c.room.learners.get(learner.id)
                    if state is None or learner.last_seq > state.last_seq:
                        self._heard(Change("events", learner.id, learner.last_seq))
            except Exception as exc:  # noqa: BLE001 - tried again in a moment
                log.warning("classroom: comparing with the database failed: %s: %s",
                            type(exc).__name__, str(exc)[:200])  # fmt: skip

    async def settings(self) -> None:
        """Read the room's settings and latest message again; tell whoever waits."""
        c = self.c
        latest = await c.run(c.store.last_broadcast)
        share_output = await c.run(c.store.get_meta, "share_output") == "1"
        if latest > c.last_broadcast or share_output != c.share_output:
            c.last_broadcast = max(c.last_broadcast, latest)
            c.share_output = share_output
            c.hub.send("settings", c.settings())
            c.poke()

    # -- the other instances' changes, applied -----------------------------------------------

    def _heard(self, change: Change) -> None:
        """On the store's thread (or the loop): note the change, wake the loop once."""
        with self._lock:
            if change.kind == "events" and change.learner_id:
                seq = self._progress.get(change.learner_id, 0)
                self._progress[change.learner_id] = max(seq, change.value)
            elif change.kind == "learner" and change.learner_id:
                self._learners.add(change.learner_id)  # a room's worth joining at once
            elif change.kind == "resync" or len(self._changes) >= self.max_changes:
                self._resync = True
                self._changes.clear()
            else:
                self._changes.append(change)
            if self._scheduled:
                return
            self._scheduled = True
        self.loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            with self._lock:
                progress, self._progress = self._progress, {}
                learners, self._learners = self._learners, set()
                changes, self._changes = list(self._changes), deque()
                full, self._resync = self._resync, False
                self._scheduled = False
            try:
                if full:
                    await resync(self.c)
                    continue
                await self.apply_learners(learners)
                for change in changes:
                    await self.apply(change)
                await self.apply_progress(progress)
            except Exception as exc:  # noqa: BLE001 - one log line; the next change may heal it
                log.error("classroom: applying changes from another instance failed: %s: %s",
                          type(exc).__name__, str(exc)[:200])  # fmt: skip

    async def apply_learners(self, learner_ids: set[str]) -> None:
        """Learners who joined, were renamed or removed through other instances: a few read
        one by one, many (a room joining at once) in one query and their events in pages."""
        c = self.c
        if len(learner_ids) <= 20:
            for learner_id in learner_ids:
                await reload_learner(c, learner_id)
            return
        known = {learner.id: learner for learner in await c.run(c.store.learners)}
        stored: dict[str, int] = {}
        for learner_id in learner_ids:
            learner = known.get(learner_id)
            if learner is None:  # removed: as one
                await reload_learner(c, learner_id)
                continue
            c.room.add_learner(learner.id, learner.name, learner.joined_at)
            stored[learner_id] = learner.last_seq
        await self.apply_progress(stored)
        for learner_id, last_seq in stored.items():
            state = c.room.learners.get(learner_id)
            if state is not None:
                # a reporter that numbered events before joining starts above 0
                state.last_seq = max(state.last_seq, last_seq)
                c.learner_changed(learner_id)

    async def apply_progress(self, progress: dict[str, int]) -> None:
        """Read and apply the learners' events up to the seqs heard, a page per query."""
        c = self.c
        behind: dict[str, int] = {}
        for learner_id, seq in progress.items():
            state = c.room.learners.get(learner_id)
            if state is None:
                await reload_learner(c, learner_id)  # joined through another instance
            elif seq > state.last_seq:
                behind[learner_id] = state.last_seq
        while behind:
            found = await c.run(c.store.events_after, behind, self.page)
            applied = [e for e in found if c.room.apply(e) is not None]
            if applied:
                c.hub.learners_changed({e["learner"] for e in applied}, applied)
            # a full page may have stopped before some learners: they stay behind
            read = {e["learner"] for e in found} if len(found) < self.page else set(behind)
            behind = {lid: c.room.learners[lid].last_seq for lid in behind
                      if lid in read and lid in c.room.learners
                      and c.room.learners[lid].last_seq < progress[lid]}  # fmt: skip

    async def apply(self, change: Change) -> None:
        """Fold one change (not stored events) into this instance's room; tell who waits."""
        c = self.c
        if change.kind == "broadcast":
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
        elif change.kind == "screen" and change.learner_id:
            await read_screen(c, change.learner_id)

    def close(self) -> None:
        """Stop announcing and applying changes."""
        for task in self.tasks:
            task.cancel()


async def read_screen(c: Classroom, learner_id: str) -> None:
    """The learner's shared screen as another instance received it (sharing or stopped)."""
    found = await c.run(c.store.screen, learner_id)
    state = c.room.learners.get(learner_id)
    if found is None or time.time() - found[1] > STALE_AFTER:
        c.screens.stop(learner_id)
        sharing = ""
    else:
        sharing = c.screens.update(learner_id, True, found[0])
    if state is not None and state.sharing != sharing:
        state.sharing = sharing
        c.learner_changed(learner_id)


async def keep_watching(c: Classroom, learner_id: str) -> None:
    """While a dashboard here watches the learner's screen, the instance the learner
    shares through knows it (its answer says ``watching``)."""
    while True:
        await c.run(c.store.watch_screen, learner_id, time.time() + STALE_AFTER)
        await asyncio.sleep(STALE_AFTER / 3)


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
