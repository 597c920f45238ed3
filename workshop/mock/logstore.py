"""The apps' logs of a mock foundation, kept apart from ``state.json`` and bounded.

Why: every router request and every push adds log lines; kept inside the state they made
every cf command read and write them all (at 500 apps x 300 lines, 37 MiB per command).
Here each app has its own append-only file, ``DIR/logs/<app guid>.jsonl``, one compact
JSON entry a line, trimmed to the last ``LOG_LIMIT`` entries once it has grown to twice
that; only ``cf logs`` and ``cf events`` read them.
"""

from __future__ import annotations

import os

from workshop.mock import jsonlite as json

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from pathlib import Path
    from typing import Any

LOG_DIR = "logs"
LOG_LIMIT = 300
"""How many log entries an app keeps (the loggregator's recent-logs buffer)."""
MIN_ENTRY = len('{"seq":1,"time":1,"source":"","stream":"OUT","line":""}\n')
"""The shortest line an entry takes: a file under 2 x LOG_LIMIT x this is not full."""


def path(home: Path | str, guid: str) -> str:
    """The log file of the app with ``guid``."""
    return os.path.join(home, LOG_DIR, f"{guid}.jsonl")


def append(home: Path | str, guid: str, entries: list[dict[str, Any]]) -> None:
    """Add ``entries`` to the app's file; trim it when it holds twice ``LOG_LIMIT``."""
    if not entries or not guid:
        return
    target = path(home, guid)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    text = "".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False) + "\n" for e in entries)
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(text)
        size = fh.tell()
    if size > 2 * LOG_LIMIT * MIN_ENTRY:  # cheap test first: only then count the lines
        lines = _lines(target)
        if len(lines) > 2 * LOG_LIMIT:
            tmp = f"{target}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.writelines(lines[-LOG_LIMIT:])
            os.replace(tmp, target)


def read(home: Path | str, guid: str) -> list[dict[str, Any]]:
    """The app's last ``LOG_LIMIT`` entries, oldest first (unreadable lines skipped)."""
    entries = []
    for line in _lines(path(home, guid))[-LOG_LIMIT:]:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def _lines(target: str) -> list[str]:
    try:
        with open(target, encoding="utf-8", errors="replace") as fh:
            return fh.readlines()
    except OSError:
        return []
