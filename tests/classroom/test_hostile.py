"""The classroom against someone on the same Wi-Fi: floods, forged structure, fake people,
malformed requests. Each test runs a real server on loopback; other addresses of the
loopback network (127.0.0.2, 127.0.0.3 …) play other machines."""

from __future__ import annotations

import os
import secrets
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from classroom_support import CODE, HTTP, TOKEN, ServerProcess, wait_for

from workshop.classroom import protocol
from workshop.classroom.reporter import Reporter

INSTRUCTOR = {"Authorization": f"Bearer {TOKEN}"}


def client_from(address: str) -> httpx.Client:
    """An HTTP client whose connections come from ``address`` (another "machine")."""
    return httpx.Client(timeout=10, transport=httpx.HTTPTransport(local_address=address))


def join(http: httpx.Client, url: str, name: str, client_id: str | None = None) -> httpx.Response:
    body = {"code": CODE, "name": name, "client_id": client_id or secrets.token_hex(10)}
    return http.post(url + "/api/join", json=body)


def event(seq: int, kind: str = "command_run", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"seq": seq, "kind": kind, "time": time.time(), "lesson": "L",
                            "step": "target"}  # fmt: skip
    if kind == "command_run":
        base["command"] = "cf target"
    return {**base, **fields}


def post(url: str, who: dict[str, Any], events: list[dict[str, Any]]) -> httpx.Response:
    return HTTP.post(f"{url}/api/learners/{who['learner_id']}/events", json={"events": events},
                     headers={"Authorization": f"Bearer {who['token']}"})  # fmt: skip


HEAD_TIMEOUT = 1.0
"""The flood test's head deadline (``--head-timeout``; 5 s by default): the idle and the
trickling connections are closed after it, so the test waits it out."""


OPTIONS = ["--per-address", "100", "--offline-after", "3"]


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    """A server of its own (its rate limits and connection counts are the test's); a test
    marked ``server_options`` adds options."""
    marker = request.node.get_closest_marker("server_options")
    proc = ServerProcess(tmp_path / "classroom.sqlite3", dict(os.environ),
                         extra=[*OPTIONS, *(marker.args if marker else ())])  # fmt: skip
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def kept() -> Iterator[list[ServerProcess]]:
    """The server of :func:`room`, stopped after the module's tests."""
    servers: list[ServerProcess] = []
    try:
        yield servers
    finally:
        for proc in servers:
            proc.stop()


@pytest.fixture
def room(kept: list[ServerProcess], tmp_path: Path) -> ServerProcess:
    """A server with the same options, shared by the tests that use neither the rate limits
    nor the connection counts of 127.0.0.1 and do not stop it: each has learners of its own
    and reads only their part of the room. The first test that asks starts it."""
    if not kept:
        kept.append(ServerProcess(tmp_path / "room.sqlite3", dict(os.environ), OPTIONS).start())
    return kept[0]


def trickle(sock: socket.socket, give_up: float) -> float:
    """Send a request head a byte every half second (it never ends); the seconds until
    the server closed the connection."""
    start = time.monotonic()
    sock.setblocking(False)
    head = b"GET /healthz HTTP/1.1\r\n" + b"X-Slow: yes\r\n" * 100
    for byte in head:
        try:
            if sock.recv(1) == b"":
                break
        except BlockingIOError:
            pass
        except ConnectionResetError:
            break
        try:
            sock.send(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            break
        if time.monotonic() - start > give_up:
            break
        time.sleep(0.5)
    return time.monotonic() - start


@pytest.mark.server_options("--head-timeout", str(HEAD_TIMEOUT))
def test_a_flood_from_one_address_does_not_lock_out_another(server: ServerProcess) -> None:
    idle: list[socket.socket] = []
    refused = 0
    try:
        for _ in range(400):  # 400 connections from 127.0.0.2 that never send a request
            sock = socket.create_connection(
                ("127.0.0.1", server.port), source_address=("127.0.0.2", 0)
            )
            idle.append(sock)
        slow = socket.create_connection(("127.0.0.1", server.port), source_address=("127.0.0.7", 0))
        # another machine is served at once: health, join, events, through a real Reporter
        other = client_from("127.0.0.3")
        assert other.get(server.url + "/healthz").status_code == 200
        reporter = Reporter(server.url, CODE, "Ada")
        reporter.start()
        reporter.report("joined", lesson="L", step="target")
        reporter.report("command_run", command="cf target", exit_code=0, attempt=True)
        wait_for(lambda: reporter.pending == 0, 10, "Ada's events to be acknowledged")
        reporter.close()
        # the 101st and later connections of 127.0.0.2 got a 503 and were closed at once
        for sock in idle[100:]:
            sock.settimeout(2)
            data = sock.recv(4096)
            refused += b"503" in data and b"too many connections from your address" in data
        assert refused == 300
        # one sending a byte every half second is closed at the head deadline, well before
        # the default one (5 s): the option holds
        assert trickle(slow, give_up=20) < HEAD_TIMEOUT + 3
        # the idle ones are closed by the server at the head deadline too
        for sock in idle[:100]:
            sock.settimeout(8)
            assert sock.recv(4096) == b""
        assert other.get(server.url + "/healthz").status_code == 200
    finally:
        for sock in idle:
            sock.close()


def test_forged_structure_and_unbounded_events_are_refused(room: ServerProcess) -> None:
    server = room
    url = server.url
    who = join(HTTP, url, "Mallory").json()
    forged = event(1, "step_started", steps=["cf-target-s-production-test", "FREE-PIZZA-IN-ROOM-B"])
    assert post(url, who, [forged]).status_code == 200  # the list is ignored, the step is real
    response = post(url, who, [event(2, "step_started", lesson="FREE-PIZZA", step="x")])
    assert response.status_code == 422 and "no lesson 'FREE-PIZZA'" in response.json()["error"]
    response = post(url, who, [event(2, "step_started", step="FREE-PIZZA-IN-ROOM-B")])
    assert response.status_code == 422 and "has no step 'FREE-PIZZA-IN-ROOM-B'" in response.text
    assert "event 2" in response.json()["error"]
    room = server.room()
    assert room["lessons"] == {"L": ["target", "create-space", "push", "login", "s1", "s2", "s3"],
                               "l1": ["s1", "s2"], "q": ["q0", "quiz-1", "quiz-2"]}  # fmt: skip
    # per learner: at most MAX_EVENTS_PER_LEARNER events are stored, then 422
    seq = 2
    limit = protocol.MAX_EVENTS_PER_LEARNER
    while seq <= limit:
        batch = [event(s) for s in range(seq, min(seq + protocol.MAX_BATCH, limit + 1))]
        assert post(url, who, batch).status_code == 200
        seq += len(batch)
    response = post(url, who, [event(seq)])
    assert response.status_code == 422 and f"limit of {limit} events" in response.text
    size = len(HTTP.get(url + "/api/room", headers=INSTRUCTOR).content)
    assert size < 20_000  # the room stays small: cells are bounded by the workshop


def test_hostile_names_are_normalised_and_told_apart(room: ServerProcess) -> None:
    server = room
    url = server.url
    refused = join(HTTP, url, "\u200b\u200d\u2060\ufeff")
    assert refused.status_code == 422 and "visible characters" in refused.json()["error"]
    rlo = join(HTTP, url, "Eve\u202eredaeh")
    assert rlo.status_code == 200 and rlo.json()["name"] == "Everedaeh"
    first = join(HTTP, url, "Ada").json()
    second = join(HTTP, url, "ada\u200b").json()
    third = join(HTTP, url, "ADA").json()
    assert (first["name"], second["name"], third["name"]) == ("Ada", "ada (2)", "ADA (3)")
    # joining again with the same identity keeps the name
    again = join(HTTP, url, "Ada", client_id=None)
    assert again.json()["name"] == "Ada (4)"  # a new identity is a new learner
    mine = {who.json()["learner_id"] for who in (rlo, again)} | {
        who["learner_id"] for who in (first, second, third)
    }
    names = sorted(lr["name"] for lr in server.room()["learners"] if lr["id"] in mine)
    assert names == ["ADA (3)", "Ada", "Ada (4)", "Everedaeh", "ada (2)"]


def test_joins_and_wrong_codes_are_rate_limited_per_address(server: ServerProcess) -> None:
    url = server.url
    guesser = client_from("127.0.0.4")
    answers = [guesser.post(url + "/api/join", json={"code": f"G{i}", "name": "x",
                                                       "client_id": "g" * 20}).status_code
               for i in range(30)]  # fmt: skip
    assert answers[:10] == [403] * 10 and set(answers[10:]) == {429}
    blocked = guesser.post(
        url + "/api/join", json={"code": CODE, "name": "x", "client_id": "g" * 20}
    )
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    # another address is not affected; new learners are limited to a burst of 60
    joiner = client_from("127.0.0.5")
    statuses = [join(joiner, url, f"Bot {i}").status_code for i in range(70)]
    assert statuses[:60] == [200] * 60 and set(statuses[60:]) == {429}
    # rejoining as a known learner is not a new learner: not limited
    known = secrets.token_hex(10)
    assert join(HTTP, url, "Known", known).status_code == 200
    assert join(joiner, url, "Known", known).status_code == 200
    assert join(client_from("127.0.0.6"), url, "Ada").status_code == 200


def test_the_instructor_renames_and_removes_learners(room: ServerProcess) -> None:
    server = room
    url = server.url
    states: list[str] = []
    reporter = Reporter(url, CODE, "xXx_troll_xXx", on_state=states.append)
    reporter.min_backoff = reporter.max_backoff = 0.1
    reporter.start()
    reporter.report("joined", lesson="L", step="target")
    lid = wait_for(lambda: next((lr["id"] for lr in server.room()["learners"]
                                 if lr["name"] == "xXx_troll_xXx"), None))  # fmt: skip
    response = HTTP.post(f"{url}/api/learners/{lid}/rename", json={"name": "Table 4"},
                         headers=INSTRUCTOR)  # fmt: skip
    assert response.status_code == 200 and response.json()["name"] == "Table 4"
    # the learner's own name no longer wins when they join again
    again = join(HTTP, url, "xXx_troll_xXx", reporter.client_id)
    assert again.json()["name"] == "Table 4"
    assert HTTP.post(f"{url}/api/learners/{lid}/rename", json={"name": "a"}).status_code == 401
    response = HTTP.post(f"{url}/api/learners/{lid}/remove", headers=INSTRUCTOR)
    assert response.status_code == 200
    assert lid not in [lr["id"] for lr in server.room()["learners"]]
    # their runner is told, and joining again is refused
    reporter.report("command_run", command="echo still here", exit_code=0)
    wait_for(lambda: reporter.state.startswith("rejected"), 10, "the reporter to be refused")
    assert reporter.state == "rejected: the instructor removed you from this classroom"
    refused = join(HTTP, url, "someone else", reporter.client_id)
    assert refused.status_code == 403
    reporter.close(0)


def test_bad_requests_are_4xx_and_errors_one_log_line(server: ServerProcess) -> None:
    url = server.url
    nested = HTTP.post(url + "/api/join", content=b"[" * 200_000)
    assert nested.status_code in (400, 413)
    nested = HTTP.post(url + "/api/join", content=b"[" * 100_000 + b"]" * 100_000)
    assert nested.status_code == 400 and "nested too deeply" in nested.json()["error"]
    who = join(HTTP, url, "Ada").json()
    auth = {"Authorization": f"Bearer {who['token']}"}
    inbox = f"{url}/api/learners/{who['learner_id']}/inbox"
    for after in ("99999999999999999999", "-1", "1e400", "x"):
        response = HTTP.get(inbox, params={"after": after}, headers=auth)
        assert response.status_code == 422 and response.json()["error"], after
    assert HTTP.get(inbox, params={"wait": "nan"}, headers=auth).status_code == 200
    assert HTTP.get(url + "/api/nothing-here").status_code == 404
    assert HTTP.get(url + "/api/nothing-here").json()["error"]
    # an unexpected failure (the database lost a table under the server's feet)
    with sqlite3.connect(server.db) as db:
        db.execute("DROP TABLE broadcasts")
    broken = HTTP.get(inbox, headers=auth)
    assert broken.status_code == 500
    assert broken.json() == {"error": "internal error of the classroom server (see its log)"}
    assert "sqlite" not in broken.text.lower()
    server.stop()
    assert "Traceback" not in server.output
    errors = [line for line in server.output.splitlines() if "failed" in line]
    assert len(errors) == 1 and "OperationalError" in errors[0] and "inbox" in errors[0]


def test_a_killed_learner_shows_offline_with_last_contact(
    room: ServerProcess, tmp_path: Path
) -> None:
    import subprocess
    import sys

    server = room
    script = (
        "import sys, time\n"
        "from workshop.classroom.reporter import Reporter\n"
        f"r = Reporter({server.url!r}, {CODE!r}, 'Killed', outbox_path=__import__('pathlib').Path({str(tmp_path / 'o.sqlite3')!r}))\n"
        "r.start(); r.report('joined', lesson='L', step='target')\n"
        "print('ready', flush=True); time.sleep(600)\n"
    )  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"

        def learner() -> dict[str, Any] | None:
            return next((lr for lr in server.room()["learners"] if lr["name"] == "Killed"), None)

        wait_for(lambda: (lr := learner()) and lr["online"], 10, "the learner online")
        proc.kill()  # kill -9: no goodbye
        proc.wait(5)
        killed_at = time.time()
        gone = wait_for(lambda: (lr := learner()) and not lr["online"] and lr, 15, "offline")
        assert gone["last_seen"] <= killed_at + 0.5
        assert gone["id"] in server.room()["radar"]["offline"]
    finally:
        proc.kill()
        if proc.stdout:
            proc.stdout.close()


def test_the_guard_keeps_a_reserve_for_other_addresses() -> None:
    from workshop.classroom.guard import ConnectionGuard, RateLimiter

    guard = ConnectionGuard(per_address=500, total=100, reserve=10, small=8)
    admitted = sum(guard.admit("10.0.0.66") is None for _ in range(200))
    assert admitted == 90  # the flood stops where the reserve begins
    assert guard.admit("10.0.0.66") == "the classroom server is busy: try again in a few seconds"
    assert all(guard.admit(f"10.0.1.{i}") is None for i in range(10))  # others get in
    assert guard.admit("10.0.1.99") is not None  # the reserve is used up too
    guard.release("10.0.0.66")
    assert guard.count == 99 and guard.open["10.0.0.66"] == 89
    limiter = RateLimiter(burst=2, every=10)
    assert [limiter.take("a", now=0) for _ in range(3)] == [0, 0, 10.0]
    assert limiter.wait("a", now=5) == 5.0 and limiter.take("a", now=10) == 0
