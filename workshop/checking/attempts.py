"""Which of a learner's commands belong to a step: attempts, and which step command ran.

Why: a learner runs ``clear``, ``ls`` and ``cd`` between tries; counting those as failed
attempts reports retries nobody made and reveals the solution too early. Only a command
that belongs to the step is an attempt: the same program and the same sub-command (or an
alias of it, or a mistyping of it) as one of the step's commands; for a program without
sub-commands, the same program. ``matching_command`` says which of a multi-command step's
commands the learner ran, aliases and flag spellings aside.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from workshop.checking.commandline import CommandLine, SimpleCommand, parse_line
from workshop.checking.vocabulary import Vocabulary

GLUE = frozenset({"cd", "echo", "printf", "true", "false", ":", "sleep", "clear"})
"""Programs that only join a step's real work (``cd stock && mvn …``, the ``echo`` in a loop):
running one alone is an attempt only at a step made of nothing else."""
_TYPO_RATIO = 0.8
"""How close an unknown sub-command must be to the step's to count as a mistyping of it."""

_Key = tuple[str, str | None]
_CommandKey = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_LineKey = tuple[tuple[tuple[str, _CommandKey], ...], tuple[str, ...]]


def is_attempt(typed: str, step_commands: Sequence[str], vocabulary: Vocabulary) -> bool:
    """True when a command of ``typed`` (any part of a pipeline or list) belongs to the step.

    It belongs when it runs one of the step's programs with the same sub-command, an alias
    of it, or an unknown word close to it (``cf create-servce``); for a program without
    sub-commands, the same program. ``$ `` prompts, ``VAR=x``, ``time``, redirections and
    the program's own options before the sub-command (``git -C dir status``) do not
    matter. Never raises: a line it cannot read is not an attempt.
    """
    try:
        return _is_attempt(typed, step_commands, vocabulary)
    except Exception:  # a strange line must never break the learner's step
        return False


def _is_attempt(typed: str, step_commands: Sequence[str], vocabulary: Vocabulary) -> bool:
    wanted = _step_keys(step_commands, vocabulary)
    for command in parse_line(typed).commands:
        if not command.words:
            continue
        described = vocabulary.describe(command.words)
        if (described.program, described.subcommand) in wanted:
            return True
        if described.subcommand is not None and not described.subcommand_known:
            for program, subcommand in wanted:
                if program == described.program and subcommand is not None:
                    ratio = difflib.SequenceMatcher(None, described.subcommand, subcommand)
                    if ratio.ratio() >= _TYPO_RATIO:
                        return True
    return False


def _step_keys(step_commands: Sequence[str], vocabulary: Vocabulary) -> set[_Key]:
    """(program, canonical sub-command) of the step's commands; glue only when alone."""
    keys: set[_Key] = set()
    glue: set[_Key] = set()
    for line in step_commands:
        for command in parse_line(line).commands:
            if not command.words:
                continue
            described = vocabulary.describe(command.words)
            key = (described.program, described.subcommand)
            (glue if described.program in GLUE else keys).add(key)
    return keys or glue


def matching_command(
    typed: str,
    commands: Sequence[str],
    vocabulary: Vocabulary,
    env: Mapping[str, str] | None = None,
) -> int | None:
    """The index of the step command the learner ran with ``typed``, else None.

    With ``env`` (the learner shell's environment), ``$VAR`` and ``${VAR}`` that it sets are
    read as their values, as bash ran them: ``cf api https://api.$CF_DOMAIN`` is the step's
    ``cf api https://api.{{echo $CF_DOMAIN}}``.

    The same words after quoting, spacing, a ``$ `` prompt and ``time`` are set aside,
    with aliases and flag spellings made canonical (``cf cs cleardb spark mysql`` is
    ``cf create-service cleardb spark mysql``). In a line of commands joined only by
    ``&&`` (``cd stock && mvn clean install``) each one counts, since the line's exit
    status then speaks for all of them. Never raises.
    """
    try:
        found = _matching_command(typed, commands, vocabulary)
        if found is None and env and "$" in typed:
            found = _matching_command(expand_variables(typed, env), commands, vocabulary)
        return found
    except Exception:  # a strange line is simply not one of the step's commands
        return None


_VARIABLE = re.compile(r"'[^']*'|\\.|\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def expand_variables(line: str, env: Mapping[str, str]) -> str:
    """``line`` with each ``$VAR``/``${VAR}`` that ``env`` sets replaced by its value, outside
    single quotes and escapes (as bash expands them); other text stays as typed."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name is None or name not in env:
            return match.group(0)
        return env[name]

    return _VARIABLE.sub(value, line)


def _matching_command(typed: str, commands: Sequence[str], vocabulary: Vocabulary) -> int | None:
    mine = parse_line(typed)
    if not mine.commands or mine.repaired:
        return None  # unbalanced quotes: bash would not have run it as it stands
    keys = [_line_key(parse_line(command), vocabulary) for command in commands]
    whole = _line_key(mine, vocabulary)
    if whole in keys:
        return keys.index(whole)
    if not mine.and_list or mine.heredocs:
        return None
    for command in mine.commands:
        part: _LineKey = ((("", _command_key(command, vocabulary)),), ())
        if part in keys:
            return keys.index(part)
    return None


def _command_key(command: SimpleCommand, vocabulary: Vocabulary) -> _CommandKey:
    before = tuple(word for word in command.before if word != "time")
    return before, vocabulary.describe(command.words).canonical, command.redirects


def _line_key(line: CommandLine, vocabulary: Vocabulary) -> _LineKey:
    commands = tuple(
        ("" if i == 0 else c.operator, _command_key(c, vocabulary))
        for i, c in enumerate(line.commands)
    )
    return commands, line.heredocs
