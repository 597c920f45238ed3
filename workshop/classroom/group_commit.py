"""Group commit: the learners' batches that arrive together are stored in one transaction.

At conference scale an instance receives a thousand batches a second, one per request.
Written one by one, each costs a hand-over to the database thread, a statement and a
commit, and most of the server's and the database's time goes there rather than into the
events. :class:`GroupCommit` queues the batches that arrive while a write is under way and
writes them all with the next one (:meth:`workshop.classroom.store.Store.append_many`):
nothing waits for a timer, so a quiet room is answered as fast as before, and the busier
the room, the more batches share a write.

Each request still gets its own result, computed from what was really inserted: a batch
is acknowledged only once its transaction committed, and exactly-once holds as before.
A learner appears at most once in a write (a retry racing its original waits for the next
one), so each result is that learner's own.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

from workshop.classroom.store import AppendRequest, AppendResult

Write = Callable[[list[AppendRequest]], Awaitable[list[AppendResult | None]]]
"""Stores several learners' batches in one transaction (on the database thread)."""

MAX_BATCH = 500
"""Learners' batches in one write at most (a statement's size stays bounded)."""


Queued = tuple[AppendRequest, "asyncio.Future[AppendResult]"]
"""A batch waiting for a write, and where its result goes."""


class GroupCommit:
    """Queues appends and writes them in groups, ``writers`` writes at a time."""

    def __init__(self, write: Write, *, writers: int = 1, max_batch: int = MAX_BATCH) -> None:
        self.write = write
        self.writers = writers
        self.max_batch = max_batch
        self._queue: deque[Queued] = deque()
        self._writing = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self.writes = 0
        """Writes so far (with :attr:`appends`: how many batches shared a write)."""
        self.appends = 0
        self.seconds = 0.0
        """Time the writes took, in all (what a write costs: :attr:`seconds` / :attr:`writes`)."""

    async def append(self, request: AppendRequest) -> AppendResult:
        """Store the learner's batch with the others that come now; its result.

        Raises ``KeyError`` for a learner the store does not know, and what the store
        raised if the whole write failed."""
        future: asyncio.Future[AppendResult] = asyncio.get_running_loop().create_future()
        self._queue.append((request, future))
        self._start()
        return await future

    def pending(self) -> int:
        """Batches waiting for a write."""
        return len(self._queue)

    def _start(self) -> None:
        while self._writing < self.writers and self._queue:
            group = self._take()
            self._writing += 1
            task = asyncio.ensure_future(self._write(group))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _take(self) -> list[Queued]:
        """The queued batches of distinct learners, in order (the rest stay queued)."""
        group: list[Queued] = []
        later: list[Queued] = []
        seen: set[str] = set()
        while self._queue and len(group) < self.max_batch:
            item = self._queue.popleft()
            if item[1].done():  # the request went away before its write: nothing to store
                continue
            if item[0].learner_id in seen:
                later.append(item)
            else:
                seen.add(item[0].learner_id)
                group.append(item)
        self._queue.extendleft(reversed(later))
        return group

    async def _write(self, group: list[Queued]) -> None:
        started = time.perf_counter()
        try:
            results = await self.write([request for request, _ in group])
        except Exception as exc:  # noqa: BLE001 - every request of the write answers it
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)
        else:
            self.writes += 1
            self.appends += len(group)
            self.seconds += time.perf_counter() - started
            for (request, future), result in zip(group, results, strict=True):
                if future.done():
                    continue
                if result is None:
                    future.set_exception(KeyError(request.learner_id))
                else:
                    future.set_result(result)
        finally:
            self._writing -= 1
            self._start()
