"""Every engine test runs with its own WORKSHOP_HOME and a colourless, fixed-size environment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from run_support import run_folder
from selftest_runs import Runs


@pytest.fixture(scope="session", autouse=True)
def selftest_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runs | None]:
    """Start the slow ``workshop test`` subprocesses first (once per run), when their tests
    are selected, so they overlap with the rest of the directory."""
    if not any(item.path.name == "test_selftest_cli.py" for item in request.session.items):
        yield None
        return
    yield Runs(run_folder(tmp_path_factory, "selftest-runs"))
