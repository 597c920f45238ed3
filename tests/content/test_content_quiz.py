"""Quizzes: the original platform's Quiz.yml (its own fixture here) and a lesson's ``quiz:``.

Each question becomes a step of kind ``quiz`` after the unit's pages; every problem of the
file is a lint problem at its line (an unknown type with the closest known one); grading
follows the platform: typed text after trimming and folding case unless ``exact``, one
option for ``checkbox``, exactly the set for ``checkbox_multiple``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from content_support import FIXTURES

from workshop.content import load_workshop
from workshop.content.quiz import Question, grade, revealed

UNIT = FIXTURES / "quiz_unit"


def test_a_units_quiz_is_a_lesson_after_its_pages_a_step_per_good_question() -> None:
    workshop = load_workshop(UNIT, strict=False)
    assert [lesson.id for lesson in workshop.lessons] == ["targets", "quiz"]
    quiz = workshop.lessons[-1]
    assert [(s.id, s.kind) for s in quiz.steps] == [
        ("quiz-1", "quiz"),
        ("quiz-2", "quiz"),
        ("quiz-3", "quiz"),
        ("quiz-7", "quiz"),
    ]
    second = quiz.step("quiz-2").question
    assert second is not None and second.answer == ("1", "3")
    assert [o.text for o in second.options] == ["org", "spreadsheet", "space"]


def test_every_problem_of_a_quiz_file_is_reported_at_its_line() -> None:
    workshop = load_workshop(UNIT, strict=False)
    found = [(p.file.name if p.file else "", p.line, p.message) for p in workshop.problems]
    assert found == [
        ("Quiz.yml", 28, "question '4': unknown type 'chekbox' (did you mean 'checkbox'?)"),
        ("Quiz.yml", 36, "question '5': answer 7 is not one of its options (1)"),
        ("Quiz.yml", 37, "question '6' has no 'answer'"),
        ("Quiz.yml", 43, "unknown key 'answr' in a question (did you mean 'answer'?)"),
    ]


INPUT = Question("1", "List spaces", "input", ("cf spaces",))
EXACT = Question("2", "Case matters", "input", ("CF_TRACE=true",), exact=True)
ONE = Question("3", "Pick one", "checkbox", ("2",))
SET = Question("4", "Pick several", "checkbox_multiple", ("1", "2", "4"))


@pytest.mark.parametrize(
    ("question", "answer", "right"),
    [
        (INPUT, "cf spaces", True),
        (INPUT, "  CF   Spaces \n", True),
        (INPUT, "cf space", False),
        (INPUT, "", False),
        (EXACT, "CF_TRACE=true", True),
        (EXACT, "cf_trace=true", False),
        (ONE, "2", True),
        (ONE, ["2"], True),
        (ONE, "1", False),
        (ONE, "1, 2", False),
        (SET, "1, 2, 4", True),
        (SET, "(4,1,2)", True),
        (SET, ["4", "2", "1"], True),
        (SET, "1, 2", False),
        (SET, "1, 2, 3, 4", False),
        (SET, "", False),
    ],
)
def test_grading_follows_the_platform(
    question: Question, answer: str | list[str], right: bool
) -> None:
    assert grade(question, answer).right is right


def test_the_right_answer_can_be_revealed_in_words() -> None:
    workshop = load_workshop(UNIT, strict=False)
    question = workshop.lessons[-1].step("quiz-2").question
    assert question is not None
    assert revealed(question) == "1. org; 3. space"
    assert grade(INPUT, "nope").expected == "cf spaces"


def test_a_lesson_of_workshop_yaml_takes_a_quiz_in_the_same_format(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("# One\n\n```sh\n$ true\n```\n")
    (tmp_path / "workshop.yaml").write_text(
        "title: Q\nlessons:\n  - file: one.md\n    quiz:\n"
        "      - {id: a, formulation: 'Say yes', type: input, answer: 'yes'}\n"
        "      - {id: b, formulation: 'Pick', type: checkbox_multiple, answer: [1, 2],\n"
        "         options: [{id: 1, value: x}, {id: 2, value: y}, {id: 3, value: z}]}\n"
        "      - {id: c, formulation: 'Bad', type: radio, answer: '1'}\n"
    )
    workshop = load_workshop(tmp_path, strict=False)
    steps = workshop.lessons[0].steps
    assert [(s.id, s.kind) for s in steps] == [
        ("true", "command"),
        ("quiz-a", "quiz"),
        ("quiz-b", "quiz"),
    ]
    assert [(p.line, p.message) for p in workshop.problems] == [
        (8, "question 'c': unknown type 'radio' (input, checkbox, checkbox_multiple)")
    ]
