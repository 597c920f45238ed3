"""Fixtures for the shell tests: real bash sessions in a PTY, isolated in temporary dirs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from shell_support import Recorder

from workshop.shell import ShellSession


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME and WORKSHOP_HOME for the test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("WORKSHOP_HOME", str(tmp_path / "workshop"))
    return home


@pytest.fixture
def make_session(home: Path) -> Iterator[Callable[..., tuple[ShellSession, Recorder]]]:
    """Start sessions that report to a :class:`Recorder`; all are closed after the test."""
    sessions: list[ShellSession] = []

    def make(**kwargs: object) -> tuple[ShellSession, Recorder]:
        rec = Recorder()
        kwargs.setdefault("cwd", home)
        session = ShellSession(
            on_output=rec.on_output,
            on_command_started=rec.on_started,
            on_command_finished=rec.on_finished,
            **kwargs,  # type: ignore[arg-type]
        )
        sessions.append(session)
        session.start(timeout=10)
        return session, rec

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def shell(
    make_session: Callable[..., tuple[ShellSession, Recorder]],
) -> tuple[ShellSession, Recorder]:
    """One started session and its recorder."""
    return make_session()
