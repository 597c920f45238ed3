"""Quizzes: the original platform's ``Quiz.yml`` and a lesson's ``quiz:``, as steps, graded.

A question is a step of kind ``quiz`` whose :class:`Question` says what is asked and what
is right. The original platform's three types are kept with their names:

- ``input``: free text, right when it equals ``answer`` after trimming, folding case and
  collapsing spaces (``exact: true`` compares as written);
- ``checkbox``: one option, by its id;
- ``checkbox_multiple``: a set of options (``answer: "(1,2,4)"``, ``"2, 3"`` or a list),
  right only when exactly that set is chosen.

The platform's own files are read as they are; every problem (an unknown type, with the
closest known one; an answer that names no option; a question without text) is a lint
problem at its line, and a question with one is left out rather than graded wrongly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.content.lines import line_of
from workshop.content.model import ContentError, Source, Step
from workshop.records import Record

KINDS = ("input", "checkbox", "checkbox_multiple")
KEYS = ("id", "formulation", "type", "options", "answer", "exact")
_IDS = re.compile(r"[^\s,()\[\]]+")


class Option(Record):
    """One choice of a ``checkbox`` question."""

    id: str
    text: str


class Question(Record):
    """What a quiz step asks, and what is right."""

    id: str
    text: str
    kind: str
    """``input``, ``checkbox`` or ``checkbox_multiple``."""
    answer: tuple[str, ...]
    """``input``: the expected text (one item); otherwise the right options' ids."""
    options: tuple[Option, ...] = ()
    exact: bool = False
    """``input`` only: compare as written, not after trimming and folding case."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "type": self.kind,
            "options": [{"id": o.id, "text": o.text} for o in self.options],
        }


class Grade(Record):
    """A graded answer: right or not, and the right answer in words (to reveal on request)."""

    right: bool
    expected: str


def grade(question: Question, answer: str | Sequence[str]) -> Grade:
    """Grade ``answer``: the typed text for ``input``, the chosen option id(s) otherwise (a
    string of ids such as ``"1, 3"`` is read too)."""
    if question.kind == "input":
        typed = answer if isinstance(answer, str) else " ".join(answer)
        expected = question.answer[0]
        right = typed == expected if question.exact else _folded(typed) == _folded(expected)
        return Grade(right, expected)
    chosen = set(_IDS.findall(answer) if isinstance(answer, str) else (str(a) for a in answer))
    expected_ids = set(question.answer)
    if question.kind == "checkbox":
        right = len(chosen) == 1 and chosen == expected_ids
    else:
        right = chosen == expected_ids
    return Grade(right, revealed(question))


def revealed(question: Question) -> str:
    """The right answer as a learner reads it."""
    if question.kind == "input":
        return question.answer[0]
    texts = {option.id: option.text for option in question.options}
    return "; ".join(f"{i}. {texts.get(i, '')}".rstrip() for i in question.answer)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Parsed:
    """Questions read from a file, and the problems found there."""

    questions: list[tuple[Question, Source]] = field(default_factory=list)
    problems: list[ContentError] = field(default_factory=list)


def read_questions(items: Any, file: Path, where: int | None = None) -> Parsed:
    """The questions of ``items`` (a YAML list, with the loader's line map) from ``file``."""
    parsed = Parsed()
    if not isinstance(items, list):
        parsed.problems.append(ContentError("'questions' must be a list of questions", file, where))
        return parsed
    seen: set[str] = set()
    for index, item in enumerate(items):
        line = _item_line(items, index) or where
        if not isinstance(item, dict):
            parsed.problems.append(ContentError("a question must be a mapping", file, line))
            continue
        question = _question(item, index, file, line, parsed.problems)
        if question is None:
            continue
        if question.id in seen:
            parsed.problems.append(
                ContentError(f"duplicate question id '{question.id}'", file, line)
            )
            continue
        seen.add(question.id)
        parsed.questions.append((question, Source(file, line)))
    return parsed


def quiz_steps(parsed: Parsed, prefix: str = "quiz") -> list[Step]:
    """One step of kind ``quiz`` per question, with a stable id (``quiz-<question id>``)."""
    steps = []
    for question, source in parsed.questions:
        steps.append(
            Step(
                id=f"{prefix}-{question.id}",
                title=_title(question.text),
                text=question.text,
                kind="quiz",
                question=question,
                source=source,
                id_explicit=True,
            )
        )
    return steps


def _question(
    item: dict[str, Any], index: int, file: Path, line: int | None, problems: list[ContentError]
) -> Question | None:
    def problem(message: str, key: str | None = None) -> None:
        at = line_of(item, line) if key is None else _key_line(item, key, line)
        problems.append(ContentError(message, file, at))

    ok = True
    for key in item:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problem(f"unknown key '{key}' in a question{hint}", key)
    qid = str(item.get("id", index + 1)).strip()
    text = item.get("formulation")
    if not isinstance(text, str) or not text.strip():
        problem(f"question '{qid}' has no 'formulation' (the question's text)")
        ok = False
    kind = item.get("type")
    if kind not in KINDS:
        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" ({', '.join(KINDS)})"
        problem(
            f"question '{qid}': unknown type '{kind}'{hint}", "type" if "type" in item else None
        )
        return None
    options = _options(item.get("options"), qid, problem) if kind != "input" else ()
    answer = item.get("answer")
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        problem(f"question '{qid}' has no 'answer'")
        return None
    exact = item.get("exact", False)
    if not isinstance(exact, bool):
        problem(f"question '{qid}': 'exact' must be true or false", "exact")
        exact = False
    if kind == "input":
        if isinstance(answer, list):
            problem(f"question '{qid}': an input question's answer is one text", "answer")
            return None
        answers: tuple[str, ...] = (str(answer).strip() if not exact else str(answer),)
    else:
        raw: Iterable[Any] = answer if isinstance(answer, list) else _IDS.findall(str(answer))
        answers = tuple(str(a).strip() for a in raw)
        known = {option.id for option in options}
        unknown = [a for a in answers if a not in known]
        if unknown:
            problem(
                f"question '{qid}': answer {', '.join(unknown)} is not one of its options"
                f" ({', '.join(sorted(known)) or 'none'})",
                "answer",
            )
            ok = False
        if kind == "checkbox" and len(answers) != 1:
            problem(
                f"question '{qid}': a checkbox question has one right option"
                " (type: checkbox_multiple takes several)",
                "answer",
            )
            ok = False
    if not ok:
        return None
    return Question(qid, str(text).strip(), kind, answers, tuple(options), exact)


def _options(raw: Any, qid: str, problem: Any) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        problem(f"question '{qid}' needs 'options' (a list of id and value)", "options")
        return ()
    options = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or "value" not in entry:
            problem(f"question '{qid}': option {index + 1} needs an 'id' and a 'value'", "options")
            continue
        options.append(Option(str(entry.get("id", index + 1)).strip(), str(entry["value"])))
    return tuple(options)


def _title(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else "Question"
    return first if len(first) <= 60 else first[:57].rstrip() + "…"


def _key_line(item: Any, key: str, default: int | None) -> int | None:
    lines = getattr(item, "key_lines", None)
    if isinstance(lines, dict) and key in lines:
        return int(lines[key])
    return line_of(item, default)


def _item_line(items: Any, index: int) -> int | None:
    lines = getattr(items, "item_lines", None)
    if isinstance(lines, list) and index < len(lines):
        return int(lines[index])
    return None
