"""The temporary folders of earlier test runs, removed while this run goes on.

pytest keeps the folders of the last three runs (``tmp_path_retention_count``) and removes
older ones when a run ends, before it exits. A whole run of this suite leaves about 40,000
files (venvs, mock homes, learners' work folders): removing the oldest run's took 3 to 10 s
of the disk's time at the end of every ``make test``, with nothing else left to do.
:func:`remove_in_background` takes them out of pytest's sight at the start instead (a
rename) and lets an ``rm`` at the lowest CPU priority remove them while the tests run; one
that a run leaves unfinished is removed by the next.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
import uuid
from pathlib import Path

LOCK_NAME = "old-runs.lock"
"""The file beside the runs' folders that the process removing old ones holds locked."""

OLD_PREFIX = "old-run-"
"""What an earlier run's folder is renamed to: a name pytest no longer counts as a run's
(it looks at names that start with ``pytest-``), and that this module finds again."""


def old_runs(current: Path, keep: int) -> list[Path]:
    """The folders beside ``current`` (this run's ``pytest-N``) that pytest would remove
    when this run ends (numbers up to N - ``keep``), leaving those still locked (a run
    that is still going on, or one that crashed: pytest decides about those); with the
    ones renamed by an earlier run and not yet removed."""
    found = re.fullmatch(r"pytest-(\d+)", current.name)
    if found is None:
        return []
    last = int(found.group(1)) - max(keep, 1)  # never this run's own
    older = []
    for path in current.parent.iterdir():
        number = re.fullmatch(r"pytest-(\d+)", path.name)
        if number and int(number.group(1)) <= last and not (path / ".lock").exists():
            older.append(path)
        elif path.name.startswith(OLD_PREFIX):
            older.append(path)
    return older


def remove_in_background(current: Path, keep: int) -> subprocess.Popen[bytes] | None:
    """Rename the :func:`old_runs` out of pytest's way and start removing them, at the
    lowest CPU priority; the process removing them (None: there were none).

    The remover holds :data:`LOCK_NAME` (an inherited ``flock``) until it ends. While
    another run's remover holds it, the folders renamed before are left to that one (runs
    started one after another each went through the same 40,000 files again)."""
    lock = open(current.parent / LOCK_NAME, "a")  # noqa: SIM115 - handed to the remover
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            free = True
        except BlockingIOError:
            free = False
        paths = []
        for path in old_runs(current, keep):
            if path.name.startswith(OLD_PREFIX):
                if free:
                    paths.append(path)
                continue
            renamed = path.with_name(f"{OLD_PREFIX}{path.name}-{uuid.uuid4().hex[:8]}")
            try:
                path.rename(renamed)
            except OSError:
                continue  # another run took it first
            paths.append(renamed)
        rm = shutil.which("rm")
        if not paths or rm is None:
            return None
        nice = shutil.which("nice")
        command = [*([nice, "-n", "19"] if nice else []), rm, "-rf", "--", *map(str, paths)]
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(lock.fileno(),) if free else (),  # the lock lasts as long as it runs
            start_new_session=True,  # outlives this run when it has not finished by its end
        )
    finally:
        lock.close()
