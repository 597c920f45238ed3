"""The first three lessons of the 12-factor course in a real terminal, typed at like a person.

``workshop run lessons/12factor`` runs inside tmux (a private server, ``tmux -L``) at 140x45,
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
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZE = (140, 45)
PROMPT = re.compile(r"^\S+ [#$]$")
"""The learner's shell prompt: the folder's name and ``#`` (root) or ``$``."""


SERVER_ENV = {
    name: value
    for name, value in os.environ.items()
    if name not in ("COLUMNS", "LINES", "TMUX", "TMUX_PANE")
}
"""tmux's own environment: the pane's size must come from tmux, not from the COLUMNS and
LINES that the TUI tests' fixture sets (Textual would take them over the real size)."""


class Tmux:
    """A tmux server of our own (``-L NAME``) holding the learner's session."""

    def __init__(self, name: str) -> None:
        self.name = name
        """The server's socket name (unique per test)."""

    def __call__(self, *args: str) -> str:
        """Run a tmux command against our server; its output."""
        done = subprocess.run(
            ["tmux", "-L", self.name, *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
            env=SERVER_ENV,
        )
        return done.stdout

    def screen(self, history: bool = False) -> str:
        """What the learner sees now (with the lines scrolled off the top, if ``history``)."""
        return self("capture-pane", "-p", "-t", "learner", *(["-S", "-"] if history else []))

    def wait_for(
        self,
        predicate: Callable[[str], bool],
        what: str,
        timeout: float = 45,
        history: bool = False,
    ) -> str:
        """Poll the screen until ``predicate`` holds; fail with the screen after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen(history)
            if predicate(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{text}")
            time.sleep(0.05)  # polling tmux (another process) with a deadline

    def type(self, text: str) -> None:
        """Type ``text`` key by key (each key its own ``send-keys``, as fast as tmux takes it)."""
        for char in text:
            self("send-keys", "-t", "learner", "-l", char)

    def press(self, *keys: str) -> None:
        """Press named keys (``Enter``, ``C-c`` …)."""
        self("send-keys", "-t", "learner", *keys)


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

    assert shutil.which("tmux"), "tmux is missing: run scripts/ensure-system-deps"
    server = Tmux(f"workshop-course-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        yield server
    finally:
        socket_path = subprocess.run(
            ["tmux", "-L", server.name, "display-message", "-p", "#{socket_path}"],
            capture_output=True,
            text=True,
            env=SERVER_ENV,
        ).stdout.strip()
        subprocess.run(
            ["tmux", "-L", server.name, "kill-server"], capture_output=True, env=SERVER_ENV
        )
        if socket_path:  # tmux leaves its socket file behind
            Path(socket_path).unlink(missing_ok=True)
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
    env_args = [arg for name, value in env.items() for arg in ("-e", f"{name}={value}")]
    # The shell tmux runs the command with says how the app ended: tmux's own "Pane is dead
    # (status N)" needs tmux to reap the app, which it was seen to leave undone under load.
    command = f'{sys.executable} -m workshop run lessons/12factor; echo "workshop exited: $?"'
    tmux(
        "-f", "/dev/null", "new-session", "-d", "-s", "learner",
        "-x", str(SIZE[0]), "-y", str(SIZE[1]), "-c", str(ROOT), *env_args, command,
    )  # fmt: skip
    tmux("set-option", "-t", "learner", "remain-on-exit", "on")

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
    screen = run(
        tmux,
        "git clone https://github.com/URL_TO_YOUR_REPO.git",
        completed("I. Codebase", 1),
        "the lesson's end",
    )
    assert "Cloning into 'URL_TO_YOUR_REPO'..." in screen
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
