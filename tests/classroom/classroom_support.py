"""Helpers for the classroom tests: a real server in a subprocess on 127.0.0.1.

:class:`ServerProcess` starts ``python -m workshop classroom serve`` on a free port with a
database in the test's tmp dir; it can ``kill()`` it (SIGKILL) and
``start()`` it again on the same port and database, as an instructor's laptop would.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

# One client for every test request: a new httpx client per call costs tens of ms (TLS setup).
HTTP = httpx.Client(timeout=10)

CODE = "TEST-CODE"
TOKEN = "instructor-secret-token"
COURSE = Path(__file__).parent / "course"
"""The workshop the test server serves: lesson ``L`` (steps target, create-space, push,
login, s1, s2, s3), lesson ``l1`` (s1, s2) and lesson ``q`` (q0, then
quiz questions quiz-1 and quiz-2)."""


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, message: str = "") -> Any:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {message or predicate}")
        time.sleep(0.02)


class ServerProcess:
    """``workshop classroom serve`` as a subprocess that can be killed and restarted."""

    def __init__(
        self,
        db: Path,
        env: dict[str, str],
        extra: list[str] | None = None,
        course: Path = COURSE,
    ):
        self.course = course
        """The workshop it serves (the room takes its lessons and steps from it)."""
        self.db = db
        self.env = env
        self.extra = extra or []
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self.output = ""

    def start(self) -> ServerProcess:
        """Start (or restart on the same port) and wait until it answers."""
        cmd = [sys.executable, "-m", "workshop", "classroom", "serve", str(self.course), "--host", "127.0.0.1",
               "--port", str(self.port), "--db", str(self.db), "--code", CODE,
               "--token", TOKEN, *self.extra]  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            self.proc = subprocess.Popen(cmd, env=self.env, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True)  # fmt: skip
            assert self.proc.stdout is not None
            first = self.proc.stdout.readline()
            self.output = first
            match = re.search(r"http://127\.0\.0\.1:(\d+)", first)
            if match:
                break
            rest = self.proc.communicate(timeout=5)[0]
            # the port of a killed server can take a moment to free up
            if "cannot listen" in first + rest and time.monotonic() < deadline:
                time.sleep(0.1)
                continue
            pytest.fail(f"classroom server did not start: {first}{rest}")
        self.port = int(match.group(1))
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self._healthy, 10, "the classroom server to answer")
        return self

    def _healthy(self) -> bool:
        try:
            return HTTP.get(self.url + "/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """SIGKILL, no goodbye: what a crash or a closed laptop lid looks like."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def stop(self) -> None:
        """Ctrl-C and wait."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc and self.proc.stdout and not self.proc.stdout.closed:
            self.output += self.proc.stdout.read()  # what it printed, for the test to read
            self.proc.stdout.close()

    def room(self) -> dict[str, Any]:
        """``GET /api/room`` as the instructor."""
        response = HTTP.get(self.url + "/api/room", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def timeline(self, learner_id: str) -> list[dict[str, Any]]:
        """Every stored event of a learner, in order."""
        response = HTTP.get(f"{self.url}/api/learners/{learner_id}/events",
                             headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert response.status_code == 200, response.text
        events: list[dict[str, Any]] = response.json()["events"]
        return events
