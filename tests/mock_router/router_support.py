"""Helpers shared by the router tests: the seed state, real curl, router teardown."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from workshop.mock import state as mock_state
from workshop.mock.router import stop_router

START: dict[str, Any] = {
    "user": "user_name",
    "password": "password",
    "org": "your-org",
    "space": "development",
    "spaces": {
        "development": {
            "services": [
                {"name": "mysql", "service": "cleardb", "plan": "spark"},
                {"name": "redis", "service": "rediscloud", "plan": "30mb"},
            ],
            "apps": [
                {
                    "name": "workshop-12f-stock",
                    "memory": "512M",
                    "instances": 2,
                    "env": {"environment.variable": "some_value"},
                    "services": ["mysql", "redis"],
                    "routes": ["workshop-12f-stock"],
                },
                {"name": "plain", "services": [], "routes": ["plain"]},
                {"name": "twin", "services": ["mysql"], "routes": ["twin"]},
                {"name": "stopped-app", "state": "stopped", "routes": ["stopped-app"]},
            ],
        },
        "production_test": {
            "services": [{"name": "mysql", "service": "cleardb", "plan": "spark"}],
            "apps": [{"name": "prod", "services": ["mysql"], "routes": ["prod"]}],
        },
    },
}


def curl(port: int, url: str, *args: str, proxy: bool = True) -> tuple[int, dict[str, str], str]:
    """Real curl through the router as http_proxy (or direct): status, headers, body."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    if proxy:
        env["http_proxy"] = f"http://127.0.0.1:{port}"
    done = subprocess.run(
        ["curl", "-sS", "-i", "--max-time", "5", *args, url],
        env=env,
        capture_output=True,
        timeout=10,
        check=True,
    )
    head, _, body = done.stdout.decode().partition("\r\n\r\n")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        headers[name.lower()] = value
    return status, headers, body


def wait_for(condition: Any, timeout: float = 10.0, what: str = "condition") -> None:
    """Poll ``condition()`` until true, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def pid_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def stop_and_wait(home: Path) -> None:
    """Stop the router of ``home`` and make sure its process is gone."""
    try:
        info = json.loads((home / "router.json").read_text())
    except (OSError, ValueError):
        return
    stop_router(home)
    if info.get("pid"):
        wait_for(lambda: not pid_alive(info["pid"]), what="router exit")


def set_state(home: Path, change: Any) -> None:
    """Apply ``change(state)`` in a state transaction."""
    with mock_state.transaction(home) as state:
        change(state)
