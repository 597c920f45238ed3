"""``workshop run --plain`` in a classroom, against a real server on 127.0.0.1: the
instructor's broadcasts are printed as they arrive, the connection's state is said once per
change, a wrong join code is said once, and ``:hand`` reaches the help queue."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from classroom_support import CODE, HTTP, TOKEN, ServerProcess, wait_for
from tmux_support import Tmux, require_tmux

from workshop.mock.router import stop_router

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "engine" / "fixtures" / "tiny"


class Runner:
    """``workshop run --plain`` on the tiny workshop with its input held open."""

    def __init__(self, proc: subprocess.Popen[str], out: Path) -> None:
        self.proc = proc
        self.out = out

    @property
    def text(self) -> str:
        """What it printed so far."""
        return self.out.read_text()

    def type(self, line: str) -> None:
        """One line of input."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_text(self, text: str, timeout: float = 20) -> str:
        """Wait until ``text`` was printed; everything printed then."""
        return str(wait_for(lambda: text in self.text and self.text, timeout, repr(text)))

    def end(self) -> int:
        """Close its input and wait for its exit status."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(timeout=30)


@contextmanager
def runner(tmp_path: Path, url: str, code: str = CODE) -> Iterator[Runner]:
    """A runner that reports to ``url``, killed if the test leaves it running."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("CF_DOMAIN", "CF_COLOR")}
    env.update({"WORKSHOP_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"})
    out = tmp_path / "out.txt"
    command = [sys.executable, "-m", "workshop", "run", "--plain", str(TINY), "--lesson",
               "first", "--classroom", url, "--code", code, "--name", "Ada"]  # fmt: skip
    with out.open("w") as sink:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdin=subprocess.PIPE,
                                stdout=sink, stderr=subprocess.STDOUT, text=True)  # fmt: skip
        try:
            yield Runner(proc, out)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            folder = home / "state" / "mock" / "tiny"
            if folder.is_dir():
                stop_router(folder)


@pytest.fixture
def classroom_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A running classroom server that serves the tiny workshop the runner runs."""
    server = ServerProcess(tmp_path / "classroom.sqlite3", dict(os.environ), course=TINY)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def broadcast(server: ServerProcess, text: str) -> None:
    response = HTTP.post(server.url + "/api/broadcast", json={"text": text},
                         headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert response.status_code == 200, response.text


def test_broadcasts_the_connection_and_a_raised_hand(
    classroom_server: ServerProcess, tmp_path: Path
) -> None:
    with runner(tmp_path, classroom_server.url) as learner:
        learner.wait_text("Classroom: joined; the instructor sees your progress.")
        # nothing typed: the message is printed as it arrives, not at the next command
        broadcast(classroom_server, "Break until 11:00")
        learner.wait_text("Message from the instructor: Break until 11:00")
        learner.type(":hand the space is missing")
        learner.wait_text("Your hand is up: your instructor can see your screen")
        wait_for(lambda: "the space is missing" in json.dumps(classroom_server.room()), 10,
                 "the hand in the help queue")  # fmt: skip
        # the classroom goes away and comes back: each change is said once
        classroom_server.kill()
        learner.type("echo not-yet")
        learner.wait_text("Classroom: cannot reach it; your progress is kept")
        classroom_server.start()
        learner.type("echo still-not")
        learner.wait_text("Classroom: connected again", timeout=30)
        learner.type("echo hello")
        assert learner.end() == 0
        out = learner.text
    assert out.count("Classroom: joined") == 1
    assert out.count("Classroom: cannot reach it") == 1
    assert out.count("Classroom: connected again") == 1
    assert out.count("Message from the instructor") == 1
    assert out.count("hand is up") + out.count("Hand raised") == 1  # one notice, not two
    assert "Lesson complete: First." in out


def test_a_wrong_join_code_is_said_once(shared_server: ServerProcess, tmp_path: Path) -> None:
    with runner(tmp_path, shared_server.url, code="WRONG-CODE") as learner:
        learner.wait_text("Classroom: not joined (wrong join code")
        learner.type("echo other")
        learner.type(":hand")
        learner.wait_text("No hand raised: the classroom did not let you join.")
        status = learner.end()
        out = learner.text
    assert status == 1  # input ended before the lesson was done
    assert out.count("Classroom: not joined") == 1
    said = " ".join(out.split())
    assert "use the code your instructor gave you). You can go on; nothing is sent." in said


def test_a_broadcast_in_a_terminal_keeps_the_line_being_typed(
    classroom_server: ServerProcess, tmp_path: Path
) -> None:
    """In a real terminal (tmux, 80×24) a message arrives while the learner types: it goes on
    lines of its own, and what they typed is drawn again after it, still theirs to finish."""
    require_tmux()
    home = tmp_path / "home"
    env = {"WORKSHOP_HOME": str(home), "NO_COLOR": "1", "TERM": "xterm-256color"}
    command = " ".join(
        ["env", *(f"{k}={shlex.quote(v)}" for k, v in env.items()), shlex.quote(sys.executable)]
        + ["-m", "workshop", "run", "--plain", shlex.quote(str(TINY)), "--lesson", "first"]
        + ["--classroom", classroom_server.url, "--code", CODE, "--name", "Bo"]
    )

    def last_line(screen: str) -> str:
        return screen.rstrip().splitlines()[-1]

    with Tmux() as tmux:
        try:
            tmux.start(f'{command}; echo "[runner exited $?]"', 80, 24, cwd=REPO)
            tmux.wait_for(
                lambda s: "Classroom: joined" in s and last_line(s) == "work #", "a prompt"
            )
            tmux.type(":he")  # a learner command being typed
            tmux.wait_for(lambda s: last_line(s) == "work # :he", ":he echoed")
            broadcast(classroom_server, "Five minutes left")
            screen = tmux.wait_for(
                lambda s: (
                    "Message from the instructor: Five minutes left" in s
                    and last_line(s) == "work # :he"
                ),
                "the message, then the line again",
            )
            # never mind: back to the shell, and a command typed at once (one read, often)
            tmux.press("Escape", "echo hel")
            tmux.wait_for(lambda s: last_line(s) == "work # echo hel", "echo hel echoed")
            broadcast(classroom_server, "Two minutes left")
            tmux.wait_for(
                lambda s: (
                    "Message from the instructor: Two minutes left" in s
                    and last_line(s) == "work # echo hel"
                ),
                "the message, then the line again",
            )
            tmux.type("lo")
            tmux.press("Enter")
            screen = tmux.wait_for(lambda s: "[runner exited" in s, "the end", history=True)
        finally:
            tmux.close()
            folder = home / "state" / "mock" / "tiny"
            if folder.is_dir():
                stop_router(folder)
    assert "✔ Step passed." in screen and "[runner exited 0]" in screen
    assert screen.count("Message from the instructor") == 2
