"""What ``workshop lint`` says about a workshop's recordings (``recordings/*.yaml``).

A recording that cannot be read is a problem (the replay of its program would fail); a line
that still looks like a secret (a token, ``password: …``) is a warning: recordings are
committed with the workshop, and redaction while recording catches only what it knows.
A ``recorded:`` program with no recording at all is a warning too, and so is a recording of a
lesson the workshop no longer has.
"""

from __future__ import annotations

from pathlib import Path

from workshop.content.model import ContentError, Workshop
from workshop.content.recordings import FOLDER
from workshop.mock import cassette
from workshop.mock.redact import suspicious_lines


def recording_problems(workshop: Workshop) -> list[ContentError]:
    """Problems and warnings of the recordings of ``workshop``."""
    problems: list[ContentError] = []
    files = cassette.cassette_files(workshop.root / FOLDER)
    programs: set[str] = set()
    lessons = {lesson.id for lesson in workshop.lessons}
    for file in files:
        try:
            entries = cassette.parse(file)
        except cassette.CassetteError as exc:
            message = str(exc).removeprefix(f"{file}: ")
            problems.append(ContentError(message, file, _entry_line(file, message)))
            continue
        programs.update(Path(e["argv"][0]).name for e in entries)
        recorded_in = {str(e["at"]["lesson"]) for e in entries if e.get("at", {}).get("lesson")}
        strays = sorted(recorded_in - lessons)
        if strays:
            problems.append(
                ContentError(
                    f"recorded in lesson '{strays[0]}', which the workshop does not have "
                    "(renamed? record it again, or delete the file)",
                    file,
                    warning=True,
                )
            )
        text = file.read_text(encoding="utf-8", errors="replace")
        for line, what in suspicious_lines(text):
            problems.append(
                ContentError(
                    f"this looks like a secret ({what}): replace it with <redacted>",
                    file,
                    line,
                    warning=True,
                )
            )
    for program in workshop.recorded:
        if program not in programs:
            problems.append(
                ContentError(
                    f"'{program}' is in recorded: but has no recording yet "
                    "(make them with `workshop record PATH`)",
                    workshop.root / "workshop.yaml",
                    warning=True,
                )
            )
    return problems


def _entry_line(file: Path, message: str) -> int | None:
    """The line where the entry a message names (``entry N: …``) begins: the N-th item of
    the top-level list."""
    import re

    found = re.match(r"entry (\d+):", message)
    if found is None:
        return None
    wanted = int(found.group(1))
    items = 0
    for number, line in enumerate(
        file.read_text(encoding="utf-8", errors="replace").splitlines(), 1
    ):
        if line.startswith("-"):
            items += 1
            if items == wanted:
                return number
    return None
