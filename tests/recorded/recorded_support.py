"""Helpers of the recorded-mock tests: the kvcloud CLI of this folder, a recorded copy of
the examples/kvcloud workshop, and ``python -m workshop`` with or without kvcloud on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "kvcloud"
KVCLOUD_BIN = Path(__file__).parent / "bin"
"""The folder of the real kvcloud: on PATH only while recording."""


def env_for(home: Path, *, with_cli: bool = False, **extra: str) -> dict[str, str]:
    """An environment whose HOME and WORKSHOP_HOME are in ``home``; kvcloud on PATH only
    ``with_cli``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKSHOP_MOCK", "KVCLOUD"))}
    env.update({"HOME": str(home), "WORKSHOP_HOME": str(home / ".workshop"), "NO_COLOR": "1"})
    if with_cli:
        env["PATH"] = f"{KVCLOUD_BIN}{os.pathsep}{python3_bin(home)}{os.pathsep}{env['PATH']}"
    env.update(extra)
    return env


def python3_bin(home: Path) -> Path:
    """A folder under ``home`` whose ``python3`` is this run's Python itself, for kvcloud's
    ``#!/usr/bin/env python3``: found first on PATH, no version manager's shim (a chain of
    shell scripts) runs before each of its calls."""
    folder = home / ".python3-bin"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "python3"
    if not link.is_symlink():
        link.symlink_to(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))
    return folder


def workshop(
    *args: str, home: Path, with_cli: bool = False, stdin: str | None = None,
    timeout: float = 120, **extra: str,
) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """``python -m workshop ARGS`` run to its end, output captured."""
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args],
        cwd=REPO,
        env=env_for(home, with_cli=with_cli, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def recorded_copy(folder: Path) -> Path:
    """examples/kvcloud copied to ``folder`` without its recordings, then recorded live."""
    copy = folder / "kvcloud"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("recordings"))
    done = workshop("record", str(copy), home=folder / "author", with_cli=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return copy
