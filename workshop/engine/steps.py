"""What the engine needs to know about steps beyond the content model.

Rendering templates into a step's commands, checks and hints, and the default check of a
step that declares none (what the learner typed is matched against the step's commands by
``workshop.checking.attempts``, with the tool's vocabulary).
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Collection, Mapping
from typing import Any

from workshop.content import templates
from workshop.content.model import CheckSpec, Step, Workshop
from workshop.content.templates import Runner, render
from workshop.engine.lifecycle import rendered_action


def template_values(
    workshop: Workshop,
    settings: Mapping[str, str] | None = None,
    live: bool = False,
    environ: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The values templates are filled with: the learner's settings over the workshop's
    variables over the environment (``environ``, default this process's); in mock mode the
    offline foundation's own facts (its ``mock.variables``: domain, account) win over what
    the learner set for a live one."""
    values = templates.variables(workshop.variables, settings, environ)
    if not live:
        fixed = workshop.mock.get("variables") or {}
        values.update({str(k): str(v) for k, v in fixed.items()})
    return values


def rendered_commands(
    step: Step, values: Mapping[str, str], missing: str | None = None, run: Runner | None = None
) -> list[str]:
    """The step's commands with templates filled in (unknown names: see ``render``)."""
    return [render(command, values, missing, run) for command in step.commands]


def rendered_checks(
    step: Step, values: Mapping[str, str], missing: str | None = None, run: Runner | None = None
) -> list[CheckSpec]:
    """The step's checks with templates filled in their text parameters."""
    return [
        dataclasses.replace(
            spec,
            params=_render_params(spec.params, values, missing, run),
            message=render(spec.message, values, missing, run) if spec.message else spec.message,
        )
        for spec in step.checks
    ]


def rendered_step(
    step: Step, values: Mapping[str, str], missing: str | None = None, run: Runner | None = None
) -> Step:
    """A copy of ``step`` whose title, text, commands, checks, hints, solution, URL and
    expected output are rendered; an unknown name stays as written, or becomes ``missing``
    when given (``""`` for the classic layout, as its shell showed it); shell templates
    become what ``run`` gives (the classic layout's; left as written without it)."""

    def r(text: str) -> str:
        return render(text, values, missing, run)

    return dataclasses.replace(
        step,
        title=r(step.title),
        commands=rendered_commands(step, values, missing, run),
        test_commands=[r(c) for c in step.test_commands] if step.test_commands else None,
        checks=rendered_checks(step, values, missing, run),
        url=r(step.url) if step.url else None,
        expected_output=r(step.expected_output) if step.expected_output else None,
        text=r(step.text),
        solution=r(step.solution) if step.solution else None,
        hints=[dataclasses.replace(h, text=r(h.text)) for h in step.hints],
        setup=rendered_action(step.setup, values),
        solve=rendered_action(step.solve, values),
        cleanup=rendered_action(step.cleanup, values),
    )


def shown_values(
    values: Mapping[str, str], own: Collection[str], shell_env: Mapping[str, str]
) -> dict[str, str]:
    """What templates show: ``values`` (settings, the workshop's variables, the runner's
    environment) with the learner shell's environment over the runner's, never over the
    names in ``own`` (what the workshop and the learner's settings define)."""
    merged = dict(values)
    merged.update({k: v for k, v in shell_env.items() if k not in own})
    return merged


def _render_params(
    params: dict[str, Any], values: Mapping[str, str], missing: str | None, run: Runner | None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str):
            out[key] = render(value, values, missing, run)
        elif isinstance(value, list):
            out[key] = [render(v, values, missing, run) if isinstance(v, str) else v for v in value]
        else:
            out[key] = value
    return out


def normalise_command(command: str) -> str:
    """A command line reduced to its words, so spacing and quoting do not matter."""
    try:
        return " ".join(shlex.split(command, comments=True))
    except ValueError:
        return " ".join(command.split())


def default_check_passes(
    step: Step, command: str, exit_code: int | None, done: set[int], matched: int | None
) -> bool:
    """A step without checks passes when its commands ran and the last one succeeded.

    ``matched`` is which of the step's commands ``command`` is (None: none of them); ``done``
    holds the indexes of the step's commands that ran successfully, this one included. A
    step of several commands passes once every one of them has run; a URL step, once a
    successful command fetched its URL.
    """
    if exit_code != 0:
        return False
    if step.kind == "url" and step.url:
        return step.url in command or step.url.split("://", 1)[-1] in command
    if matched is None:
        return False
    return len(step.commands) <= 1 or done >= set(range(len(step.commands)))
