"""Group commit: the batches that arrive while a write is under way share the next one.

Driven on a real store (SQLite; the PostgreSQL statement is in the store suite), with the
store's write held open by the test so that what arrives meanwhile is known.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from workshop.classroom.group_commit import GroupCommit
from workshop.classroom.sqlite_store import SQLiteStore
from workshop.classroom.store import AppendRequest, AppendResult


def events(first: int, last: int) -> list[dict[str, Any]]:
    return [{"seq": s, "kind": "command_run", "lesson": "L", "step": "s1", "time": 1.0}
            for s in range(first, last + 1)]  # fmt: skip


class HeldStore:
    """The store's group write, held until the test lets it go; the groups it wrote."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.release = threading.Event()
        self.groups: list[list[str]] = []

    async def write(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        self.groups.append([r.learner_id for r in requests])
        await asyncio.to_thread(self.release.wait, 10)
        return self.store.append_many(requests)


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "classroom.sqlite3")


def test_batches_arriving_during_a_write_share_the_next_and_each_gets_its_own_result(
    store: SQLiteStore,
) -> None:
    ids = [store.join(f"client-{n}", f"L{n}", 1, 10.0).id for n in range(6)]
    held = HeldStore(store)
    commit = GroupCommit(held.write)

    async def scenario() -> list[AppendResult | BaseException]:
        first = asyncio.ensure_future(commit.append(AppendRequest(ids[0], events(1, 2), 1.0)))
        await asyncio.sleep(0.05)  # the first write is under way, held
        rest = [asyncio.ensure_future(commit.append(AppendRequest(lid, events(1, 3), 2.0)))
                for lid in ids[1:]]  # fmt: skip
        # a retry of learner 1's batch, racing it: it waits for the write after
        retry = asyncio.ensure_future(commit.append(AppendRequest(ids[1], events(1, 4), 3.0)))
        unknown = asyncio.ensure_future(commit.append(AppendRequest("l_who", events(1, 1), 3.0)))
        await asyncio.sleep(0.05)
        assert commit.pending() == 7
        held.release.set()
        return await asyncio.gather(first, *rest, retry, unknown, return_exceptions=True)

    results = asyncio.run(scenario())
    assert held.groups == [ids[:1], ids[1:] + ["l_who"], ids[1:2]]
    assert (commit.writes, commit.appends) == (3, 8)
    first, *rest, retry, unknown = results
    assert isinstance(first, AppendResult) and first.last_seq == 2
    for result in rest:
        assert isinstance(result, AppendResult)
        assert [e["seq"] for e in result.accepted] == [1, 2, 3] and result.last_seq == 3
    assert isinstance(retry, AppendResult)
    assert [e["seq"] for e in retry.accepted] == [4] and retry.last_seq == 4
    assert isinstance(unknown, KeyError)
    assert store.count_events() == 2 + 5 * 3 + 1


def test_a_failed_write_fails_each_of_its_requests_and_the_next_write_goes_on(
    store: SQLiteStore,
) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0).id
    calls = 0

    async def flaky(requests: list[AppendRequest]) -> list[AppendResult | None]:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(0.05)
            raise ConnectionError("the database went away")
        return store.append_many(requests)

    commit = GroupCommit(flaky)

    async def scenario() -> tuple[BaseException | AppendResult, ...]:
        first = asyncio.ensure_future(commit.append(AppendRequest(ada, events(1, 1), 1.0)))
        await asyncio.sleep(0.01)
        second = asyncio.ensure_future(commit.append(AppendRequest(ada, events(1, 2), 1.0)))
        return tuple(await asyncio.gather(first, second, return_exceptions=True))

    failed, stored = asyncio.run(scenario())
    assert isinstance(failed, ConnectionError)
    assert isinstance(stored, AppendResult) and stored.last_seq == 2
    assert store.count_events() == 2
