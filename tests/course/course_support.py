"""A learner walking one lesson of the 12-factor course, for tests of its checks.

One real bash in a PTY per lesson (``ShellSession``) on a fresh offline mock from the
lesson's own starting state, the step's checks run exactly as ``workshop test`` runs them
(``run_checks`` with a ``CheckContext``), and ``WORKSHOP_WORK_DIR`` set to the lesson's
starting folder, as the engine sets it.
"""

from __future__ import annotations

from pathlib import Path

from workshop.checking import CheckContext, CheckResult, run_checks
from workshop.content import load_workshop
from workshop.content.model import Step, Workshop
from workshop.engine.mockshell import mock_shell_environment
from workshop.engine.steps import rendered_step, template_values
from workshop.shell import CommandResult, ShellSession

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "workshop" / "bundled" / "12factor"

_WORKSHOP: Workshop | None = None


def course() -> Workshop:
    """The 12-factor course, loaded once per test process."""
    global _WORKSHOP
    if _WORKSHOP is None:
        _WORKSHOP = load_workshop(COURSE)
    return _WORKSHOP


class LessonWalk:
    """A learner's shell at the start of ``lesson_id``; steps come rendered, checks run on
    what the last command did."""

    def __init__(self, lesson_id: str, home: Path) -> None:
        self.workshop = course()
        self.lesson = self.workshop.lesson(lesson_id)
        self.values = template_values(self.workshop)
        self.home = home / "mock"
        env, cwd = mock_shell_environment(
            self.workshop, self.lesson, self.home, self.values, reset=True
        )
        self.work_dir = cwd.resolve()
        self.env = {**env, "WORKSHOP_WORK_DIR": str(self.work_dir)}
        self.shell = ShellSession(env=self.env, cwd=cwd)
        self.shell.start()
        self.last: CommandResult | None = None

    def step(self, step_id: str) -> Step:
        """The step ``step_id`` with its templates rendered."""
        return rendered_step(self.lesson.step(step_id), self.values)

    def run(self, command: str, timeout: float = 60) -> CommandResult:
        """Type ``command`` in the shell and wait for it to end."""
        self.last = self.shell.run(command, timeout=timeout)
        return self.last

    def solve(self, step: Step) -> None:
        """Run the step's solve: its ``test_commands``, else its own commands."""
        for command in step.test_commands or step.commands:
            self.run(command)

    def check(self, step: Step) -> list[CheckResult]:
        """The step's checks on the last command, as ``workshop test`` runs them."""
        last = self.last
        context = CheckContext(
            env=self.env,
            cwd=self.shell.cwd or self.work_dir,
            variables={k: self.values[k] for k in self.workshop.variables},
            mode="mock",
            command=last.command if last else "",
            exit_code=last.exit_code if last else None,
            output=last.output if last else "",
            step_id=step.id,
        )
        return run_checks(step, context)

    def close(self) -> None:
        """End the shell and stop the mock's app router."""
        from workshop.mock.router import stop_router

        self.shell.close()
        stop_router(self.home)


def failure(results: list[CheckResult]) -> CheckResult | None:
    """The first result that does not pass, if any."""
    return next((r for r in results if not r.passed), None)


def verdict(results: list[CheckResult]) -> str:
    """The results in one line, for assertion messages."""
    return "; ".join(f"{r.check.kind} {r.status}: {r.reason} / {r.hint}" for r in results)
