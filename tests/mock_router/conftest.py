"""Fixtures for the router tests: a seeded mock home, its real router, real curl."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from router_support import START, stop_and_wait

from workshop.mock import state as mock_state
from workshop.mock.router import ensure_router


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A mock home seeded with two spaces' worth of apps (see ``router_support.START``)."""
    home = tmp_path / "mock"
    home.mkdir()
    mock_state.save(home, mock_state.initial_state(START, None))
    return home


@pytest.fixture
def router(home: Path) -> Iterator[int]:
    """The real router of ``home`` (its port); stopped, and checked gone, afterwards."""
    port = ensure_router(home)
    yield port
    stop_and_wait(home)
