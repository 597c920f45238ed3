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


def imported_textual(**env: str) -> str:
    """What a process that imported Textual as ``workshop run`` does says: its frame rate,
    and ``TEXTUAL_FPS`` as its children (the learner's shell) would see it."""
    import os

    code = (
        "import os\n"
        "from workshop.commands.run import FPS, _import_textual\n"
        "_import_textual(FPS)\n"
        "import textual.constants\n"
        "print(textual.constants.MAX_FPS, os.environ.get('TEXTUAL_FPS', 'unset'))\n"
    )
    clean = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_tui_updates_the_screen_up_to_120_times_a_second_and_the_shell_is_not_told() -> None:
    """The prompt after a flood waited up to 17 ms for Textual's next of 60 updates a
    second; the setting is the TUI's own, not the learner's shell's."""
    assert imported_textual() == "120 unset"
    assert imported_textual(TEXTUAL_FPS="30") == "30 30"  # the environment's own wins
