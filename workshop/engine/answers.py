"""Answering the prompts a solve or a setup meets (``answers:`` in workshop.yaml).

A lifecycle piece may run a program that asks (``cf login``: ``Email>``, ``Password>``;
``read -p``). While such a piece runs, :class:`PromptAnswerer` watches what the terminal
prints: when the last line is unfinished, matches one of the patterns and has been quiet
for a moment (a program waiting for an answer), it types that answer and Enter. Lessons'
``answers:`` come first, then the workshop's; with the cf mock, its own ``Email>`` and
``Password>`` are answered from ``CF_USER`` and ``CF_PASSWORD``, and its ``Really delete
…?>``, ``Are you sure you want to scale …?>`` and ``Do you want to install the plugin …?``
with yes (a page that runs ``cf delete-org ORG`` or ``cf scale APP -m 512M`` means it),
unless the workshop says otherwise.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping

from workshop.content.model import Lesson, Workshop
from workshop.shell.ansi import strip_ansi

QUIET = 0.3
"""Seconds an unfinished line must stay as it is before it counts as a question."""


def answers_for(
    workshop: Workshop, lesson: Lesson, values: Mapping[str, str], cf_mocked: bool
) -> dict[str, str]:
    """Prompt pattern → answer for ``lesson``: its own, then the workshop's, then the cf
    mock's login prompts (from ``CF_USER``/``CF_PASSWORD``) and its delete and scale
    confirmations (yes) when cf is mocked."""
    found: dict[str, str] = {}
    if cf_mocked:
        found[r"Email>\s*$"] = values.get("CF_USER", "user_name")
        found[r"Password>\s*$"] = values.get("CF_PASSWORD", "password")
        found[r"Really delete .*\?>\s*$"] = "y"
        found[r"Are you sure you want to scale .*\?>\s*$"] = "y"
        found[r"Do you want to install the plugin .*\? \(y or n\)>\s*$"] = "y"
        found.update(_cups_answers(lesson))
    found.update(workshop.answers)
    found.update(lesson.answers)
    return found


class PromptAnswerer:
    """Types the answer to a prompt the terminal shows, while it is active."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        self._lock = threading.Lock()
        self._answers: list[tuple[re.Pattern[str], str]] = []
        self._tail = ""
        self._changed = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def feed(self, text: str) -> None:
        """What the terminal printed (called from the shell's reader)."""
        with self._lock:
            if not self._answers:
                return
            self._tail = (self._tail + strip_ansi(text)).rsplit("\n", 1)[-1][-200:]
            self._changed = time.monotonic()

    def active(self, answers: Mapping[str, str]) -> _Active:
        """A context in which prompts matching ``answers`` get answered."""
        return _Active(self, answers)

    def _start(self, answers: Mapping[str, str]) -> None:
        with self._lock:
            self._answers = [(re.compile(p), a) for p, a in answers.items()]
            self._tail = ""
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="answers", daemon=True)
        self._thread.start()

    def _end(self) -> None:
        self._stop.set()
        with self._lock:
            self._answers = []
        if self._thread is not None:
            self._thread.join(1.0)

    def _loop(self) -> None:
        while not self._stop.wait(0.05):
            with self._lock:
                tail, quiet = self._tail, time.monotonic() - self._changed
                if not tail.strip() or quiet < QUIET:
                    continue
                answer = next((a for p, a in self._answers if p.search(tail)), None)
                if answer is None:
                    continue
                self._tail = ""
            self._write(answer + "\r")


class _Active:
    def __init__(self, answerer: PromptAnswerer, answers: Mapping[str, str]) -> None:
        self.answerer = answerer
        self.answers = answers

    def __enter__(self) -> PromptAnswerer:
        if self.answers:
            self.answerer._start(self.answers)
        return self.answerer

    def __exit__(self, *exc: object) -> None:
        if self.answers:
            self.answerer._end()


_CUPS = re.compile(
    r"\bcf\s+(?:cups|create-user-provided-service|uups|update-user-provided-service)\s"
)
_PROMPTED = re.compile(r"^\s*([A-Za-z_][\w-]*)>\s*(\S.*?)\s*$")


def _cups_answers(lesson: Lesson) -> dict[str, str]:
    """``cf cups NAME -p "host, port"`` asks a value for each key (``host>``): the value the
    page shows for it in an output block (``host> the-db-host``), else ``KEY-value``."""
    import shlex

    shown: dict[str, str] = {}
    for step in lesson.steps:
        for line in (step.expected_output or "").splitlines():
            match = _PROMPTED.match(line)
            if match:
                shown.setdefault(match.group(1), match.group(2))
    found: dict[str, str] = {}
    for step in lesson.steps:
        for command in step.commands:
            if not _CUPS.search(command):
                continue
            try:
                words = shlex.split(command)
            except ValueError:
                continue
            given = words[words.index("-p") + 1] if "-p" in words[:-1] else ""
            if not given or given.lstrip().startswith("{"):  # JSON: cf asks nothing
                continue
            for key in (k.strip() for k in given.split(",")):
                if key:
                    found[rf"(?:^|\n){re.escape(key)}>\s*$"] = shown.get(key, f"{key}-value")
    return found
