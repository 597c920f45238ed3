"""``workshop classroom serve|watch`` from the command line: output and clear errors."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from classroom_support import CODE, TOKEN, ServerProcess, wait_for

from workshop.classroom.reporter import Reporter
from workshop.cli import main
from workshop.errors import WorkshopError


def workshop(*args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workshop", *args], capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ))  # fmt: skip


def test_watch_once_shows_grid_and_stuck(classroom_server: ServerProcess) -> None:
    reporters = []
    for name, fails in (("Ada", 0), ("Bob", 3)):
        r = Reporter(classroom_server.url, CODE, name)
        r.start()
        r.report("joined", lesson="L", step="s1", steps=["s1", "s2"])
        r.report("step_started")
        for _ in range(fails):  # each failed attempt: the step's command, then its verdict
            r.report("command_run", command="cf target", exit_code=1, attempt=True)
            r.report("check_failed", reason="no")
        if not fails:
            r.report("step_completed")
        reporters.append(r)
    for r in reporters:
        wait_for(lambda r=r: r.pending == 0, 10, "the outboxes to drain")
        r.close()
    result = workshop("classroom", "watch", classroom_server.url, "--token", TOKEN, "--once")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Classroom — lesson Lesson L — 2 learner(s): ")  # its title
    assert any(line.startswith("Ada") and "✓" in line for line in lines)
    assert any(line.startswith("Bob") and "✗3" in line and "STUCK" in line for line in lines)
    assert "Stuck (1):" in result.stdout


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``workshop ARGS`` in this process (for commands that fail before serving)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse errors
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def test_the_shared_server_runs_in_a_tests_isolated_environment(
    shared_server: ServerProcess, isolated: Path
) -> None:
    """Like any test's process, never with the real home's folders (its content cache)."""
    home = Path(shared_server.env["WORKSHOP_HOME"])
    assert home.name == isolated.name and home != isolated.parent  # some test's own home
    assert shared_server.env["WORKSHOP_CACHE_DIR"] == os.environ["WORKSHOP_CACHE_DIR"]


def test_watch_errors_are_messages(
    shared_server: ServerProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(capsys, "classroom", "watch", shared_server.url, "--token", "no", "--once")
    assert code == 1 and "refused the instructor token" in err
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    code, err = run_cli(capsys, "classroom", "watch", url, "--token", "x", "--once")
    assert code == 1 and "cannot reach the classroom" in err
    code, err = run_cli(capsys, "classroom", "watch", "ftp://x", "--token", "x", "--once")
    assert code == 1 and "not a classroom URL" in err
    url = shared_server.url
    code, err = run_cli(capsys, "classroom", "watch", url, "--token", TOKEN, "--lesson", "nosuch")
    assert code != 0 and "no lesson 'nosuch'" in err and "its lessons: " in err
    for interval in ("0", "-1"):
        code, err = run_cli(capsys, "classroom", "watch", url, "--token", TOKEN,
                            "--interval", interval)  # fmt: skip
        assert code != 0 and "--interval" in err


def test_watch_verifies_an_https_classroom(monkeypatch: pytest.MonkeyPatch) -> None:
    """An https:// classroom is asked through a context that verifies its certificate with
    the CA bundle (the http:// one, which trusts nothing, never does TLS)."""
    import http.client
    import ssl

    from workshop.classroom.watch import fetch

    contexts: list[ssl.SSLContext] = []

    class Recorded:
        """Takes the context it is made with; refuses to connect."""

        def __init__(self, *args: Any, context: ssl.SSLContext, **kwargs: Any) -> None:
            contexts.append(context)

        def request(self, *args: Any, **kwargs: Any) -> None:
            raise ConnectionRefusedError("not here")

        def close(self) -> None:
            pass

    monkeypatch.setattr(http.client, "HTTPSConnection", Recorded)
    with pytest.raises(WorkshopError, match="cannot reach the classroom at https://c.example"):
        fetch("https://c.example:8765/", "token")
    (context,) = contexts
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0


def test_serve_errors_are_messages(
    shared_server: ServerProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(capsys, "classroom", "serve", "--db",
                        "postgresql://ada:secret@127.0.0.1:9/room?connect_timeout=2")  # fmt: skip
    assert code == 1 and "--db: cannot open postgresql://ada@127.0.0.1:9/room" in err
    assert "secret" not in err
    code, err = run_cli(capsys, "classroom", "serve", "--port", str(shared_server.port),
                        "--db", str(tmp_path / "other.sqlite3"))  # fmt: skip
    assert code == 1 and "cannot listen on 127.0.0.1" in err
    code, err = run_cli(capsys, "classroom", "serve", "--port", "99999")
    assert code == 2 and "port out of range" in err
    code, err = run_cli(capsys, "classroom", "serve", "--db", str(tmp_path), "--port", "0")
    assert code == 2 and "is a directory" in err
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "workshop.yaml").write_text("title: [\n")
    code, err = run_cli(capsys, "classroom", "serve", str(tmp_path / "broken"), "--port", "0")
    assert code == 1 and "cannot serve this workshop" in err and "workshop.yaml:" in err
    code, err = run_cli(capsys, "classroom", "serve", "--token", "short", "--port", "0",
                        "--db", str(tmp_path / "t.sqlite3"))  # fmt: skip
    assert code == 2 and "at least 8 characters" in err


def start_serve(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """``workshop classroom serve ARGS`` on a free port; the banner it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "workshop", "classroom", "serve", "--port", "0",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env or {})})  # fmt: skip
    assert proc.stdout is not None
    lines = [proc.stdout.readline() for _ in range(11)]
    return proc, "".join(lines)


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(2)
    proc.wait(10)
    if proc.stdout:
        proc.stdout.close()


def test_restart_keeps_code_and_token_and_the_banner_keeps_the_token_apart(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "keep.sqlite3", dict(os.environ))
    server.start()  # with --code/--token
    server.stop()
    proc, text = start_serve("--db", str(server.db))
    stop(proc)
    assert text.startswith("Classroom serving on http://127.0.0.1:")
    projected, private = text.split("Instructor only (keep private, do not project):")
    assert f"join code:  {CODE}" in projected and TOKEN not in projected
    assert f"/?token={TOKEN}" in private
    assert f"WORKSHOP_CLASSROOM_TOKEN={TOKEN} workshop classroom watch" in private
    # the database (token, signing key) is readable by its owner only
    for name in (server.db, Path(f"{server.db}-wal")):
        if name.exists():
            assert name.stat().st_mode & 0o777 == 0o600, name


def test_token_from_the_environment_and_rooms_with_fresh_codes(tmp_path: Path) -> None:
    env = {"WORKSHOP_CLASSROOM_TOKEN": "from-the-environment"}
    proc, first = start_serve("--room", "monday", env=env)
    try:
        url = re.findall(r"http://[\d.]+:\d+", first)[0]
        code = first.split("join code:")[1].split()[0]
        assert "from-the-environment" in first and "(room monday)" in first
        headers = {"Authorization": "Bearer from-the-environment"}
        assert httpx.get(url + "/api/room", headers=headers).status_code == 200
        assert (
            httpx.get(url + "/api/room", headers={"Authorization": f"Bearer {TOKEN}"}).status_code
            == 401
        )
    finally:
        stop(proc)
    db = Path(os.environ["WORKSHOP_HOME"]).rglob("monday.sqlite3")
    (monday,) = list(db)
    assert monday.stat().st_mode & 0o777 == 0o600
    proc, second = start_serve("--room", "tuesday", env=env)
    try:
        url = re.findall(r"http://[\d.]+:\d+", second)[0]
        other = second.split("join code:")[1].split()[0]
        assert other != code
        body = {"code": code, "name": "Late", "client_id": "t" * 20}
        assert httpx.post(url + "/api/join", json=body).status_code == 403  # monday's code
        assert httpx.get(url + "/api/room", headers=headers).json()["learners"] == []
    finally:
        stop(proc)
    refused = workshop("classroom", "serve", "--room", "../etc")
    assert refused.returncode == 2 and "--room" in refused.stderr


def test_watch_survives_a_server_restart(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "w.sqlite3", dict(os.environ)).start()
    reporter = Reporter(server.url, CODE, "Ada")
    reporter.start()
    reporter.report("joined", lesson="L", step="s1")
    wait_for(lambda: reporter.pending == 0, 10, "Ada")
    reporter.close()
    proc = subprocess.Popen([sys.executable, "-m", "workshop", "classroom", "watch", server.url,
                             "--interval", "0.3"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "WORKSHOP_CLASSROOM_TOKEN": TOKEN})  # fmt: skip
    assert proc.stdout is not None

    def read_until(word: str) -> str:
        seen = ""
        deadline = time.monotonic() + 20
        while word not in seen and time.monotonic() < deadline:
            seen += proc.stdout.readline()  # type: ignore[union-attr]
        assert word in seen, seen[-2000:]
        return seen

    try:
        read_until("Ada")
        server.kill()
        read_until("retrying in")
        server.start()
        read_until("Classroom — lesson L")
        assert proc.poll() is None  # still watching
    finally:
        proc.kill()
        proc.wait(5)
        proc.stdout.close()
        server.stop()


def test_a_classroom_address_without_its_scheme_is_taken_and_another_scheme_refused(
    tmp_path: Path,
) -> None:
    """Learners type host:port: it means http://host:port. It crashed the run (a traceback)."""
    env = {**os.environ, "WORKSHOP_HOME": str(tmp_path / "home"), "HOME": str(tmp_path)}

    def workshop(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "workshop", *args], input=stdin,
                              capture_output=True, text=True, env=env, timeout=60)  # fmt: skip

    done = workshop("settings", "set", "classroom.url", "127.0.0.1:8765")
    assert done.returncode == 0 and done.stdout == "classroom.url = http://127.0.0.1:8765\n"
    refused = workshop("settings", "set", "classroom.url", "ftp://x")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "classroom URL 'ftp://x': use the address `workshop classroom serve` prints" in (
        refused.stderr
    )
    run = workshop("run", "--plain", "--classroom", "ftp://x", "--code", "X", "--name", "Bob")
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert "classroom URL 'ftp://x'" in run.stderr
