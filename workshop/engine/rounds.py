"""One round of checks on a step, from what happened to the event the learner sees.

:func:`judge_round` asks :func:`~workshop.engine.evaluate.evaluate_step` for the verdict,
keeps the step's tally (which of its commands ran, attempts, failures, hints), asks the
:class:`~workshop.engine.coach.Coach` what a failed attempt teaches, and returns the
:class:`~workshop.engine.events.CheckCompleted` to emit. Only commands that belong to the
step count as attempts; a round that is not one is quiet for a failure.
"""

from __future__ import annotations

from workshop.checking.result import CheckContext
from workshop.content.model import Step
from workshop.engine import events as ev
from workshop.engine.coach import Advice, Coach
from workshop.engine.evaluate import evaluate_step
from workshop.engine.lesson_progress import StepTally
from workshop.records import Record
from workshop.shell.result import CommandResult


class Round(Record):
    """What is to be judged: a command (or none), and how it counts."""

    result: CommandResult | None
    matched: int | None
    """Which of the step's commands ``result`` is (None: none of them)."""
    attempt: bool = False
    """The command belongs to the step: progress counts it."""
    ask: bool = False
    """The learner asked for the check (F3; marks a reading step read)."""
    quiet: bool = False
    """Nobody asked (the check on resume): a failure is not shown."""


def check_context(base: CheckContext, view: Step, result: CommandResult | None) -> CheckContext:
    """``base`` (the shell's environment and folder, the variables, the mode) with what the
    command did."""
    return CheckContext(
        env=base.env,
        cwd=base.cwd,
        variables=base.variables,
        mode=base.mode,
        command=result.command if result is not None else "",
        exit_code=result.exit_code if result is not None else None,
        output=result.output if result is not None else "",
        step_id=view.id,
    )


def judge_round(
    view: Step,
    lesson_id: str,
    tally: StepTally,
    context: CheckContext,
    coach: Coach,
    done: Round,
) -> ev.CheckCompleted:
    """Judge ``view`` (the rendered current step) after ``done``; updates ``tally``."""
    result = done.result
    verdict = evaluate_step(
        view, context, acknowledged=done.ask, seen=frozenset(tally.seen), matched=done.matched
    )
    if done.matched is not None and result is not None and result.exit_code == 0:
        tally.seen.add(done.matched)
    failed = done.attempt and not verdict.passed and verdict.pending is None
    quiet = done.quiet or (not done.attempt and not done.ask and not verdict.passed)
    advice = Advice() if quiet else Advice(hint=verdict.hint)
    if failed and result is not None:
        advice = coach.after_failure(
            lesson_id, view, tally.failures, result.command, result.output, verdict.hint
        )
    tally.count_round(attempt=done.attempt, failed=failed)
    if advice.hint_index is not None:
        tally.hints_shown.add(advice.hint_index)
    if advice.solution is not None:
        tally.hints_shown.add(-1)
    return ev.CheckCompleted(
        view.id,
        verdict.passed,
        verdict.results,
        verdict.reason,
        advice.near_miss,
        advice.hint,
        advice.solution,
        verdict.pending,
        lesson_id,
        attempt=done.attempt,
        quiet=quiet,
        error=verdict.error,
        hint_index=advice.hint_index,
    )
