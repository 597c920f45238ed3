"""A lesson's sandbox in ``workshop test``: its own work folder and ``HOME``, and snapshots.

Every lesson is tested in a temporary folder of its own, laid out as ``home/`` (the shell's
``HOME`` and XDG folders, so ``git config --global`` or a dotfile a lesson writes never
reaches the author's), ``work/`` (where the lesson's shell starts) and, when the workshop
has mock tools, ``mock/`` (the offline mock's home; its ``work`` folder is the work folder
then). Variables that would lead a program to the author's own files (``GIT_DIR``,
``GIT_CONFIG_GLOBAL``, ``CF_HOME`` …) are not passed on.

A :class:`Snapshot` is a sandbox as some lessons' solves left it: a copy of its folder, the
folder the shell stood in and the variables the solves exported. A lesson that declares no
``start:`` opens its sandbox from the snapshot of the lessons before it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workshop.content.model import Lesson, Workshop
from workshop.engine.foundation import WORK_DIR_VARIABLE
from workshop.mock.state import write_start_files

if TYPE_CHECKING:
    from workshop.mock.router.holder import PortHolder

DROPPED_PREFIXES = ("GIT_",)
"""Variables of the author's environment that point git at the author's repositories."""
DROPPED = frozenset(
    {
        "CF_HOME",
        "WORKSHOP_MOCK_HOME",
        "WORKSHOP_MOCK_RECORDINGS",
        "WORKSHOP_MOCK_NO_COLOR",
        "WORKSHOP_RECORD_LOG",
        "WORKSHOP_RECORD_AT",
        "HISTFILE",
    }
)
"""Other variables that point a program at the author's files (or another mock)."""
NOT_STATE = frozenset({"PWD", "OLDPWD", "SHLVL", "_", "COLUMNS", "LINES", "HISTFILE"})
"""Variables bash (or the runner's rc file) sets itself: not what a lesson's solves left."""
MOCK_RUNTIME = ("router.json", "router.log", "router.lock")
"""Files of a running app router: never copied from one sandbox to another."""


@dataclass(frozen=True)
class Snapshot:
    """A sandbox as a lesson's solves left it."""

    folder: Path
    """A copy of the sandbox's folder."""
    origin: Path
    """The folder it was copied from (paths in ``exported`` start with it)."""
    cwd: str
    """The shell's folder, relative to the sandbox ('' for the work folder)."""
    exported: dict[str, str] = field(default_factory=dict)
    """Variables the solves exported or changed."""
    problem: str = ""
    """What went wrong on the way (a command that hung), or ''."""


@dataclass
class Sandbox:
    """One lesson's temporary world: folders, environment and starting folder."""

    root: Path
    home: Path
    work: Path
    mock_home: Path | None
    env: dict[str, str]
    cwd: Path
    problem: str = ""
    """What went wrong reaching the lesson's starting state, or ''."""
    holder: PortHolder | None = None
    """Holds the app router's port: the router starts only if the lesson connects to it."""

    @property
    def init_commands(self) -> list[str]:
        """What the sandbox's shell runs first: unset the author's variables that ``env``
        lacks (a shell's environment is the runner's overlaid with ``env``)."""
        gone = sorted(k for k in os.environ if k not in self.env and k.isidentifier())
        return [f"unset {' '.join(gone)}"] if gone else []

    def close(self) -> None:
        """Stop the sandbox's app router, if it has one."""
        if self.holder is not None:
            self.holder.close()
        if self.mock_home is not None and (self.mock_home / "router.json").exists():
            from workshop.mock.router import stop_router

            stop_router(self.mock_home)


def open_sandbox(
    workshop: Workshop,
    lesson: Lesson,
    root: Path,
    values: Mapping[str, str],
    tools: Sequence[str],
    start: Snapshot | None = None,
) -> Sandbox:
    """A sandbox in the empty folder ``root`` for ``lesson``: from ``start`` when given, else
    from the lesson's declared ``start:`` (a fresh mock with ``tools``; in live mode only its
    ``files:``)."""
    home = root / "home"
    if start is not None:
        shutil.copytree(start.folder, root, symlinks=True, dirs_exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    if tools:
        from workshop.engine.mockshell import mock_shell_environment

        mock_home = root / "mock"
        for name in MOCK_RUNTIME:
            (mock_home / name).unlink(missing_ok=True)
        if start is not None:
            _relocate_file(mock_home / "state.json", start.origin, root)
        holders: list[PortHolder] = []

        def hold(prepared: Path) -> int:
            from workshop.mock.router.holder import PortHolder

            holders.append(PortHolder(prepared))
            return holders[0].port

        try:
            env, work = mock_shell_environment(
                workshop, lesson, mock_home, values, reset=start is None, router_port=hold
            )
        except BaseException:
            for held in holders:
                held.close()
            raise
        holder = holders[0] if holders else None
    else:
        holder = None
        mock_home = None
        work = root / "work"
        work.mkdir(exist_ok=True)
        if start is None:
            write_start_files(lesson.start, work)
        env = dict(os.environ)
        env.update({k: values[k] for k in workshop.variables if k in values})
    # The original platform's shell started in the learner's home (its verify scripts read
    # ~/cf-example-sinatra after a clone in the starting folder): a classic unit's sandbox
    # home is its work folder.
    env = _sandboxed(env, work if workshop.classic else home)
    env[WORK_DIR_VARIABLE] = str(work)
    cwd = work
    if start is not None:
        env.update({k: _relocated(v, start.origin, root) for k, v in start.exported.items()})
        if start.cwd and (root / start.cwd).is_dir():
            cwd = root / start.cwd
    problem = start.problem if start is not None else ""
    return Sandbox(root, home, work, mock_home, env, cwd, problem, holder)


def take_snapshot(
    sandbox: Sandbox, env: Mapping[str, str], cwd: Path | None, folder: Path, problem: str = ""
) -> Snapshot:
    """Copy ``sandbox`` (router stopped) to ``folder``, with the shell's ``env`` and ``cwd``."""
    sandbox.close()
    shutil.copytree(
        sandbox.root, folder, symlinks=True, ignore=shutil.ignore_patterns(*MOCK_RUNTIME)
    )
    exported = {
        k: v
        for k, v in env.items()
        if k not in NOT_STATE and k != WORK_DIR_VARIABLE and sandbox.env.get(k) != v
    }
    where = ""
    if cwd is not None and cwd.is_relative_to(sandbox.root):
        where = str(cwd.relative_to(sandbox.root))
        where = "" if where == "." else where
    return Snapshot(folder, sandbox.root, where, exported, problem)


def _sandboxed(env: dict[str, str], home: Path) -> dict[str, str]:
    """``env`` with ``HOME`` and the XDG folders in ``home`` and the author's pointers gone."""
    env = {k: v for k, v in env.items() if k not in DROPPED and not k.startswith(DROPPED_PREFIXES)}
    env["HOME"] = str(home)
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        env[name] = str(home / sub)
    return env


def _relocated(value: str, origin: Path, root: Path) -> str:
    """``value`` with the paths of the sandbox ``origin`` moved to ``root``."""
    return value.replace(str(origin), str(root))


def _relocate_file(file: Path, origin: Path, root: Path) -> None:
    """Rewrite the paths of ``origin`` in ``file`` (a mock state) as paths of ``root``."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    if str(origin) in text:
        file.write_text(_relocated(text, origin, root), encoding="utf-8")
