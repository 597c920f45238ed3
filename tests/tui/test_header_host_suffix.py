"""The header shows the learner's host suffix (issue 6, item 5), and only when one is set.

On a shared live foundation every learner pushes ``workshop-12f-stock``; the HOST_SUFFIX
variable (``workshop settings set HOST_SUFFIX -alice``) keeps their routes apart, and the
header reminds them (and the instructor looking over a shoulder) which one is theirs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.fakes import TranscriptSession
from tests.tui.helpers import wait_until
from workshop.engine.launch import open_session
from workshop.tui.app import WorkshopApp
from workshop.tui.widgets.header import LessonHeader

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]


def header_text(app: WorkshopApp) -> str:
    """The header line as the learner reads it."""
    return app.screen.query_one(LessonHeader).render().plain


async def test_the_suffix_set_in_settings_is_in_the_header(isolated: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "workshop", "settings", "set", "HOST_SUFFIX", "-alice"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    args = argparse.Namespace(
        path=str(ROOT / "workshop" / "bundled" / "12factor"), lesson=None, live=False
    )
    session = open_session(args, lambda event: None, front_end="TUI")
    assert session.values["HOST_SUFFIX"] == "-alice"
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "host suffix: -alice" in header_text(app), what="suffix")
        text = header_text(app)
        assert text.index("Objective") < text.index("host suffix: -alice") < text.index("MOCK")


async def test_no_suffix_no_label() -> None:
    session = TranscriptSession()
    session.values["HOST_SUFFIX"] = ""
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "MOCK" in header_text(app), what="the header")
        assert "suffix" not in header_text(app)


async def test_a_narrow_header_shortens_the_title_not_the_suffix() -> None:
    session = TranscriptSession()
    session.values["HOST_SUFFIX"] = "-bob"
    app = WorkshopApp(session)
    async with app.run_test(size=(70, 30)) as pilot:
        await wait_until(pilot, lambda: "MOCK" in header_text(app), what="the header")
        text = header_text(app)
        assert "host suffix: -bob" in text
        assert "…" in text  # the titles gave way
        assert len(text) == 70


async def test_a_workshop_that_simulates_no_program_says_live(isolated: Path) -> None:
    """examples/git-basics runs the real git (in a folder of its own): its badge said MOCK."""
    args = argparse.Namespace(path=str(ROOT / "examples" / "git-basics"), lesson=None, live=False)
    session = open_session(args, lambda event: None, front_end="TUI")
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "LIVE" in header_text(app), what="the LIVE badge")
        assert "MOCK" not in header_text(app)
