"""A quiz question in the line mode: how it is shown, and what the learner's line answers.

A quiz step is answered, not run: the line mode numbers a question's options (``1) bash``)
and reads what the learner types as the answer (:mod:`workshop.engine.plain_commands`
grades it through the session). The numbers are the options' places in the list, what the
learner sees, whatever ids the author gave them (an option's whole text is taken too); a
line that names no option, or several for a one-choice question, is said so and not graded
(it is no attempt).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from workshop.content.quiz import Question

PROMPT = "answer> "
"""The line mode's own prompt on a quiz step (bash's prompt is not shown there)."""
_NUMBERS = re.compile(r"[^\s,;()\[\]]+")


def how_to_answer(question: Question) -> str:
    """What to type, for ``question``'s type."""
    if question.kind == "input":
        what = "Type your answer, then Enter."
    elif question.kind == "checkbox":
        what = "Choose one: type its number, then Enter."
    else:
        what = "Choose every right one: type their numbers, separated by commas or spaces."
    return f"({what} :solution reveals the answer, :skip skips the question.)"


def question_lines(question: Question, wrap: Callable[[str, str, str], str]) -> list[str]:
    """The options, numbered, and how to answer; ``wrap(text, first, rest)`` wraps a line."""
    lines = []
    for number, option in enumerate(question.options, 1):
        first = f"  {number}) "
        lines.append(wrap(option.text, first, " " * len(first)))
    if lines:
        lines.append("")
    lines.append(wrap(how_to_answer(question), "", ""))
    return lines


def read_answer(question: Question, line: str) -> str | list[str]:
    """What ``line`` answers: the text (``input``), or the chosen options' ids. Raises
    ``ValueError`` saying why when it answers nothing (an empty line, a number that is no
    option, two numbers for a one-choice question)."""
    count = len(question.options)
    if not line.strip():
        if question.kind == "input":
            raise ValueError("Type your answer (or :solution, :skip, :help).")
        raise ValueError(f"Type the number of an option, 1 to {count} (or :solution, :skip).")
    if question.kind == "input":
        return line
    named = [o.id for o in question.options if _folded(o.text) == _folded(line)]
    if len(named) == 1:  # the option's text typed instead of its number
        return named
    chosen = []
    for token in _NUMBERS.findall(line):
        if not (token.isdigit() and 0 < int(token) <= count):
            raise ValueError(f"No option {token}: type a number from 1 to {count}.")
        chosen.append(question.options[int(token) - 1].id)
    if question.kind == "checkbox" and len(set(chosen)) > 1:
        raise ValueError("Choose one option: type a single number.")
    return chosen


def revealed(question: Question) -> str:
    """The right answer as the line mode shows it: the text, or the right options by the
    numbers they have on screen."""
    if question.kind == "input":
        return question.answer[0]
    right = set(question.answer)
    numbered = enumerate(question.options, 1)
    return "; ".join(f"{n}) {option.text}" for n, option in numbered if option.id in right)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()
