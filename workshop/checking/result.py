"""What a check gets to look at (:class:`CheckContext`) and what it says (:class:`CheckResult`).

Every check kind, built-in or script, takes the same context and answers with the same
result, so the runner, the progress store, the TUI and ``workshop test`` share one shape.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from workshop.checking.process import CommandRuns
from workshop.content.model import CheckSpec

Status = Literal["pass", "fail", "warn", "error"]
"""``pass``; ``fail`` (the learner has something to do); ``warn`` (passes, with a note);
``error`` (the check itself broke or timed out: never counted as a pass)."""

PASSING: frozenset[str] = frozenset({"pass", "warn"})
"""Statuses that let a step pass."""


@dataclass
class CheckContext:
    """Everything a check may inspect after a command: the shell, the command and the workshop."""

    env: dict[str, str] = field(default_factory=dict)
    """The learner shell's environment (empty: this process's environment is used)."""
    cwd: Path | str | None = None
    """The learner shell's working directory (None: this process's)."""
    variables: dict[str, str] = field(default_factory=dict)
    """Workshop variables (``CF_DOMAIN`` …), exported to scripts."""
    mode: str = "mock"
    """``mock`` or ``live``."""
    command: str = ""
    """The last command line, as the learner finally typed it."""
    exit_code: int | None = None
    """The last command's exit status (None: not known, e.g. before any command)."""
    output: str = ""
    """The last command's output (ANSI and all; checks clean it)."""
    step_id: str = ""
    """The id of the step being checked."""
    expected_output: str | None = None
    """The step's expected output block, for ``output_similar`` (run_checks fills it)."""
    command_runs: CommandRuns | None = field(default=None, compare=False, repr=False)
    """Outcomes of the command lines already run in this evaluation (run_checks sets it);
    None: every ``command`` check runs its line itself."""

    def base_env(self) -> dict[str, str]:
        """The environment checks start from: the shell's, or this process's when unknown."""
        return dict(self.env) if self.env else dict(os.environ)

    def work_dir(self) -> str | None:
        """The directory subprocesses of checks run in (None: inherit), if it exists."""
        if self.cwd is None:
            return None
        path = str(self.cwd)
        return path if os.path.isdir(path) else None

    def proxy_for(self, url: str) -> str | None:
        """The proxy an HTTP check must use for ``url`` (the mock router in mock mode)."""
        env = self.base_env()
        scheme = "https" if url.lower().startswith("https:") else "http"
        for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY", "all_proxy", "ALL_PROXY"):
            value = env.get(name)
            if value:
                return value
        return None

    def no_proxy(self) -> list[str]:
        """Host suffixes that bypass the proxy (``no_proxy``)."""
        env = self.base_env()
        value = env.get("no_proxy") or env.get("NO_PROXY") or ""
        return [part.strip().lstrip(".").lower() for part in value.split(",") if part.strip()]


@dataclass
class CheckResult:
    """The outcome of one check, as shown to the learner and stored in progress."""

    status: Status
    reason: str
    """One line for the learner: why it failed (or what passed, or what broke)."""
    hint: str | None
    """More help, when the check has some (the rest of a script's stdout)."""
    check: CheckSpec
    duration: float
    """Seconds spent, all attempts included."""
    output: str = ""
    """What the check printed or saw (bounded), for the curious and for logs."""
    attempts: int = 1
    """How many times it ran (retries)."""

    @property
    def passed(self) -> bool:
        """True for ``pass`` and ``warn``."""
        return self.status in PASSING

    def to_json(self) -> dict[str, object]:
        """A JSON-ready view (for ``--json`` output and the classroom)."""
        return {
            "status": self.status,
            "reason": self.reason,
            "hint": self.hint,
            "kind": self.check.kind,
            "duration": round(self.duration, 4),
            "attempts": self.attempts,
        }


def all_passed(results: list[CheckResult]) -> bool:
    """A step passes when it has results and every one of them passes or warns."""
    return bool(results) and all(r.passed for r in results)
