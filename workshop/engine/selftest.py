"""``workshop test``: content CI for a workshop, headless, in a fresh mock per lesson.

For every step of every lesson, starting from the lesson's own starting state: the step's
checks must fail before the step, then its own commands run through a real
``ShellSession``, then its checks must pass. A check that passes before the step proves
nothing; one that fails after it is broken (or the mock is).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workshop.checking.result import CheckContext
from workshop.content.model import Lesson, Step, Workshop
from workshop.engine.evaluate import evaluate_step
from workshop.engine.foundation import WORK_DIR_VARIABLE
from workshop.engine.ports import ShellPort
from workshop.engine.steps import rendered_step, template_values
from workshop.shell.errors import ShellError
from workshop.shell.result import CommandResult


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


@dataclass
class SelfTestReport:
    """Every step's outcome, in order."""

    outcomes: list[StepOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)


DEFAULT_TIMEOUT = 60.0
"""How long a step's command may run in ``workshop test`` before the step fails."""


def run_selftest(
    workshop: Workshop,
    lesson_ids: list[str] | None = None,
    on_step: Callable[[StepOutcome], None] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> SelfTestReport:
    """Run the before/after protocol over the chosen lessons (all by default).

    A command that runs longer than ``timeout`` seconds is interrupted (Ctrl-C) and fails
    its step; the other steps still run."""
    started = time.monotonic()
    report = SelfTestReport()
    lessons = [workshop.lesson(i) for i in lesson_ids] if lesson_ids else workshop.lessons
    for lesson in lessons:
        for outcome in _test_lesson(workshop, lesson, timeout):
            report.outcomes.append(outcome)
            if on_step:
                on_step(outcome)
    report.seconds = time.monotonic() - started
    return report


def _test_lesson(workshop: Workshop, lesson: Lesson, timeout: float) -> list[StepOutcome]:
    from workshop.engine.mockshell import mock_shell_environment
    from workshop.shell import ShellSession

    values = template_values(workshop)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="workshop-test-") as tmp:
        home = Path(tmp) / "mock"
        env, cwd = mock_shell_environment(workshop, lesson, home, values, reset=True)
        env[WORK_DIR_VARIABLE] = str(cwd)
        shell = ShellSession(env=env, cwd=cwd)
        shell.start()
        try:
            for step in lesson.steps:
                if not shell.alive:  # a step ended the shell (`exit`): the next ones get a new one
                    shell.close()
                    shell = ShellSession(env=env, cwd=cwd)
                    shell.start()
                outcomes.append(
                    _test_step(
                        workshop,
                        lesson,
                        rendered_step(step, values),
                        shell,
                        env,
                        cwd,
                        values,
                        timeout,
                    )
                )
        finally:
            shell.close()
            from workshop.mock.router import stop_router

            stop_router(home)
    return outcomes


def _test_step(
    workshop: Workshop,
    lesson: Lesson,
    step: Step,
    shell: ShellPort,
    env: dict[str, str],
    cwd: Path,
    values: dict[str, str],
    timeout: float = DEFAULT_TIMEOUT,
) -> StepOutcome:
    started = time.monotonic()
    if step.kind == "read":
        return StepOutcome(lesson.id, step.id, True, "-", "read", seconds=0.0)
    before_ok, before_reason = _evaluate(workshop, step, shell.env or env, cwd, values, None)
    result = None
    failed_command = None
    for command in step.test_commands or step.commands:
        try:
            result = shell.run(command, timeout=timeout)
        except ShellError as exc:
            return _broken_run(lesson, step, shell, command, exc, timeout, before_ok, started)
        if result.exit_code != 0 and failed_command is None:
            failed_command = result
    cwd = shell.cwd or cwd
    after_ok, after_reason = _evaluate(workshop, step, shell.env or env, cwd, values, result)
    if after_ok and not step.checks and failed_command is not None:
        after_ok, after_reason = (
            False,
            f"`{failed_command.command}` exited {failed_command.exit_code}",
        )
    ok = not before_ok and after_ok
    if before_ok:
        reason = "its checks already pass before the step's commands ran"
    elif not after_ok:
        tail = f" (last command exited {result.exit_code})" if result is not None else ""
        reason = (after_reason or "its checks fail after the step's commands ran") + tail
    else:
        reason = ""
    return StepOutcome(
        lesson.id,
        step.id,
        ok,
        before="pass" if before_ok else "fail",
        after="pass" if after_ok else "fail",
        reason=reason,
        seconds=time.monotonic() - started,
    )


def _broken_run(
    lesson: Lesson,
    step: Step,
    shell: ShellPort,
    command: str,
    exc: Exception,
    timeout: float,
    before_ok: bool,
    started: float,
) -> StepOutcome:
    """The outcome of a step whose command hung or ended the shell; the shell is stopped
    from waiting (Ctrl-C) so the next steps can run."""
    from workshop.shell import ShellTimeout

    if isinstance(exc, ShellTimeout):
        reason = f"`{command}` did not finish within {timeout:g} s; it was interrupted"
        shell.interrupt()
        if not shell.wait_idle(5):
            reason += " (and the shell did not come back)"
    else:
        reason = f"`{command}` could not run: {exc}"
    return StepOutcome(
        lesson.id,
        step.id,
        False,
        before="pass" if before_ok else "fail",
        after="error",
        reason=reason,
        seconds=time.monotonic() - started,
    )


def _evaluate(
    workshop: Workshop,
    step: Step,
    env: dict[str, str],
    cwd: Path,
    values: dict[str, str],
    result: CommandResult | None,
) -> tuple[bool, str]:
    """The step's verdict, as a learner's session would give it (all its commands ran)."""
    context = CheckContext(
        env=env,
        cwd=cwd,
        variables={k: values[k] for k in workshop.variables},
        mode="mock",
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


def format_table(report: SelfTestReport) -> str:
    """A readable table of the outcomes and a closing line."""
    rows = [("lesson", "step", "before", "after", "result", "seconds")]
    for o in report.outcomes:
        rows.append(
            (
                o.lesson_id,
                o.step_id,
                o.before,
                o.after,
                "ok" if o.ok else "FAIL",
                f"{o.seconds:.2f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    failed = [o for o in report.outcomes if not o.ok]
    for o in failed:
        lines.append(f"FAIL {o.lesson_id}/{o.step_id}: {o.reason}")
    passed = len(report.outcomes) - len(failed)
    lines.append(f"{passed} passed, {len(failed)} failed in {report.seconds:.1f}s")
    return "\n".join(lines)
