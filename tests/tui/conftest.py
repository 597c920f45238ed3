"""TUI tests: a fixed terminal size with colour, Pilot on asyncio, CSS parsed once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.tui.parsed_css import share_parsed_css


@pytest.fixture(scope="session", autouse=True)
def parsed_css_shared() -> Iterator[None]:
    """The apps of the run parse each stylesheet once (``tests.tui.parsed_css``)."""
    with share_parsed_css():
        yield


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
