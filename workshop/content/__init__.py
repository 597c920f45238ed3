"""Workshop content: the Workshop → Lesson → Step model and the loaders that build it.

Everything that goes wrong while reading content is a :class:`ContentError` carrying the
file and line, so front ends can print ``file:line: message``.
"""

from workshop.content.loader import load_workshop
from workshop.content.model import CheckSpec, ContentError, Hint, Lesson, Step, Workshop

__all__ = ["CheckSpec", "ContentError", "Hint", "Lesson", "Step", "Workshop", "load_workshop"]
