"""What ``cf files`` shows of an app's container on a DEA back end (the training foundation).

Why: the original platform's foundation ran apps on DEAs, whose directory server lists a
container's folder or prints one of its files (PWS, where the bundled course ran, was on
Diego, which has no such API). The container is the staged app's home: the shell's dot
files, ``app/`` (the pushed folder), ``logs/``, ``run.pid``, ``staging_info.yml`` and
``tmp/``. A listing is the directory server's (dea_ng ``directoryserver.go``): one entry a
line, ``%-35s %10s``, folders with a ``/`` and ``-`` for a size, sizes as ``220B``,
``3.6K``; an empty folder lists nothing, which cf prints as ``No files found``.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

_BASHRC_SIZE = 3637
"""The size of the stemcell's ``.bashrc`` (3.6K in the platform's own page)."""
_FIXED = {".bash_logout": 220, ".bashrc": _BASHRC_SIZE, ".profile": 675, "run.pid": 3}
_LOGS = ("staging_task.log", "stderr.log", "stdout.log")
IGNORED = {".cfignore", ".gitignore", ".git", ".hg", ".svn", "_darcs", ".DS_Store"}
"""What cf v6 never uploads (``cf/app_files/cf_ignore.go``; ``/manifest.yml`` at the top)."""


def size_text(size: int) -> str:
    """The directory server's size: ``220B``, ``3.6K``, ``1.2M``."""
    for shift, unit in ((40, "T"), (30, "G"), (20, "M"), (10, "K")):
        if size >= 1 << shift:
            return f"{size / (1 << shift):.1f}{unit}"
    return f"{size}B"


def _line(name: str, size: str) -> str:
    return f"{name:<35} {size:>10}\n"


def staging_info(app: dict[str, Any]) -> str:
    """The container's ``staging_info.yml``: what staging detected and how the app starts."""
    buildpack = app.get("detected_buildpack") or app.get("buildpack") or ""
    command = app.get("command") or app.get("detected_command") or ""
    return f"---\ndetected_buildpack: {buildpack}\nstart_command: {command}\n"


def _app_folder(app: dict[str, Any], inside: str) -> str | None:
    """The local path under the pushed folder that ``app/INSIDE`` is (None: not there)."""
    root = app.get("path")
    if not root or not os.path.isdir(root):
        return None
    path = os.path.normpath(os.path.join(root, inside)) if inside else root
    if path != root and not path.startswith(root.rstrip("/") + "/"):
        return None
    relative = os.path.relpath(path, root).split(os.sep)
    if IGNORED.intersection(relative) or relative == ["manifest.yml"]:
        return None  # never uploaded
    return path if os.path.exists(path) else None


def _listing(folder: str, top: bool) -> str:
    lines = []
    for name in sorted(os.listdir(folder)):
        if name in IGNORED or (top and name == "manifest.yml"):
            continue
        full = os.path.join(folder, name)
        if os.path.isdir(full):
            lines.append(_line(name + "/", "-"))
        else:
            lines.append(_line(name, size_text(os.path.getsize(full))))
    return "".join(lines)


def read(app: dict[str, Any], path: str) -> str | None:
    """What the directory server answers for ``path`` in the app's container: a folder's
    listing ('' for an empty one) or a file's text; None when there is no such entry."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts:
        info = str(len(staging_info(app).encode()))
        entries = [(n, size_text(s)) for n, s in _FIXED.items() if n != "run.pid"]
        entries += [("app/", "-"), ("logs/", "-"), ("run.pid", size_text(_FIXED["run.pid"]))]
        entries += [("staging_info.yml", size_text(int(info))), ("tmp/", "-")]
        return "".join(_line(name, size) for name, size in entries)
    head, rest = parts[0], "/".join(parts[1:])
    if head == "app":
        local = _app_folder(app, rest)
        if local is None:
            return None
        if os.path.isdir(local):
            return _listing(local, top=not rest)
        with open(local, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    if rest:
        return "" if head == "logs" and rest in _LOGS else None
    if head == "logs":
        return "".join(_line(name, "0B") for name in _LOGS)
    if head == "tmp":
        return ""
    if head == "staging_info.yml":
        return staging_info(app)
    if head == "run.pid":
        return "42\n"
    return None
