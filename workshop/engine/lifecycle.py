"""A lesson's and a step's lifecycle pieces (``setup``, ``solve``, ``cleanup``) as the shell
lines that carry them out.

A piece is shell commands (one text, run as the learner's shell would run it, several lines
included) or a script with arguments. A script's relative path is looked up in the workshop
folder, then in its checks folder (where shared scripts live). A step's solve defaults to
its ``test_commands``, else its own commands (an open-the-URL step: ``curl`` its URL).
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Mapping
from pathlib import Path

from workshop.content.model import Action, Step, Workshop
from workshop.content.templates import render


def action_line(action: Action, workshop: Workshop) -> str:
    """The shell text that runs ``action``."""
    if action.commands is not None:
        return action.commands.rstrip("\n")
    script = Path(action.script or "")
    if not script.is_absolute():
        candidates = [workshop.root / script]
        if workshop.checks_dir is not None:
            candidates.append(workshop.checks_dir / script)
        script = next((c for c in candidates if c.exists()), candidates[0])
    words = [str(script.absolute()), *action.args]
    return " ".join(shlex.quote(w) for w in words)


def rendered_action(action: Action | None, values: Mapping[str, str]) -> Action | None:
    """``action`` with templates filled in its commands and arguments."""
    if action is None:
        return None
    return dataclasses.replace(
        action,
        commands=render(action.commands, values) if action.commands is not None else None,
        args=[render(a, values) for a in action.args],
    )


def solve_lines(step: Step, workshop: Workshop) -> list[str]:
    """What solves ``step`` (templates already rendered): its ``solve``, else its
    ``test_commands``, else its commands."""
    if step.solve is not None:
        return [action_line(step.solve, workshop)]
    lines = list(step.test_commands or step.commands)
    if not lines and step.kind == "url" and step.url:
        lines = [f"curl -s {shlex.quote(step.url)}"]
    return lines


def piece_lines(action: Action | None, workshop: Workshop) -> list[str]:
    """The lines of a ``setup`` or ``cleanup`` (none when it is not declared)."""
    return [action_line(action, workshop)] if action is not None else []
