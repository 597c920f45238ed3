"""The first three lessons of the 12-factor course in a real terminal, typed at like a person.

``workshop run workshop/bundled/12factor`` runs inside tmux (a private server, ``tmux -L``) at 140x45,
with WORKSHOP_HOME and HOME in the test's tmp dir, offline (the mock). The test types every
command one key at a time, presses Enter, and reads the screen with ``capture-pane`` until
it shows what a learner would wait for: a prompt, the check panel's "Step N passed", the
completion screen. It answers ``cf login``'s Email> and Password> prompts, goes on to the
next lesson with the completion screen's focused "Next" button (Enter), stops the locally
run jar with Ctrl-C once it has started (on a free port given through SERVER_PORT, so a
busy 8080 cannot get in the way) and curls the pushed app through the mock's router.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tmux_support import Tmux, require_tmux

ROOT = Path(__file__).resolve().parents[2]
SIZE = (140, 45)
PROMPT = re.compile(r"^\S+ [#$]$")
"""The learner's shell prompt: the folder's name and ``#`` (root) or ``$``."""


def terminal_lines(screen: str) -> list[str]:
    """The terminal pane's lines (inside its border), without trailing blanks."""
    lines = screen.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("╭─ Terminal"))
    inside = []
    for line in lines[top + 1 :]:
        if line.startswith("╰"):
            break
        inside.append(line.rstrip().removeprefix("│").removesuffix("│").rstrip())
    while inside and not inside[-1]:
        inside.pop()
    return inside


def at_prompt(screen: str) -> bool:
    """The shell waits for a command (its last line is a bare prompt)."""
    lines = terminal_lines(screen)
    return bool(lines) and bool(PROMPT.match(lines[-1]))


def in_terminal(screen: str, text: str) -> bool:
    """``text`` is in the terminal, even where a long line wrapped (spaces are ignored)."""
    squeezed = "".join("".join(terminal_lines(screen)).split())
    return "".join(text.split()) in squeezed


def last_line(screen: str) -> str:
    """The terminal's last non-blank line."""
    lines = terminal_lines(screen)
    return lines[-1] if lines else ""


def free_port() -> int:
    """A port nobody listens on now (127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def tmux(isolated: Path) -> Iterator[Tmux]:
    """A private tmux server; killed afterwards, with the mock's app router."""
    from workshop.mock.router import stop_router

    require_tmux()
    try:
        with Tmux(prefix="workshop-course", session="learner") as server:
            yield server
    finally:
        stop_router(isolated / "state" / "mock" / "12factor")


def run(tmux: Tmux, command: str, then: Callable[[str], bool], what: str) -> str:
    """Type a command at the prompt, press Enter, wait until the screen shows ``then``."""
    tmux.type(command)
    tmux.press("Enter")
    return tmux.wait_for(then, f"{what} after {command!r}")


def shows(*texts: str) -> Callable[[str], bool]:
    """A predicate: every text is on the screen."""
    return lambda screen: all(text in screen for text in texts)


def passed(number: int, title: str) -> Callable[[str], bool]:
    """A predicate: the check panel says step ``number`` passed, and the shell is back."""
    return lambda s: f"Step {number} passed ({title})" in s and at_prompt(s)


def completed(title: str, steps: int) -> Callable[[str], bool]:
    """A predicate: the completion screen of lesson ``title`` with all its steps passed."""
    noun = "step" if steps == 1 else "steps"
    return shows(f"Lesson complete: {title}", f"{steps} {noun} passed, {steps} at the first try")


def test_first_three_lessons_typed_in_tmux(tmux: Tmux, isolated: Path) -> None:
    port = free_port()
    env = {
        "WORKSHOP_HOME": str(isolated),
        "HOME": str(isolated),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SERVER_PORT": str(port),
    }
    # The shell tmux runs the command with says how the app ended: tmux's own "Pane is dead
    # (status N)" needs tmux to reap the app, which it was seen to leave undone under load.
    command = (
        f'{sys.executable} -m workshop run workshop/bundled/12factor; echo "workshop exited: $?"'
    )
    tmux.start(command, *SIZE, env, cwd=ROOT)

    # --- Objective: a fresh home starts at the first lesson ------------------------------
    tmux.wait_for(
        lambda s: (
            shows("›  Objective", "MOCK", "Step 1 of 5: Check your tools", " f1 Help ")(s)
            and at_prompt(s)
        ),
        "the first lesson, a prompt and the keyboard in the terminal (the footer's F-keys)",
        timeout=60,
    )
    run(tmux, "java -version", shows("1 of 4 commands done"), "the first tool")
    run(tmux, "mvn --version", shows("2 of 4 commands done"), "the second tool")
    run(tmux, "git --version", shows("3 of 4 commands done"), "the third tool")
    run(tmux, "cf -v", passed(1, "Check your tools"), "step 1 passing")
    run(
        tmux,
        "cf api --skip-ssl-validation http://api.cfapps.io",
        passed(2, "Set the API endpoint"),
        "step 2 passing",
    )
    run(tmux, "cf login", lambda s: last_line(s) == "Email>", "the Email> prompt")
    run(tmux, "user_name", lambda s: last_line(s) == "Password>", "the Password> prompt")
    screen = run(tmux, "password", passed(3, "Log in"), "step 3 passing")
    assert "Password>" in terminal_lines(screen)  # the password is not echoed
    run(tmux, "cf create-space development", passed(4, "Create your development space"), "step 4")
    screen = run(tmux, "cf target -s development", completed("Objective", 5), "the lesson's end")
    assert "Next: I. Codebase" in screen

    # --- I. Codebase: the completion screen's first button goes on -----------------------
    tmux.press("Enter")
    tmux.wait_for(
        lambda s: "›  I. Codebase" in s and "Step 1 of 1: Clone your repository" in s,
        "the codebase lesson",
    )
    # the text's placeholder is refused, as the hosting service would; a real address clones
    screen = run(
        tmux,
        "git clone https://github.com/URL_TO_YOUR_REPO.git",
        lambda s: "fatal: repository 'https://github.com/URL_TO_YOUR_REPO.git/' not found" in s,
        "git's refusal",
    )
    screen = run(
        tmux,
        "git clone https://github.com/learner/stock.git",
        shows("Lesson complete: I. Codebase", "1 step passed, 0 at the first try, 1 retry,"),
        "the lesson's end",
    )
    assert "Cloning into 'stock'..." in screen
    assert "Next: II. Dependencies" in screen

    # --- II. Dependencies ----------------------------------------------------------------
    tmux.press("Enter")
    tmux.wait_for(
        lambda s: "›  II. Dependencies" in s and "Step 1 of 6: Generate the Maven project" in s,
        "the dependencies lesson",
    )
    run(
        tmux,
        "mvn archetype:generate -DgroupId=com.altoros.shop -DartifactId=stock"
        " -DarchetypeArtifactId=maven-archetype-quickstart -DinteractiveMode=false",
        passed(1, "Generate the Maven project"),
        "step 1 passing",
    )
    run(tmux, "cd stock", passed(2, "Go into the project"), "step 2 passing")
    screen = run(tmux, "mvn clean install", passed(3, "Build the jar"), "step 3 passing")
    assert "[INFO] BUILD SUCCESS" in terminal_lines(screen)

    screen = run(
        tmux,
        "java -jar target/stock-1.0-SNAPSHOT.jar",
        lambda s: (
            in_terminal(s, f"Tomcat started on port(s): {port} (http)")
            and in_terminal(s, "Started StockSpringBootStarter in")
        ),
        "the app to start",
    )
    assert not at_prompt(screen)  # the app runs in the foreground until Ctrl-C
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stock/ping", timeout=10) as answer:
        assert answer.read().decode().startswith("Ping")
    tmux.press("C-c")
    tmux.wait_for(passed(4, "Run it locally"), "step 4 passing after Ctrl-C")

    run(
        tmux,
        "cf push workshop-12f-stock -p target/stock-1.0-SNAPSHOT.jar -n workshop-12f-stock",
        passed(5, "Push the jar"),
        "step 5 passing",
    )
    screen = run(
        tmux,
        "curl http://workshop-12f-stock.cfapps.io/stock/ping",
        completed("II. Dependencies", 6),
        "the lesson's end",
    )
    assert "Next: III. Config" in screen
    assert any(line.startswith("Ping") for line in terminal_lines(screen)), screen

    tmux.press("q")  # the completion screen's Quit key
    # the line can scroll off the top as the app gives the terminal back: read the history too
    tmux.wait_for(shows("workshop exited: 0"), "the app to exit cleanly", history=True)
