"""Workshop content: the Workshop → Lesson → Step model and the loaders that build it.

Everything that goes wrong while reading content is a :class:`ContentError` carrying the
file and line, so front ends can print ``file:line: message``.

``load_workshop`` is imported on first use: the model alone (what a cached workshop needs,
see :mod:`workshop.content.cache`) then costs no parser's import.
"""

from typing import TYPE_CHECKING

from workshop.content.model import CheckSpec, ContentError, Hint, Lesson, Step, Workshop

if TYPE_CHECKING:
    from workshop.content.loader import load_workshop

__all__ = ["CheckSpec", "ContentError", "Hint", "Lesson", "Step", "Workshop", "load_workshop"]


def __getattr__(name: str) -> object:
    if name == "load_workshop":
        from workshop.content.loader import load_workshop

        return load_workshop
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
