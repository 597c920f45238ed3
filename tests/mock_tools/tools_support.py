"""Helpers of the offline git/mvn/java tests: bash with the mock's environment, a running
``java -jar`` whose output is collected, free ports."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path


def in_mock(
    home: Path, script: str, lesson: str = "dependencies"
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a real bash after ``eval "$(workshop mock env --home HOME)"``."""
    setup = (
        f'eval "$({shlex.quote(sys.executable)} -m workshop mock env '
        f'--home {shlex.quote(str(home))} --lesson {lesson})" || exit 99\n'
    )
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", setup + script],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )


def mock_env(home: Path, lesson: str = "dependencies") -> dict[str, str]:
    """The environment ``workshop mock env`` gives a shell (read back from a real bash)."""
    done = in_mock(home, "env -0", lesson)
    assert done.returncode == 0, done.stderr
    pairs = (item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)
    return dict(pairs)


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Running:
    """A started process whose stdout lines are collected by a thread."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        """Everything printed so far."""
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = 10.0) -> None:
        """Poll until ``text`` was printed (or the process ended: fail with its output)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if self.proc.poll() is not None:
                self.reader.join(2)
                if text in self.output:
                    return
                err = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"exited {self.proc.returncode}: {self.output}\n{err}")
            time.sleep(0.02)
        raise AssertionError(f"{text!r} not printed in {timeout}s: {self.output}")

    def interrupt(self, timeout: float = 10.0) -> tuple[int, str]:
        """Ctrl-C (SIGINT); the exit status and stderr."""
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout)
        self.reader.join(5)
        err = self.proc.stderr.read() if self.proc.stderr else ""
        return code, err

    def kill(self) -> None:
        """Make sure the process is gone."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def curl(port: int, path: str) -> str:
    """``curl -s --noproxy '*' http://localhost:PORT/PATH`` (the real curl)."""
    return subprocess.run(
        ["curl", "-s", "--noproxy", "*", f"http://localhost:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout
