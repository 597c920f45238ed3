"""``workshop run`` with no terminal (input or output redirected) runs as ``--plain``
instead of drawing the TUI into a pipe and waiting for keys that never come."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine_support import REPO, cli_env, stop_router

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


def test_run_with_piped_input_falls_back_to_plain(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "workshop", "run", str(TINY), "--lesson", "first"],
        cwd=REPO,
        env=cli_env(home),
        input="echo hello\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    stop_router(home, "tiny")
    assert done.returncode == 0, done.stderr
    assert "--plain" in done.stderr
    assert "Step passed" in done.stdout
    assert "Lesson complete: First." in done.stdout
