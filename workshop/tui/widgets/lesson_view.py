"""The current step's text: Markdown with the workshop's variables already filled in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from workshop.content.model import Step


def step_markdown(step: Step, number: int, total: int, title: str) -> str:
    """The Markdown shown for a (rendered) step: heading, prose, what to run or open."""
    parts = [f"### Step {number} of {total}: {title}", "", step.text.strip(), ""]
    if step.kind == "url" and step.url:
        parts += [f"Open **{step.url}** (in the terminal: `curl {step.url}`).", ""]
    elif step.commands:
        parts += ["Run in the terminal:", "", "```sh"]
        parts += [f"$ {command}" for command in step.commands]
        parts += ["```", ""]
    if step.expected_output:
        parts += ["You should see something like:", "", "```", step.expected_output.rstrip(), "```"]
    return "\n".join(parts)


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

    def compose(self) -> ComposeResult:
        """A single Markdown document, replaced on every step."""
        yield Markdown("", id="step-markdown")

    async def show(self, markdown: str) -> None:
        """Show ``markdown`` from its top."""
        await self.query_one(Markdown).update(markdown)
        self.scroll_home(animate=False)
