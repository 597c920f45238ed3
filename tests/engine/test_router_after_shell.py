"""The mock's app router (a Python process of its own) starts once the learner's shell is
up, not while the first screen is still being drawn: on a fresh home its start competed with
the TUI's for the machine's cores. Its port is settled before, for the shell's proxy
variables, and the router then takes that port. Real bash, the real router."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import LESSON, WORKSHOP, Events, wait_for
from test_session_headless import close_session

import workshop.mock.router.control as control
from workshop.content import load_workshop
from workshop.engine.session import LearnerSession
from workshop.mock.router import router_status


def test_the_router_starts_after_the_shell_on_the_port_the_shell_was_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sessions: list[LearnerSession] = []
    shell_up_at_spawn: list[bool] = []
    spawn = control._spawn

    def watched(home: Path, wait: bool = True, port: int = 0) -> None:
        shell = sessions[0].shell if sessions else None
        shell_up_at_spawn.append(shell is not None and shell.alive)
        spawn(home, wait, port)

    monkeypatch.setattr(control, "_spawn", watched)
    session = LearnerSession(
        load_workshop(WORKSHOP), LESSON, listener=Events(), rows=30, cols=100,
        mock_home=tmp_path / "mock",
    )  # fmt: skip
    sessions.append(session)
    try:
        session.start()
        assert shell_up_at_spawn[:1] == [True]
        live = wait_for(lambda: router_status(session.mock_home), what="the router")
        assert f":{live['port']}" in session.env["http_proxy"]
    finally:
        close_session(session)
