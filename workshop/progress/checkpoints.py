"""Snapshots of a learner's mock foundation, so that "reset this step" rewinds it too.

A mock home folder ``DIR`` (see ``workshop.mock.env``) holds ``DIR/state.json`` (the
simulated foundation), ``DIR/work`` (the learner's files: manifest, jar) and ``DIR/data``
(the pushed apps' databases). A checkpoint is the bytes of the first and one gzip'd tar of
the two folders; the progress store keeps both as BLOBs in SQLite, so a checkpoint is
written in the same transactional, crash-safe way as the rest of progress and travels with
it (one file to back up, nothing half-copied after ``kill -9``). Anything else in ``DIR``
(``bin``, the router's pid and log files, locks) is left alone. Capture and restore hold
the mock's own ``DIR/state.lock`` (``workshop.mock.state.locked``), so a ``cf`` command
running at that moment cannot interleave with them.

Restoring writes ``state.json`` through a temporary file and a rename, and swaps each
folder for its extracted copy with renames (the old one is put back if that fails), so
no file is ever half-written; a crash between two renames can leave a folder missing, and
restoring the same checkpoint again repairs it.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workshop.mock.state import locked

STATE_FILE = "state.json"
FOLDERS = ("work", "data")
"""The folders of a mock home a checkpoint holds."""


@dataclass
class Snapshot:
    """The captured mock state: None for a part that did not exist when it was taken."""

    state_json: bytes | None
    files_tar: bytes | None
    """A gzip'd tar whose top-level entries are the ``FOLDERS`` that existed."""


def capture(mock_dir: Path) -> Snapshot:
    """Read ``mock_dir``'s ``state.json`` and tar its ``work`` and ``data`` folders."""
    import tarfile  # (with gzip, bz2 and lzma: 10 ms of a start that takes no checkpoint)

    state_path = mock_dir / STATE_FILE
    buffer = io.BytesIO()
    with locked(mock_dir):
        state = state_path.read_bytes() if state_path.is_file() else None
        with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
            for name in FOLDERS:
                if (mock_dir / name).is_dir():
                    archive.add(mock_dir / name, arcname=name)
    return Snapshot(state, buffer.getvalue())


def restore(mock_dir: Path, snapshot: Snapshot) -> None:
    """Put ``snapshot`` back into ``mock_dir`` (parts absent from it are removed)."""
    mock_dir.mkdir(parents=True, exist_ok=True)
    with locked(mock_dir):
        _restore(mock_dir, snapshot)


def _move_children(source: Path, destination: Path) -> None:
    """Move everything inside ``source`` into ``destination`` (created when missing)."""
    destination.mkdir(parents=True, exist_ok=True)
    for child in list(source.iterdir()):
        os.replace(child, destination / child.name)


def _restore(mock_dir: Path, snapshot: Snapshot) -> None:
    """The body of ``restore``, run under the mock's lock."""
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
    staged = Path(tempfile.mkdtemp(prefix=".restore-new-", dir=mock_dir))
    old = Path(tempfile.mkdtemp(prefix=".restore-old-", dir=mock_dir))
    try:
        if snapshot.files_tar:
            import tarfile

            with tarfile.open(fileobj=io.BytesIO(snapshot.files_tar), mode="r:gz") as archive:
                archive.extractall(staged, filter="data")
        for name in FOLDERS:
            current = mock_dir / name
            # The folder itself stays (a learner's shell may stand in it); only what is
            # inside is swapped, by renames within one file system.
            if current.is_dir() and not current.is_symlink():
                _move_children(current, old / name)
            elif current.exists() or current.is_symlink():
                os.replace(current, old / name)
            try:
                if (staged / name).is_dir():
                    _move_children(staged / name, current)
            except OSError:
                _move_children(current, staged / "failed" / name)
                if (old / name).is_dir():
                    _move_children(old / name, current)  # put the learner's version back
                raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(staged, ignore_errors=True)
