"""The vocabulary of the tools a workshop uses: sub-commands, aliases, flags, argument roles.

Why: feedback ("you typed 'spak', the plan is 'spark'"), attempt counting and command
matching all need to know that ``cf cs`` is ``cf create-service``, that ``-n`` takes a
value, and that ``git`` has sub-commands while ``cd`` has none. That knowledge has one
source per tool: a tool's own command table where it has one (cf: the offline mock's,
``workshop.mock.cf.table``), else what the workshop's lessons use
(:meth:`Vocabulary.from_commands`). Everything here is frozen data; reading a command's
words against it is :meth:`Vocabulary.describe`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Never

from workshop.checking.commandline import parse_line
from workshop.records import Record

if TYPE_CHECKING:
    from workshop.mock.cf.table import CommandTable, FlagRow

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_:-]*")
_PLAIN_PROGRAMS = frozenset(
    {"cd", "ls", "echo", "printf", "cat", "pwd", "export", "unset", "source", ".", "mkdir",
     "rm", "cp", "mv", "touch", "less", "more", "head", "tail", "grep", "clear", "history",
     "man", "which", "type", "sleep", "true", "false", "curl", "wget", "open", "xdg-open"}
)  # fmt: skip
"""Shell built-ins and file tools: their first argument is a path or text, never a
sub-command, however many different ones the lessons give them."""
_NOTHING: Mapping[str, Never] = MappingProxyType({})
"""The default of a record's mapping field: empty, and shared because nobody can change it."""
_POSITIONAL_PHRASES = {"SERVICE_INSTANCE": "instance name", "SPACE": "space name"}
"""How a usage placeholder reads to a learner where its literal words read badly."""


class FlagWord(Record):
    """One flag of a program or sub-command."""

    canonical: str
    """The spelling every other spelling stands for (``--hostname`` for ``-n``)."""
    takes_value: bool | None
    """Whether the next word is its value; None when not known (seen in a lesson only)."""
    role: str | None = None
    """What its value is, for feedback (``hostname``, ``space``); None when not known."""


class SubCommand(Record):
    """One sub-command of a program, as the tool's table describes it."""

    name: str
    aliases: tuple[str, ...] = ()
    flags: Mapping[str, FlagWord] = _NOTHING
    """Every spelling of its flags (``-n``, ``--n``, ``-hostname`` …) → the flag."""
    positional: tuple[str, ...] = ()
    """The roles of its positional arguments in order (``service``, ``plan`` …)."""


class ProgramVocabulary(Record):
    """What is known of one program: its sub-commands (with aliases), flags and roles."""

    program: str
    has_subcommands: bool
    subcommands: Mapping[str, str] = _NOTHING
    """Every word that names a sub-command (names and aliases) → its canonical name."""
    commands: Mapping[str, SubCommand] = _NOTHING
    """Canonical sub-command name → its flags and argument roles (from a tool's table)."""
    flags: Mapping[str, FlagWord] = _NOTHING
    """Flags of the program itself (global options, or all flags seen in lessons)."""
    positional: tuple[str, ...] = ()
    """Argument roles of a program without sub-commands, where known."""

    @classmethod
    def from_table(cls, table: CommandTable) -> ProgramVocabulary:
        """A program's vocabulary from a tool's own command table (plain data)."""
        subcommands: dict[str, str] = {}
        commands: dict[str, SubCommand] = {}
        for row in table["commands"]:
            name = row["name"]
            for word in (name, *row["aliases"]):
                subcommands[word] = name
            commands[name] = SubCommand(
                name,
                tuple(row["aliases"]),
                _flag_spellings(row["flags"]),
                tuple(_POSITIONAL_PHRASES.get(a, _phrase(a)) for a in row["arguments"]),
            )
        return cls(
            table["program"],
            bool(commands),
            subcommands,
            commands,
            _flag_spellings(table["global_flags"]),
        )

    def merged(self, other: ProgramVocabulary) -> ProgramVocabulary:
        """This vocabulary with ``other``'s added; where both know a word, ``other`` wins."""
        return ProgramVocabulary(
            self.program,
            self.has_subcommands or other.has_subcommands,
            {**self.subcommands, **other.subcommands},
            {**self.commands, **other.commands},
            {**self.flags, **other.flags},
            other.positional or self.positional,
        )

    def flag(self, word: str, subcommand: str | None = None) -> FlagWord | None:
        """The flag ``word`` spells (``-n=x`` counts as ``-n``), for ``subcommand`` if given."""
        spelling = word.split("=", 1)[0]
        command = self.commands.get(subcommand) if subcommand else None
        found = command.flags.get(spelling) if command else None
        return found or self.flags.get(spelling)


class CommandWords(Record):
    """A simple command's words read against a vocabulary."""

    words: tuple[str, ...]
    program: str
    """The program's name without its folder ("" for no words)."""
    subcommand: str | None = None
    """The canonical sub-command; the word as typed when the vocabulary does not know it;
    None for a program without sub-commands (or none given)."""
    subcommand_known: bool = False
    """True when ``subcommand`` is one the vocabulary knows (a name or an alias)."""
    canonical: tuple[str, ...] = ()
    """The words with aliases and flag spellings replaced by their canonical forms."""
    roles: tuple[str | None, ...] = ()
    """Each word's role: ``program``, ``cf command``, ``option``, an argument role, or None."""


class Vocabulary(Record):
    """The vocabulary of every program a workshop uses, by program name."""

    programs: Mapping[str, ProgramVocabulary] = _NOTHING

    @classmethod
    def from_commands(cls, lines: Iterable[str]) -> Vocabulary:
        """What the given command lines (a workshop's lessons) show of their programs.

        A program has sub-commands when the lines use it with two or more distinct first
        arguments that look like words (``git clone``, ``git log``), not paths, URLs or
        flags, and it is not a shell built-in or file tool (``cd``, ``curl`` …).
        """
        firsts: dict[str, set[str]] = {}
        flags: dict[str, dict[str, FlagWord]] = {}
        for line in lines:
            for command in parse_line(line).commands:
                if not command.words:
                    continue
                program = command.program
                firsts.setdefault(program, set())
                seen = flags.setdefault(program, {})
                first = command.words[1] if len(command.words) > 1 else ""
                if _WORD.fullmatch(first):
                    firsts[program].add(first)
                for word in command.words[1:]:
                    if word.startswith("-") and len(word) > 1:
                        spelling, has_value = word.split("=", 1)[0], "=" in word
                        known = seen.get(spelling)
                        takes = True if has_value else (known.takes_value if known else None)
                        seen[spelling] = FlagWord(spelling, takes)
        programs = {}
        for program, words in firsts.items():
            has = len(words) >= 2 and program not in _PLAIN_PROGRAMS
            programs[program] = ProgramVocabulary(
                program, has, {w: w for w in words} if has else {}, {}, flags[program]
            )
        return cls(programs)

    def merged(self, *tables: ProgramVocabulary) -> Vocabulary:
        """This vocabulary with each tool's own table merged in (the table wins)."""
        programs = dict(self.programs)
        for table in tables:
            mine = programs.get(table.program)
            programs[table.program] = mine.merged(table) if mine else table
        return Vocabulary(programs)

    def with_known_tools(self) -> Vocabulary:
        """Merged with the own table of every program used here that ships one (cf)."""
        return self.merged(*(KNOWN_TOOLS[p]() for p in self.programs if p in KNOWN_TOOLS))

    def program(self, name: str) -> ProgramVocabulary | None:
        """The vocabulary of program ``name`` (a path is reduced to its last part)."""
        return self.programs.get(os.path.basename(name))

    def describe(self, words: Sequence[str]) -> CommandWords:
        """Read a simple command's words (``words[0]`` is the program): which sub-command,
        the canonical spelling of each word and each word's role. Never raises."""
        if not words:
            return CommandWords((), "")
        program = os.path.basename(words[0])
        vocabulary = self.programs.get(program) or ProgramVocabulary(program, False)
        return _describe(tuple(words), vocabulary)


def default_vocabulary(commands: Iterable[str]) -> Vocabulary:
    """The vocabulary to use when none is given: ``commands``' own, plus known tools' tables."""
    return Vocabulary.from_commands(commands).with_known_tools()


@cache
def cf_vocabulary() -> ProgramVocabulary:
    """cf's vocabulary: the offline mock's command table, converted once."""
    from workshop.mock.cf.table import command_table

    return ProgramVocabulary.from_table(command_table())


KNOWN_TOOLS: Mapping[str, Callable[[], ProgramVocabulary]] = {"cf": cf_vocabulary}
"""Programs whose own command table ships with the workshop runner, and how to get it."""


def looks_like_word(word: str) -> bool:
    """True for a word that could name a sub-command (not a path, URL, flag or template)."""
    return _WORD.fullmatch(word) is not None


def _phrase(name: str) -> str:
    """``SERVICE_INSTANCE`` / ``docker-image`` → ``service instance`` / ``docker image``."""
    return re.sub(r"[_-]+", " ", name).strip().lower()


def _flag_spellings(rows: Iterable[FlagRow]) -> dict[str, FlagWord]:
    """Every spelling of each flag (one or two dashes, long or short name) → the flag."""
    spellings: dict[str, FlagWord] = {}
    for row in rows:
        names = row["names"]
        if not names:
            continue
        long = names[0] if len(names[0]) > 1 else None
        canonical = ("--" if long else "-") + names[0]
        role: str | None = None
        if row["takes_value"]:
            role = _phrase(long or row["value_name"]) or f"value of {canonical}"
        flag = FlagWord(canonical, row["takes_value"], role)
        for name in names:
            spellings["-" + name] = flag
            spellings["--" + name] = flag
    return spellings


def _subcommand_index(words: tuple[str, ...], vocabulary: ProgramVocabulary) -> int | None:
    """Where the sub-command stands, past the program's own options (``git -C dir status``)."""
    i = 1
    maybe_value = False  # the word before was an option of unknown arity
    while i < len(words):
        word = words[i]
        if word.startswith("-") and len(word) > 1:
            flag = vocabulary.flag(word)
            if flag is not None and flag.takes_value and "=" not in word:
                i += 2
                maybe_value = False
                continue
            maybe_value = (flag is None or flag.takes_value is None) and "=" not in word
            i += 1
            continue
        if word in vocabulary.subcommands:
            return i
        following = words[i + 1] if i + 1 < len(words) else ""
        if maybe_value and following in vocabulary.subcommands:
            i += 1
            maybe_value = False
            continue
        return i if looks_like_word(word) else None
    return None


def _describe(words: tuple[str, ...], vocabulary: ProgramVocabulary) -> CommandWords:
    program = vocabulary.program
    roles: list[str | None] = [None] * len(words)
    canonical = list(words)
    roles[0] = "program"
    canonical[0] = program
    index = _subcommand_index(words, vocabulary) if vocabulary.has_subcommands else None
    subcommand: str | None = None
    known = False
    positional = list(vocabulary.positional)
    if index is not None:
        word = words[index]
        known = word in vocabulary.subcommands
        subcommand = vocabulary.subcommands.get(word, word)
        canonical[index] = subcommand
        roles[index] = f"{program} command"
        entry = vocabulary.commands.get(subcommand)
        positional = list(entry.positional) if entry else []
    i = 1
    while i < len(words):
        word = words[i]
        if i == index:
            i += 1
            continue
        if word.startswith("-") and len(word) > 1:
            after = index is not None and i > index
            flag = vocabulary.flag(word, subcommand if after else None)
            roles[i] = "option"
            if flag is not None:
                value = word.split("=", 1)[1] if "=" in word else None
                canonical[i] = flag.canonical + (f"={value}" if value is not None else "")
            takes = flag.takes_value if flag is not None else True  # cf's habit: -x VALUE
            if "=" not in word and i + 1 < len(words) and i + 1 != index and takes:
                roles[i + 1] = flag.role if flag else None
                i += 1
        elif index is None or i > index:
            roles[i] = positional.pop(0) if positional else None
        i += 1
    return CommandWords(words, program, subcommand, known, tuple(canonical), tuple(roles))
