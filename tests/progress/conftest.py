"""Every test here runs with its own WORKSHOP_HOME and a colourless, fixed-size environment."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every workshop path at a temporary folder for the test."""
    home = tmp_path / "workshop-home"
    monkeypatch.setenv("WORKSHOP_HOME", str(home))
    for name in ("WORKSHOP_STATE_DIR", "WORKSHOP_DATA_DIR", "WORKSHOP_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "30")
    return home
