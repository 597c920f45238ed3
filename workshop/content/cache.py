"""A cache of loaded workshops, so that ``workshop run`` (and ``show``, ``progress``,
``mock``, ``test`` and ``classroom serve``) starts without parsing the course.

Why: reading a course (YAML, every lesson's Markdown, templates, check specs) and importing
the parsers it needs is a good part of the TUI's start. The learner's next start finds the
same files, so the loaded :class:`Workshop` is kept (pickled) in the cache folder
(``workshop.paths.cache_dir()``) and used again while nothing it came from has changed.

What it came from, all compared before an entry is used (a stale entry is never used, it is
replaced):

- every file and folder of the workshop folder, and of a ``checks/<name>`` folder above it
  (path, size, modification time in ns, mode);
- the loader's own code (the files of ``workshop.content``: an upgrade rewrites them) and
  Python's version;
- which template names of the course's files the environment defines (a ``{{NAME}}`` that
  only the environment fills in is a problem when it is missing).

Anything wrong with an entry (unreadable, from other code, a cache folder that cannot be
written) means a normal load: the cache can only make a start faster, never different.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workshop import paths
from workshop.content.model import Workshop

FORMAT = 2
"""Bump when what an entry holds changes shape."""
SUBDIR = "workshops"

Fingerprint = tuple[Any, ...]
"""What a loaded workshop depends on, comparable with ``==``."""


def load_workshop_cached(path: Path | str, strict: bool = False) -> Workshop:
    """``load_workshop(path, strict)``, from the cache when nothing has changed.

    ``strict``: raise the workshop's first problem (not a warning), as the loader does."""
    root = Path(path).absolute()
    if not root.is_dir():
        from workshop.content.loader import load_workshop

        return load_workshop(root, strict=strict)
    entry = entry_path(root)
    files = _tree(root)
    fingerprint = _fingerprint(root, files)
    workshop = _read(entry, fingerprint)
    if workshop is None:
        from workshop.content.loader import load_workshop

        workshop = load_workshop(root, strict=False)
        _write(entry, fingerprint, _template_names(files), workshop)
    errors = [problem for problem in workshop.problems if not problem.warning]
    if strict and errors:
        raise errors[0]
    return workshop


def fill_in_background(path: Path | str) -> Callable[[], None]:
    """Make the cache entry of the workshop at ``path`` in a child process when there is
    none yet (a learner's first start); return a function that waits for the child.

    Why: on a first start the course is parsed (about 80 ms of CPU) before the TUI can show
    it, and the TUI spends about as long importing Textual, which the parse needs none of:
    a second core does the one while this process does the other. Call it while this
    process has no other thread (it forks). Whatever happens in the child, the caller then
    loads the workshop as it would have: from the entry the child made, else by parsing it.
    """
    root = Path(path).absolute()
    if not hasattr(os, "fork") or not root.is_dir():
        return _nothing
    entry = entry_path(root)
    if _entry_matches(entry, _fingerprint(root, _tree(root))):
        return _nothing
    try:
        done_r, done_w = os.pipe()  # closed by the child's exit, however it ends
        pid = os.fork()
    except OSError:
        return _nothing
    if pid == 0:  # the child: fill the cache, and leave without running anything else
        status = 1
        try:
            os.close(done_r)
            load_workshop_cached(root)
            status = 0
        finally:
            os._exit(status)
    os.close(done_w)

    def wait(timeout: float = WAIT_SECONDS) -> None:
        import select

        try:
            if not select.select([done_r], [], [], timeout)[0]:
                os.kill(pid, signal.SIGKILL)  # stuck: the caller parses the course itself
            os.waitpid(pid, 0)
        except (ChildProcessError, ProcessLookupError, OSError):
            pass
        finally:
            os.close(done_r)

    return wait


WAIT_SECONDS = 10.0
"""How long a start waits for the child that parses the course (it takes a fraction of a
second; a child that hangs is killed and the course parsed in the process itself)."""


def _nothing() -> None:
    return None


def _entry_matches(entry: Path, fingerprint: Fingerprint) -> bool:
    """``entry`` exists and was made from ``fingerprint`` (its header only is read)."""
    try:
        with entry.open("rb") as fh:
            header = pickle.load(fh)
    except Exception:
        return False
    return (
        isinstance(header, tuple)
        and len(header) == 3
        and header[0] == fingerprint
        and _defined(header[1]) == header[2]
    )


def entry_path(root: Path) -> Path:
    """Where the entry for the workshop folder ``root`` is kept."""
    import zlib  # not hashlib, whose OpenSSL half costs every start ~2 ms: no secret here

    digest = f"{zlib.crc32(str(root).encode()):08x}"
    return paths.cache_dir() / SUBDIR / f"{root.name[:40]}-{digest}.pickle"


def _tree(root: Path) -> list[tuple[str, int, int, int]]:
    """Every file and folder below ``root`` (and of the ``checks/<name>`` folders the
    loader looks for above it): path, size, mtime in ns, mode (a check script made
    executable or not changes no mtime); sorted."""
    found: list[tuple[str, int, int, int]] = []
    tops = [root] + [parent / "checks" / root.name for parent in list(root.parents)[:3]]
    for top in tops:
        if top != root and not top.is_dir():
            found.append((str(top), -1, -1, -1))
            continue
        for folder, dirs, names in os.walk(top):
            dirs.sort()
            for name in [*dirs, *names]:
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                path = os.path.join(folder, name)
                found.append((path, stat.st_size, stat.st_mtime_ns, stat.st_mode))
    found.sort()
    return found


def _fingerprint(root: Path, files: list[tuple[str, int, int, int]]) -> Fingerprint:
    code_dir = Path(__file__).parent
    code = [
        (name, stat.st_size, stat.st_mtime_ns)
        for name in sorted(os.listdir(code_dir))
        for stat in [os.stat(code_dir / name)]
    ]
    return (FORMAT, sys.version, str(root), tuple(code), tuple(files))


def _template_names(files: list[tuple[str, int, int, int]]) -> frozenset[str]:
    """Every ``{{NAME}}`` written in the course's text files (more than the loader looks
    up, never fewer)."""
    from workshop.content.templates import TEMPLATE

    names: set[str] = set()
    for file, size, _, _ in files:
        if size <= 0 or size > 5_000_000 or not os.path.isfile(file):
            continue
        try:
            text = Path(file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        names.update(match.group(1) for match in TEMPLATE.finditer(text))
    return frozenset(names)


def _defined(names: frozenset[str]) -> frozenset[str]:
    return frozenset(name for name in names if name in os.environ)


def _read(entry: Path, fingerprint: Fingerprint) -> Workshop | None:
    """The cached workshop when ``entry`` was made from exactly ``fingerprint``."""
    try:
        with entry.open("rb") as fh:
            header = pickle.load(fh)
            if (
                not isinstance(header, tuple)
                or len(header) != 3
                or header[0] != fingerprint
                or _defined(header[1]) != header[2]
            ):
                return None
            workshop = pickle.load(fh)
    except Exception:  # a missing, truncated or foreign entry: load as if there were none
        return None
    return workshop if isinstance(workshop, Workshop) else None


def _write(
    entry: Path, fingerprint: Fingerprint, names: frozenset[str], workshop: Workshop
) -> None:
    """Keep ``workshop`` for the next start (atomically; quietly not when it cannot be)."""
    import tempfile

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((fingerprint, names, _defined(names)), fh, pickle.HIGHEST_PROTOCOL)
                pickle.dump(workshop, fh, pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return
