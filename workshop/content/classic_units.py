"""How the classic layout's units hang together: page scripts and the units before a unit.

Why: the original platform ran its units as one course. A numbered unit (``002 Services``)
starts where the numbered units before it in the same folder (``001 … - Part 1``, ``001 …
- Part 2``) leave the learner: their app pushed, their org created. A track's levels follow
each other the same way (``Basic``, then ``Intermediate``, then ``Advanced``): the
platform's course list ran them in that order on the learner's foundation, and an
Intermediate unit's prerequisites ask for what the Basic units made (``my-app``,
``my-org``). And where a page asks
for something its commands do not do (an edit in an editor), the platform ran a script
beside the page when it carried the page out itself: ``NN_Title.preexec.sh`` before the
page's commands, ``NN_Title.postexec.sh`` after them. Both are read here, without running
anything; ``workshop test`` (and a learner's skip) carries them out.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

UNIT = re.compile(r"^(0\d+|\d{3,})[_\- ]")
"""A numbered unit's folder name: ``001 Title``, ``02_Title`` (zero-padded, or three digits
or more: ``12 Factor Apps`` is a title that starts with a number, not the 12th unit)."""
PAGE = re.compile(r"^\d+(?:\.\d+)*[_\- ].+\.md$")
LEVELS = ("basic", "intermediate", "advanced")
"""A track's level folders, in the order the platform's course list ran them."""

__all__ = ["earlier_units", "page_script", "script_line"]


def _order(folder: Path) -> tuple[int, str] | None:
    """Where a folder stands among its numbered siblings (None: not a numbered unit)."""
    match = UNIT.match(folder.name)
    if match is None or not folder.is_dir():
        return None
    if (folder / "workshop.yaml").exists() or (folder / "workshop.yml").exists():
        return None
    try:
        if not any(PAGE.match(entry.name) for entry in folder.iterdir()):
            return None
    except OSError:
        return None
    return int(match.group(1)), folder.name


def _numbered(folder: Path) -> list[tuple[tuple[int, str], Path]]:
    """The numbered units of ``folder``, in course order."""
    try:
        children = list(folder.iterdir())
    except OSError:
        return []
    return sorted((key, unit) for unit in children if (key := _order(unit)) is not None)


def _earlier_levels(level: Path) -> list[Path]:
    """The level folders before ``level`` in its track (none when ``level`` is not named
    Basic, Intermediate or Advanced)."""
    name = level.name.lower()
    if name not in LEVELS:
        return []
    try:
        siblings = {folder.name.lower(): folder for folder in level.parent.iterdir()}
    except OSError:
        return []
    earlier = LEVELS[: LEVELS.index(name)]
    return [siblings[n] for n in earlier if n in siblings and siblings[n].is_dir()]


def earlier_units(root: Path) -> list[Path]:
    """The numbered classic units before ``root`` in its course, first first: those of the
    earlier levels of its track (``Basic`` before ``Intermediate`` before ``Advanced``),
    then those before it in its own folder (by number, then by name: ``001 … Part 1``
    before ``001 … Part 2``); none when ``root`` is not a numbered unit itself."""
    root = root.absolute()
    own = _order(root)
    if own is None:
        return []
    units = [unit for level in _earlier_levels(root.parent) for _, unit in _numbered(level)]
    return units + [unit for key, unit in _numbered(root.parent) if key < own]


def page_script(page: Path, kind: str) -> Path | None:
    """The page's ``NN_Title.<kind>.sh`` (``preexec`` or ``postexec``) when it exists."""
    script = page.with_name(page.name[: -len(".md")] + f".{kind}.sh")
    return script.absolute() if script.is_file() else None


def script_line(script: Path) -> str:
    """The shell line that runs a page script (with bash, from the shell's folder)."""
    return f"bash {shlex.quote(str(script))}"
