"""The classic layout's shell templates (``{{ command }}``), run where the learner stands.

Why: the original training platform ran what a page wrote between ``{{`` and ``}}`` in the
learner's shell when it showed the page (``{{bosh status --uuid}}``, ``{{source
deployment/vars && echo $eip}}``), so its content says so and must run as it is. Each
command runs in a fresh ``bash -c`` with the learner shell's exported environment and
folder (in mock mode, the mock's), for at most :data:`TIMEOUT` seconds; its trimmed output
takes its place. A command that fails or takes too long leaves a visible marker with the
reason, never an exception. ``{{echo $VAR}}``, the common case, never gets here: it is a
variable (``workshop.content.templates``).

Results are kept for as long as the environment and folder are the same (a failure for
:data:`RETRY_AFTER` seconds only, since an earlier step may create what it needs), so
redrawing a page does not run its commands again.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from workshop.content.templates import Runner

TIMEOUT = 2.0
"""Seconds a shell template may take before its marker is shown instead."""
RETRY_AFTER = 5.0
"""Seconds a failed template's marker is kept before the command runs again."""
MAX_OUTPUT = 4096
"""Characters of a template's output put in the text."""

_Key = tuple[str, str, int]


class ShellTemplates:
    """Runs shell templates and remembers what they printed."""

    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = TIMEOUT if timeout is None else timeout
        """Seconds a command may take (:data:`TIMEOUT` unless given)."""
        self._done: dict[_Key, tuple[str, float | None]] = {}

    def runner(self, env: Mapping[str, str], cwd: Path | None) -> Runner:
        """A :data:`~workshop.content.templates.Runner` for a shell with ``env`` in ``cwd``."""
        environment = dict(env)
        where = str(cwd) if cwd is not None and cwd.is_dir() else None
        fingerprint = hash(tuple(sorted(environment.items())))

        def run(command: str) -> str:
            key = (command, where or "", fingerprint)
            known = self._done.get(key)
            if known is not None and (known[1] is None or known[1] > time.monotonic()):
                return known[0]
            text, ok = self._run(command, environment, where)
            self._done[key] = (text, None if ok else time.monotonic() + RETRY_AFTER)
            return text

        return run

    def _run(self, command: str, env: dict[str, str], cwd: str | None) -> tuple[str, bool]:
        """What to show for ``command``, and whether it succeeded."""
        try:
            done = subprocess.run(
                ["bash", "--norc", "--noprofile", "-c", command],
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return marker(command, f"no answer in {self.timeout:g} s"), False
        except OSError as exc:
            return marker(command, f"could not run: {exc.strerror or exc}"), False
        output = done.stdout.decode("utf-8", errors="replace").strip()
        if done.returncode != 0:
            errors = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
            why = errors[-1] if errors else f"exit {done.returncode}"
            return marker(command, why), False
        return output[:MAX_OUTPUT], True


def marker(command: str, why: str) -> str:
    """What a failed shell template shows: the template as written and why it failed."""
    return f"[{{{{{command}}}}}: {why}]"
