"""What ``workshop lint`` reports: the loader's problems, less what the offline mock provides,
plus what the workshop's recordings hold.

Why here: the content package knows nothing of the mock (the layers forbid it), but a classic
folder that runs ``cf`` gets the cf mock, whose environment sets ``CF_DOMAIN``, ``CF_USER``
and ``CF_PASSWORD``; a page's ``{{echo $CF_DOMAIN}}`` is then no problem of the content.
"""

from __future__ import annotations

from workshop.content.model import ContentError, Workshop
from workshop.engine.recording_lint import recording_problems


def lint_problems(workshop: Workshop) -> list[ContentError]:
    """``workshop.problems`` without the unresolved-variable warnings for names the workshop's
    offline mock sets in the learner's shell, and what its recordings hold (see
    :mod:`workshop.engine.recording_lint`)."""
    provided = mock_variable_names(workshop)
    kept = [
        problem
        for problem in workshop.problems
        if not (problem.warning and problem.variable and problem.variable in provided)
    ]
    return kept + recording_problems(workshop)


def mock_variable_names(workshop: Workshop) -> set[str]:
    """The variables the workshop's offline mock exports in the learner's shell."""
    names = {str(name) for name in workshop.mock.get("variables") or {}}
    if "cf" in (workshop.mock.get("tools") or []):
        from workshop.mock.env import foundation_variables

        names.update(foundation_variables(None))
    return names
