"""Helpers every mock test folder shares: stopping a mock home's app router for good."""

from __future__ import annotations

import json
import time
from pathlib import Path

from workshop.mock.router import stop_router


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
