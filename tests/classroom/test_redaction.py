"""Secrets never leave the learner's machine: not in the outbox, not on the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from classroom_support import CODE, ServerProcess, wait_for

from workshop.classroom.redaction import redact
from workshop.classroom.reporter import Reporter

KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq9\nq0vZQ2xw==\n-----END RSA PRIVATE KEY-----"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk"

# Secrets that must go: (text, what is left of it).
SECRETS = [
    # the ones a learner of this course types or sees
    ("cf set-env stock DB_PASSWORD hunter2", "cf set-env stock DB_PASSWORD ***"),
    ("cf se stock API_TOKEN 'a b c'", "cf se stock API_TOKEN '***'"),
    ("export DB_PASS=hunter2", "export DB_PASS=***"),
    ("curl -uuser:pass https://x", "curl -uuser:*** https://x"),
    ("curl -u 'user:p@ss word' https://x", "curl -u 'user:***' https://x"),
    ("curl -u ada:hunter2 https://x", "curl -u ada:*** https://x"),
    ("curl --user=ada:hunter2 https://x", "curl --user=ada:*** https://x"),
    ("""curl -d '{"password": "hunter2"}' https://x""", """curl -d '{"password": "***"}' https://x"""),
    ('{"AccessToken": "abc.def", "RefreshToken": "ghi.jkl"}', '{"AccessToken": "***", "RefreshToken": "***"}'),
    ("vault login s.AbCdEfGhIjKlMnOpQrStUvWx", "vault login ***"),
    ("vault login hvs.CAESIJlU6", "vault login ***"),
    ("openssl enc -aes256 -pass pass:hunter2 -in f", "openssl enc -aes256 -pass pass:*** -in f"),
    (KEY, "-----BEGIN RSA PRIVATE KEY-----\n***\n-----END RSA PRIVATE KEY-----"),
    ("cf login -a https://api.example.com -u ada@example.com -p hunter2 -o org",
     "cf login -a https://api.example.com -u ada@example.com -p *** -o org"),
    ('cf login -p "my secret pass" -u ada', 'cf login -p "***" -u ada'),
    ("cf auth admin hunter2", "cf auth admin ***"),
    ("mysql -uroot -phunter2 db", "mysql -uroot -p*** db"),
    ("docker login -u ada -p hunter2 registry.example.com", "docker login -u ada -p *** registry.example.com"),
    ("sshpass -p hunter2 ssh host", "sshpass -p *** ssh host"),
    ("tool --password hunter2 --token=abc123", "tool --password *** --token=***"),
    ("export CF_PASSWORD=hunter2", "export CF_PASSWORD=***"),
    ("PGPASSWORD=hunter2 psql -h db", "PGPASSWORD=*** psql -h db"),
    ("db password=hunter2 user=ada", "db password=*** user=ada"),
    ("spring.datasource.password: hunter2", "spring.datasource.password: ***"),
    ("client_secret: 'abc'", "client_secret: '***'"),
    ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY=***"),
    ("aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE", "aws configure set aws_access_key_id ***"),
    ('curl -H "Authorization: Bearer abcdef123456" https://x', 'curl -H "Authorization: ***" https://x'),
    ("Authorization: Basic YWRhOmh1bnRlcjI=", "Authorization: ***"),
    ("git clone https://ada:hunter2@git.example.com/r.git", "git clone https://ada:***@git.example.com/r.git"),
    ("git clone https://x:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/r",
     "git clone https://x:***@github.com/r"),
    ("echo ghp_abcdefghijklmnopqrstuvwxyz0123456789", "echo ***"),
    ("SLACK=xoxb-1234567890-abcdefghij", "SLACK=***"),
    ("npm config set //registry.npmjs.org/:_authToken=abc123", "npm config set //registry.npmjs.org/:_authToken=***"),
    (f"echo {JWT}", "echo ***"),
    ('api_key = "Zx9Qw8Er7Ty6Ui5Op4As3Df2"', 'api_key = "***"'),
    ('config = {"x": "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1"}', 'config = {"x": "***"}'),
    ("kubectl create secret generic db --from-literal=password=hunter2",
     "kubectl create secret generic db --from-literal=password=***"),
]  # fmt: skip

# Look-alikes that must stay as they are.
LOOK_ALIKES = [
    "mkdir -p app/src && cf push -p target/app.jar",
    "cf push stock -p target/stock-0.0.1-SNAPSHOT.jar",
    "cf create-service cleardb spark mysql",
    "ssh -p 2222 host",
    "docker run -p 8080:8080 stock",
    "ps -p 1234",
    "openssl rand -base64 32",
    "cf set-env stock SPRING_PROFILES_ACTIVE cloud",
    "export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64",
    "export PATH=$PATH:$HOME/bin",
    "export DB_PASSWORD=$VAULT_PASSWORD",
    "echo $DB_PASSWORD",
    'git commit -m "add a password reset page"',
    "grep -r password src/",
    "cat token.txt",
    "kubectl get secrets",
    "curl -u admin https://x",
    "curl http://localhost:8080/stock/ping",
    "cf login -a https://api.run.pivotal.io",
    "mvn -Pcloud package",
    "git checkout 3f2a9c1b7e5d4a6b8c0d2e4f6a8b0c2d4e6f8a0b",
    "COMPASS=north tokenizer_path=/x",
    "Getting apps in org ada-org / space development as ada@example.com...",
    "spring.datasource.url=jdbc:postgresql://db:5432/stock",
    'name: "workshop-12f-stock-development-abcdefghij"',
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SECRETS)
def test_secrets_go(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay(text: str) -> None:
    assert redact(text) == text


def test_the_table_is_large_enough() -> None:
    assert len(SECRETS) + len(LOOK_ALIKES) >= 40


def test_output_headers_are_redacted() -> None:
    output = "> GET / HTTP/1.1\n> Authorization: Basic YWRhOmh1bnRlcjI=\n< HTTP/1.1 200 OK\n"
    assert "YWRh" not in redact(output)
    assert "< HTTP/1.1 200 OK" in redact(output)


@pytest.fixture
def server(shared_server: ServerProcess) -> Iterator[ServerProcess]:
    """The shared server with command output shared, put back off afterwards (the other
    tests of the shared server expect it off)."""
    from classroom_support import HTTP, TOKEN

    auth = {"Authorization": f"Bearer {TOKEN}"}
    HTTP.post(shared_server.url + "/api/settings", json={"share_output": True}, headers=auth)
    try:
        yield shared_server
    finally:
        HTTP.post(shared_server.url + "/api/settings", json={"share_output": False}, headers=auth)


def test_reporter_redacts_before_storing_or_sending(server: ServerProcess, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.sqlite3"
    reporter = Reporter(server.url, CODE, "Ada Redacted", outbox_path=outbox)
    reporter.start()
    reporter.report("joined", lesson="L", step="login")
    wait_for(lambda: reporter.state == "online" and reporter.pending == 0, 10, "online")
    # the share_output setting reaches the reporter through its inbox poll
    wait_for(lambda: reporter.share_output, 10, "share_output")
    reporter.close(flush_timeout=0)  # keep the next events in the outbox to inspect it
    reporter = Reporter(server.url, CODE, "Ada Redacted", outbox_path=outbox)
    reporter.report("command_run", command="cf login -u ada -p hunter2", exit_code=0,
                    output="token=hunter2\nAuthorization: Bearer hunter2hunter2")  # fmt: skip
    reporter.report("check_failed", reason="password=hunter2 rejected")
    for text, _ in SECRETS:  # every example of the table, as a command and as its output
        if "hunter2" in text:
            reporter.report("command_run", command=text, exit_code=0, output=text)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("outbox.sqlite3*"))
    assert b"cf login -u ada -p ***" in raw and b"hunter2" not in raw
    reporter.start()
    wait_for(lambda: reporter.pending == 0, 10, "the outbox to drain")
    reporter.close()
    lid = next(lr["id"] for lr in server.room()["learners"] if lr["name"] == "Ada Redacted")
    events = server.timeline(lid)
    assert events[1]["command"] == "cf login -u ada -p ***"
    assert "hunter2" not in str(events)
    db = b"".join(p.read_bytes() for p in server.db.parent.glob("classroom.sqlite3*"))
    assert b"hunter2" not in db
