"""Feedback that teaches: which token of a command was off, hints in turn, the solution last.

``near_miss`` compares what the learner typed with the lesson's command token by token
(shell words) and, when only a token or two differ, names them, with the token's role
where the tool's vocabulary knows it (``you typed 'spak', the plan is 'spark'``); an alias
of the lesson's sub-command is the same command, never a slip.
``HintBook`` hands out a step's hints: one whose ``when_output`` pattern matches the last
output first, else the next unseen one, and the solution after repeated failures.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from workshop.checking.commandline import words
from workshop.checking.text import clean_output
from workshop.checking.vocabulary import Vocabulary, default_vocabulary
from workshop.content.model import Hint, Step

_SECRET_WORDS = ("password", "credential", "secret", "token")
_MAX_CHANGED = 2


def _secret(role: str | None) -> bool:
    """True for a role whose value must never be echoed (passwords, credentials, tokens)."""
    return role is not None and any(word in role for word in _SECRET_WORDS)


def _say(typed: str, wanted: str, role: str | None) -> str:
    if _secret(role):
        verb = "are" if str(role).endswith("s") else "is"
        return f"the {role} {verb} not the lesson's"
    if role and role not in ("option", "program"):
        return f"you typed '{typed}', the {role} is '{wanted}'"
    return f"you typed '{typed}', the lesson has '{wanted}'"


def near_miss(typed: str, expected: str, vocabulary: Vocabulary | None = None) -> str | None:
    """Name the token or two that differ between ``typed`` and ``expected``, else None.

    None when they are the same command (an alias or another spelling of a flag is the
    same), or too different to be a slip (more than two tokens changed, or nothing in
    common). Roles come from ``vocabulary`` (default: ``expected``'s own words plus the
    tables of known tools such as cf). Never raises.
    """
    try:
        return _near_miss(typed, expected, vocabulary or default_vocabulary([expected]))
    except Exception:  # feedback is best effort: a strange line must not break a step
        return None


def _near_miss(typed: str, expected: str, vocabulary: Vocabulary) -> str | None:
    got, want = words(typed), words(expected)
    if not got or not want:
        return None
    mine, theirs = vocabulary.describe(got), vocabulary.describe(want)
    if mine.canonical == theirs.canonical:
        return None
    matcher = difflib.SequenceMatcher(None, mine.canonical, theirs.canonical, autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    same = sum(i2 - i1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag == "equal")
    changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops)
    if changed > _MAX_CHANGED or same == 0 or same < changed:
        return None
    roles = theirs.roles
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
            if _secret(role):
                what = f"the {role}"
            after = f" after '{want[j1 - 1]}'" if j1 > 0 else ""
            parts.append(f"you left out {what}{after}")
        else:  # delete
            parts.append(f"'{' '.join(got[i1:i2])}' is not in the lesson's command")
    return "; ".join(parts) if parts else None


def closest_near_miss(
    typed: str, commands: Iterable[str], vocabulary: Vocabulary | None = None
) -> str | None:
    """``near_miss`` against whichever of the step's ``commands`` ``typed`` is closest to.

    None when ``typed`` is one of them (aliases and flag spellings aside). ``vocabulary``
    defaults to the commands' own plus the tables of known tools (cf).
    """
    commands = list(commands)
    vocabulary = vocabulary or default_vocabulary(commands)
    mine = vocabulary.describe(words(typed)).canonical
    best: tuple[float, str] | None = None
    for command in commands:
        theirs = vocabulary.describe(words(command)).canonical
        if theirs == mine:
            return None
        ratio = difflib.SequenceMatcher(None, " ".join(mine), " ".join(theirs)).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, command)
    return near_miss(typed, best[1], vocabulary) if best else None


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
