"""The recorded-mock tests share one live recording of examples/kvcloud per run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from recorded_support import recorded_copy
from run_support import made_once, run_folder


@pytest.fixture(scope="session")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of examples/kvcloud recorded live just now (kvcloud on PATH while it ran),
    once per run: every worker reads the same one (a test that changes it copies it)."""
    assert shutil.which("kvcloud") is None, "the tests need kvcloud absent from PATH"
    folder = run_folder(tmp_path_factory, "recorded")
    with made_once(folder) as to_make:
        if to_make:
            for left in ("kvcloud", "author"):  # by an attempt that failed
                shutil.rmtree(folder / left, ignore_errors=True)
            recorded_copy(folder)
    return folder / "kvcloud"
