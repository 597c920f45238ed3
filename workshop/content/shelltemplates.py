"""What lint can tell, without running anything, about the classic layout's shell templates.

A page of the original platform may write ``{{ command }}``; the learner's shell runs it when
the page is shown (``workshop.engine.shell_templates``). Lint does not run it (it may reach
real infrastructure: ``{{bosh status --uuid}}``), but it can tell when its program exists
neither on this machine nor among the workshop's mock tools, or when bash could not even
read it: the learner would then see a failure marker in the text.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Collection, Iterator
from pathlib import Path

from workshop.content import templates
from workshop.content.model import ContentError

SHELL_WORDS = frozenset(
    ". : [ alias bg bind break builtin caller cd command compgen complete compopt continue "
    "declare dirs disown echo enable eval exec exit export false fc fg getopts hash help "
    "history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly "
    "return set shift shopt source suspend test times trap true type typeset ulimit umask "
    "unalias unset wait if then else elif fi case esac for select while until do done in "
    "function time { } ! [[ ]] coproc".split()
)
"""bash's builtins and keywords (``compgen -b -k``): always there."""


def problems(text: str, file: Path, tools: Collection[str]) -> Iterator[ContentError]:
    """A warning for each shell template of ``text`` (a page) whose program the learner's
    shell would not find, or that bash cannot parse; at its line."""
    for command, offset in templates.commands(text):
        program = first_program(command)
        if program is None:
            yield ContentError(
                f"shell template '{{{{{command}}}}}' is not a command bash can read",
                file,
                offset + 1,
                warning=True,
            )
        elif program not in SHELL_WORDS and program not in tools and not shutil.which(program):
            yield ContentError(
                f"shell template '{{{{{command}}}}}' runs `{program}`, which is neither on PATH"
                " nor a mock tool of this workshop (the learner sees a failure marker unless"
                " their shell has it)",
                file,
                offset + 1,
                warning=True,
            )


def first_program(command: str) -> str | None:
    """The program a template's command starts with (after ``VAR=value`` words), or None
    when its quoting is broken."""
    try:
        words = shlex.split(command, comments=False)
    except ValueError:
        return None
    for word in words:
        name, equals, _ = word.partition("=")
        if equals and name.isidentifier():
            continue
        return word
    return None
