"""Several ``serve`` processes on one PostgreSQL database: one room, whichever is asked.

A learner reports to instance A, a dashboard watches instance B, the instructor speaks
through either; instances are killed and restarted while learners report, as a server of
a pool behind a proxy or round-robin DNS would be.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from classroom_support import CODE, HTTP, TOKEN, ServerProcess, wait_for
from pg_support import Cluster

from workshop.classroom.reporter import Reporter

NOW = time.time()
INSTRUCTOR = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def kept_pair() -> Iterator[list[ServerProcess]]:
    """The instances of :func:`pair`, stopped after the module's tests."""
    servers: list[ServerProcess] = []
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def pair(kept_pair: list[ServerProcess], pg_cluster: Cluster) -> list[ServerProcess]:
    """Two instances on one fresh PostgreSQL database, shared by the module's tests that
    neither stop them nor need an empty room (each has learners of its own); the first
    test that asks starts them, in its isolated environment. A learner not heard from for
    a second is offline (``--offline-after 1``), so that a test sees it soon."""
    if not kept_pair:
        pg_url = pg_cluster.new_database()
        for _ in range(2):
            server = ServerProcess(Path(pg_url), dict(os.environ), ["--offline-after", "1"])
            server.db = pg_url  # type: ignore[assignment]  # a URL, passed as --db
            kept_pair.append(server.start())
    return kept_pair


class Stream:
    """A dashboard's event stream (``/api/stream``) read on a thread of its own."""

    def __init__(self, url: str):
        self.messages: list[tuple[str, Any]] = []
        self.client = httpx.Client(timeout=httpx.Timeout(10, read=None))
        self.thread = threading.Thread(target=self._read, args=(url,), daemon=True)
        self.thread.start()

    def _read(self, url: str) -> None:
        try:
            with self.client.stream("GET", url + "/api/stream", headers=INSTRUCTOR) as response:
                name = ""
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        self.messages.append((name, json.loads(line[6:])))
        except httpx.HTTPError:
            pass

    def seen(self, name: str) -> list[Any]:
        return [data for kind, data in self.messages if kind == name]

    def close(self) -> None:
        self.client.close()


def learner_on(server: ServerProcess, name: str) -> dict[str, Any] | None:
    return next((lr for lr in server.room()["learners"] if lr["name"] == name), None)


def joined(server: ServerProcess, name: str, client_id: str) -> dict[str, Any]:
    """A learner ``name`` joined through ``server`` (its id, token, broadcast_after …)."""
    answer = HTTP.post(
        server.url + "/api/join", json={"code": CODE, "name": name, "client_id": client_id}
    )
    return dict(answer.json())


def test_a_learner_on_one_instance_is_seen_on_the_other(pair: list[ServerProcess]) -> None:
    a, b = pair
    dashboard = Stream(b.url)
    wait_for(lambda: dashboard.seen("snapshot"), 10, "B's dashboard snapshot")
    join = joined(a, "Ada", "c" * 32)
    lid, auth = join["learner_id"], {"Authorization": f"Bearer {join['token']}"}
    batch = [{"seq": 1, "kind": "step_started", "lesson": "L", "step": "target", "time": NOW + 1.0},
             {"seq": 2, "kind": "command_run", "lesson": "L", "step": "target", "time": NOW + 2.0,
              "command": "cf target", "attempt": True, "exit_code": 0},
             {"seq": 3, "kind": "step_completed", "lesson": "L", "step": "target", "time": NOW + 3.0}]  # fmt: skip
    assert HTTP.post(f"{a.url}/api/learners/{lid}/events", json={"events": batch},
                     headers=auth).json()["acked"] == 3  # fmt: skip
    on_b = wait_for(lambda: (lr := learner_on(b, "Ada")) and lr["last_seq"] == 3 and lr, 5,
                    "Ada's progress on instance B")  # fmt: skip
    streamed = wait_for(lambda: [e for u in dashboard.seen("update") for e in u["events"]
                                 if e.get("learner") == lid], 5, "the events on B's stream")  # fmt: skip
    assert on_b["cells"] == learner_on(a, "Ada")["cells"]  # type: ignore[index]
    assert on_b["cells"]["L"]["target"]["status"] == "done"
    assert [e["seq"] for e in streamed] == [1, 2, 3]
    # the learner's token is good on B; a broadcast sent to B reaches the long poll on A
    poll: dict[str, Any] = {}
    waiting = threading.Thread(target=lambda: poll.update(HTTP.get(
        f"{a.url}/api/learners/{lid}/inbox?after=0&wait=10", headers=auth).json()))  # fmt: skip
    waiting.start()
    time.sleep(0.3)
    sent = time.monotonic()
    HTTP.post(b.url + "/api/broadcast", json={"text": "break at 11"}, headers=INSTRUCTOR)
    waiting.join(10)
    # woken by the broadcast through the other instance, not by the 10 s wait running out
    assert time.monotonic() - sent < 8
    assert [m["text"] for m in poll["broadcasts"]] == ["break at 11"]
    # settings follow too
    HTTP.post(a.url + "/api/settings", json={"share_output": True}, headers=INSTRUCTOR)
    wait_for(lambda: b.room()["settings"]["share_output"], 5, "share_output on B")
    more = [{"seq": 4, "kind": "command_run", "lesson": "L", "step": "push", "time": NOW + 4.0,
             "command": "cf push", "output": "é" * 8000}]  # too large to carry in a notification  # fmt: skip
    answer = HTTP.post(f"{b.url}/api/learners/{lid}/events", json={"events": more}, headers=auth)
    assert answer.json()["acked"] == 4 and answer.json()["settings"]["share_output"]
    wait_for(lambda: learner_on(a, "Ada")["last_seq"] == 4, 5, "B's event on A")  # type: ignore[index]
    assert a.timeline(lid)[-1]["output"] == "é" * 8000
    dashboard.close()


def test_a_learner_waiting_on_one_instance_is_online_on_the_other(
    pair: list[ServerProcess],
) -> None:
    a, b = pair
    join = joined(a, "Quiet", "q" * 32)
    # the learner's long poll stays open on A (a raw connection, dropped at the end), after
    # the broadcasts sent before it joined (another test's)
    after = join["broadcast_after"]
    with socket.create_connection(("127.0.0.1", a.port)) as poll:
        poll.sendall(
            f"GET /api/learners/{join['learner_id']}/inbox?after={after}&wait=30 HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {join['token']}\r\n\r\n".encode()
        )
        time.sleep(2)  # twice --offline-after: only the open long poll on A says "online"
        assert learner_on(a, "Quiet")["online"]  # type: ignore[index]
        wait_for(lambda: (lr := learner_on(b, "Quiet")) and lr["online"], 10,
                 "Quiet online on B")  # fmt: skip
        assert learner_on(a, "Quiet")["online"]  # type: ignore[index]


def test_killing_either_instance_mid_stream_loses_and_doubles_nothing(
    pair: list[ServerProcess], tmp_path: Path
) -> None:
    a, b = pair
    total = 300
    reporters = [Reporter(server.url, CODE, name, outbox_path=tmp_path / f"{name}.sqlite3")
                 for server, name in ((a, "Grace"), (b, "Hedy"))]  # fmt: skip
    for reporter in reporters:
        reporter.min_backoff = reporter.max_backoff = 0.1
        reporter.batch_size = 4
        for i in range(total):
            reporter.report("command_run", lesson="L", step="push", command=f"echo {i}",
                            exit_code=0)  # fmt: skip

    # each instance is killed while its own learner still has events to send
    for server, reporter, left in (
        (a, reporters[0], 2 * total // 3),
        (b, reporters[1], total // 3),
    ):
        reporter.start()
        wait_for(lambda r=reporter, n=left: r.pending <= n, 20, f"{left} events left to send")
        server.kill()
        assert 0 < reporter.pending
        server.start()  # same port, same database
    for reporter in reporters:
        wait_for(lambda r=reporter: r.pending == 0, 20, "the outbox to drain after restarts")
        reporter.close()
    for name in ("Grace", "Hedy"):
        for server in (a, b):
            lr = wait_for(lambda s=server, n=name: (x := learner_on(s, n)) and
                          x["last_seq"] == total and x, 10, f"{name} complete")  # fmt: skip
            events = server.timeline(lr["id"])
            assert [e["seq"] for e in events] == list(range(1, total + 1))
            assert [e["command"] for e in events] == [f"echo {i}" for i in range(total)]
            assert lr["cells"]["L"]["push"]["commands"] == total


def test_workers_share_the_port_and_stop_together(pg_url: str, tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "unused", dict(os.environ), extra=["--workers", "2"])
    server.db = pg_url  # type: ignore[assignment]
    server.start()
    try:
        assert server.proc is not None
        children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children")
        workers = wait_for(lambda: len(children.read_text().split()) == 2 and
                           children.read_text().split(), 10, "two workers")  # fmt: skip
        reporters = [Reporter(server.url, CODE, f"W{i}", outbox_path=tmp_path / f"{i}.sqlite3")
                     for i in range(6)]  # fmt: skip
        for reporter in reporters:
            reporter.report("command_run", lesson="L", step="push", command="ls", exit_code=0)
            reporter.start()
        for reporter in reporters:
            wait_for(lambda r=reporter: r.pending == 0, 10, "the outbox to drain")
            reporter.close()
        # every learner is in the room of whichever worker answers (a new connection each)
        for _ in range(6):
            room = httpx.get(server.url + "/api/room", headers=INSTRUCTOR).json()
            assert sorted(lr["name"] for lr in room["learners"]) == [f"W{i}" for i in range(6)]
        # a worker that dies is replaced, and the room is still whole on the new one
        os.kill(int(workers[0]), signal.SIGKILL)
        workers = wait_for(lambda: (now := children.read_text().split()) and len(now) == 2
                           and workers[0] not in now and now, 10, "a new worker")  # fmt: skip
        for _ in range(6):
            room = wait_for(lambda: _room_or_none(server.url), 10, "an answer")
            assert len(room["learners"]) == 6
    finally:
        server.stop()
    assert server.proc.returncode == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def _room_or_none(url: str) -> dict[str, Any] | None:
    try:
        response = httpx.get(url + "/api/room", headers=INSTRUCTOR)
    except httpx.HTTPError:
        return None
    return response.json() if response.status_code == 200 else None


def test_workers_need_postgresql(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "workshop", "classroom", "serve", "--port", "0",
                           "--workers", "2", "--db", str(tmp_path / "c.sqlite3")],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert (
        done.returncode == 2 and "--workers: several processes share a room only on" in done.stderr
    )


class ScreenStream:
    """The instructor's view of a learner's shared screen (``/api/learners/{id}/screen``)."""

    def __init__(self, url: str, learner_id: str):
        self.stream = Stream.__new__(Stream)
        self.stream.messages = []
        self.stream.client = httpx.Client(timeout=httpx.Timeout(10, read=None))
        self.url = f"{url}/api/learners/{learner_id}"
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            with self.stream.client.stream("GET", self.url + "/screen",
                                           headers=INSTRUCTOR) as response:  # fmt: skip
                name = ""
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        self.stream.messages.append((name, json.loads(line[6:])))
        except httpx.HTTPError:
            pass

    def frames(self) -> list[str]:
        return [data["text"] for data in self.stream.seen("frame")]


def test_a_screen_shared_through_one_instance_is_watched_on_the_other(
    pair: list[ServerProcess],
) -> None:
    a, b = pair
    join = joined(a, "Lin", "s" * 32)
    lid, auth = join["learner_id"], {"Authorization": f"Bearer {join['token']}"}
    screen = f"{a.url}/api/learners/{lid}/screen"
    first = HTTP.post(screen, json={"sharing": True, "frame": "$ cf login\nAPI endpoint>"},
                      headers=auth)  # fmt: skip
    assert first.json() == {"watching": False}
    wait_for(lambda: (lr := learner_on(b, "Lin")) and lr["sharing"] == "live", 5,
             "B's room to show Lin's screen as live")  # fmt: skip
    watcher = ScreenStream(b.url, lid)
    wait_for(lambda: watcher.frames() == ["$ cf login\nAPI endpoint>"], 5, "the frame on B")
    # the learner's instance learns that a dashboard of the other one watches
    wait_for(lambda: HTTP.post(screen, json={"sharing": True, "frame": "$ cf target"},
                               headers=auth).json()["watching"], 5, "watching on A")  # fmt: skip
    wait_for(lambda: watcher.frames()[-1:] == ["$ cf target"], 5, "the next frame on B")
    HTTP.post(screen, json={"sharing": False}, headers=auth)
    wait_for(lambda: watcher.stream.seen("stopped"), 5, "B's stream to say it stopped")
    wait_for(lambda: learner_on(b, "Lin")["sharing"] == "", 5, "B's room: not shared")  # type: ignore[index]
    watcher.stream.close()
