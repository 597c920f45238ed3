"""Helpers of the authoring tests: the real ``workshop`` command run in a folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def workshop(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real ``workshop`` command, run in ``cwd`` (paths relative to it)."""
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
