"""``workshop run``'s command line: bad input is a message and an exit status, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workshop", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_missing_workshop_folder(tmp_path: Path) -> None:
    done = run(str(tmp_path / "nowhere"))
    assert done.returncode != 0
    assert "nowhere" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_lesson() -> None:
    done = run("workshop/bundled/12factor", "--lesson", "no-such-lesson")
    assert done.returncode == 2
    assert "no-such-lesson" in done.stderr and "dev-prod-parity" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_theme() -> None:
    done = run("workshop/bundled/12factor", "--theme", "sepia")
    assert done.returncode == 2
    assert "sepia" in done.stderr


def test_classroom_needs_code_and_name() -> None:
    done = run("workshop/bundled/12factor", "--classroom", "http://127.0.0.1:9")
    assert done.returncode == 2
    assert "--code" in done.stderr and "--name" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_lists_the_options() -> None:
    done = run("--help")
    assert done.returncode == 0
    for option in ("--lesson", "--live", "--plain", "--classroom", "--code", "--name"):
        assert option in done.stdout
