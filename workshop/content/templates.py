"""Templates in lesson text, commands and checks: variables, and the classic shell commands.

Two spellings of a variable are accepted: ``{{VAR}}`` and the original training platform's
``{{echo $VAR}}`` (also ``{{ $VAR }}``). The loader normalises both to ``{{VAR}}`` so the
model holds one form; :func:`render` fills them in when a step is shown or run.

Where a value comes from (first that has it): the learner's settings, the workshop's
variables (its defaults), the environment.

In the classic layout anything else between ``{{`` and ``}}`` is a shell command
(``{{bosh status --uuid}}``, ``{{source deployment/vars && echo $eip}}``), run where the
learner's shell stands when the text is shown, its trimmed output put in its place. The
content model keeps such a template as written; :func:`render` runs it only when given a
``run`` function (the engine's, see ``workshop.engine.shell_templates``), and leaves it as
written otherwise (``workshop show``, ``lint``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# {{VAR}}, {{ VAR }}, {{$VAR}}, {{echo $VAR}}, {{ echo ${VAR} }}
# Spaces and tabs only, so a template never spans lines and normalising keeps line numbers.
TEMPLATE = re.compile(r"\{\{[ \t]*(?:echo[ \t]+)?\$?\{?(" + NAME + r")\}?[ \t]*\}\}")
# {{ any shell command }} on one line (the classic layout's); a variable form matches TEMPLATE
COMMAND = re.compile(r"\{\{[ \t]*([^{}\n]*?[^{}\s])[ \t]*\}\}")

Runner = Callable[[str], str]
"""Runs a shell template's command; returns what to show in its place (its trimmed output,
or a visible marker when it fails or takes too long)."""


def normalise(text: str) -> str:
    """Rewrite every accepted spelling as ``{{VAR}}``."""
    return TEMPLATE.sub(lambda m: "{{" + m.group(1) + "}}", text)


def names(text: str) -> Iterator[tuple[str, int]]:
    """Each template name in ``text`` with its 0-based line offset."""
    line, counted = 0, 0  # newlines are counted once, from one match to the next
    for match in TEMPLATE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        yield match.group(1), line


def variables(
    workshop_vars: Mapping[str, str],
    settings: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The values templates see: settings over the workshop's defaults over the environment."""
    merged = dict(os.environ if environ is None else environ)
    merged.update({k: str(v) for k, v in workshop_vars.items()})
    merged.update({k: str(v) for k, v in (settings or {}).items()})
    return merged


def render(
    text: str, values: Mapping[str, str], missing: str | None = None, run: Runner | None = None
) -> str:
    """Fill in every template; an unknown name is left as it is written, or becomes
    ``missing`` when given (the classic layout shows it as its shell did: empty). With
    ``run``, a shell template becomes what ``run`` returns for its command (one pass over the
    text: what a command prints is never read as a template)."""
    if "{{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        variable = TEMPLATE.fullmatch(match.group(0))
        if variable is not None:
            name = variable.group(1)
            return values.get(name, match.group(0) if missing is None else missing)
        return run(match.group(1)) if run is not None else match.group(0)

    return COMMAND.sub(fill, text)


def commands(text: str) -> Iterator[tuple[str, int]]:
    """Each shell template's command in ``text`` (not the variable forms), with its 0-based
    line offset."""
    for match in COMMAND.finditer(text):
        if TEMPLATE.fullmatch(match.group(0)) is None:
            yield match.group(1), text.count("\n", 0, match.start())


def unresolved(text: str, values: Mapping[str, str]) -> list[tuple[str, int]]:
    """Template names in ``text`` that ``values`` does not define, with line offsets."""
    return [(name, line) for name, line in names(text) if name not in values]
