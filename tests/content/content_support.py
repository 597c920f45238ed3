"""Paths shared by the content tests (a module of its own so tests can import it by name)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_WORKSHOP = REPO / "workshop" / "bundled" / "12factor"
SEED_LESSON = SEED_WORKSHOP / "11_dev_prod_parity.md"

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
"""The ``cli`` fixture: run ``python -m workshop ARGS`` and return the finished process."""
