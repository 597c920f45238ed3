"""The store suite: every backend (SQLite, PostgreSQL) keeps the same promises.

The PostgreSQL runs use a real server (``pg_cluster``), a fresh database per test; two
stores opened on one database stand for two server instances.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from workshop.classroom.sqlite_store import SQLiteStore
from workshop.classroom.store import AppendRequest, Change, Store

if TYPE_CHECKING:
    from workshop.classroom.postgres_store import PostgresStore

Opener = Callable[[], Store]


def postgres_store(url: str) -> PostgresStore:
    """``PostgresStore(url)``, its module imported on the first call: psycopg costs each test
    worker that collects this module but runs no PostgreSQL test about 0.2 s of CPU."""
    from workshop.classroom.postgres_store import PostgresStore as Opened

    return Opened(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a store on this test's database (each call: another instance on it)."""
    if request.param == "sqlite":
        target = tmp_path / "classroom.sqlite3"

        def opener() -> Store:
            return SQLiteStore(target)
    else:
        url = request.getfixturevalue("pg_url")

        def opener() -> Store:
            return postgres_store(url)

    opened: list[Store] = []

    def tracked() -> Store:
        opened.append(opener())
        return opened[-1]

    yield tracked
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Opener) -> Store:
    return open_store()


def events(first: int, last: int, kind: str = "command_run", **extra: Any) -> list[dict[str, Any]]:
    return [{"seq": s, "kind": kind, "lesson": "L", "step": "s1", "time": 1.0, **extra}
            for s in range(first, last + 1)]  # fmt: skip


def test_meta_set_get_and_default(store: Store) -> None:
    assert store.get_meta("code") is None
    store.set_meta("code", "A")
    store.set_meta("code", "B")
    assert store.get_meta("code") == "B"
    assert store.set_meta_default("secret", "first") == "first"
    assert store.set_meta_default("secret", "second") == "first"


def test_join_is_idempotent_and_names_are_distinct(store: Store) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0)
    again = store.join("client-a", "Ada", 5, 11.0)
    assert again.id == ada.id and again.last_seq == 0 and again.joined_at == 10.0
    other = store.join("client-b", "ada", 4, 12.0)
    assert other.name == "ada (2)" and other.last_seq == 3
    assert [learner.id for learner in store.learners()] == [ada.id, other.id]
    assert store.learner_by_client("client-b") == other
    assert store.learner("l_unknown") is None


def test_rename_sticks_and_remove_refuses_the_next_join(store: Store) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0)
    renamed = store.rename(ada.id, "Ada L.")
    assert renamed is not None and renamed.named_by_instructor
    assert store.join("client-a", "Someone", 1, 11.0).name == "Ada L."
    assert store.remove(ada.id) and not store.remove(ada.id)
    assert store.join("client-a", "Ada", 1, 12.0).removed
    assert store.learners() == [] and store.rename(ada.id, "x") is None


def test_append_skips_retries_and_stops_at_a_gap(store: Store) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0)
    first = store.append(ada.id, events(1, 3, command="ls"), 20.0)
    assert [e["seq"] for e in first.accepted] == [1, 2, 3] and first.last_seq == 3
    retry = store.append(ada.id, events(2, 5), 21.0)
    assert [e["seq"] for e in retry.accepted] == [4, 5] and retry.last_seq == 5
    gap = store.append(ada.id, events(6, 6) + events(8, 9), 22.0)
    assert [e["seq"] for e in gap.accepted] == [6] and gap.last_seq == 6
    assert [e["seq"] for e in store.events(ada.id)] == [1, 2, 3, 4, 5, 6]
    doubled = store.append(ada.id, events(7, 7, command="first") + events(7, 8), 23.0)
    assert [(e["seq"], e.get("command")) for e in doubled.accepted] == [(7, "first"), (8, None)]
    assert doubled.last_seq == 8 and store.append(ada.id, events(1, 2), 24.0).last_seq == 8
    stored = store.events(ada.id, limit=2)
    assert [e["seq"] for e in stored] == [7, 8]
    assert store.events(ada.id)[0] == {"learner": ada.id, "seq": 1, "kind": "command_run",
                                       "lesson": "L", "step": "s1", "time": 1.0,
                                       "received_at": 20.0, "command": "ls"}  # fmt: skip
    assert [e["seq"] for e in store.events(ada.id, after=4)] == [5, 6, 7, 8]
    assert store.count_events() == 8
    with pytest.raises(KeyError):
        store.append("l_unknown", events(1, 1), 1.0)


def test_events_after_per_learner_cursors_in_pages(store: Store) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0)
    bob = store.join("client-b", "Bob", 1, 10.0)
    store.append(ada.id, events(1, 5), 20.0)
    store.append(bob.id, events(1, 3), 20.0)
    found = store.events_after({ada.id: 3, bob.id: 0}, 100)
    expected = [(ada.id, 4), (ada.id, 5), (bob.id, 1), (bob.id, 2), (bob.id, 3)]
    assert [(e["learner"], e["seq"]) for e in found] == sorted(expected)
    every = sorted([(ada.id, s) for s in range(1, 6)] + [(bob.id, s) for s in range(1, 4)])
    page = store.events_after({ada.id: 0, bob.id: 0}, 4)
    assert [(e["learner"], e["seq"]) for e in page] == every[:4]
    assert store.events_after({}, 10) == [] and store.events_after({ada.id: 5}, 10) == []


def test_concurrent_instances_store_and_acknowledge_each_event_once(open_store: Opener) -> None:
    """Two instances receive the same batches at once (a retry racing the original): every
    event is stored once and acknowledged as accepted by exactly one of them."""
    stores = [open_store(), open_store()]
    learner = stores[0].join("client-a", "Ada", 1, 10.0)
    accepted: list[int] = []
    lock = threading.Lock()

    def send(store: Store) -> None:
        for first in range(1, 200, 10):
            result = store.append(learner.id, events(first, first + 9), time.time())
            with lock:
                accepted.extend(e["seq"] for e in result.accepted)

    threads = [threading.Thread(target=send, args=(s,)) for s in stores for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(accepted) == list(range(1, 201))
    assert [e["seq"] for e in stores[1].events(learner.id)] == list(range(1, 201))
    assert stores[1].learner(learner.id).last_seq == 200  # type: ignore[union-attr]


def test_a_group_commit_stores_each_learner_s_batch_as_append_does(store: Store) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0)
    bob = store.join("client-b", "Bob", 1, 10.0)
    cy = store.join("client-c", "Cy", 1, 10.0)
    store.append(bob.id, events(1, 2), 20.0)
    results = store.append_many([
        AppendRequest(ada.id, events(1, 3, command="ls"), 30.0),
        AppendRequest(cy.id, [], 30.0),  # nothing to store: the learner's state all the same
        AppendRequest("l_unknown", events(1, 1), 30.0),
        AppendRequest(bob.id, events(2, 4), 31.0),  # a retry of 2: 3 and 4 are new
        AppendRequest("l_other", events(1, 1), 32.0),
    ])  # fmt: skip
    ada_r, empty, unknown, bob_r, _ = results
    assert empty is not None and empty.accepted == [] and empty.last_seq == 0
    cy_r = store.append_many(
        [AppendRequest(cy.id, events(1, 1, output='é ✓ "q"\n\\') + events(3, 4), 32.0)]
    )[0]  # a gap after 1
    assert unknown is None
    assert ada_r is not None and [e["seq"] for e in ada_r.accepted] == [1, 2, 3]
    assert ada_r.accepted[0] == {"learner": ada.id, "seq": 1, "kind": "command_run",
                                 "lesson": "L", "step": "s1", "time": 1.0,
                                 "received_at": 30.0, "command": "ls"}  # fmt: skip
    assert ada_r.last_seq == 3
    assert bob_r is not None and [e["seq"] for e in bob_r.accepted] == [3, 4]
    assert bob_r.last_seq == 4
    assert cy_r is not None and [e["seq"] for e in cy_r.accepted] == [1] and cy_r.last_seq == 1
    assert store.events(cy.id)[0]["output"] == 'é ✓ "q"\n\\'
    assert [e["received_at"] for e in store.events(bob.id)] == [20.0, 20.0, 31.0, 31.0]
    assert {lr.id: lr.last_seq for lr in store.learners()} == {ada.id: 3, bob.id: 4, cy.id: 1}
    again = store.append_many([AppendRequest(ada.id, events(1, 3), 40.0)])[0]
    assert again is not None and again.accepted == [] and again.last_seq == 3
    assert store.count_events() == 8


def test_concurrent_group_commits_store_and_acknowledge_each_event_once(
    open_store: Opener, caplog: pytest.LogCaptureFixture
) -> None:
    """Two instances write groups of the same learners at once, in opposite orders (each
    batch racing its retry): every event is stored once, acknowledged once, and the
    learners' rows locked by both never deadlock."""
    stores = [open_store(), open_store()]
    ids = [stores[0].join(f"client-{n}", f"L{n}", 1, 10.0).id for n in range(12)]
    accepted: list[tuple[str, int]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def send(store: Store, order: list[str]) -> None:
        try:
            for first in range(1, 60, 5):
                group = [AppendRequest(lid, events(first, first + 4), time.time()) for lid in order]
                for request, result in zip(group, store.append_many(group), strict=True):
                    assert result is not None
                    with lock:
                        accepted.extend((request.learner_id, e["seq"]) for e in result.accepted)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    orders = [ids, ids[::-1]]
    threads = [threading.Thread(target=send, args=(s, orders[n % 2]))
               for n, s in enumerate(stores * 2)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert "one at a time" not in caplog.text  # no group had to be tried again
    assert sorted(accepted) == sorted((lid, seq) for lid in ids for seq in range(1, 61))
    assert stores[1].count_events() == 12 * 60
    assert {lr.last_seq for lr in stores[1].learners()} == {60}


def test_broadcasts_ids_order_and_recipients(open_store: Opener) -> None:
    one, two = open_store(), open_store()
    ada = one.join("client-a", "Ada", 1, 10.0)
    ids = [one.add_broadcast("all", 1.0).id, two.add_broadcast("you", 2.0, ada.id, "message").id,
           two.add_broadcast("other", 3.0, "l_other", "message").id]  # fmt: skip
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert [b.text for b in one.broadcasts(0, 50, ada.id)] == ["all", "you"]
    assert [b.text for b in one.broadcasts(ids[0])] == ["you", "other"]
    assert one.last_broadcast() == ids[-1]


def test_help_resolutions(store: Store) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0)
    store.resolve_help(ada.id, 3, 1.0)
    store.resolve_help(ada.id, 7, 2.0)
    assert store.help_resolutions() == {ada.id: 7}


def test_another_instance_s_writes_are_announced(pg_url: str) -> None:
    """PostgreSQL: what one instance commits, the other hears of (and not its own)."""
    mine, theirs = postgres_store(pg_url), postgres_store(pg_url)
    heard: list[Change] = []
    try:
        mine.watch(heard.append)
        time.sleep(0.3)
        mine.set_meta("share_output", "1")  # its own: not echoed
        ada = theirs.join("client-a", "Ada", 1, 10.0)
        theirs.append(ada.id, events(1, 2), 11.0)
        theirs.announce({ada.id: 2, "l_other": 7})  # stored events: announced in batches
        sent = theirs.add_broadcast("hi", 12.0)
        theirs.set_meta("share_output", "0")
        theirs.resolve_help(ada.id, 2, 13.0)
        deadline = time.monotonic() + 5
        while len(heard) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heard == [Change("learner", ada.id), Change("events", ada.id, 2),
                         Change("events", "l_other", 7), Change("broadcast", None, sent.id),
                         Change("meta", key="share_output"), Change("help", ada.id, 2)]  # fmt: skip
    finally:
        mine.close()
        theirs.close()


def test_schema_is_versioned_and_reopening_keeps_the_data(pg_url: str) -> None:
    import psycopg

    first = postgres_store(pg_url)
    first.join("client-a", "Ada", 1, 10.0)
    first.close()
    again = postgres_store(pg_url)
    try:
        assert [learner.name for learner in again.learners()] == ["Ada"]
    finally:
        again.close()
    with psycopg.connect(pg_url) as conn:
        version = conn.execute("SELECT version FROM classroom.schema_version").fetchall()
    assert version == [(5,)]  # every migration applied


def test_summaries_and_the_events_after_them(store: Store) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0)
    bob = store.join("client-b", "Bob", 1, 10.0)
    store.append(ada.id, events(1, 5), 20.0)
    store.append(bob.id, events(1, 2), 20.0)
    store.save_summaries([(ada.id, 3, '{"at": 3}')])
    store.save_summaries([(ada.id, 2, '{"at": 2}')])  # older: kept out
    assert store.summaries() == {ada.id: (3, '{"at": 3}')}
    assert [(e["learner"], e["seq"]) for e in store.unsummarised_events()] == sorted(
        [(ada.id, 4), (ada.id, 5), (bob.id, 1), (bob.id, 2)]
    )


def test_contacts_keep_the_latest(store: Store) -> None:
    ada = store.join("client-a", "Ada", 1, 10.0)
    bob = store.join("client-b", "Bob", 1, 10.0)
    store.save_contacts([(ada.id, 50.0), (bob.id, 20.0)])
    store.save_contacts([(ada.id, 40.0)])  # older: kept out
    assert store.contacts(0.0) == {ada.id: 50.0, bob.id: 20.0}
    assert store.contacts(30.0) == {ada.id: 50.0}


def test_shared_screens_and_who_watches_them(pg_url: str) -> None:
    """PostgreSQL: the screen a learner shares through one instance, read by another."""
    mine, theirs = postgres_store(pg_url), postgres_store(pg_url)
    try:
        ada = mine.join("client-a", "Ada", 1, 10.0)
        assert theirs.screen(ada.id) is None
        assert mine.put_screen(ada.id, "$ ls", 100.0) == 0.0  # nobody watches yet
        assert theirs.screen(ada.id) == ("$ ls", 100.0)
        theirs.watch_screen(ada.id, 130.0)
        theirs.watch_screen(ada.id, 120.0)  # an older watcher's renewal never shortens it
        assert mine.put_screen(ada.id, "$ cf push", 101.0) == 130.0
        mine.put_screen(ada.id, None, 102.0)
        assert theirs.screen(ada.id) is None
    finally:
        mine.close()
        theirs.close()


def test_group_commits_on_the_event_loop_survive_a_lost_connection(pg_url: str) -> None:
    """PostgreSQL's writer on the event loop: same results as the store's; the group whose
    connection was killed fails as a whole (its learners send again), and the next group
    is written on a new connection."""
    import psycopg

    store = postgres_store(pg_url)
    writer = store.loop_writer()
    ada, bob = (store.join(f"client-{n}", n, 1, 10.0).id for n in ("a", "b"))

    async def scenario() -> tuple[list[int | None], list[int | None]]:
        first = await writer.append_many([AppendRequest(ada, events(1, 2), 20.0),
                                          AppendRequest("l_who", events(1, 1), 20.0)])  # fmt: skip
        assert writer._conn is not None
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (writer._conn.info.backend_pid,))
        group = [AppendRequest(ada, events(2, 3), 21.0), AppendRequest(bob, events(1, 1), 21.0)]
        with pytest.raises(psycopg.OperationalError):
            await writer.append_many(group)
        after = await writer.append_many(group)
        await writer.close()
        return ([r.last_seq if r else None for r in first],
                [r.last_seq if r else None for r in after])  # fmt: skip

    try:
        assert asyncio.run(scenario()) == ([2, None], [3, 1])
        assert [e["seq"] for e in store.events(ada)] == [1, 2, 3]
        assert store.count_events() == 4
    finally:
        store.close()


def test_a_batch_the_database_refuses_does_not_keep_the_group_s_others_out(pg_url: str) -> None:
    """PostgreSQL: a statement that fails for one learner's batch (here a NUL character,
    which text columns refuse) is tried again one learner at a time: the others' events are
    stored (their retry is acknowledged), the refused batch is not."""
    import psycopg

    store = postgres_store(pg_url)
    writer = store.loop_writer()
    ada, bob, cy = (store.join(f"client-{n}", n, 1, 10.0).id for n in ("a", "b", "c"))
    bad = [dict(events(1, 1)[0], lesson="L\x00")]
    try:
        with pytest.raises(psycopg.errors.DataError):
            store.append_many([AppendRequest(ada, bad, 1.0), AppendRequest(bob, events(1, 2), 1.0)])

        async def on_the_loop() -> None:
            with pytest.raises(psycopg.errors.DataError):
                await writer.append_many([AppendRequest(cy, events(1, 1), 1.0),
                                          AppendRequest(ada, bad, 1.0)])  # fmt: skip
            await writer.close()

        asyncio.run(on_the_loop())
        assert {lr.id: lr.last_seq for lr in store.learners()} == {ada: 0, bob: 2, cy: 1}
        retry = store.append_many([AppendRequest(bob, events(1, 2), 2.0)])[0]
        assert retry is not None and retry.accepted == [] and retry.last_seq == 2
    finally:
        store.close()
