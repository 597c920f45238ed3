"""A dashboard that falls behind still receives every event, and costs bounded memory.

A dashboard on a slow link (or a laptop that sleeps for a moment) stops reading its
stream while learners keep reporting. The server holds a bounded number of pending events
for it; past that it notes where the dashboard stopped and reads the rest back from the
database once the dashboard reads again: every stored event reaches it, in order, once.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from classroom_support import CODE, HTTP, TOKEN, ServerProcess, wait_for

NOW = time.time()
LEARNERS = 3
BATCHES = 2  # of 200 events each, per learner: 1,200 events, twelve times the queue's bound
QUEUE = 100
"""Events the server holds for the dashboard (``--dashboard-queue``; 2,000 by default):
a small bound is passed as soon as the first update fills the socket's buffers."""
SERVER_OPTIONS = ["--dashboard-queue", str(QUEUE)]


class RawStream:
    """``GET /api/stream`` on a socket with a tiny receive buffer, read only when asked."""

    def __init__(self, url: str):
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect((host, int(port)))
        self.sock.sendall(f"GET /api/stream?token={TOKEN} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        self.buffer = b""
        self.messages: list[tuple[str, Any]] = []

    def read(self, until: float, enough: Callable[[], bool] = lambda: False) -> None:
        """Read what arrives until ``until`` (monotonic), until ``enough()`` holds, or until
        nothing comes for 2 s."""
        while not enough() and (left := until - time.monotonic()) > 0:
            self.sock.settimeout(min(2.0, left))
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                return
            if not data:
                return
            self.buffer += data
            while b"\n\n" in self.buffer:
                message, self.buffer = self.buffer.split(b"\n\n", 1)
                name = data_line = ""
                for line in message.decode(errors="replace").splitlines():
                    # chunk sizes of the chunked encoding come between the lines
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        data_line = line[6:]
                if name and data_line:
                    self.messages.append((name, json.loads(data_line)))

    def radars(self) -> list[dict[str, Any]]:
        """The radars received: with an update (when it changed) or on their own."""
        return [data["radar"] if name == "update" else data for name, data in self.messages
                if name == "radar" or (name == "update" and "radar" in data)]  # fmt: skip

    def events(self) -> list[tuple[str, int]]:
        return [(e["learner"], e["seq"]) for name, data in self.messages if name == "update"
                for e in data["events"]]  # fmt: skip

    def close(self) -> None:
        self.sock.close()


def report_a_lot(url: str, tag: str) -> dict[str, int]:
    """Learners post 200-event batches as fast as the server takes them; learner → last seq."""
    learners = {}
    for i in range(LEARNERS):
        join = HTTP.post(url + "/api/join", json={"code": CODE, "name": f"{tag} {i}",
                                                  "client_id": f"{tag}{i}".ljust(32, "x")})  # fmt: skip
        learners[join.json()["learner_id"]] = join.json()["token"]
    seq = 0
    for _ in range(BATCHES):
        batch = [{"seq": seq + k, "kind": "command_run", "lesson": "L", "step": "push",
                  "time": NOW + seq + k, "command": f"echo {seq + k}", "exit_code": 0,
                  "output": "x" * 1800} for k in range(1, 201)]  # fmt: skip
        seq += 200
        for lid, token in learners.items():
            answer = HTTP.post(f"{url}/api/learners/{lid}/events", json={"events": batch},
                               headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            assert answer.status_code == 200 and answer.json()["acked"] == seq, answer.text
    return dict.fromkeys(learners, seq)


def read_every_event(stream: RawStream, learners: dict[str, int]) -> None:
    """The dashboard reads again: every event reaches it, once, in order, and a radar that
    counts the learners (within 30 s; a radar comes at least every 2 s)."""

    def everything() -> bool:
        radars = stream.radars()
        return (
            bool(radars)
            and radars[-1]["counts"]["joined"] >= len(learners)
            and len([k for k in stream.events() if k[0] in learners]) >= sum(learners.values())
        )

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not everything():
        stream.read(deadline, everything)
    check_every_event_once_in_order(stream, learners)


def check_every_event_once_in_order(stream: RawStream, learners: dict[str, int]) -> None:
    assert stream.radars()[-1]["counts"]["joined"] >= len(learners)
    seen = [key for key in stream.events() if key[0] in learners]
    assert len(seen) == len(set(seen)), "an event reached the dashboard twice"
    for lid, last in learners.items():
        assert [seq for who, seq in seen if who == lid] == list(range(1, last + 1))


def test_a_dashboard_that_stops_reading_gets_every_event_afterwards(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "classroom.sqlite3", dict(os.environ), SERVER_OPTIONS).start()
    try:
        stream = RawStream(server.url)
        stream.read(time.monotonic() + 0.5)
        assert any(name == "snapshot" for name, _ in stream.messages)
        learners = report_a_lot(server.url, "slow")  # the dashboard reads nothing meanwhile
        # what waits for the dashboard is bounded (the rest is in the database; past the
        # bound the queue may already be empty, the dashboard to be read back in full)
        pending = HTTP.get(server.url + "/healthz").json()["pending"]
        assert pending["dashboard_events"] <= QUEUE
        read_every_event(stream, learners)
        stream.close()
    finally:
        server.stop()


def test_a_slow_dashboard_on_another_instance_gets_every_event(pg_url: str) -> None:
    servers = [ServerProcess(Path(pg_url), dict(os.environ), SERVER_OPTIONS) for _ in range(2)]
    for server in servers:
        server.db = pg_url  # type: ignore[assignment]  # a URL, passed as --db
        server.start()
    try:
        stream = RawStream(servers[1].url)
        stream.read(time.monotonic() + 0.5)
        learners = report_a_lot(servers[0].url, "pg")
        wait_for(lambda: all(lr["last_seq"] == BATCHES * 200 for lr in servers[1].room()["learners"]),
                 20, "the events on instance B")  # fmt: skip
        read_every_event(stream, learners)
        stream.close()
    finally:
        for server in servers:
            server.stop()
