"""Recordings (cassettes): recorded calls of real programs, as YAML files, loaded fast.

A recording is a YAML list of entries. ``workshop record PATH`` writes one file per lesson in
``PATH/recordings/``; ``workshop record --out FILE -- COMMAND`` appends one entry; authors
edit them. The fake ``cf`` (its ``cassettes``) and the replay shims of ``recorded:``
programs read the same format and choose with the same matcher
(:mod:`workshop.mock.matching`)::

    - argv: [kvcloud, get, notes, "{{key}}"]   # "{{name}}" matches any one word (or part)
      at: {lesson: basics, step: put-greeting, phase: after}   # where it was recorded
      state: 2                                 # the lesson's scenario state it was recorded in
      then: 3                                  # only on state-changing calls: the next state
      cwd: .                                   # the folder it ran in, relative to the work folder
      exit: 0                                  # its exit code
      recorded: "2026-01-02T03:04:05Z"
      chunks:                                  # [seconds since the previous chunk, output]
        - [0.0, "Password: "]
        - [1.5, {input: "<redacted>"}]         # a line it read at a prompt (hidden: redacted)
        - [0.2, "\u001b[32mhello\u001b[0m\n"]  # colours kept
        - [0.0, {err: "warning: ...\n"}]       # written to stderr (when it was not a terminal)
        - [0.0, {sim: {stop: "Starting app "}}] # cf only: a slice of the simulation's output

``when`` (cf only: org, space, user, apps, no_apps, routes, no_routes) is a precondition on
the simulated foundation, see :mod:`workshop.mock.replay`. Programs read recordings on every
run, so a parsed copy is cached in the mock home keyed by each file's mtime and size; PyYAML
is imported only when that cache is stale. Loading a fresh cache imports neither pathlib nor
typing: the fake ``cf`` loads them on every command of a workshop with recordings.
"""

from __future__ import annotations

import os
import time

from workshop.errors import WorkshopError
from workshop.mock import jsonlite as json

TYPE_CHECKING = False  # not typing's: importing typing costs more than loading a cached cassette
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    Entry = dict[str, Any]


class CassetteError(WorkshopError):
    """A cassette that cannot be read, with its file (and entry number)."""


def cassette_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The ``*.yaml``/``*.yml`` cassettes of a folder, in name order."""
    from pathlib import Path

    return [Path(name) for name in cassette_paths(folder)]


def cassette_paths(folder: str | os.PathLike[str]) -> list[str]:
    """:func:`cassette_files` as strings (what the fake ``cf`` asks for on every command)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names if n.endswith((".yaml", ".yml"))]


def load(
    path: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None
) -> list[Entry]:
    """The entries of the cassette at ``path`` (from the JSON cache in ``cache_dir`` when fresh)."""
    path = os.fspath(path)
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise CassetteError(f"{path}: {exc.strerror}") from None
    key = f"{stat.st_mtime_ns}:{stat.st_size}"
    cache = None
    if cache_dir is not None:
        cache = os.path.join(cache_dir, os.path.abspath(path).replace(os.sep, "%") + ".json")
        try:
            with open(cache, encoding="utf-8") as cached:
                data = json.load(cached)
            if data.get("key") == key:
                return list(data["entries"])
        except (OSError, ValueError, AttributeError):
            pass
    from pathlib import Path

    entries = parse(Path(path))
    if cache is not None:
        try:
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            tmp = os.path.join(os.path.dirname(cache), f".{os.path.basename(cache)}.{os.getpid()}")
            with open(tmp, "w", encoding="utf-8") as out:
                out.write(json.dumps({"key": key, "entries": entries}))
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only home: parse every time
    return entries


def parse(path: Path) -> list[Entry]:
    """Read and check a cassette file (slow path: imports PyYAML; parses with libyaml when
    PyYAML has it, ten times faster than its pure-Python parser)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, encoding="utf-8") as text:
            data = yaml.load(text.read(), Loader=loader)  # noqa: S506 - a safe loader
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
    checked: Entry = {"argv": argv, "when": when, "exit": exit_code}
    for key in ("state", "then"):
        value = entry.get(key)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise CassetteError(f"{where}: '{key}' must be a whole number (a scenario state)")
        if value is not None:
            checked[key] = value
    at = entry.get("at")
    if at is not None:
        if not isinstance(at, dict) or not all(isinstance(v, str) for v in at.values()):
            raise CassetteError(f"{where}: 'at' is {{lesson: ID, step: ID, phase: NAME}}")
        checked["at"] = dict(at)
    if entry.get("cwd") is not None:
        checked["cwd"] = str(entry["cwd"])
    checked["chunks"] = [_chunk(chunk, where) for chunk in entry.get("chunks") or []]
    return checked


def _chunk(chunk: Any, where: str) -> list[Any]:
    if not (isinstance(chunk, list) and len(chunk) == 2 and isinstance(chunk[0], int | float)):
        raise CassetteError(f"{where}: each chunk is [seconds, text or {{input|err|sim: ...}}]")
    body = chunk[1]
    if isinstance(body, dict):
        if set(body) == {"sim"}:
            spec = body["sim"]
            if not isinstance(spec, dict) or not set(spec) <= {"start", "stop", "lines"}:
                raise CassetteError(f"{where}: a slice chunk is {{sim: {{start, stop, lines}}}}")
        elif set(body) not in ({"input"}, {"err"}) or not isinstance(
            next(iter(body.values())), str
        ):
            raise CassetteError(
                f"{where}: a chunk's mapping is {{input: TEXT}}, {{err: TEXT}} or {{sim: ...}}"
            )
    elif not isinstance(body, str):
        raise CassetteError(f"{where}: chunk text must be a string")
    return [float(chunk[0]), body]


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


def entry_text(entry: Entry) -> str:
    """One entry as the YAML text of a list item (flow lists, one chunk a line)."""
    lines = [f"- argv: [{', '.join(_yaml_string(a) for a in entry['argv'])}]"]
    for key in ("when", "at"):
        mapping = entry.get(key) or {}
        if mapping:
            inner = ", ".join(f"{k}: {_yaml_string(str(v))}" for k, v in mapping.items())
            lines.append(f"  {key}: {{{inner}}}")
    for key in ("state", "then"):
        if entry.get(key) is not None:
            lines.append(f"  {key}: {int(entry[key])}")
    if entry.get("cwd") is not None:
        lines.append(f"  cwd: {_yaml_string(str(entry['cwd']))}")
    lines.append(f"  exit: {int(entry.get('exit', 0))}")
    stamp = entry.get("recorded") or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    lines.append(f"  recorded: {_yaml_string(str(stamp))}")
    lines.append("  chunks:")
    for delay, body in entry.get("chunks") or []:
        if isinstance(body, dict):
            key, value = next(iter(body.items()))
            text = f"{{{key}: {_yaml_string(value) if isinstance(value, str) else value}}}"
        else:
            text = _yaml_string(body)
        lines.append(f"    - [{delay:.3f}, {text}]")
    return "\n".join(lines) + "\n"


def dump(path: Path, entries: list[Entry], header: str = "") -> None:
    """Write a whole recording to ``path`` (atomically): ``header`` as comments, then the
    entries, a blank line between them."""
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    body = "\n".join(entry_text(e) for e in entries)
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(comments + ("\n" if comments and body else "") + body, encoding="utf-8")
    os.replace(tmp, path)


def append(path: Path, entry: Entry) -> None:
    """Append one entry to the cassette at ``path`` as text (keeps the file's comments)."""
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = ""
    if path.exists():
        current = path.read_bytes()
        if current and not current.endswith(b"\n"):
            prefix = "\n"
    with open(path, "a", encoding="utf-8") as out:
        out.write(prefix + entry_text(entry))
