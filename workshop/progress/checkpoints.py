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

TYPE_CHECKING = False
if TYPE_CHECKING:
    import tarfile

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
                _extract(archive, staged)
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


def _extract(archive: tarfile.TarFile, where: Path) -> None:
    """Extract ``archive`` into ``where``, refusing it whole, before anything is written, if
    a member would land outside ``where`` (an absolute name, ``..``, a link leading out) or
    is no file, folder or link; then with tarfile's "data" filter as well where Python has
    it (3.11.4 and later: Debian 12's 3.11.2 has no extraction filters)."""
    import tarfile

    root = os.path.realpath(where)
    for member in archive.getmembers():
        _check_member(member, root)
    if hasattr(tarfile, "data_filter"):
        archive.extractall(where, filter="data")
    else:
        archive.extractall(where)


def _check_member(member: tarfile.TarInfo, root: str) -> None:
    """Raise ``tarfile.TarError`` unless ``member`` stays inside ``root`` once extracted."""
    import tarfile

    def inside(path: str) -> bool:
        return os.path.commonpath([root, os.path.realpath(path)]) == root

    parts = member.name.replace(os.sep, "/").split("/")
    if os.path.isabs(member.name) or ".." in parts or not inside(os.path.join(root, member.name)):
        raise tarfile.TarError(f"{member.name!r} would be extracted outside the folder")
    if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
        raise tarfile.TarError(f"{member.name!r} is not a file, a folder or a link")
    if member.issym():
        target = os.path.join(root, os.path.dirname(member.name), member.linkname)
    elif member.islnk():
        target = os.path.join(root, member.linkname)
    else:
        return
    if os.path.isabs(member.linkname) or not inside(target):
        raise tarfile.TarError(f"{member.name!r} links outside the folder")
