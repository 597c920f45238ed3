"""TUI tests: a fixed terminal size with colour, and Pilot on asyncio."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def tui_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed 120x40 terminal with colour (the root conftest isolates the rest)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "40")


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (Textual's loop)."""
    return "asyncio"
