"""Isolation for every TUI test: state in a temporary WORKSHOP_HOME, a fixed terminal size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every path the runner writes goes under the test's tmp dir."""
    home = tmp_path / "workshop-home"
    monkeypatch.setenv("WORKSHOP_HOME", str(home))
    for name in (
        "WORKSHOP_STATE_DIR",
        "WORKSHOP_DATA_DIR",
        "WORKSHOP_CONFIG_DIR",
        "WORKSHOP_CACHE_DIR",
        "WORKSHOP_THEME",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "40")
    yield home
    stop_routers(home)


def stop_routers(home: Path) -> None:
    """Stop the mock's app routers a test started (one per mock home; they outlive the app)."""
    from workshop.mock.router import stop_router

    for mock_home in (home / "state" / "mock").glob("*"):
        if mock_home.is_dir():
            stop_router(mock_home)


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (Textual's loop)."""
    return "asyncio"
