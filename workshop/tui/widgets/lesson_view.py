"""The current step: its heading, its text (Markdown, scrolling) and the commands to run.

The heading and the commands are pinned: on a small terminal, or after a long verdict in
the check panel, the text scrolls and the commands stay in sight.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from workshop.content.model import Step


def step_markdown(step: Step) -> str:
    """The Markdown shown for a (rendered) step: its prose and the output to expect.

    The expected output's fence is labelled ``text``: an unlabelled one would make the
    Markdown widget guess its language, loading every Pygments lexer on first use."""
    parts = [step.text.strip(), ""]
    if step.expected_output:
        parts += ["You should see something like:", "", "```text"]
        parts += [step.expected_output.rstrip(), "```"]
    return "\n".join(parts)


def step_heading(number: int, total: int, title: str) -> Text:
    """``Step 2 of 6: title``."""
    return Text.assemble((f"Step {number} of {total}: ", "bold"), (title, "bold"))


def step_commands(step: Step) -> Text:
    """What to run (``$ command`` per line) or which URL to open."""
    if step.kind == "url" and step.url:
        return Text.assemble(("Open ", "dim"), (step.url, "bold"), (f"  (curl {step.url})", "dim"))
    lines = [Text.assemble(("$ ", "dim"), (command, "bold")) for command in step.commands]
    return Text("\n").join(lines)


class LessonView(VerticalScroll, can_focus=True):
    """Scrollable Markdown of the step the learner is on."""

    DEFAULT_CSS = """
    LessonView {
        height: 1fr;
        padding: 0 1;
    }
    LessonView > Markdown {
        margin: 0;
        padding: 0;
    }
    """

    def __init__(self, markdown: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._first = markdown
        self._shown: str | None = markdown or None

    def compose(self) -> ComposeResult:
        """A single Markdown document, replaced on every step (the first one given here)."""
        yield Markdown(id="step-markdown")

    async def on_mount(self) -> None:
        """Mount the first step's text (given to the constructor)."""
        if self._first:
            await self._mount(self._first)

    async def show(self, markdown: str) -> None:
        """Show ``markdown`` from its top; the same text again is left as it is (a redraw
        of the step after a quiet verdict keeps the learner's scroll position, and costs
        no new Markdown rendering)."""
        if markdown == self._shown:
            return
        self._shown = markdown
        await self._mount(markdown)
        self.scroll_home(animate=False)

    async def _mount(self, markdown: str) -> None:
        await self.query_one(Markdown).update(markdown)


class StepHeading(Static):
    """One line above the text: which step of how many, and its name."""

    _shown: Text | None = None

    def show(self, heading: Text) -> None:
        """Show ``heading``; the same again changes nothing (no new layout of the screen)."""
        if heading == self._shown:
            return
        self._shown = heading
        self.update(heading)

    DEFAULT_CSS = """
    StepHeading {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $primary;
    }
    """


class StepCommands(Static):
    """The step's commands (or URL), pinned under its text."""

    DEFAULT_CSS = """
    StepCommands {
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $boost;
    }
    StepCommands.-empty {
        display: none;
    }
    """

    _shown: Text | None = None

    def show(self, step: Step) -> None:
        """Show what ``step`` asks to run (nothing for a reading step); the same again
        changes nothing (no new layout of the screen)."""
        text = step_commands(step)
        if text == self._shown:
            return
        self._shown = text
        self.set_class(not text.plain, "-empty")
        self.update(text)
