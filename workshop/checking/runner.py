"""Run a step's checks: dispatch each kind, retry while failing, time it, never raise.

``run_check`` is one check with its retries (a ``fail`` is retried every ``interval``
seconds up to ``retries`` more times; a pass, a warning or an error ends it at once).
``run_checks`` runs a step's checks in order and stops at the first one that does not
pass, so the learner sees one clear reason and slow checks after it are not run; checks
that share a command line run it once (a retry runs it again).
"""

from __future__ import annotations

import dataclasses
import time

from workshop.checking.builtins import CHECKS
from workshop.checking.process import CommandRuns
from workshop.checking.result import CheckContext, CheckResult
from workshop.checking.scripts import Verdict
from workshop.content.model import CheckSpec, Step


def run_check(spec: CheckSpec, context: CheckContext) -> CheckResult:
    """Run one check (with its retries) and say what it found; errors are results, not raises."""
    runner = CHECKS.get(spec.kind)
    started = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        if runner is None:
            verdict = Verdict("error", f"unknown check kind '{spec.kind}'", None, "")
        else:
            try:
                verdict = runner(spec, context)
            except Exception as exc:  # a bug in a check must not take the runner down
                verdict = Verdict("error", f"{spec.kind} check crashed: {exc!r}", None, "")
        if verdict.status != "fail" or attempts > max(spec.retries, 0):
            break
        time.sleep(max(spec.interval, 0.0))
        if context.command_runs is not None:
            context.command_runs.forget()  # a retry looks again: fresh output
    return CheckResult(
        status=verdict.status,
        reason=verdict.reason,
        hint=verdict.hint,
        check=spec,
        duration=time.monotonic() - started,
        output=verdict.output,
        attempts=attempts,
    )


def run_checks(
    step: Step,
    context: CheckContext,
    *,
    stop_on_failure: bool = True,
) -> list[CheckResult]:
    """Run ``step``'s declared checks in order (none: no results).

    The step passes when every result passes or warns (``all_passed``). With
    ``stop_on_failure`` the first fail or error ends the run. What a step without checks
    needs to pass is the engine's one policy (``workshop.engine.evaluate.evaluate_step``).
    """
    context = dataclasses.replace(
        context,
        step_id=context.step_id or step.id,
        expected_output=(
            context.expected_output if context.expected_output is not None else step.expected_output
        ),
        command_runs=CommandRuns(),  # one evaluation: each line runs once
    )
    specs = step.checks
    results: list[CheckResult] = []
    for spec in specs:
        result = run_check(spec, context)
        results.append(result)
        if stop_on_failure and not result.passed:
            break
    return results
