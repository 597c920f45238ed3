"""The check runner: did the learner's command do what the step asks?

Scripts (exit 0 pass, 1 fail with reason and hint, 2 warning, anything else an error)
and built-in checks declared in YAML (exit code, output regex, output similar to the
lesson's block, a command's output, an HTTP GET) all answer with a :class:`CheckResult`.
``feedback`` turns failures into teaching: near-miss tokens, progressive hints, solutions;
``attempts`` says which commands belong to a step; ``vocabulary`` is what both know of
each tool (sub-commands, aliases, flags, argument roles).
No Textual here: every front end drives this package.

The names below are imported on first use: a module that needs one of them (the result
types, say) does not import every checker with it.

Typical use::

    context = CheckContext(env=shell_env, cwd=cwd, variables=vars, mode="mock",
                           command=line, exit_code=status, output=text, step_id=step.id)
    results = run_checks(step, context)
    if all_passed(results): ...
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workshop.checking.attempts import is_attempt, matching_command
    from workshop.checking.feedback import HintBook, closest_near_miss, near_miss
    from workshop.checking.result import PASSING, CheckContext, CheckResult, Status, all_passed
    from workshop.checking.runner import run_check, run_checks
    from workshop.checking.similar import Similarity, compare
    from workshop.checking.vocabulary import ProgramVocabulary, Vocabulary

__all__ = [
    "PASSING",
    "CheckContext",
    "CheckResult",
    "HintBook",
    "ProgramVocabulary",
    "Similarity",
    "Status",
    "Vocabulary",
    "all_passed",
    "closest_near_miss",
    "compare",
    "is_attempt",
    "matching_command",
    "near_miss",
    "run_check",
    "run_checks",
]

_HOMES = {
    "is_attempt": "attempts",
    "matching_command": "attempts",
    "HintBook": "feedback",
    "closest_near_miss": "feedback",
    "near_miss": "feedback",
    "PASSING": "result",
    "CheckContext": "result",
    "CheckResult": "result",
    "Status": "result",
    "all_passed": "result",
    "run_check": "runner",
    "run_checks": "runner",
    "Similarity": "similar",
    "compare": "similar",
    "ProgramVocabulary": "vocabulary",
    "Vocabulary": "vocabulary",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
