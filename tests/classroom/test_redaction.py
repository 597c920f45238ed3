"""Secrets never leave the learner's machine: not in the outbox, not on the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from classroom_support import CODE, ServerProcess, wait_for

from workshop.classroom.redaction import redact
from workshop.classroom.reporter import Reporter

CASES = [
    ("cf login -a https://api.example.com -u ada@example.com -p hunter2 -o org",
     "cf login -a https://api.example.com -u ada@example.com -p *** -o org"),
    ('cf login -p "my secret pass" -u ada', "cf login -p *** -u ada"),
    ("cf auth admin hunter2", "cf auth admin ***"),
    ("mysql -uroot -phunter2 db", "mysql -uroot -p*** db"),
    ("tool --password hunter2 --token=abc123", "tool --password *** --token=***"),
    ("export CF_PASSWORD=hunter2", "export CF_PASSWORD=***"),
    ("db password=hunter2 user=ada", "db password=*** user=ada"),
    ('curl -H "Authorization: Bearer abcdef123456" https://x', 'curl -H "Authorization: ***" https://x'),
    ("git clone https://ada:hunter2@git.example.com/r.git",
     "git clone https://ada:***@git.example.com/r.git"),
    ("curl -u ada:hunter2 https://x", "curl -u ada:*** https://x"),
    ("echo eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk", "echo ***"),
    # -p that is not a password is kept
    ("mkdir -p app/src && cf push -p target/app.jar", "mkdir -p app/src && cf push -p target/app.jar"),
    ("cf create-service cleardb spark mysql", "cf create-service cleardb spark mysql"),
    ("ssh -p 2222 host", "ssh -p 2222 host"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_output_headers_are_redacted() -> None:
    output = "> GET / HTTP/1.1\n> Authorization: Basic YWRhOmh1bnRlcjI=\n< HTTP/1.1 200 OK\n"
    assert "YWRh" not in redact(output)
    assert "< HTTP/1.1 200 OK" in redact(output)


def test_reporter_redacts_before_storing_or_sending(
    classroom_server: ServerProcess, tmp_path: Path
) -> None:
    from classroom_support import HTTP, TOKEN

    HTTP.post(classroom_server.url + "/api/settings", json={"share_output": True},
              headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    outbox = tmp_path / "outbox.sqlite3"
    reporter = Reporter(classroom_server.url, CODE, "Ada", outbox_path=outbox)
    reporter.start()
    reporter.report("joined", lesson="L", step="login")
    wait_for(lambda: reporter.state == "online" and reporter.pending == 0, 10, "online")
    # the share_output setting reaches the reporter through its inbox poll
    wait_for(lambda: reporter.share_output, 10, "share_output")
    reporter.close(flush_timeout=0)  # keep the next events in the outbox to inspect it
    reporter = Reporter(classroom_server.url, CODE, "Ada", outbox_path=outbox)
    reporter.report("command_run", command="cf login -u ada -p hunter2", exit_code=0,
                    output="token=hunter2\nAuthorization: Bearer hunter2hunter2")  # fmt: skip
    reporter.report("check_failed", reason="password=hunter2 rejected")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("outbox.sqlite3*"))
    assert b"cf login -u ada -p ***" in raw and b"hunter2" not in raw
    reporter.start()
    wait_for(lambda: reporter.pending == 0, 10, "the outbox to drain")
    reporter.close()
    lid = next(lr["id"] for lr in classroom_server.room()["learners"] if lr["name"] == "Ada")
    events = classroom_server.timeline(lid)
    assert events[1]["command"] == "cf login -u ada -p ***"
    assert "hunter2" not in str(events)
    db = b"".join(p.read_bytes() for p in classroom_server.db.parent.glob("classroom.sqlite3*"))
    assert b"hunter2" not in db
