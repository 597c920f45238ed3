"""A cache of loaded workshops, so that ``workshop run`` starts without parsing the course.

Why: reading a course (YAML, every lesson's Markdown, templates, check specs) and importing
the parsers it needs is a good part of the TUI's start. The learner's next start finds the
same files, so the loaded :class:`Workshop` is kept (pickled) in the cache folder
(``workshop.paths.cache_dir()``) and used again while nothing it came from has changed.

What it came from, all compared before an entry is used (a stale entry is never used, it is
replaced):

- every file and folder of the workshop folder, and of a ``checks/<name>`` folder above it
  (path, size, modification time in ns);
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
import sys
from pathlib import Path
from typing import Any

from workshop import paths
from workshop.content.model import Workshop

FORMAT = 1
"""Bump when what an entry holds changes shape."""
SUBDIR = "workshops"

Fingerprint = tuple[Any, ...]
"""What a loaded workshop depends on, comparable with ``==``."""


def load_workshop_cached(path: Path | str) -> Workshop:
    """``load_workshop(path, strict=False)``, from the cache when nothing has changed."""
    root = Path(path).absolute()
    if not root.is_dir():
        from workshop.content.loader import load_workshop

        return load_workshop(root, strict=False)
    entry = entry_path(root)
    files = _tree(root)
    fingerprint = _fingerprint(root, files)
    cached = _read(entry, fingerprint)
    if cached is not None:
        return cached
    from workshop.content.loader import load_workshop

    workshop = load_workshop(root, strict=False)
    _write(entry, fingerprint, _template_names(files), workshop)
    return workshop


def entry_path(root: Path) -> Path:
    """Where the entry for the workshop folder ``root`` is kept."""
    import hashlib

    digest = hashlib.blake2b(str(root).encode(), digest_size=10).hexdigest()
    return paths.cache_dir() / SUBDIR / f"{root.name[:40]}-{digest}.pickle"


def _tree(root: Path) -> list[tuple[str, int, int]]:
    """Every file and folder below ``root`` (and of the ``checks/<name>`` folders the
    loader looks for above it): path, size, mtime in ns; sorted."""
    found: list[tuple[str, int, int]] = []
    tops = [root] + [parent / "checks" / root.name for parent in list(root.parents)[:3]]
    for top in tops:
        if top != root and not top.is_dir():
            found.append((str(top), -1, -1))
            continue
        for folder, dirs, names in os.walk(top):
            dirs.sort()
            for name in [*dirs, *names]:
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                found.append((os.path.join(folder, name), stat.st_size, stat.st_mtime_ns))
    found.sort()
    return found


def _fingerprint(root: Path, files: list[tuple[str, int, int]]) -> Fingerprint:
    code_dir = Path(__file__).parent
    code = [
        (name, stat.st_size, stat.st_mtime_ns)
        for name in sorted(os.listdir(code_dir))
        for stat in [os.stat(code_dir / name)]
    ]
    return (FORMAT, sys.version, str(root), tuple(code), tuple(files))


def _template_names(files: list[tuple[str, int, int]]) -> frozenset[str]:
    """Every ``{{NAME}}`` written in the course's text files (more than the loader looks
    up, never fewer)."""
    from workshop.content.templates import TEMPLATE

    names: set[str] = set()
    for file, size, _ in files:
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
