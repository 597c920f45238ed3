"""The whole dev/prod parity lesson through ``workshop run --plain > file``: the lesson's
Markdown comes out as plain text wrapped to the width, and the learner's terminal output as
the lines a terminal showed (no ``\\r`` progress, no trailing spaces)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine_support import LESSON, REPO, STEP_IDS, WORKSHOP, cli_env, plain_commands, stop_router

WIDTH = 100
"""``COLUMNS`` in the runner's environment (``engine_support.cli_env``)."""


def step_texts(out: str) -> list[list[str]]:
    """The lines of each step's text: after its heading's rule, up to its commands."""
    texts: list[list[str]] = []
    lines = out.splitlines()
    for index, line in enumerate(lines):
        if " — step " in line:
            body: list[str] = []
            for following in lines[index + 2 :]:
                if following.startswith("(Stuck?") or following.startswith("    $ "):
                    break
                body.append(following)
            texts.append(body)
    return texts


def test_a_whole_lesson_into_a_file_reads_as_plain_text(tmp_path: Path) -> None:
    home = tmp_path / "home"
    try:
        # bytes, not text: text mode would turn a lone \r into a line end
        done = subprocess.run(
            [sys.executable, "-m", "workshop", "run", str(WORKSHOP), "--plain", "--lesson", LESSON],
            cwd=REPO,
            env=cli_env(home),
            input=plain_commands(STEP_IDS).encode(),
            capture_output=True,
            timeout=120,
        )
    finally:
        stop_router(home)
    out = done.stdout.decode()
    assert done.returncode == 0, out + done.stderr.decode()
    assert "Lesson complete: X. Dev/prod parity." in out
    # the terminal's output as a terminal showed it
    assert "\r" not in out
    assert [line for line in out.splitlines() if line != line.rstrip()] == []
    assert "\nDone uploading\n" in out  # cf push's progress line, as last drawn
    # the lesson's Markdown without its marks, wrapped at words to the width
    texts = step_texts(out)
    assert len(texts) == 6
    prose = "\n".join(line for text in texts for line in text)
    for mark in ("> ", "`", "*"):
        assert mark not in prose, mark
    assert all(len(line) <= WIDTH for line in prose.splitlines())
    last = " ".join(" ".join(texts[-1]).split())
    assert "Why Ping null? The value of environment.variable was set with cf set-env" in last
    assert "on the app in development only." in last
    assert "• The time gap: A developer may work on code" in prose
