"""``Coach``: the teaching side of a failed attempt: near misses, hints in turn, the solution.

One :class:`~workshop.checking.feedback.HintBook` per step, made from the rendered step and
what the store says was shown before (so a resumed learner does not get the same first hint
again), the last command's output per step (hints that match it come first), and the tool's
vocabulary for near misses (an alias is no miss).
"""

from __future__ import annotations

from collections.abc import Callable

from workshop.checking.feedback import HintBook, closest_near_miss
from workshop.checking.vocabulary import Vocabulary
from workshop.content.model import Step
from workshop.engine.ports import ProgressPort
from workshop.records import Record


class Advice(Record):
    """What a failed attempt teaches."""

    near_miss: str | None = None
    hint: str | None = None
    hint_index: int | None = None
    """Which of the step's hints ``hint`` is (None: the failing check's own hint)."""
    solution: str | None = None


class Coach:
    """Hints, solutions and near misses for the steps of one workshop."""

    def __init__(
        self, store: ProgressPort, workshop_id: str, vocabulary: Callable[[], Vocabulary]
    ) -> None:
        self.store = store
        self.workshop_id = workshop_id
        self.vocabulary = vocabulary
        """The workshop's vocabulary, asked for when a near miss is looked for."""
        self._books: dict[tuple[str, str], HintBook] = {}
        self._last_output: dict[tuple[str, str], Callable[[], str]] = {}

    def book(self, lesson_id: str, step: Step, failures: int) -> HintBook:
        """The hint book of ``step`` (rendered), picking up where an earlier run left it."""
        key = (lesson_id, step.id)
        if key not in self._books:
            shown = self.store.hints_shown(self.workshop_id, lesson_id, step.id)
            self._books[key] = HintBook(step, shown=shown, failures=failures)
        return self._books[key]

    def saw(self, lesson_id: str, step_id: str, output: Callable[[], str]) -> None:
        """The last output of a command on the step (hints may match it), read only when a
        hint is asked for (making a flood of output plain is left until then)."""
        self._last_output[(lesson_id, step_id)] = output

    def forget(self, lesson_id: str, step_ids: list[str]) -> None:
        """Start the hints of these steps over (they were reset)."""
        for step_id in step_ids:
            self._books.pop((lesson_id, step_id), None)
            self._last_output.pop((lesson_id, step_id), None)

    def next_hint(self, lesson_id: str, step: Step, failures: int) -> tuple[int, str] | None:
        """The next hint asked for: one matching the last output first, else the next."""
        output = self._last_output.get((lesson_id, step.id))
        last = output() if output is not None else ""
        picked = self.book(lesson_id, step, failures).next_hint(last)
        if picked is None or not picked[1].text:
            return None
        return picked[0], picked[1].text

    def solution(self, lesson_id: str, step: Step, failures: int) -> str:
        """The step's solution (its commands unless the lesson gives one)."""
        return self.book(lesson_id, step, failures).solution()

    def after_failure(
        self, lesson_id: str, step: Step, failures: int, command: str, output: str,
        own_hint: str | None,
    ) -> Advice:  # fmt: skip
        """What to tell after a failed attempt; ``own_hint`` (the failing check's) wins
        over the step's hints."""
        near = closest_near_miss(command, step.commands, self.vocabulary())
        book = self.book(lesson_id, step, failures)
        picked = book.on_failure(output)
        hint, index = own_hint, None
        if own_hint is None and picked is not None and picked[1].text:
            hint, index = picked[1].text, picked[0]
        solution = book.solution() if book.solution_due else None
        return Advice(near, hint, index, solution)
