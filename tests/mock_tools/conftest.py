"""Fixtures of the offline git/mvn/java tests: an isolated mock home and its router's cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mock_support import stop_router_of


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A fresh mock home path (made by ``workshop mock env``); its router stopped afterwards."""
    home = tmp_path / "mock home"  # a space: the shims must quote it
    yield home
    stop_router_of(home)
