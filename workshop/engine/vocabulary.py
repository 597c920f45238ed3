"""The vocabulary of a workshop's tools, for feedback and attempt counting.

Why: the checker must know each tool's sub-commands, aliases and flags, and that knowledge
has one source per tool: what the workshop's lessons use, and for cf the offline mock's
own command table. The engine builds it once per workshop and hands it to
``workshop.checking`` (``closest_near_miss``, ``is_attempt``, ``matching_command``).
"""

from __future__ import annotations

from workshop.checking.vocabulary import Vocabulary, cf_vocabulary
from workshop.content.model import Workshop


def vocabulary_for(workshop: Workshop) -> Vocabulary:
    """The commands of every lesson's steps (and their test commands), plus cf's table
    when the lessons use ``cf``."""
    lines = [
        command
        for lesson in workshop.lessons
        for step in lesson.steps
        for command in (*step.commands, *(step.test_commands or ()))
    ]
    vocabulary = Vocabulary.from_commands(lines)
    if "cf" in vocabulary.programs:
        vocabulary = vocabulary.merged(cf_vocabulary())
    return vocabulary
