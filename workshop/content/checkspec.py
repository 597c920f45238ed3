"""Parse one check as written in ``workshop.yaml`` into a :class:`CheckSpec`.

The forms (each may add ``timeout``, ``retries``, ``interval`` and ``message``)::

    - exit_code: 0
    - output_matches: "Space: +production_test"
    - output_similar: true            # like the step's expected output block
    - command: cf spaces
      matches: "^production_test$"   # optional; `exit_code:` too
    - http: http://host/stock/ping
      status: 200
      body_matches: "Ping null"
    - script: checks/12factor/x.sh     # any executable: exit 0 pass, 1 fail, 2 warn
      args: [one, two]
    - verify_sh: 11_Title.verify.sh    # classic: any output on stdout means failure
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from workshop.content.model import CheckSpec, ContentError, Source

KINDS = ("exit_code", "output_matches", "output_similar", "command", "http", "script", "verify_sh")
COMMON = {"timeout", "retries", "interval", "message"}
EXTRA = {
    "exit_code": set(),
    "output_matches": set(),
    "output_similar": {"threshold"},
    "command": {"matches", "exit_code"},
    "http": {"status", "body_matches"},
    "script": {"args"},
    "verify_sh": set(),
}


def valid_regex(pattern: str) -> bool:
    """True when ``pattern`` compiles as a Python regular expression."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def parse(raw: Any, root: Path, source: Source) -> CheckSpec:
    """One YAML check entry → CheckSpec; a ContentError at ``source`` when it is wrong."""

    def fail(message: str, key: str | None = None) -> ContentError:
        # point at the offending key's own line when the YAML loader recorded it
        lines = getattr(raw, "key_lines", None) or {}
        return ContentError(
            message, source.file, lines.get(key, source.line) if key else source.line
        )

    if isinstance(raw, str):
        raw = {"script": raw}
    if not isinstance(raw, dict):
        raise fail("a check is a mapping such as {exit_code: 0} or {script: path}")
    kinds = [k for k in KINDS if k in raw]
    if "command" in kinds and "exit_code" in kinds:
        kinds.remove("exit_code")  # `exit_code:` is the command check's expected status
    if len(kinds) != 1:
        raise fail(f"a check names exactly one of: {', '.join(KINDS)}")
    kind = kinds[0]
    unknown = set(raw) - {kind} - COMMON - EXTRA[kind]
    if unknown:
        first = min(unknown, key=lambda k: (getattr(raw, "key_lines", {}).get(k, 0), str(k)))
        raise fail(f"unknown key(s) in {kind} check: {', '.join(sorted(map(str, unknown)))}", first)
    value = raw[kind]
    params: dict[str, Any] = {}
    if kind == "exit_code":
        params["code"] = _int(value, "exit_code", fail)
    elif kind == "output_matches":
        params["pattern"] = _regex(value, fail, kind)
    elif kind == "output_similar":
        if value is not True:
            raise fail("output_similar takes 'true'")
        if "threshold" in raw:
            threshold = raw["threshold"]
            if (
                isinstance(threshold, bool)
                or not isinstance(threshold, int | float)
                or not 0 <= threshold <= 1
            ):
                raise fail("'threshold' must be a number from 0 to 1", "threshold")
            params["threshold"] = float(threshold)
    elif kind == "command":
        if not isinstance(value, str) or not value.strip():
            raise fail("command check needs the command line as text")
        params["command"] = value
        params["matches"] = _regex(raw["matches"], fail, "matches") if "matches" in raw else None
        params["exit_code"] = (
            _int(raw["exit_code"], "exit_code", fail) if "exit_code" in raw else None
        )
    elif kind == "http":
        if not isinstance(value, str) or not re.match(r"https?://", value):
            raise fail("http check needs a URL starting with http:// or https://")
        params["url"] = value
        params["status"] = _int(raw.get("status", 200), "status", fail)
        if not 100 <= params["status"] <= 599:
            raise fail("'status' must be an HTTP status code (100-599)", "status")
        params["body_matches"] = (
            _regex(raw["body_matches"], fail, "body_matches") if "body_matches" in raw else None
        )
    else:
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{kind} check needs a file path")
        path = Path(value)
        params["path"] = str(path if path.is_absolute() else root / path)
        if kind == "script":
            args = raw.get("args", [])
            if not isinstance(args, list):
                raise fail("'args' must be a list")
            params["args"] = [str(a) for a in args]
    message = raw.get("message")
    return CheckSpec(
        kind=kind,
        params=params,
        timeout=_number(raw.get("timeout", 10), "timeout", fail),
        retries=_count(raw.get("retries", 0), "retries", fail),
        interval=_number(raw.get("interval", 1), "interval", fail),
        message=str(message) if message is not None else None,
        source=source,
    )


def _int(value: Any, name: str, fail: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(f"'{name}' must be a whole number", name)
    return value


def _count(value: Any, name: str, fail: Any) -> int:
    number = _int(value, name, fail)
    if number < 0:
        raise fail(f"'{name}' must be 0 or more")
    return number


def _number(value: Any, name: str, fail: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(f"'{name}' must be a number of seconds (0 or more)", name)
    if not math.isfinite(value) or value < 0:  # .nan / .inf are YAML floats too
        raise fail(f"'{name}' must be a number of seconds (0 or more)", name)
    return float(value)


def _regex(value: Any, fail: Any, key: str) -> str:
    if not isinstance(value, str) or not valid_regex(value):
        raise fail(f"not a valid regular expression: {value!r}", key)
    return value
