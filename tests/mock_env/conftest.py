"""Fixtures for ``workshop mock``/``workshop record`` tests: isolated dirs, router cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mock_support import stop_router_of


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A fresh (not yet existing) mock home; its router is stopped afterwards."""
    home = tmp_path / "mock-home"
    yield home
    stop_router_of(home)
