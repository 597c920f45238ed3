"""cf v6's flag parsing: flags anywhere among the arguments, ``-x`` or ``--x`` alike.

Why: learners put flags before or after names (``cf push -n host``, ``cf scale app -i 2``)
and cf v6 accepts one or two dashes for any flag and ``-flag=value``. Errors carry cf's
wording (reference §1.5) so that ``main`` can print the "Incorrect Usage" block.
"""

from __future__ import annotations

from workshop.mock.cf.specs import Spec

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


class UsageProblem(Exception):
    """A flag problem: ``str(self)`` is the line cf prints after ``Incorrect Usage``."""


def parse(spec: Spec, argv: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Split ``argv`` into ({canonical flag name: value}, positional arguments)."""
    by_name = {n: f for f in spec.flags for n in f.names}
    opts: dict[str, Any] = {}
    args: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if len(word) < 2 or not word.startswith("-") or word == "--":
            args.append(word)
            continue
        name = word[2:] if word.startswith("--") else word[1:]
        value: str | None = None
        if "=" in name:
            name, value = name.split("=", 1)
        flag = by_name.get(name)
        if flag is None:
            raise UsageProblem(f"Invalid flag: {word}")
        key = flag.names[0]
        if flag.kind == "bool":
            opts[key] = True
            continue
        if value is None:
            if i >= len(argv):
                raise UsageProblem(f"No value provided for flag: {word}")
            value = argv[i]
            i += 1
        if flag.kind == "int":
            try:
                opts[key] = int(value)
            except ValueError:
                raise UsageProblem(f"Value for flag '{name}' must be an integer") from None
        else:
            opts[key] = value
    return opts, args
