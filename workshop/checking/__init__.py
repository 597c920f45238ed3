"""The check runner: did the learner's command do what the step asks?

Scripts (exit 0 pass, 1 fail with reason and hint, 2 warning, anything else an error)
and built-in checks declared in YAML (exit code, output regex, output similar to the
lesson's block, a command's output, an HTTP GET) all answer with a :class:`CheckResult`.
``feedback`` turns failures into teaching: near-miss tokens, progressive hints, solutions;
``attempts`` says which commands belong to a step; ``vocabulary`` is what both know of
each tool (sub-commands, aliases, flags, argument roles).
No Textual here: every front end drives this package.

Typical use::

    context = CheckContext(env=shell_env, cwd=cwd, variables=vars, mode="mock",
                           command=line, exit_code=status, output=text, step_id=step.id)
    results = run_checks(step, context)
    if all_passed(results): ...
"""

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
