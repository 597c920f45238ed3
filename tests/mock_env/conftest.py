"""Fixtures for ``workshop mock``/``workshop record`` tests: isolated dirs, router cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from env_support import stop_router_of


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSHOP_HOME", str(tmp_path / "workshop-home"))
    for name in (
        "http_proxy",
        "HTTP_PROXY",
        "no_proxy",
        "NO_PROXY",
        "CF_HOME",
        "CF_COLOR",
        "WORKSHOP_MOCK_HOME",
        "WORKSHOP_MOCK_CASSETTES",
        "WORKSHOP_MOCK_SPEED",
        "WORKSHOP_MOCK_ROUTER_IDLE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A fresh (not yet existing) mock home; its router is stopped afterwards."""
    home = tmp_path / "mock-home"
    yield home
    stop_router_of(home)
