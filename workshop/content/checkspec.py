"""One check as written in ``workshop.yaml``: its kind, and the :class:`CheckSpec` it gives.

The keys and their types are :mod:`workshop.content.manifest`'s (one struct per kind); this
module finds a check's kind and checks what types cannot (regular expressions compile).

The forms (each may add ``timeout``, ``retries``, ``interval`` and ``message``)::

    - exit_code: 0
    - output_matches: "Space: +production_test"
    - output_similar: true            # like the step's expected output block
    - command: cf spaces
      matches: "^production_test$"   # optional; `exit_code:` too
    - http: http://host/stock/ping
      status: 200
      body_matches: "Ping null"
    - script: checks/x.sh               # any executable: exit 0 pass, 1 fail, 2 warn
      args: [one, two]
    - verify_sh: 11_Title.verify.sh    # classic: any output on stdout means failure
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from workshop.content.manifest import (
    Check,
    CommandCheck,
    ExitCodeCheck,
    HttpCheck,
    OutputMatchesCheck,
    OutputSimilarCheck,
    ScriptCheck,
)
from workshop.content.model import CheckSpec, ContentError, Source

KINDS = ("exit_code", "output_matches", "output_similar", "command", "http", "script", "verify_sh")


def valid_regex(pattern: str) -> bool:
    """True when ``pattern`` compiles as a Python regular expression."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def kind_of(raw: Mapping[str, Any]) -> str | None:
    """The kind of a check written as a mapping: the one kind key it holds (``command`` wins
    over ``exit_code``, which is then its expected status); None for none or several."""
    kinds = [k for k in KINDS if k in raw]
    if "command" in kinds and "exit_code" in kinds:
        kinds.remove("exit_code")
    return kinds[0] if len(kinds) == 1 else None


def build(check: str | Check, raw: Any, root: Path, source: Source) -> CheckSpec:
    """One typed check (see :mod:`workshop.content.manifest`) → CheckSpec; what the types
    cannot say (a regular expression that does not compile, ``output_similar: false``) is a
    ContentError at the key's line in ``raw``, the mapping it was converted from."""

    def fail(message: str, key: str | None = None) -> ContentError:
        lines = getattr(raw, "key_lines", None) or {}
        return ContentError(
            message, source.file, lines.get(key, source.line) if key else source.line
        )

    if isinstance(check, str):
        check = ScriptCheck(script=check)
    params: dict[str, Any] = {}
    if isinstance(check, ExitCodeCheck):
        kind, params["code"] = "exit_code", check.exit_code
    elif isinstance(check, OutputMatchesCheck):
        kind, params["pattern"] = (
            "output_matches",
            _regex(check.output_matches, fail, "output_matches"),
        )
    elif isinstance(check, OutputSimilarCheck):
        kind = "output_similar"
        if check.output_similar is not True:
            raise fail("output_similar takes 'true'", kind)
        if isinstance(raw, dict) and "threshold" in raw:
            params["threshold"] = check.threshold
    elif isinstance(check, CommandCheck):
        kind = "command"
        if not check.command.strip():
            raise fail("command check needs the command line as text", kind)
        params["command"] = check.command
        params["matches"] = (
            _regex(check.matches, fail, "matches") if check.matches is not None else None
        )
        params["exit_code"] = check.exit_code
    elif isinstance(check, HttpCheck):
        kind, params["url"], params["status"] = "http", check.http, check.status
        params["body_matches"] = (
            _regex(check.body_matches, fail, "body_matches")
            if check.body_matches is not None
            else None
        )
    else:
        kind = "script" if isinstance(check, ScriptCheck) else "verify_sh"
        value = check.script if isinstance(check, ScriptCheck) else check.verify_sh
        if not value.strip():
            raise fail(f"{kind} check needs a file path", kind)
        path = Path(value)
        params["path"] = str(path if path.is_absolute() else root / path)
        if isinstance(check, ScriptCheck):
            params["args"] = [str(a) for a in check.args]
    return CheckSpec(
        kind=kind,
        params=params,
        timeout=check.timeout,
        retries=check.retries,
        interval=check.interval,
        message=check.message,
        source=source,
    )


def _regex(value: str, fail: Callable[[str, str], ContentError], key: str) -> str:
    if not valid_regex(value):
        raise fail(f"not a valid regular expression: {value!r}", key)
    return value
