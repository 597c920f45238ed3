"""The recorded-mock tests share one live recording of examples/kvcloud per module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from recorded_support import recorded_copy


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of examples/kvcloud recorded live just now (kvcloud on PATH while it ran)."""
    assert shutil.which("kvcloud") is None, "the tests need kvcloud absent from PATH"
    return recorded_copy(tmp_path_factory.mktemp("recorded"))
