"""The instructor's tools on a real server: a message to one learner, help answered,
the radar's reasons, the CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from classroom_support import CODE, HTTP, TOKEN, ServerProcess, wait_for

from workshop.classroom.instructor import HELP_ANSWERED
from workshop.classroom.reporter import Reporter

INSTRUCTOR = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def classroom_server(shared_server: ServerProcess) -> ServerProcess:
    """These tests share one server: each works with learners of its own (names no other
    test of the room uses) and reads only their part of the room."""
    return shared_server


def learner(server: ServerProcess, name: str, received: list[str]) -> Reporter:
    reporter = Reporter(server.url, CODE, name, on_broadcast=received.append)
    reporter.min_backoff = reporter.max_backoff = 0.1
    reporter.start()
    reporter.report("joined", lesson="L", step="target")
    wait_for(lambda: reporter.state == "online" and reporter.pending == 0, 10, f"{name} online")
    return reporter


def learner_id(server: ServerProcess, name: str) -> str:
    return str(next(lr["id"] for lr in server.room()["learners"] if lr["name"] == name))


def test_a_message_reaches_one_learner_only(classroom_server: ServerProcess) -> None:
    url = classroom_server.url
    ada_got: list[str] = []
    bob_got: list[str] = []
    ada = learner(classroom_server, "Ada Hinted", ada_got)
    bob = learner(classroom_server, "Bob Hinted", bob_got)
    ada_id = learner_id(classroom_server, "Ada Hinted")
    response = HTTP.post(f"{url}/api/learners/{ada_id}/message",
                         json={"text": "try cf target -s development", "hint": True},
                         headers=INSTRUCTOR)  # fmt: skip
    assert response.status_code == 200 and response.json()["learner_id"] == ada_id
    wait_for(lambda: "Hint: try cf target -s development" in ada_got, 10, "the hint to reach Ada")
    HTTP.post(f"{url}/api/broadcast", json={"text": "lunch"}, headers=INSTRUCTOR)
    wait_for(lambda: "lunch" in bob_got, 10, "the broadcast to reach Bob")
    assert bob_got == ["lunch"]  # Bob never saw Ada's hint
    assert HTTP.post(f"{url}/api/learners/{ada_id}/message", json={"text": ""},
                     headers=INSTRUCTOR).status_code == 422  # fmt: skip
    assert HTTP.post(f"{url}/api/learners/nobody/message", json={"text": "x"},
                     headers=INSTRUCTOR).status_code == 404  # fmt: skip
    for r in (ada, bob):
        r.close()


def test_the_learner_is_told_when_help_is_answered(classroom_server: ServerProcess) -> None:
    got: list[str] = []
    ada = learner(classroom_server, "Ada Helped", got)

    def hands() -> list[dict[str, Any]]:
        return [h for h in classroom_server.room()["radar"]["help"] if h["name"] == "Ada Helped"]

    ada.report("help_requested", message="push fails")
    wait_for(hands, 10, "the raised hand")
    (hand,) = hands()
    assert hand["waited"] >= 0 and hand["message"] == "push fails"
    HTTP.post(f"{classroom_server.url}/api/help/{hand['id']}/resolve", headers=INSTRUCTOR)
    wait_for(lambda: HELP_ANSWERED in got, 10, "the learner to be told")
    assert hands() == []
    ada.close()


def test_radar_reasons_and_the_csv_export(classroom_server: ServerProcess) -> None:
    got: list[str] = []
    bob = learner(classroom_server, '=HYPERLINK("http://evil")', got)
    for attempt in ("cf create-space dev", "cf create-space devel", "cf create-space develop"):
        bob.report("step_started", step="create-space")
        bob.report("command_run", command=attempt, exit_code=0, attempt=True)
        bob.report("check_failed", reason="no space named development")
    wait_for(lambda: bob.pending == 0, 10, "Bob's events")
    (stuck,) = [s for s in classroom_server.room()["radar"]["stuck"] if s["name"] == bob.name]
    assert stuck["last_command"] == "cf create-space develop"
    assert stuck["last_reason"] == "no space named development"
    response = HTTP.get(f"{classroom_server.url}/api/export.csv", params={"lesson": "L"},
                        headers=INSTRUCTOR)  # fmt: skip
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows: list[list[Any]] = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:6] == ["name", "online", "last contact (UTC)", "lesson", "step", "finished"]
    assert rows[0][6:9] == ["1. target", "2. create-space", "3. push"]
    (row,) = [r for r in rows if "HYPERLINK" in r[0]]
    assert row[0] == '\'=HYPERLINK("http://evil")'  # no formula in a spreadsheet
    assert row[1] == "yes" and row[4] == "create-space"
    assert row[7] == "failing (3 attempts)"
    assert HTTP.get(f"{classroom_server.url}/api/export.csv").status_code == 401
    bad = HTTP.get(f"{classroom_server.url}/api/export.csv", params={"lesson": "nope"},
                   headers=INSTRUCTOR)  # fmt: skip
    assert bad.status_code == 422
    bob.close()
