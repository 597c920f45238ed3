"""Recorded programs in a mock home: their replay shims, the recordings' index, the state.

A workshop names the programs whose behaviour is recorded (``recorded: [kubectl]`` in
workshop.yaml). In mock mode each gets ``DIR/bin/<program>``, a Python script run with
``-S`` that answers from the workshop's ``recordings/`` (:mod:`workshop.mock.replayer`);
while ``workshop record`` runs, a folder of recording shims takes their place
(:mod:`workshop.mock.recorder`). The replay state says which lesson the replay is in: the
runner sets it as a lesson begins (:func:`enter_lesson`), the shims move it on.
"""

from __future__ import annotations

import marshal
import os
import shlex
import sys
from collections.abc import Collection, Iterable
from pathlib import Path

from workshop.mock.replayer import INDEX_FILE, read_state, sources, write_state

SHEBANG_MAX = 120
"""Longer ``#!`` lines are cut by some kernels: then a ``/bin/sh`` shim runs the script."""
MARKER = "# replay shim of a recorded program"
"""The second line of every replay shim (so a stale one is told from the mock's own)."""


def _package_paths() -> tuple[str, list[str]]:
    """The folder holding the ``workshop`` package, and the site folders (PyYAML)."""
    root = str(Path(__file__).resolve().parents[2])
    sites = [p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")]
    return root, sites


def _python_script(program: str, body: str) -> str:
    root, sites = _package_paths()
    return (
        f"{MARKER}: {program}\n"
        "import sys\n"
        f"sys.path.insert(1, {root!r})\n"
        f"sys.path.extend({sites!r})\n" + body
    )


def _write(path: Path, text: str) -> None:
    if path.exists() and path.read_text() == text:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text)
    tmp.chmod(0o755)
    os.replace(tmp, path)


def _install(bin_dir: Path, program: str, script: str) -> Path:
    """``bin_dir/program`` running ``script`` with this Python and ``-S``."""
    shebang = f"#!{sys.executable} -S\n"
    shim = bin_dir / program
    if len(shebang) <= SHEBANG_MAX and " " not in sys.executable:
        _write(shim, shebang + script)
        (bin_dir / f".{program}.py").unlink(missing_ok=True)
        return shim
    body = bin_dir / f".{program}.py"
    _write(body, script)
    q = shlex.quote
    _write(
        shim,
        f'#!/bin/sh\n{MARKER}: {program}\nexec {q(sys.executable)} -S {q(str(body))} "$@"\n',
    )
    return shim


def write_replay_shims(home: Path, programs: Collection[str], folder: Path | None) -> list[Path]:
    """The replay shims of ``programs`` in ``home/bin``, answering from ``folder``; replay
    shims of programs not named any more are removed."""
    bin_dir = Path(home) / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for stale in bin_dir.iterdir():
        if stale.name not in programs and _is_replay_shim(stale):
            stale.unlink(missing_ok=True)
            (bin_dir / f".{stale.name}.py").unlink(missing_ok=True)
    written = []
    for program in programs:
        body = (
            "from workshop.mock.replayer import main\n"
            f"sys.exit(main({program!r}, {str(home)!r}, {str(folder or '')!r}))\n"
        )
        written.append(_install(bin_dir, program, _python_script(program, body)))
    return written


def _is_replay_shim(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            handle.readline()
            return handle.readline().startswith(MARKER)
    except (OSError, UnicodeDecodeError):
        return False


def write_record_shims(bin_dir: Path, programs: Iterable[str]) -> list[Path]:
    """Recording shims of ``programs`` in ``bin_dir`` (see :mod:`workshop.mock.recorder`)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for program in programs:
        body = (
            "from workshop.mock.recorder import main\n"
            f"sys.exit(main({program!r}, {str(bin_dir)!r}))\n"
        )
        written.append(_install(bin_dir, program, _python_script(program, body)))
    return written


def build_index(home: str | Path, folder: str | Path) -> list[dict[str, object]]:
    """Parse the recordings of ``folder`` and keep them as ``home``'s index; the entries.
    A :class:`~workshop.mock.cassette.CassetteError` names a file that cannot be read."""
    from workshop.mock import cassette

    folder = str(folder)
    key = [folder, sources(folder)]
    entries = [e for f in cassette.cassette_files(Path(folder)) for e in cassette.parse(f)]
    path = os.path.join(str(home), INDEX_FILE)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}"
        with open(tmp, "wb") as handle:
            marshal.dump({"key": key, "entries": entries}, handle)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: parse every time
    return entries


def enter_lesson(home: Path, lesson_id: str) -> None:
    """The replay goes on in ``lesson_id`` (from its first state when it was elsewhere)."""
    lesson, _ = read_state(str(home))
    if lesson != lesson_id:
        write_state(str(home), lesson_id, 0)
