"""Cassettes: recorded outputs of real commands, as YAML files, loaded fast.

A cassette is a YAML list of entries (``workshop record`` appends to it; authors edit it)::

    - argv: [cf, push, -n, "{{host}}"]    # "{{name}}" matches any one word (or part of one)
      when: {space: production_test}       # optional: org, space, user, apps, no_apps,
                                           #   routes, no_routes (names may use {{name}})
      exit: 0                              # also a precondition: the simulation's exit code
      chunks:                              # [seconds since the previous chunk, output]
        - [0.0, "Creating app ...\\n"]
        - [0.0, {sim: {stop: "Starting app "}}]   # a slice of the simulation's own output
        - [1.2, "-----> Downloading ...\\n"]

See :mod:`workshop.mock.replay` for how an entry is chosen and played. The fake ``cf`` reads
cassettes on every run, so a parsed copy is cached as JSON in the mock home keyed by the
file's mtime and size; PyYAML is imported only when that cache is stale.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from workshop.errors import WorkshopError

Entry = dict[str, Any]


class CassetteError(WorkshopError):
    """A cassette that cannot be read, with its file (and entry number)."""


def cassette_files(folder: Path) -> list[Path]:
    """The ``*.yaml``/``*.yml`` cassettes of a folder, in name order."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [Path(folder) / n for n in names if n.endswith((".yaml", ".yml"))]


def load(path: Path, cache_dir: Path | None = None) -> list[Entry]:
    """The entries of the cassette at ``path`` (from the JSON cache in ``cache_dir`` when fresh)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise CassetteError(f"{path}: {exc.strerror}") from None
    key = f"{stat.st_mtime_ns}:{stat.st_size}"
    cache = None
    if cache_dir is not None:
        cache = Path(cache_dir) / (str(path.absolute()).replace(os.sep, "%") + ".json")
        try:
            data = json.loads(cache.read_text())
            if data.get("key") == key:
                return list(data["entries"])
        except (OSError, ValueError, AttributeError):
            pass
    entries = parse(path)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}")
            tmp.write_text(json.dumps({"key": key, "entries": entries}))
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only home: parse every time
    return entries


def parse(path: Path) -> list[Entry]:
    """Read and check a cassette file (slow path: imports PyYAML)."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CassetteError(f"{path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise CassetteError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise CassetteError(f"{path}: a cassette is a YAML list of entries")
    return [_check(entry, path, n) for n, entry in enumerate(data, 1)]


def _check(entry: Any, path: Path, n: int) -> Entry:
    where = f"{path}: entry {n}"
    if not isinstance(entry, dict):
        raise CassetteError(f"{where}: must be a mapping")
    argv = entry.get("argv")
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        raise CassetteError(f"{where}: 'argv' must be a non-empty list of strings")
    when = entry.get("when") or {}
    if not isinstance(when, dict):
        raise CassetteError(f"{where}: 'when' must be a mapping")
    exit_code = entry.get("exit", 0)
    if not isinstance(exit_code, int):
        raise CassetteError(f"{where}: 'exit' must be an integer")
    chunks = []
    for chunk in entry.get("chunks") or []:
        if not (isinstance(chunk, list) and len(chunk) == 2 and isinstance(chunk[0], int | float)):
            raise CassetteError(f"{where}: each chunk is [seconds, text or {{sim: ...}}]")
        body = chunk[1]
        if isinstance(body, dict):
            spec = body.get("sim")
            if not isinstance(spec, dict) or not set(spec) <= {"start", "stop", "lines"}:
                raise CassetteError(f"{where}: a slice chunk is {{sim: {{start, stop, lines}}}}")
        elif not isinstance(body, str):
            raise CassetteError(f"{where}: chunk text must be a string")
        chunks.append([float(chunk[0]), body])
    return {"argv": argv, "when": when, "exit": exit_code, "chunks": chunks}


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes, plus the characters YAML forbids raw)."""
    out = json.dumps(text, ensure_ascii=False)
    if any(not (c.isprintable() or c in "\t") for c in out):
        out = "".join(
            c
            if c.isprintable() or c == "\t"
            else f"\\u{ord(c):04x}"
            if ord(c) < 0x10000
            else f"\\U{ord(c):08x}"
            for c in out
        )
    return out


def append(path: Path, entry: Entry) -> None:
    """Append one entry to the cassette at ``path`` as text (keeps the file's comments)."""
    lines = [f"- argv: [{', '.join(_yaml_string(a) for a in entry['argv'])}]"]
    when = entry.get("when") or {}
    if when:
        lines.append(
            "  when: {" + ", ".join(f"{k}: {_yaml_string(str(v))}" for k, v in when.items()) + "}"
        )
    lines.append(f"  exit: {int(entry.get('exit', 0))}")
    lines.append(f"  recorded: {_yaml_string(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()))}")
    lines.append("  chunks:")
    for delay, text in entry.get("chunks") or []:
        lines.append(f"    - [{delay:.3f}, {_yaml_string(text)}]")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = ""
    if path.exists():
        current = path.read_bytes()
        if current and not current.endswith(b"\n"):
            prefix = "\n"
    with open(path, "a", encoding="utf-8") as out:
        out.write(prefix + "\n".join(lines) + "\n")
