"""``evaluate_step``: the one policy that says whether a step passed, for every caller.

The learner's session and ``workshop test`` both ask it, so a step cannot pass in one and
fail in the other. A reading step passes when acknowledged; a step with checks passes when
each check passes or warns; a step without checks passes when its commands ran and the last
one succeeded (or its URL was fetched). A multi-command step part way through is
``pending``, not failed. Hints, near misses and what counts as an attempt are the session's
business (:mod:`workshop.engine.session`); this module only judges.
"""

from __future__ import annotations

from workshop.checking.result import CheckContext, CheckResult
from workshop.content.model import CheckSpec, Step
from workshop.engine.steps import default_check_passes, normalise_command
from workshop.records import Record

AUTHORED = frozenset({"script", "verify_sh"})
"""Check kinds whose hint the author wrote (a script's stdout after its first line)."""
ACKNOWLEDGE = frozenset({"true", ":"})
"""Commands that mark a reading step as read (what the plain runner tells the learner to run)."""
OUTPUT_BOUND = frozenset({"exit_code", "output_matches", "output_similar"})
"""Check kinds that judge what the command did: with no command to judge, they cannot pass."""


class Verdict(Record):
    """What the checks of a step said this time."""

    passed: bool
    results: tuple[CheckResult, ...] = ()
    reason: str = ""
    """Why it did not pass, in one line for the learner."""
    hint: str | None = None
    """The failing script check's own hint (its lines after the first), if it has one."""
    pending: str | None = None
    """"1 of 2 commands done" when a multi-command step is only part way."""
    error: bool = False
    """A check broke or timed out: not the learner's fault, never a pass."""


def evaluate_step(
    step: Step,
    context: CheckContext,
    *,
    acknowledged: bool = False,
    seen: frozenset[int] = frozenset(),
    matched: int | None = None,
) -> Verdict:
    """Judge ``step`` (templates already rendered) after what ``context`` describes.

    ``acknowledged``: the learner marked a reading step as read. ``seen``: the step's
    commands that ran successfully before, by index; ``matched``: which of them the
    command in ``context`` is (None: none of them).
    """
    command, exit_code = context.command, context.exit_code
    if step.kind == "read":
        passed = acknowledged or (exit_code == 0 and normalise_command(command) in ACKNOWLEDGE)
        return Verdict(passed, reason="" if passed else "Read the text, then mark it as done.")
    done = set(seen) | ({matched} if matched is not None and exit_code == 0 else set())
    if not step.checks:
        passed = default_check_passes(step, command, exit_code, done, matched)
        if passed:
            return Verdict(True)
        verdict = Verdict(False, reason=_default_reason(step, command, exit_code))
    elif not command and any(check.kind in OUTPUT_BOUND for check in step.checks):
        # asked to check before any command of the step ran: there is nothing to judge
        return Verdict(False, reason=run_first(step))
    else:
        from workshop.checking.runner import run_checks  # (the first check imports it)

        results = tuple(run_checks(step, context))
        failing = [r for r in results if not r.passed]
        if results and not failing:
            return Verdict(True, results)
        first = failing[0] if failing else None
        error = first is not None and first.status == "error"
        reason = first.reason if first is not None else "The step has no check that passed."
        if error:
            reason = "The check itself failed (not your fault): " + reason
        # a script's lines after its first are its author's hint; a built-in's hint is only
        # the tail of what it saw, which the learner has on screen already
        own = first.hint if first is not None and first.check.kind in AUTHORED else None
        verdict = Verdict(False, results, reason, own, error=error)
    if (
        not verdict.error
        and len(step.commands) > 1
        and matched is not None
        and exit_code == 0
        and len(done) < len(step.commands)
    ):
        return Verdict(
            False,
            verdict.results,
            verdict.reason,
            verdict.hint,
            pending=f"{len(done)} of {len(step.commands)} commands done",
        )
    return verdict


def run_first(step: Step) -> str:
    """What to say when the learner asks for a check before running the step's command."""
    if step.commands:
        return f"Run the step's command first: `{step.commands[0]}`."
    return "Run the step's command first."


def _default_reason(step: Step, command: str, exit_code: int | None) -> str:
    """Why a step without checks did not pass."""
    if not command:
        return run_first(step)
    if exit_code not in (0, None):
        return f"The command exited with status {exit_code}."
    return "That is not the command this step asks for."


def evaluate_prerequisites(checks: list[CheckSpec], context: CheckContext) -> str | None:
    """None when every prerequisite passes (or warns); else the first failing one's message
    (a classic ``Prerequisites.sh`` line's ``#>`` text), for the learner and ``workshop test``."""
    for spec in checks:
        from workshop.checking.runner import run_check

        result = run_check(spec, context)
        if not result.passed:
            return result.reason or "a prerequisite of this workshop is not met"
    return None
