"""What of a learner's shell outlives the runner: its folder and the names it exported.

A shell session with a state file (``ShellSession(state_file=...)``) rewrites it at a
prompt whenever the working folder or the set of exported variables changed. The file is
replaced atomically (a temporary file renamed over it), so a ``kill -9`` of the runner
leaves the previous version or the new one, never half of one. Only names are kept, never
values (they may be passwords).

When the runner starts again, :func:`load_shell_state` tells it where the shell was, and
:func:`lost_variables` with :func:`lost_variables_notice` make the one line that tells the
learner which exported variables the new shell does not have.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from workshop.records import Record

log = logging.getLogger(__name__)

#: Version of the file format; a file of another version is ignored.
STATE_VERSION = 1
#: Variables bash maintains itself: never counted as exported by the learner.
_BASH_OWN = frozenset({"_", "PWD", "OLDPWD", "SHLVL"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class ShellState(Record):
    """Where the shell was and what it had exported, as of its last prompt.

    ``cwd`` is the working folder (absolute); ``exported`` the names of the variables that
    were exported or changed compared with the environment the session started with (after
    its init commands), sorted.
    """

    cwd: Path
    exported: tuple[str, ...]


def exported_names(baseline: Mapping[str, str], env: Mapping[str, str]) -> tuple[str, ...]:
    """The names in ``env`` that are new or have another value than in ``baseline``, sorted.

    Only shell variable names count (exported functions and odd names are left out), and
    not the ones bash keeps itself (``PWD``, ``OLDPWD``, ``SHLVL``, ``_``).
    """
    return tuple(
        sorted(
            name
            for name, value in env.items()
            if name not in _BASH_OWN and _NAME.match(name) and baseline.get(name) != value
        )
    )


def save_shell_state(path: Path, state: ShellState) -> None:
    """Write ``state`` to ``path`` atomically (creating its folder); errors raise OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": STATE_VERSION, "cwd": str(state.cwd), "exported": list(state.exported)}
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load_shell_state(path: Path) -> ShellState | None:
    """The state saved at ``path``; ``None`` when it is missing, unreadable or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return None
    cwd, exported = data.get("cwd"), data.get("exported")
    if not isinstance(cwd, str) or not Path(cwd).is_absolute() or not isinstance(exported, list):
        return None
    names = tuple(name for name in exported if isinstance(name, str) and _NAME.match(name))
    return ShellState(cwd=Path(cwd), exported=names)


def lost_variables(state: ShellState, env: Mapping[str, str]) -> tuple[str, ...]:
    """The names ``state`` says were exported that ``env`` (the new shell's) does not have."""
    return tuple(name for name in state.exported if name not in env)


def lost_variables_notice(names: Iterable[str]) -> str | None:
    """One line telling the learner which exported variables are gone; ``None`` for none.

    ``["GREETING", "FOO"]`` gives ``"GREETING, FOO were exported before the restart and
    are not set now."``
    """
    listed = list(dict.fromkeys(names))
    if not listed:
        return None
    if len(listed) == 1:
        return f"{listed[0]} was exported before the restart and is not set now."
    return f"{', '.join(listed)} were exported before the restart and are not set now."


class StateRecorder:
    """Keeps a state file up to date from what the session sees at each prompt.

    The first environment it is given is the baseline ``exported`` is measured against.
    :meth:`update` writes only when the folder or the exported names changed; a failed
    write is logged and tried again at the next prompt.
    """

    def __init__(self, path: Path) -> None:
        """Record into ``path``."""
        self.path = path
        self._baseline: Mapping[str, str] | None = None
        self._env: Mapping[str, str] | None = None
        self._exported: tuple[str, ...] = ()
        self._written: ShellState | None = None

    def update(self, cwd: str | None, env: Mapping[str, str]) -> None:
        """Note the folder and environment at a prompt; write the file if they changed."""
        if not cwd:
            return
        if self._baseline is None:
            self._baseline = env
        if env is not self._env:  # a new report (or the first): compare the names again
            self._env = env
            self._exported = exported_names(self._baseline, env)
        state = ShellState(cwd=Path(cwd), exported=self._exported)
        if state == self._written:
            return
        try:
            save_shell_state(self.path, state)
        except (OSError, ValueError) as exc:
            log.warning("could not save the shell state to %s: %s", self.path, exc)
            return
        self._written = state
