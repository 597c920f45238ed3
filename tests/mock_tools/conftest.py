"""Fixtures of the offline git/mvn/java tests: an isolated mock home and its router's cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tools_support import stop_router_of


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
        "WORKSHOP_MOCK_CLOCK",
        "SERVER_PORT",
        "ENVIRONMENT_VARIABLE",
        "CF_INSTANCE_IP",
        "CF_INSTANCE_PORTS",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A fresh mock home path (made by ``workshop mock env``); its router stopped afterwards."""
    home = tmp_path / "mock home"  # a space: the shims must quote it
    yield home
    stop_router_of(home)
