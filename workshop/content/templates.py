"""Template variables in lesson text, commands and checks.

Two spellings are accepted: ``{{VAR}}`` and the original training platform's
``{{echo $VAR}}`` (also ``{{ $VAR }}``). The loader normalises both to ``{{VAR}}`` so the
model holds one form; :func:`render` fills them in when a step is shown or run.

Where a value comes from (first that has it): the learner's settings, the workshop's
variables (its defaults), the environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# {{VAR}}, {{ VAR }}, {{$VAR}}, {{echo $VAR}}, {{ echo ${VAR} }}
# Spaces and tabs only, so a template never spans lines and normalising keeps line numbers.
TEMPLATE = re.compile(r"\{\{[ \t]*(?:echo[ \t]+)?\$?\{?(" + NAME + r")\}?[ \t]*\}\}")


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


def render(text: str, values: Mapping[str, str], missing: str | None = None) -> str:
    """Fill in every template; an unknown name is left as it is written, or becomes
    ``missing`` when given (the classic layout shows it as its shell did: empty)."""
    if missing is None:
        return TEMPLATE.sub(lambda m: values.get(m.group(1), m.group(0)), text)
    return TEMPLATE.sub(lambda m: values.get(m.group(1), missing), text)


def unresolved(text: str, values: Mapping[str, str]) -> list[tuple[str, int]]:
    """Template names in ``text`` that ``values`` does not define, with line offsets."""
    return [(name, line) for name, line in names(text) if name not in values]
