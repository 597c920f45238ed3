"""The line mode in a real 80×24 terminal (tmux): the learner's ``:`` commands and Ctrl+]
are the runner's, everything else is bash's; the lesson's text is wrapped at words to the
terminal's width; leaving with ``exit`` before the end is exit status 1."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import LESSON, REPO, WORKSHOP, stop_router
from test_plain_tmux import enter, wait_prompt_after, wait_text
from tmux_support import Tmux, require_tmux

WIDTH, HEIGHT = 80, 24


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server, killed after the test."""
    require_tmux()
    with Tmux() as server:
        yield server


def last_line(screen: str) -> str:
    """The screen's last line with text (the prompt, and what is typed after it)."""
    return screen.rstrip().splitlines()[-1]


def start(tmux: Tmux, home: Path) -> None:
    """``workshop run --plain`` on the dev/prod parity lesson; its status printed after it."""
    env = {"WORKSHOP_HOME": str(home), "NO_COLOR": "1", "TERM": "xterm-256color"}
    command = " ".join(
        ["env", "-u", "CF_DOMAIN", *(f"{k}={shlex.quote(v)}" for k, v in env.items())]
        + [shlex.quote(sys.executable), "-m", "workshop", "run", shlex.quote(str(WORKSHOP))]
        + ["--plain", "--lesson", LESSON]
    )
    tmux.start(f'{command}; echo "[runner exited $?]"', WIDTH, HEIGHT, cwd=REPO)


def test_commands_keys_and_text_in_a_terminal(tmux: Tmux, tmp_path: Path) -> None:
    home = tmp_path / "home"
    start(tmux, home)
    try:
        wait_prompt_after(tmux, "step 1 of 6")
        # the text is wrapped by the runner, at words: the terminal never had to wrap a line
        screen = tmux.screen(history=True, joined=True)
        text = screen[screen.index("Historically") : screen.index("(Stuck?")]
        assert max(len(line) for line in text.splitlines()) <= WIDTH, text
        assert "between development (a developer" in " ".join(text.split())
        assert "*" not in text and "`" not in text

        enter(tmux, ":hint")
        wait_text(tmux, "Hint: cf target with no arguments")
        wait_prompt_after(tmux, "Hint: cf target")
        tmux.type(":help", per_key=True)  # typed key by key, as a person does
        tmux.press("Enter")
        wait_text(tmux, ":lessons [N]")
        wait_prompt_after(tmux, "screen with the instructor (or stops).")
        tmux.press("C-]")
        wait_text(tmux, "Skip this step?")
        enter(tmux, "n")
        wait_text(tmux, "Not skipped.")
        wait_prompt_after(tmux, "Not skipped.")
        # a learner command given up (an arrow key, Escape) leaves the prompt as it was
        tmux.type(":he")
        tmux.wait_for(lambda s: last_line(s) == "work # :he", ":he echoed")
        tmux.press("Up")
        tmux.wait_for(lambda s: last_line(s) == "work #", "the prompt as it was")
        # a ":" that is no learner command is bash's: alone, in an argument, as the no-op
        enter(tmux, ":")
        enter(tmux, "echo a:b")
        wait_text(tmux, "\na:b\n")
        enter(tmux, ": nothing")
        enter(tmux, "cf target")
        wait_text(tmux, "✔ Step passed.")
        wait_prompt_after(tmux, "step 2 of 6")
        enter(tmux, ":back")
        wait_prompt_after(tmux, "(This step is passed: :next goes on.)")
        enter(tmux, ":next")
        wait_text(tmux, "step 2 of 6", times=2)
        wait_prompt_after(tmux, "step 2 of 6")
        enter(tmux, "exit")
        screen = wait_text(tmux, "[runner exited")
        assert "[runner exited 1]" in screen
        assert "Stopped at step 2 of 6" in screen
        assert "command not found" not in screen
        assert "Traceback" not in screen
    finally:
        tmux.close()
        stop_router(home)


def test_a_resized_terminal_is_followed(tmux: Tmux, tmp_path: Path) -> None:
    """The terminal narrows: the shell's programs see the new width, and the step's text is
    wrapped to it when shown again."""
    home = tmp_path / "home"
    start(tmux, home)
    try:
        wait_prompt_after(tmux, "step 1 of 6")
        tmux("resize-window", "-t", tmux.session, "-x", "50", "-y", str(HEIGHT))
        enter(tmux, "tput cols")
        wait_prompt_after(tmux, "\n50\n")  # a person types once the prompt is back
        enter(tmux, ":step")
        wait_text(tmux, "step 1 of 6", times=2)
        wait_prompt_after(tmux, "step 1 of 6")
        screen = tmux.screen(history=True, joined=True)
        shown = screen[screen.rindex("Historically") : screen.rindex("(Stuck?")]
        assert max(len(line) for line in shown.splitlines()) <= 50, shown
    finally:
        tmux.close()
        stop_router(home)


def test_ctrl_c_in_a_terminal_reaches_the_command_not_the_runner(
    tmux: Tmux, tmp_path: Path
) -> None:
    """In a terminal Ctrl-C interrupts the running command, as in any shell; the runner goes
    on (here: a step skipped), and ``:quit`` leaves it with status 1 (the lesson is not
    complete)."""
    home = tmp_path / "home"
    start(tmux, home)
    try:
        wait_prompt_after(tmux, "step 1 of 6")
        enter(tmux, "sleep 60; echo slept")
        wait_text(tmux, "sleep 60; echo slept")
        tmux.press("C-c")
        wait_prompt_after(tmux, "sleep 60; echo slept")
        # an answer is edited before Enter, as in a shell: "n", Backspace, "y" says yes
        enter(tmux, ":skip")
        wait_text(tmux, "Skip this step?")
        tmux.type("n")
        tmux.press("BSpace")
        enter(tmux, "y")
        wait_text(tmux, "Step skipped")
        wait_prompt_after(tmux, "step 2 of 6")
        enter(tmux, ":quit")
        screen = wait_text(tmux, "[runner exited")
        assert "[runner exited 1]" in screen and "\nslept" not in screen
    finally:
        tmux.close()
        stop_router(home)
