"""Helpers for the mock env tests: run ``workshop`` and bash for real."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


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
