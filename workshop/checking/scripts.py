"""Checks that are executables: the ``script`` contract and classic ``.verify.sh`` files.

``script``: exit 0 = pass; 1 = fail, the first stdout line is the reason and the rest a
hint; 2 = warning (passes, with a note); anything else, a crash or a timeout = error
(an uncaught Python exception exits 1 too: status 1 with nothing on stdout and a traceback
on stderr counts as a crash).
``verify_sh`` (the original workshop's convention): run with bash; failure is any output
on stdout or a non-zero exit. Its ``check`` helper comes from ``verify_helpers.sh``.

Both see the learner shell's environment, the workshop variables and ``WORKSHOP_STEP``,
``WORKSHOP_COMMAND``, ``WORKSHOP_EXIT_CODE``, ``WORKSHOP_OUTPUT`` (a file holding the
command's output, ANSI stripped) and ``WORKSHOP_MODE``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from workshop.checking.process import Outcome, run_process
from workshop.checking.result import CheckContext, Status
from workshop.checking.text import clean_output
from workshop.content.model import CheckSpec

VERIFY_HELPERS = Path(__file__).with_name("verify_helpers.sh")


class Verdict(NamedTuple):
    """One attempt of a check: status, reason, hint, and what it printed or saw."""

    status: Status
    reason: str
    hint: str | None
    output: str


@contextmanager
def check_env(context: CheckContext) -> Iterator[dict[str, str]]:
    """The environment of a check process; ``WORKSHOP_OUTPUT`` lives as long as the block."""
    env = context.base_env()
    env.update({k: str(v) for k, v in context.variables.items()})
    fd, name = tempfile.mkstemp(prefix="workshop-output-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as handle:
            handle.write(clean_output(context.output))
        env.update(
            {
                "WORKSHOP_STEP": context.step_id,
                "WORKSHOP_COMMAND": context.command,
                "WORKSHOP_EXIT_CODE": "" if context.exit_code is None else str(context.exit_code),
                "WORKSHOP_OUTPUT": name,
                "WORKSHOP_MODE": context.mode,
            }
        )
        yield env
    finally:
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass


def _split(stdout: str) -> tuple[str, str | None]:
    """First non-empty line of ``stdout`` and the rest (None when there is none)."""
    lines = clean_output(stdout).strip("\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", None
    rest = "\n".join(lines[1:]).strip()
    return lines[0].strip(), rest or None


def _log(outcome: Outcome) -> str:
    text = outcome.stdout
    if outcome.stderr.strip():
        text += ("\n" if text and not text.endswith("\n") else "") + outcome.stderr
    return text


def _broken(outcome: Outcome, spec: CheckSpec, name: str) -> Verdict | None:
    """The error verdict for a check that could not run or did not finish, else None."""
    if outcome.start_error:
        return Verdict("error", f"check {name} could not run ({outcome.start_error})", None, "")
    if outcome.timed_out:
        return Verdict(
            "error", f"check {name} timed out after {spec.timeout:g} s", None, _log(outcome)
        )
    return None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in clean_output(text).splitlines() if line.strip()]
    return lines[-1] if lines else ""


def run_script(spec: CheckSpec, context: CheckContext) -> Verdict:
    """One attempt of a ``script`` check (the exit-status contract)."""
    path = str(spec.params.get("path", ""))
    name = Path(path).name or "script"
    if not path:
        return Verdict("error", "script check names no file", None, "")
    args = [str(a) for a in spec.params.get("args", []) or []]
    with check_env(context) as env:
        outcome = run_process([path, *args], env=env, cwd=context.work_dir(), timeout=spec.timeout)
    broken = _broken(outcome, spec, name)
    if broken:
        return broken
    code = outcome.returncode
    first, rest = _split(outcome.stdout)
    log = _log(outcome)
    if code == 0:
        return Verdict("pass", first or "passed", rest, log)
    if code == 1 and not first and "Traceback (most recent call last)" in outcome.stderr:
        # an uncaught Python exception also exits 1: that is a broken check, not a failure
        detail = _last_line(outcome.stderr)
        return Verdict("error", f"check {name} crashed: {detail}", None, log)
    if code == 1:
        return Verdict("fail", first or spec.message or "the check failed", rest, log)
    if code == 2:
        return Verdict("warn", first or "passed with a warning", rest, log)
    assert code is not None
    how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
    detail = _last_line(outcome.stderr)
    reason = f"check {name} {how}" + (f": {detail}" if detail else "")
    return Verdict("error", reason, None, log)


def run_verify_sh(spec: CheckSpec, context: CheckContext) -> Verdict:
    """One attempt of a classic ``.verify.sh``: any stdout or a non-zero exit is a failure."""
    path = str(spec.params.get("path", ""))
    name = Path(path).name or "verify script"
    if not path or not os.path.isfile(path):
        return Verdict("error", f"check {name} could not run (not found: {path})", None, "")
    with check_env(context) as env:
        env["BASH_ENV"] = str(VERIFY_HELPERS)
        outcome = run_process(["bash", path], env=env, cwd=context.work_dir(), timeout=spec.timeout)
    broken = _broken(outcome, spec, name)
    if broken:
        return broken
    first, rest = _split(outcome.stdout)
    log = _log(outcome)
    if outcome.returncode == 0 and not first:
        return Verdict("pass", "passed", None, log)
    if first.startswith("Cmd output:") and spec.message:
        return Verdict("fail", spec.message, f"{first}\n{rest}" if rest else first, log)
    reason = first or spec.message or f"{name} exited with status {outcome.returncode}"
    return Verdict("fail", reason, rest, log)


def verify_commands(path: Path) -> list[str]:
    """The command lines a classic ``.verify.sh`` (or ``Prerequisites.sh``) runs: each
    ``check '<command>' …`` line's command, and any other line as it is (``source
    .profile``); comments and ``#>`` messages left out. Unreadable: none."""
    import shlex

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    commands = []
    for line in text.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        if not words:
            continue
        commands.append(words[1] if words[0] == "check" and len(words) > 1 else line.strip())
    return commands
