"""Every engine test runs with its own WORKSHOP_HOME and a colourless, fixed-size environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selftest_runs import Runs


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every workshop path at a temporary folder for the test."""
    home = tmp_path / "workshop-home"
    monkeypatch.setenv("WORKSHOP_HOME", str(home))
    for name in (
        "WORKSHOP_STATE_DIR",
        "WORKSHOP_DATA_DIR",
        "WORKSHOP_CONFIG_DIR",
        "WORKSHOP_CACHE_DIR",
        "CF_DOMAIN",
        "CF_COLOR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "30")
    return home


@pytest.fixture(scope="session", autouse=True)
def selftest_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runs | None]:
    """Start the slow ``workshop test`` subprocesses first, when their tests are selected,
    so they overlap with the rest of the directory."""
    if not any(item.path.name == "test_selftest_cli.py" for item in request.session.items):
        yield None
        return
    runs = Runs(tmp_path_factory.mktemp("selftest"))
    yield runs
    runs.close()
