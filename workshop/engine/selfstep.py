"""One step of ``workshop test``: its checks fail before it, its solve runs, they pass after.

The "before" look runs each check once (no retries: there a check is expected to fail, and
waiting through its retries proves nothing). The solve is the step's ``test_commands``,
else its commands, typed into the lesson's real shell. An outcome that is not ok names the
command that failed (or ran last), its exit code and the last lines of its output.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workshop.checking.commandline import parse_line
from workshop.checking.result import CheckContext
from workshop.content.model import Step
from workshop.content.quiz import grade
from workshop.content.shelltemplates import SHELL_WORDS
from workshop.engine.evaluate import evaluate_step
from workshop.engine.ports import ShellPort
from workshop.shell.errors import ShellError
from workshop.shell.result import CommandResult

OUTPUT_LINES = 8
"""How many of a failing command's last output lines an outcome keeps."""
LINE_WIDTH = 200
"""Longer output lines are cut to this many characters."""


@dataclass
class StepOutcome:
    """How one step fared: ``ok`` when its checks failed before and passed after."""

    lesson_id: str
    step_id: str
    ok: bool
    before: str
    after: str
    reason: str = ""
    seconds: float = 0.0
    command: str = ""
    """For a step that is not ok: the command that failed (or the last one that ran)."""
    exit_code: int | None = None
    """That command's exit status (None when it did not finish)."""
    output: str = ""
    """The last lines of that command's output."""
    needs: tuple[str, ...] = ()
    """Programs the step runs that neither this machine nor the mock has: the step could
    not be tested here (it is neither passed nor failed)."""
    content: bool = False
    """The step failed through its content's fault, not the runner's: its checks pass
    before its commands ran, or its page asks for what none of its commands does."""
    warning: str = ""
    """A weakness of the content that does not fail the step (the original platform's
    verify script that already passes before its page: the platform ran it only after)."""


_PROGRAM = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+-]*$")
"""What a program's name looks like (a path, ``%`` or ``Org:`` is not looked up)."""


INFRASTRUCTURE = ("aws", "bosh", "bosh-init", "uaac", "go", "godep")
"""Programs that act on real infrastructure (clouds, BOSH directors, UAA servers) or build
against it: no offline mock answers them."""


def missing_programs(
    commands: list[str], env: Mapping[str, str], live_only: Collection[str] = ()
) -> tuple[str, ...]:
    """The programs ``commands`` run by name that the shell with ``env`` would not find
    (not on its PATH, not a bash builtin or keyword), and those of ``live_only`` they run
    (programs that need real infrastructure), in order of first use."""
    path = env.get("PATH", os.defpath)
    missing: list[str] = []
    for line in commands:
        for command in parse_line(line).commands:
            name = command.words[0] if command.words else ""
            if not _PROGRAM.match(name) or name in SHELL_WORDS or name in missing:
                continue
            if name in live_only or shutil.which(name, path=path) is None:
                missing.append(name)
    return tuple(missing)


def needs_outcome(lesson_id: str, step_id: str, missing: tuple[str, ...]) -> StepOutcome:
    """The outcome of a step that runs programs this machine lacks: not tested, not failed."""
    names = ", ".join(missing)
    return StepOutcome(
        lesson_id, step_id, False, "-", "-",
        (
            f"needs {names}, which drive real infrastructure no offline mock answers"
            if all(name in INFRASTRUCTURE for name in missing)
            else f"needs {names}, which neither this machine nor the mock has"
        )
        + " (test it live where it is)",
        needs=missing,
    )  # fmt: skip


def output_tail(text: str, lines: int = OUTPUT_LINES) -> str:
    """The last ``lines`` non-blank-ended lines of ``text``, each at most LINE_WIDTH wide."""
    kept = text.rstrip().splitlines()[-lines:]
    return "\n".join(
        line if len(line) <= LINE_WIDTH else line[: LINE_WIDTH - 1] + "…" for line in kept
    )


def run_step_protocol(
    lesson_id: str,
    step: Step,
    shell: ShellPort,
    env: dict[str, str],
    cwd: Path,
    mode: Literal["mock", "live"],
    variables: dict[str, str],
    timeout: float,
    *,
    solve: list[str] | None = None,
    setup: list[str] | None = None,
    cleanup: list[str] | None = None,
    on_phase: Callable[[str], None] | None = None,
    before: bool | None = None,
    weak_before: bool = False,
) -> StepOutcome:
    """Run the before/after protocol for ``step`` (templates rendered) in ``shell``: its
    ``setup`` lines, the checks (they must fail), its ``solve`` lines (default: its
    ``test_commands``, else its commands), the checks (they must pass), its ``cleanup``.
    ``on_phase`` hears each part begin: ``step-setup``, ``before``, ``solve``, ``after``,
    ``cleanup`` (``workshop record`` notes where each call it records happened). ``before``,
    when given, is what the checks said before: a classic page's verify script checks the
    whole page, so it is looked at before the page's first step, not before its last.
    ``weak_before``: checks that already pass before only weaken the step, which passes when
    they pass after (the original platform's verify scripts, which it ran only after the
    page: the content runs as it is); the outcome says so in its ``warning``."""
    started = time.monotonic()
    if step.kind == "read":
        return StepOutcome(lesson_id, step.id, True, "-", "read")
    if step.kind == "quiz":
        return quiz_outcome(lesson_id, step)
    phase = on_phase or (lambda name: None)
    phase("step-setup")
    for line in setup or []:
        try:
            status = shell.run(line, timeout=timeout).exit_code
            why = f"exited {status}"
        except ShellError as exc:
            status, why = -1, str(exc)
        if status != 0:
            return StepOutcome(
                lesson_id, step.id, False, "-", "error", f"its setup `{line}` failed: {why}",
                seconds=time.monotonic() - started, command=line,
            )  # fmt: skip
    once = dataclasses.replace(
        step, checks=[dataclasses.replace(c, retries=0) for c in step.checks]
    )
    phase("before")
    if before is None:
        before_ok, _ = evaluate(once, shell.env or env, cwd, mode, variables, None)
    else:
        before_ok = before
    phase("solve")
    result: CommandResult | None = None
    failed: CommandResult | None = None
    for command in solve if solve is not None else (step.test_commands or step.commands):
        try:
            result = shell.run(command, timeout=timeout)
        except ShellError as exc:
            printed = output_tail(shell.output_so_far())
            reason = _broken_run(shell, command, exc, timeout, printed)
            return StepOutcome(
                lesson_id,
                step.id,
                False,
                before="pass" if before_ok else "fail",
                after="error",
                reason=reason,
                seconds=time.monotonic() - started,
                command=command,
                output=printed,
            )
        if result.exit_code != 0 and failed is None:
            failed = result
    cwd = shell.cwd or cwd
    phase("after")
    after_ok, after_reason = evaluate(step, shell.env or env, cwd, mode, variables, result)
    if after_ok and not step.checks and failed is not None:
        after_ok, after_reason = False, f"`{failed.command}` exited {failed.exit_code}"
    weakness = ""
    if before_ok:
        weakness = (
            "its checks already pass before the step's commands ran (they do not test it)"
            if before is None
            else "its page's verify script already passes before the page's commands ran"
            " (it does not test the page)"
        )
    weak = before_ok and weak_before
    ok = (not before_ok or weak) and after_ok
    content = before_ok and not ok  # weak checks that also fail after: the opposite is checked
    warning = weakness if ok and weak else ""
    if content and weak:
        reason = (
            f"content problem: {weakness}, and fail after them: they look for the opposite"
            f" of what it does ({after_reason or 'they fail'})"
        )
    elif content:
        reason = f"content problem: {weakness}"
    elif not after_ok:
        tail = f" (last command exited {result.exit_code})" if result is not None else ""
        reason = (after_reason or "its checks fail after the step's commands ran") + tail
    else:
        reason = ""
    phase("cleanup")
    for line in cleanup or []:
        try:
            shell.run(line, timeout=timeout)
        except ShellError:
            pass  # the verdict stands; the next step starts where the cleanup left off
    shown = (failed or result) if not ok else None
    return StepOutcome(
        lesson_id,
        step.id,
        ok,
        before="pass" if before_ok else "fail",
        after="pass" if after_ok else "fail",
        reason=reason,
        seconds=time.monotonic() - started,
        command=shown.command if shown is not None else "",
        exit_code=shown.exit_code if shown is not None else None,
        output=output_tail(shown.output) if shown is not None else "",
        content=content,
        warning=warning,
    )


def _broken_run(
    shell: ShellPort, command: str, exc: Exception, timeout: float, shown: str = ""
) -> str:
    """Why a command hung or ended the shell; the shell is stopped from waiting (Ctrl-C) so
    the next steps can run. ``shown``: the last lines it printed."""
    from workshop.shell import ShellTimeout

    if isinstance(exc, ShellTimeout):
        reason = f"`{command}` did not finish within {timeout:g} s; it was interrupted"
        last = shown.splitlines()[-1].strip() if shown.strip() else ""
        if last:  # a prompt, an editor, a pager: say what it waited at and what answers
            reason += (
                f". It showed last: `{last}`; if it waits for an answer, `answers:` in"
                " workshop.yaml types it (or `test_commands:` gives a command that does not"
                " ask)"
            )
        shell.interrupt()
        if not shell.wait_idle(5):
            reason += " (and the shell did not come back)"
        return reason
    return f"`{command}` could not run: {exc}"


def evaluate(
    step: Step,
    env: dict[str, str],
    cwd: Path,
    mode: Literal["mock", "live"],
    variables: dict[str, str],
    result: CommandResult | None,
) -> tuple[bool, str]:
    """The step's verdict, as a learner's session would give it (all its commands ran)."""
    context = CheckContext(
        env=env,
        cwd=cwd,
        variables=variables,
        mode=mode,
        command=result.command if result is not None else "",
        exit_code=result.exit_code if result is not None else None,
        output=result.output if result is not None else "",
        step_id=step.id,
    )
    everything = frozenset(range(len(step.commands)))
    matched = len(step.commands) - 1 if result is not None and step.commands else None
    verdict = evaluate_step(step, context, seen=everything, matched=matched)
    if verdict.passed:
        return True, ""
    failing = [r for r in verdict.results if not r.passed]
    if not failing:
        return False, "the step's command did not run successfully"
    return False, f"{failing[0].status}: {failing[0].reason}"


def public_outcome(lesson_id: str, step_id: str, host: str) -> StepOutcome:
    """The outcome of a step that opens (or downloads from) a public site in mock mode: not
    tested offline."""
    return StepOutcome(
        lesson_id, step_id, False, "-", "-",
        f"uses the public site {host}, which the offline mock does not serve"
        " (test it live where it is)",
        needs=(host,),
    )  # fmt: skip


def quiz_outcome(lesson_id: str, step: Step) -> StepOutcome:
    """A quiz step's protocol: no answer must be wrong, its own right answer right (a
    question whose answer cannot be given, such as an option that does not exist, fails)."""
    question = step.question
    if question is None:
        return StepOutcome(lesson_id, step.id, False, "-", "error", "a quiz step with no question")
    before = grade(question, "" if question.kind == "input" else []).right
    after = grade(question, question.answer[0] if question.kind == "input" else question.answer)
    ok = not before and after.right
    reason = (
        "" if ok else ("no answer already counts as right" if before else "its answer is not right")
    )
    return StepOutcome(
        lesson_id, step.id, ok, "pass" if before else "fail", "pass" if after.right else "fail",
        reason, command=f"answer: {after.expected}" if not ok else "",
    )  # fmt: skip
