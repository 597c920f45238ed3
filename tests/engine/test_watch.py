"""``workshop run --watch``: an author saves a lesson and the running session shows the new
text on the same step; a file that no longer parses is named, and the old content stays."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine_support import Events

from workshop.content import load_workshop
from workshop.engine import events as ev
from workshop.engine.session import LearnerSession

TINY = Path(__file__).parent / "fixtures" / "tiny"


def test_a_saved_lesson_is_shown_on_the_same_step(tmp_path: Path) -> None:
    copy = tmp_path / "tiny"
    shutil.copytree(TINY, copy)
    events = Events()
    session = LearnerSession(load_workshop(copy), "first", listener=events, live=True, watch=True)
    session.start()
    try:
        events.wait(ev.StepStarted)
        page = copy / "first.md"
        page.write_text(page.read_text().replace("Say hello.", "Say hello to the room."))
        notice = events.wait(ev.Notice, timeout=10)
        assert notice.text.startswith("Reloaded")
        assert "Say hello to the room." in session.step_view().text
        assert session.current_step.id == "echo-hello"
        mark = events.mark()
        (copy / "workshop.yaml").write_text("title: [unclosed\n")
        broken = events.wait(ev.Notice, mark, timeout=10)
        assert "Could not reload" in broken.text and "workshop.yaml" in broken.text
        assert "Say hello to the room." in session.step_view().text  # the old content stays
    finally:
        session.close()
