"""Shared fixtures of the content tests: fixture paths, isolation, and the real CLI.

Every test runs with its own ``WORKSHOP_HOME`` and without the template variables the
fixtures use, so a value set on the developer's machine cannot change a result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from content_support import CliRunner

# Names the fixtures use as template variables; none may leak in from the environment.
TEMPLATE_NAMES = ("CF_DOMAIN", "USER_NAME", "ORG", "APP", "HOST", "KNOWN")


@pytest.fixture(autouse=True)
def no_template_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop stray template variables (the root conftest isolates the rest)."""
    for name in list(os.environ):
        if name in TEMPLATE_NAMES or name.startswith("WORKSHOP_TEST_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def outside_the_fixtures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work from a folder outside the fixtures: messages name a file relative to the current
    folder only when it lies inside it, and these tests name the fixtures absolutely."""
    outside = tmp_path / "cwd-outside-the-fixtures"
    outside.mkdir()
    monkeypatch.chdir(outside)


@pytest.fixture
def cli(outside_the_fixtures: None) -> CliRunner:
    """Run ``python -m workshop ARGS`` as a real subprocess, from the test's own folder."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "workshop", *args],
            env=full_env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run
