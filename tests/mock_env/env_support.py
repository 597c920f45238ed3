"""Helpers for the mock env tests: run ``workshop`` and bash for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from workshop.mock.router import stop_router


def workshop(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m workshop ARGS`` with its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def bash(script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a real, non-interactive bash."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=env or dict(os.environ),
    )


def stop_router_of(home: Path) -> None:
    """Stop the router of ``home`` if one runs and wait until its process is gone."""
    try:
        pid = json.loads((home / "router.json").read_text()).get("pid")
    except (OSError, ValueError):
        return
    stop_router(home)
    if not pid:
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                if stat.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    return
        except OSError:
            return
        time.sleep(0.02)
    raise AssertionError(f"router {pid} of {home} did not stop")


def wait_for_router(home: Path, timeout: float = 10.0) -> dict:
    """Poll until the router of ``home`` answers; its ``router.json``."""
    from workshop.mock.router import router_status

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = router_status(home)
        if info:
            return info
        time.sleep(0.02)
    raise AssertionError(f"no router came up for {home}")
