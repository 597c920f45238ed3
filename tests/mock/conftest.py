"""Fixtures of the fake-cf tests: every test gets its own mock home in a tmp dir."""

from __future__ import annotations

from pathlib import Path

import pytest
from cf_support import seeded_home


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A mock home in the dev-prod-parity lesson's starting state."""
    return seeded_home(tmp_path)


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A mock home with no start block: a fresh PWS account, not logged in."""
    return seeded_home(
        tmp_path,
        None,
        {"api": "https://api.run.pivotal.io", "api_version": "2.46.0", "domain": "cfapps.io"},
        name="fresh",
    )
