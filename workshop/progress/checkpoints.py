"""Snapshots of a learner's mock foundation, so that "reset this step" rewinds it too.

A mock home folder ``DIR`` holds ``DIR/state.json`` (the simulated foundation) and
``DIR/work`` (files the learner's commands made). A checkpoint is the bytes of the first
and a gzip'd tar of the second; the progress store keeps both as BLOBs in SQLite, so a
checkpoint is written in the same transactional, crash-safe way as the rest of progress
and travels with it (one file to back up, nothing half-copied after ``kill -9``).
Anything else in ``DIR`` (logs, the router's pid file) is left alone.

Restoring writes ``state.json`` through a temporary file and a rename, and swaps ``work``
for the extracted copy with renames, so a crash mid-restore leaves the old or new state.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

STATE_FILE = "state.json"
WORK_DIR = "work"


@dataclass
class Snapshot:
    """The captured mock state: None for a part that did not exist when it was taken."""

    state_json: bytes | None
    work_tar: bytes | None


def capture(mock_dir: Path) -> Snapshot:
    """Read ``mock_dir``'s ``state.json`` and tar its ``work`` folder."""
    state_path = mock_dir / STATE_FILE
    state = state_path.read_bytes() if state_path.is_file() else None
    work = mock_dir / WORK_DIR
    tar: bytes | None = None
    if work.is_dir():
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
            archive.add(work, arcname=WORK_DIR)
        tar = buffer.getvalue()
    return Snapshot(state, tar)


def restore(mock_dir: Path, snapshot: Snapshot) -> None:
    """Put ``snapshot`` back into ``mock_dir`` (parts absent from it are removed)."""
    mock_dir.mkdir(parents=True, exist_ok=True)
    state_path = mock_dir / STATE_FILE
    if snapshot.state_json is None:
        state_path.unlink(missing_ok=True)
    else:
        fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=mock_dir)
        with os.fdopen(fd, "wb") as handle:
            handle.write(snapshot.state_json)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, state_path)
    work = mock_dir / WORK_DIR
    old = Path(tempfile.mkdtemp(prefix=".work-old-", dir=mock_dir))
    staged: Path | None = None
    if snapshot.work_tar is not None:
        staged = Path(tempfile.mkdtemp(prefix=".work-new-", dir=mock_dir))
        with tarfile.open(fileobj=io.BytesIO(snapshot.work_tar), mode="r:gz") as archive:
            archive.extractall(staged, filter="data")
    if work.exists():
        os.replace(work, old / WORK_DIR)
    if staged is not None and (staged / WORK_DIR).is_dir():
        os.replace(staged / WORK_DIR, work)
    shutil.rmtree(old, ignore_errors=True)
    if staged is not None:
        shutil.rmtree(staged, ignore_errors=True)
