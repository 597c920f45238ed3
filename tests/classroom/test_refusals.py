"""Malformed, oversized, unauthenticated and cross-learner requests: refused, nothing changes."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from classroom_support import CODE, HTTP, TOKEN, ServerProcess

from workshop.classroom import protocol

INSTRUCTOR = {"Authorization": f"Bearer {TOKEN}"}


def join(url: str, name: str, client_id: str) -> dict[str, Any]:
    body = {"code": CODE, "name": name, "client_id": client_id, "next_seq": 1}
    response = HTTP.post(url + "/api/join", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def event(seq: int, kind: str = "command_run", **fields: Any) -> dict[str, Any]:
    base = {"seq": seq, "kind": kind, "time": time.time(), "lesson": "l1", "step": "s1"}
    if kind == "command_run":
        base["command"] = f"echo {seq}"
    base.update(fields)
    return base


@pytest.fixture
def classroom_server(shared_server: ServerProcess) -> ServerProcess:
    """These tests share one server: each works with learners of its own."""
    return shared_server


@pytest.fixture
def two(classroom_server: ServerProcess) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The server URL and two new learners, each with one stored event."""
    url = classroom_server.url
    a = join(url, "Alice", secrets.token_hex(10))
    b = join(url, "Bob", secrets.token_hex(10))
    for who in (a, b):
        r = HTTP.post(f"{url}/api/learners/{who['learner_id']}/events",
                       json={"events": [event(1)]},
                       headers={"Authorization": f"Bearer {who['token']}"})  # fmt: skip
        assert r.status_code == 200 and r.json()["acked"] == 1
    yield url, a, b


def stored(server: ServerProcess) -> list[tuple[str, int, str]]:
    """Every stored event of every learner: (learner id, seq, command)."""
    out = []
    for learner in server.room()["learners"]:
        for e in server.timeline(learner["id"]):
            out.append((learner["id"], e["seq"], e.get("command", "")))
    return sorted(out)


def post(url: str, who: dict[str, Any], body: Any, *, target: str | None = None,
         token: str | None = None, raw: bytes | None = None) -> httpx.Response:  # fmt: skip
    headers = {"Authorization": f"Bearer {token or who['token']}"}
    path = f"{url}/api/learners/{target or who['learner_id']}/events"
    if raw is None:  # json.dumps escapes lone surrogates, which httpx's json= cannot encode
        raw = json.dumps(body).encode()
    return HTTP.post(path, content=raw, headers=headers)


def test_idempotent_by_learner_and_seq(classroom_server: ServerProcess, two: Any) -> None:
    url, a, _ = two
    batch = {"events": [event(2), event(3)]}
    first = post(url, a, batch).json()
    again = post(url, a, batch).json()  # a retry after a lost acknowledgement
    assert (first["acked"], first["accepted"]) == (3, 2)
    assert (again["acked"], again["accepted"]) == (3, 0)
    gap = post(url, a, {"events": [event(7)]}).json()  # 4..6 missing: nothing stored
    assert (gap["acked"], gap["accepted"]) == (3, 0)
    assert [s for lid, s, _ in stored(classroom_server) if lid == a["learner_id"]] == [1, 2, 3]


BAD_BATCHES: list[tuple[str, Any, int]] = [
    ("not json", b"{nope", 400),
    ("not an object", [1, 2], 422),
    ("extra top-level key", {"events": [event(2)], "learner": "x"}, 422),
    ("empty list", {"events": []}, 422),
    ("unknown kind", {"events": [event(2, kind="rm -rf")]}, 422),
    ("unknown field", {"events": [event(2, admin=True)]}, 422),
    ("seq zero", {"events": [event(0)]}, 422),
    ("seq as text", {"events": [event("2")]}, 422),
    ("time as text", {"events": [event(2, time="now")]}, 422),
    ("time in 1970", {"events": [event(2, time=5)]}, 422),
    ("command too long", {"events": [event(2, command="x" * 2001)]}, 422),
    ("control characters", {"events": [event(2, step="a\x1b[2Jb")]}, 422),
    ("lone surrogate", {"events": [event(2, command="\ud800")]}, 422),
    ("exit code out of range", {"events": [event(2, exit_code=1000)]}, 422),
    ("too many events", {"events": [event(i) for i in range(2, 2 + protocol.MAX_BATCH + 1)]}, 422),
    ("one bad event spoils the batch", {"events": [event(2), event(3, kind="nope")]}, 422),
]


@pytest.mark.parametrize(("label", "body", "status"), BAD_BATCHES, ids=[b[0] for b in BAD_BATCHES])
def test_malformed_batches_are_refused(
    classroom_server: ServerProcess, two: Any, label: str, body: Any, status: int
) -> None:
    url, a, _ = two
    before = stored(classroom_server)
    raw = body if isinstance(body, bytes) else None
    response = post(url, a, None if raw else body, raw=raw)
    assert response.status_code == status, response.text
    assert response.json()["error"]
    assert stored(classroom_server) == before


def test_oversized_bodies_get_413(classroom_server: ServerProcess, two: Any) -> None:
    url, a, _ = two
    before = stored(classroom_server)
    huge = b'{"events": [' + b" " * (protocol.MAX_BODY + 10) + b"]}"
    assert post(url, a, None, raw=huge).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts as it reads
        yield b'{"events": ['
        for _ in range(protocol.MAX_BODY // 4096 + 2):
            yield b" " * 4096
        yield b"]}"

    response = HTTP.post(f"{url}/api/learners/{a['learner_id']}/events", content=chunks(),
                          headers={"Authorization": f"Bearer {a['token']}"})  # fmt: skip
    assert response.status_code == 413
    assert HTTP.post(url + "/api/join", content=huge).status_code == 413
    assert stored(classroom_server) == before


def test_unauthenticated_and_cross_learner_writes(
    classroom_server: ServerProcess, two: Any
) -> None:
    url, a, b = two
    before = stored(classroom_server)
    body = {"events": [event(2)]}
    no_token = HTTP.post(f"{url}/api/learners/{a['learner_id']}/events", json=body)
    assert no_token.status_code == 401
    forged = a["learner_id"] + ".0123456789abcdef0123456789abcdef01234567"
    assert post(url, a, body, token=forged).status_code == 401
    assert post(url, a, body, token=TOKEN).status_code == 401  # instructor token is not a learner's
    cross = post(url, a, body, target=b["learner_id"])  # Alice writes as Bob
    assert cross.status_code == 403
    assert "own events" in cross.json()["error"]
    assert post(url, a, body, target="l_doesnotexist").status_code == 403
    assert stored(classroom_server) == before


def test_join_refusals(classroom_server: ServerProcess) -> None:
    url = classroom_server.url
    cases = [
        ({"code": "WRONG", "name": "Eve", "client_id": "e" * 20}, 403, "wrong join code"),
        ({"code": CODE, "name": "", "client_id": "e" * 20}, 422, "name"),
        ({"code": CODE, "name": "x" * 65, "client_id": "e" * 20}, 422, "name"),
        ({"code": CODE, "name": "\u200b\u202e\u2066 \t", "client_id": "e" * 20}, 422, "name"),
        ({"code": CODE, "name": "Eve", "client_id": "short"}, 422, "client_id"),
        ({"code": CODE, "name": "Eve", "client_id": "e" * 20, "next_seq": -1}, 422, "next_seq"),
        ({"name": "Eve", "client_id": "e" * 20}, 403, "wrong join code"),
    ]
    for body, status, words in cases:
        response = HTTP.post(url + "/api/join", json=body)
        assert response.status_code == status, (body, response.text)
        assert words in response.json()["error"]
    assert HTTP.post(url + "/api/join", content=b"[]").status_code == 400
    assert all(lr["name"] != "Eve" for lr in classroom_server.room()["learners"])


def test_instructor_endpoints_need_the_token(classroom_server: ServerProcess, two: Any) -> None:
    url, a, _ = two
    learner = {"Authorization": f"Bearer {a['token']}"}
    requests = [
        ("GET", "/api/room", None),
        ("GET", "/api/stream", None),
        ("GET", f"/api/learners/{a['learner_id']}/events", None),
        ("POST", "/api/broadcast", {"text": "hi"}),
        ("POST", "/api/settings", {"share_output": True}),
        ("POST", f"/api/help/{a['learner_id']}/resolve", None),
    ]
    before = classroom_server.room()
    for method, path, body in requests:
        for headers in ({}, learner, {"Authorization": "Bearer wrong"}):
            response = HTTP.request(method, url + path, json=body, headers=headers)
            assert response.status_code == 401, (method, path, headers)
    assert HTTP.get(url + "/api/room?token=wrong").status_code == 401
    after = classroom_server.room()
    assert (after["settings"], after["broadcasts"]) == (before["settings"], before["broadcasts"])
    assert after["learners"] == before["learners"]
    bad = HTTP.post(url + "/api/broadcast", json={"text": ""}, headers=INSTRUCTOR)
    assert bad.status_code == 422
    bad = HTTP.post(url + "/api/settings", json={"share_output": "yes"}, headers=INSTRUCTOR)
    assert bad.status_code == 422


def test_dashboard_page_is_static_and_locked_down(classroom_server: ServerProcess) -> None:
    page = HTTP.get(classroom_server.url + "/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["referrer-policy"] == "no-referrer"
    for name in ("app.js", "style.css"):
        assert HTTP.get(f"{classroom_server.url}/static/{name}").status_code == 200
    assert HTTP.get(classroom_server.url + "/static/../server.py").status_code == 404
    # the page's icon, also where browsers look without a link (no 404 in their console)
    assert 'href="/static/favicon.svg"' in page.text
    for path in ("/static/favicon.svg", "/favicon.ico"):
        icon = HTTP.get(classroom_server.url + path)
        assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
    app_js = HTTP.get(classroom_server.url + "/static/app.js").text
    assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write", app_js)


def test_events_paths_the_shortcut_does_not_take_are_the_router_s(
    two: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    """Learners' events skip Starlette's router: what the route would not have matched
    still gets the router's answers, and a learner's events still need their token."""
    url, a, _ = two
    auth = {"Authorization": f"Bearer {a['token']}"}
    body = {"events": [event(2)]}
    nested = HTTP.post(f"{url}/api/learners/{a['learner_id']}/x/events", json=body, headers=auth)
    assert nested.status_code == 404 and "no classroom at this address" in nested.json()["error"]
    assert HTTP.post(f"{url}/api/learners//events", json=body, headers=auth).status_code == 404
    timeline = HTTP.get(f"{url}/api/learners/{a['learner_id']}/events", headers=INSTRUCTOR)
    assert timeline.status_code == 200 and [e["seq"] for e in timeline.json()["events"]] == [1]
    assert HTTP.put(f"{url}/api/learners/{a['learner_id']}/events", headers=auth).status_code == 405
    anonymous = HTTP.post(f"{url}/api/learners/{a['learner_id']}/events", json=body)
    assert anonymous.status_code == 401 and "error" in anonymous.json()
    sent = HTTP.post(f"{url}/api/learners/{a['learner_id']}/events", json=body, headers=auth)
    assert sent.status_code == 200 and sent.json()["acked"] == 2
    assert sent.headers["x-content-type-options"] == "nosniff"
