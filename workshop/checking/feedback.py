"""Feedback that teaches: which token of a command was off, hints in turn, the solution last.

``near_miss`` compares what the learner typed with the lesson's command token by token
(shell words) and, when only a token or two differ, names them, with the token's role for
the ``cf`` commands of the workshop (``you typed 'spak', the plan is 'spark'``).
``HintBook`` hands out a step's hints: one whose ``when_output`` pattern matches the last
output first, else the next unseen one, and the solution after repeated failures.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field

from workshop.checking.text import clean_output
from workshop.content.model import Hint, Step

# cf v6 sub-commands: aliases, the roles of their positional arguments, and their flags.
_ALIASES = {
    "cs": "create-service", "s": "services", "t": "target", "p": "push", "a": "apps",
    "bs": "bind-service", "us": "unbind-service", "ds": "delete-service", "e": "env",
    "m": "marketplace", "r": "routes", "l": "login", "se": "set-env", "ue": "unset-env",
    "rs": "restart", "rg": "restage", "st": "start", "sp": "stop", "d": "delete",
}  # fmt: skip
_POSITIONAL = {
    "create-service": ["service", "plan", "instance name"],
    "create-space": ["space name"],
    "delete-space": ["space"],
    "bind-service": ["app name", "instance name"],
    "unbind-service": ["app name", "instance name"],
    "delete-service": ["instance name"],
    "set-env": ["app name", "variable name", "value"],
    "unset-env": ["app name", "variable name"],
    "push": ["app name"],
    "api": ["API endpoint"],
    "marketplace": [],
    **{
        c: ["app name"]
        for c in ("app", "start", "stop", "restart", "restage", "logs", "env", "delete", "scale")
    },
}
_FLAGS = {
    "-s": "space", "-o": "org", "-n": "hostname", "--hostname": "hostname", "-p": "path",
    "-m": "memory", "-i": "instance count", "-b": "buildpack", "-d": "domain", "-f": "manifest",
    "-a": "API endpoint", "-u": "user", "-c": "parameters", "-t": "tags", "-k": "disk limit",
}  # fmt: skip
_BOOLEAN_FLAGS = {
    "--skip-ssl-validation", "--no-start", "--no-route", "--random-route", "--recent",
    "--guid", "--orglevel", "--no-hostname", "--no-manifest", "-v", "--version", "-h", "--help",
}  # fmt: skip
_FLAG_ROLES_BY_COMMAND = {"login": {"-p": "password", "-s": "space"}, "push": {"-p": "path"}}
_SECRET_ROLES = {"password"}
_MAX_CHANGED = 2


def _words(line: str) -> list[str]:
    """Shell words of ``line`` (plain whitespace split when the quoting is unbalanced)."""
    line = line.strip()
    if line.startswith("$ "):
        line = line[2:]
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def _roles(words: list[str]) -> list[str | None]:
    """The role of each word of a ``cf`` command line (None where unknown)."""
    roles: list[str | None] = [None] * len(words)
    if not words or words[0] != "cf":
        return roles
    roles[0] = "program"
    if len(words) < 2:
        return roles
    command = _ALIASES.get(words[1], words[1])
    roles[1] = "cf command"
    positional = list(_POSITIONAL.get(command, []))
    flag_roles = {**_FLAGS, **_FLAG_ROLES_BY_COMMAND.get(command, {})}
    i = 2
    while i < len(words):
        word = words[i]
        if word.startswith("-") and len(word) > 1:
            roles[i] = "option"
            if word not in _BOOLEAN_FLAGS and "=" not in word and i + 1 < len(words):
                roles[i + 1] = flag_roles.get(word, f"value of {word}")
                i += 1
        elif positional:
            roles[i] = positional.pop(0)
        i += 1
    return roles


def _say(typed: str, wanted: str, role: str | None) -> str:
    if role in _SECRET_ROLES:
        return f"the {role} is not the lesson's"
    if role and role not in ("option", "program"):
        return f"you typed '{typed}', the {role} is '{wanted}'"
    return f"you typed '{typed}', the lesson has '{wanted}'"


def near_miss(typed: str, expected: str) -> str | None:
    """Name the token or two that differ between ``typed`` and ``expected``, else None.

    None when they are the same command, or too different to be a slip (more than two
    tokens changed, or nothing in common). Never raises.
    """
    try:
        return _near_miss(typed, expected)
    except Exception:  # feedback is best effort: a strange line must not break a step
        return None


def _near_miss(typed: str, expected: str) -> str | None:
    got, want = _words(typed), _words(expected)
    if got == want or not got or not want:
        return None
    matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    same = sum(i2 - i1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag == "equal")
    changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops)
    if changed > _MAX_CHANGED or same == 0 or same < changed:
        return None
    roles = _roles(want)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace" and i2 - i1 == j2 - j1:
            for a, b, role in zip(got[i1:i2], want[j1:j2], roles[j1:j2], strict=True):
                parts.append(_say(a, b, role))
        elif tag == "replace":
            parts.append(
                f"you typed '{' '.join(got[i1:i2])}', the lesson has '{' '.join(want[j1:j2])}'"
            )
        elif tag == "insert":
            missing = " ".join(want[j1:j2])
            role = roles[j1] if j2 - j1 == 1 else None
            what = (
                f"the {role} '{missing}'"
                if role and role not in ("option", "program")
                else f"'{missing}'"
            )
            if role in _SECRET_ROLES:
                what = f"the {role}"
            after = f" after '{want[j1 - 1]}'" if j1 > 0 else ""
            parts.append(f"you left out {what}{after}")
        else:  # delete
            parts.append(f"'{' '.join(got[i1:i2])}' is not in the lesson's command")
    return "; ".join(parts) if parts else None


def closest_near_miss(typed: str, commands: Iterable[str]) -> str | None:
    """``near_miss`` against whichever of the step's ``commands`` ``typed`` is closest to."""
    best: tuple[float, str] | None = None
    words = " ".join(_words(typed))
    for command in commands:
        if _words(command) == _words(typed):
            return None
        ratio = difflib.SequenceMatcher(None, words, " ".join(_words(command))).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, command)
    return near_miss(typed, best[1]) if best else None


def _matches(pattern: str, text: str) -> bool:
    """``pattern`` (a regex, or literal text when it is not one) occurs in ``text``."""
    try:
        return re.search(pattern, text, re.MULTILINE) is not None
    except (re.error, RecursionError, OverflowError):
        return pattern in text


@dataclass
class HintBook:
    """The hints of one step, handed out in teaching order; its state can be saved and restored.

    ``shown`` (hint indexes, in order) and ``failures`` come from the progress store when a
    learner resumes: ``HintBook(step, shown=store.hints_shown(...),
    failures=store.step_status(...).attempts)``; index ``-1`` there (the store's mark for a
    revealed solution) sets ``solution_revealed``. Hints with ``when_output`` are given only
    when their pattern matches the last output; the others form the progressive sequence.
    """

    step: Step
    reveal_after: int = 3
    """Failed checks after which the solution is offered."""
    shown: list[int] = field(default_factory=list)
    failures: int = 0
    solution_revealed: bool = False

    def __post_init__(self) -> None:
        if -1 in self.shown:
            self.solution_revealed = True
        self.shown = [i for i in dict.fromkeys(self.shown) if 0 <= i < len(self.step.hints)]

    def next_hint(self, output: str | None = None) -> tuple[int, Hint] | None:
        """The hint to show now (on request): matching first, then the next unseen one."""
        text = clean_output(output) if output else ""
        hints = self.step.hints
        matching = [
            i
            for i, h in enumerate(hints)
            if h.when_output and text and _matches(h.when_output, text)
        ]
        plain = [i for i, h in enumerate(hints) if not h.when_output]
        choice = next((i for i in matching if i not in self.shown), None)
        if choice is None:
            choice = next((i for i in plain if i not in self.shown), None)
        if choice is None and matching:
            choice = matching[0]  # the same error again: its hint is still the best help
        if choice is None:
            return None
        if choice not in self.shown:
            self.shown.append(choice)
        return choice, hints[choice]

    def on_failure(self, output: str | None = None) -> tuple[int, Hint] | None:
        """Count a failed check and return the hint that goes with it (None when out of hints)."""
        self.failures += 1
        return self.next_hint(output)

    @property
    def solution_due(self) -> bool:
        """True once the learner has failed ``reveal_after`` times (or asked for it)."""
        return self.solution_revealed or self.failures >= self.reveal_after

    def solution(self) -> str:
        """The step's solution (``step.solution``, else its commands); marks it revealed."""
        self.solution_revealed = True
        if self.step.solution:
            return self.step.solution
        if self.step.commands:
            return "\n".join(f"$ {c}" for c in self.step.commands)
        if self.step.url:
            return f"Open {self.step.url}"
        return "This step has no command to show."
