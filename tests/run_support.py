"""What the xdist workers of one test run make once and share: a folder of the run's own.

Some fixtures cost seconds (a live recording, a whole ``workshop test``): made once per
worker, a run with four workers made them four times over. :func:`run_folder` is a folder
that every worker of this run sees (and no other run), :func:`made_once` lets the first
worker that needs a thing make it while the others wait for it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def run_folder(factory: pytest.TempPathFactory, name: str) -> Path:
    """The folder ``name`` shared by every worker of this run (made if missing)."""
    base = factory.getbasetemp()
    # an xdist worker's base is one folder of the run's (popen-gwN); without xdist, the
    # base is the run's own
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def made_once(folder: Path) -> Iterator[bool]:
    """Hold ``folder``'s lock; yields whether its content is still to be made (the other
    workers wait, then find it made). Marked made when the block ends without an error."""
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = folder / ".made"
            yield not done.exists()
            done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
