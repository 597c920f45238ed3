"""The content model: a Workshop holds Lessons in order, a Lesson holds Steps.

Plain dataclasses with no behaviour beyond lookups and a JSON view, so every front end
(TUI, plain runner, ``workshop show``) and the engine share one picture of the content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop.errors import WorkshopError

if TYPE_CHECKING:
    from workshop.content.quiz import Question


def shown_path(path: Path) -> str:
    """``path`` for a message: relative to the current folder when it lies inside it, as
    compilers and linters print it (the loader keeps every path absolute)."""
    try:
        here = Path.cwd()
    except OSError:
        return str(path)
    if not path.is_absolute() or here == Path(here.anchor) or not path.is_relative_to(here):
        return str(path)
    return str(path.relative_to(here))


class ContentError(WorkshopError):
    """A problem in workshop content, located at ``file:line`` when known."""

    def __init__(
        self,
        message: str,
        file: Path | str | None = None,
        line: int | None = None,
        *,
        warning: bool = False,
        variable: str | None = None,
    ):
        self.message = message
        self.file = Path(file) if file is not None else None
        self.line = line
        self.warning = warning
        """A warning does not stop the content from loading (lint shows it, exits 0)."""
        self.variable = variable
        """The template variable an "unresolved variable" problem is about."""
        super().__init__(self.location() + ("warning: " if warning else "") + message)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its parts (a cached workshop keeps its problems): the message is made
        again where it is read, its path relative to that process's folder."""
        return (_content_error, (self.message, self.file, self.line, self.warning, self.variable))

    def location(self) -> str:
        """``file:line: `` (or ``file: ``, or nothing) for the front of a message."""
        if self.file is None:
            return ""
        shown = shown_path(self.file)
        if self.line is None:
            return f"{shown}: "
        return f"{shown}:{self.line}: "


@dataclass
class Source:
    """Where something was written: a file and a 1-based line."""

    file: Path
    line: int | None = None

    def __str__(self) -> str:
        shown = shown_path(self.file)
        return f"{shown}:{self.line}" if self.line else shown


@dataclass
class CheckSpec:
    """One check of a step: a built-in (``kind`` names it) or an executable script."""

    kind: str
    """``script``, ``verify_sh``, ``exit_code``, ``output_matches``, ``output_similar``,
    ``command`` or ``http``."""
    params: dict[str, Any] = field(default_factory=dict)
    timeout: float = 10.0
    retries: int = 0
    interval: float = 1.0
    message: str | None = None
    """The reason shown to the learner when the check fails (built-ins have their own)."""
    source: Source | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, **self.params}
        if self.message:
            data["message"] = self.message
        return data


@dataclass
class Action:
    """A lifecycle piece of a lesson or step (``setup``, ``solve``, ``cleanup``): shell
    commands, or a script with arguments, as workshop.yaml wrote them."""

    commands: str | None = None
    script: str | None = None
    """The script's path as written (not yet resolved)."""
    args: list[str] = field(default_factory=list)
    source: Source | None = None


@dataclass
class Hint:
    """A hint: shown in turn after failed checks, or at once when its pattern matches output."""

    text: str
    when_output: str | None = None
    source: Source | None = None


@dataclass
class Step:
    """One thing the learner does: run a command (or a few), or open a URL, or read."""

    id: str
    title: str
    text: str
    """Markdown prose that leads up to the step (templates not yet resolved)."""
    commands: list[str] = field(default_factory=list)
    expected_output: str | None = None
    checks: list[CheckSpec] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)
    solution: str | None = None
    test_commands: list[str] | None = None
    """What ``workshop test`` runs instead of ``commands`` (for interactive or endless ones)."""
    kind: str = "command"
    """``command`` (fenced commands), ``url`` (open a URL), ``read`` (acknowledge), ``quiz``
    (answer :attr:`question`)."""
    url: str | None = None
    source: Source | None = None
    """Where the step's block (or URL paragraph) starts."""
    text_line: int | None = None
    """The line where the step's prose starts."""
    id_explicit: bool = False
    setup: Action | None = None
    solve: Action | None = None
    cleanup: Action | None = None
    question: Question | None = None
    """What a ``quiz`` step asks (see :mod:`workshop.content.quiz`)."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "commands": list(self.commands),
            "expected_output": self.expected_output,
            "url": self.url,
            "checks": [c.to_json() for c in self.checks],
            "hints": [h.text for h in self.hints],
        }
        if self.question is not None:
            data["question"] = self.question.to_json()
        return data


@dataclass
class Lesson:
    """A page of the workshop: its steps in order, and the state the mock starts it from."""

    id: str
    title: str
    file: Path
    steps: list[Step] = field(default_factory=list)
    intro: str = ""
    start: dict[str, Any] | None = None
    """The mock foundation this lesson starts from (see ``workshop.mock``)."""
    settings: dict[str, Any] = field(default_factory=dict)
    setup: Action | None = None
    solve: Action | None = None
    cleanup: Action | None = None
    answers: dict[str, str] = field(default_factory=dict)
    """Answers to interactive prompts: a regular expression of the prompt → the answer."""

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "steps": [s.to_json() for s in self.steps]}


@dataclass
class Workshop:
    """A whole workshop: a folder with ``workshop.yaml`` (or classic ``NN_Title.md`` pages)."""

    id: str
    title: str
    root: Path
    description: str = ""
    lessons: list[Lesson] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    checks_dir: Path | None = None
    mock: dict[str, Any] = field(default_factory=dict)
    """Workshop-wide mock settings (``api``, ``api_version``, ``domain``, ``variables``,
    ``tools``: the programs the mock provides)."""
    answers: dict[str, str] = field(default_factory=dict)
    """Answers to interactive prompts for every lesson (a lesson's own win)."""
    prerequisites: list[CheckSpec] = field(default_factory=list)
    """Checks that must pass before the first lesson starts (a classic unit's
    ``Prerequisites.sh``, or ``prerequisites:`` in workshop.yaml)."""
    recorded: tuple[str, ...] = ()
    """Programs answered in mock mode from the recordings in ``recordings/``."""
    problems: list[ContentError] = field(default_factory=list)
    classic: bool = False
    """Loaded without a workshop.yaml (the original platform's layout, or one page): an
    unset variable renders empty, as the platform's shell did, and is only a warning."""
    """Problems found while loading that do not stop loading (reported by lint)."""

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        known = ", ".join(lesson.id for lesson in self.lessons)
        from workshop.errors import UsageError

        raise UsageError(f"no lesson '{lesson_id}' in {self.root} (lessons: {known})")

    def lesson_after(self, lesson_id: str) -> Lesson | None:
        """The lesson that follows ``lesson_id`` (None after the last one)."""
        ids = [lesson.id for lesson in self.lessons]
        index = ids.index(lesson_id) + 1
        return self.lessons[index] if index < len(ids) else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "variables": dict(self.variables),
            "lessons": [lesson.to_json() for lesson in self.lessons],
        }


def _content_error(
    message: str, file: Path | None, line: int | None, warning: bool, variable: str | None
) -> ContentError:
    """A :class:`ContentError` read back from a pickle (see ``ContentError.__reduce__``)."""
    return ContentError(message, file, line, warning=warning, variable=variable)
