"""The learner's choices survive a restart: the theme (F12) and the step list's layout
(Shift+F12) are kept in the settings file and used by the next ``workshop run``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from tmux_support import Tmux, require_tmux

ROOT = Path(__file__).resolve().parents[2]
WHITE = "48;2;255;255;255"
"""The light theme's background, as tmux reports a cell's colour (``capture-pane -e``)."""


@pytest.fixture
def isolated_tmux(isolated: Path) -> Iterator[Path]:
    require_tmux()
    yield isolated
    from workshop.mock.router import stop_router

    stop_router(isolated / "state" / "mock" / "12factor")


def start(tmux: Tmux, home: Path) -> None:
    env = {
        "WORKSHOP_HOME": str(home),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    command = f"{sys.executable} -m workshop run workshop/bundled/12factor --lesson dev-prod-parity"
    tmux.start(command, 120, 40, env, cwd=ROOT)
    tmux.wait_for(lambda s: "Step 1 of 6" in s and " f1 Help " in s, "the lesson", timeout=60)


def coloured(tmux: Tmux) -> str:
    return tmux("capture-pane", "-p", "-e", "-t", tmux.session)


def rail(screen: str) -> bool:
    """The step list shows numbers only (its second row is ``· 2`` and a border)."""
    return any(line.startswith("· 2  │") for line in screen.splitlines())


def test_theme_and_layout_survive_a_restart(isolated_tmux: Path) -> None:
    home = isolated_tmux
    with Tmux(prefix="workshop-settings", session="learner") as tmux:
        start(tmux, home)
        assert not rail(tmux.screen()) and WHITE not in coloured(tmux)
        tmux.press("F12")
        tmux.wait_for(lambda s: WHITE in coloured(tmux), "the light theme")
        tmux.press("S-F12")  # auto → rail
        tmux.wait_for(rail, "the rail")
        settings = home / "config" / "settings.yaml"
        tmux.wait_for(lambda s: settings.is_file(), "the settings saved")
        tmux.press("C-q")
    saved = yaml.safe_load(settings.read_text(encoding="utf-8"))
    assert (saved["theme"], saved["layout"]) == ("light", "rail"), saved
    with Tmux(prefix="workshop-settings", session="learner") as tmux:
        start(tmux, home)
        screen = tmux.wait_for(rail, "the rail again")
        assert "See where the CLI points" in screen  # the heading still names the step
        assert WHITE in coloured(tmux)


def test_the_settings_command_knows_the_choices(isolated: Path) -> None:
    import subprocess

    def settings(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "workshop", "settings", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=30,
        )

    assert settings("set", "theme", "light").returncode == 0
    wrong = settings("set", "layout", "sideways")
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert "expected one of auto, rail, full" in wrong.stderr
    assert "theme = light" in settings().stdout
