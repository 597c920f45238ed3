"""The first frame that shows a lesson shows all of it: header, step heading and step text.

``workshop run`` in a real PTY (real bash, the real mock), read through pyte frame by frame:
the terminal here says it supports synchronized output, so Textual brackets each frame with
``ESC [ ? 2026 h`` … ``ESC [ ? 2026 l``. The lesson screen used to be pushed while Textual
was still starting, when it holds every repaint and drops the frames laid out meanwhile:
its first full frame was lost, and the next ones drew only what had changed since, so the
step's text showed without its heading ("Step 1 of 6") and the header for a frame or two,
and the start took that much longer to show a usable screen.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest

ROOT = Path(__file__).resolve().parents[2]
SYNC_QUERY = "\x1b[?2026$p"
SYNC_SUPPORTED = "\x1b[?2026;2$y"
FRAME_END = "\x1b[?2026l"
TEXT = "Keep development, staging"


def test_the_first_frame_with_the_step_text_has_its_heading_and_the_header(
    tmp_path: Path,
) -> None:
    env = dict(os.environ, WORKSHOP_HOME=str(tmp_path), TERM="xterm-256color", NO_COLOR="")
    env.pop("NO_COLOR")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "workshop", "run", str(ROOT / "workshop" / "bundled" / "12factor"),
         "--lesson", "dev-prod-parity"],
        env=env, cwd=str(tmp_path), dimensions=(40, 120), encoding="utf-8",
    )  # fmt: skip
    screen = pyte.Screen(120, 40)
    stream = pyte.Stream(screen)
    pending = ""
    frames = 0
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                pending += child.read_nonblocking(65536, timeout=0.5)
            except pexpect.TIMEOUT:
                continue
            if SYNC_QUERY in pending:
                child.send(SYNC_SUPPORTED)
                pending = pending.replace(SYNC_QUERY, "")
            while FRAME_END in pending:
                frame, _, pending = pending.partition(FRAME_END)
                stream.feed(frame + FRAME_END)
                frames += 1
                shown = "\n".join(screen.display)
                if TEXT in shown:
                    assert "Step 1 of 6" in shown, f"frame {frames} without the heading:\n{shown}"
                    assert "X. Dev/prod parity" in shown, f"frame {frames} without the header"
                    return
        raise AssertionError(f"no frame showed the step's text ({frames} frames)")
    finally:
        child.terminate(force=True)
        from workshop.mock.router import stop_router

        for mock_home in (tmp_path / "state" / "mock").glob("*"):
            stop_router(mock_home)


@pytest.mark.anyio
async def test_a_shell_started_before_the_screen_shows_its_prompt_before_the_pane_is_laid_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``workshop run`` starts bash while Textual comes up, at a size guessed for the pane:
    its prompt goes into the pane as the screen mounts, so the first frame has it. (The
    pane used to take the shell's output only once its first layout told its size: a
    frame or two later.) Here the pane never learns its size, and the prompt shows."""
    from tests.tui.helpers import wait_until
    from tests.tui.test_stream_frames import drawn
    from workshop.content import load_workshop
    from workshop.engine.session import LearnerSession
    from workshop.tui.app import WorkshopApp
    from workshop.tui.bridge import EngineBridge, SessionUp, start_session
    from workshop.tui.widgets.terminal import TerminalView

    monkeypatch.setattr(TerminalView, "on_resize", lambda self, event: None)
    bridge = EngineBridge()
    session = LearnerSession(
        load_workshop(ROOT / "workshop" / "bundled" / "12factor"),
        "dev-prod-parity",
        listener=bridge,
        rows=18,
        cols=98,
    )
    start_session(session, bridge)
    assert bridge.holds(SessionUp)
    deadline = time.monotonic() + 20
    while session.shell is None or not session.shell.at_prompt:
        assert time.monotonic() < deadline, "no prompt from the shell"
        time.sleep(0.05)
    app = WorkshopApp(session, bridge, session_starting=True)
    try:
        async with app.run_test(size=(100, 40)) as pilot:

            def prompt_drawn() -> bool:
                return any(
                    line.rstrip(" │").rstrip().endswith(("$", "#")) and "│" in line
                    for line in drawn(app).splitlines()
                )

            await wait_until(pilot, prompt_drawn, timeout=10, what="the prompt drawn")
    finally:
        session.close()
