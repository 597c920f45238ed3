"""A learner's command line cut into the simple commands bash would run.

Why: deciding whether ``cd stock && mvn -q clean install | tail -3`` is an attempt at a step,
or which of a step's commands it is, needs the programs it runs, not its raw text. This is
a small, forgiving reading of bash's grammar: words and operators (``&&``, ``|``, ``;`` …),
redirections and their targets, here-document bodies, leading ``VAR=x`` assignments,
wrappers (``time``, ``env``, ``sudo`` …) and keywords (``if``, ``do`` …) set apart from the
command proper. It never raises: unbalanced quotes are closed, and failing that the line
is split on blanks.
"""

from __future__ import annotations

import os
import re
import shlex

from workshop.records import Record

_OPERATOR_CHARS = frozenset("();<>|&")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z0-9_.-]+)\1")
_FALLBACK = re.compile(r"&&|\|\||[();<>|&]+|[^\s();<>|&]+")

KEYWORDS = frozenset({"if", "then", "else", "elif", "while", "until", "do", "!", "{", "}"})
"""Words that may stand before a command and are not the command."""
HEADERS = frozenset({"for", "select", "case", "function", "done", "fi", "esac", "in"})
"""Words that start a piece of a line that runs no command of its own (``for i in …``)."""
WRAPPERS = frozenset({"time", "env", "sudo", "nohup", "exec", "nice", "timeout"})
"""Programs that run the command after them (their own options are skipped)."""
_WRAPPER_VALUES = {
    "sudo": frozenset({"-u", "-g", "-C", "-D"}),
    "nice": frozenset({"-n"}),
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
}


class SimpleCommand(Record):
    """One command of a line: what runs, and what stood around it."""

    words: tuple[str, ...]
    """The command proper: ``words[0]`` is the program (empty for a ``for …`` header)."""
    operator: str = ""
    """The operator before it on the line (``&&``, ``|``, ``;`` …; "" for the first)."""
    before: tuple[str, ...] = ()
    """Assignments, keywords and wrappers before the program (``VAR=x``, ``time``, ``do``)."""
    redirects: tuple[str, ...] = ()
    """Redirections, each operator joined to its target (``>/dev/null``)."""

    @property
    def program(self) -> str:
        """The program's name without its folder (``./mvnw`` → ``mvnw``), "" when none."""
        return os.path.basename(self.words[0]) if self.words else ""


class CommandLine(Record):
    """A whole line: its simple commands in order and its here-documents' bodies."""

    commands: tuple[SimpleCommand, ...]
    heredocs: tuple[str, ...] = ()
    repaired: bool = False
    """True when its quotes were unbalanced (bash would wait for more): read as if closed."""

    @property
    def and_list(self) -> bool:
        """True when only ``&&`` joins its commands (each one ran when the line succeeded)."""
        return all(c.operator in ("", "&&") for c in self.commands)


def words(line: str) -> list[str]:
    """Shell words of ``line`` without a leading ``$ `` prompt; blank-split when unbalanced."""
    line = line.strip()
    if line.startswith("$ "):
        line = line[2:]
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def parse_line(line: str) -> CommandLine:
    """The simple commands of ``line`` (several lines, ``\\`` continuations, here-documents)."""
    text, bodies = _cut_heredocs(line.replace("\\\n", " "))
    tokens: list[str] = []
    repaired = False
    for part in text.splitlines():
        part_tokens, closed = _tokens(part)
        repaired = repaired or closed
        if part_tokens[:1] == ["$"]:
            part_tokens = part_tokens[1:]
        if tokens and part_tokens:
            tokens.append(";")
        tokens.extend(part_tokens)
    return CommandLine(tuple(_commands(tokens)), tuple(bodies), repaired)


def _cut_heredocs(text: str) -> tuple[str, list[str]]:
    """``text`` without here-document bodies, and the bodies (each line stripped on the right)."""
    kept: list[str] = []
    bodies: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        kept.append(line)
        i += 1
        for match in _HEREDOC.finditer(line):
            body: list[str] = []
            while i < len(lines) and lines[i].strip() != match.group(2):
                body.append(lines[i].rstrip())
                i += 1
            i += 1  # the delimiter
            bodies.append("\n".join(body))
    return "\n".join(kept), bodies


def _tokens(text: str) -> tuple[list[str], bool]:
    """Words and operators of one physical line, comments dropped, and whether its quotes
    had to be closed; never raises."""
    found: list[str] | None = None
    repaired = False
    for closing in ("", '"', "'"):
        lexer = shlex.shlex(text + closing, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = ""
        try:
            found = list(lexer)
        except ValueError:
            continue
        repaired = closing != ""
        break
    if found is None:
        found, repaired = _FALLBACK.findall(text), True
    for index, token in enumerate(found):
        if token.startswith("#"):
            return found[:index], repaired
    return found, repaired


def _is_operator(token: str) -> bool:
    return bool(token) and all(ch in _OPERATOR_CHARS for ch in token)


def _commands(tokens: list[str]) -> list[SimpleCommand]:
    commands: list[SimpleCommand] = []
    current: list[str] = []
    redirects: list[str] = []
    operator = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if _is_operator(token) and ("<" in token or ">" in token):
            target = tokens[i] if i < len(tokens) and not _is_operator(tokens[i]) else ""
            i += 1 if target else 0
            fd = current.pop() if current and current[-1].isdigit() else ""  # 2>&1
            redirects.append(fd + token + target)
        elif _is_operator(token):
            if current or redirects:
                commands.append(_simple(current, operator, redirects))
            current, redirects = [], []
            operator = operator if token in ("(", "((") else token
        else:
            current.append(token)
    if current or redirects:
        commands.append(_simple(current, operator, redirects))
    return commands


def _simple(tokens: list[str], operator: str, redirects: list[str]) -> SimpleCommand:
    """Split a command's words into what stands before the program and the command proper."""
    if tokens and tokens[0] in HEADERS:
        return SimpleCommand((), operator, tuple(tokens), tuple(redirects))
    i = 0
    while i < len(tokens):
        word = tokens[i]
        if word in KEYWORDS or _ASSIGNMENT.match(word):
            i += 1
        elif os.path.basename(word) in WRAPPERS and i + 1 < len(tokens):
            wrapper = os.path.basename(word)
            i += 1
            while i < len(tokens) and (
                tokens[i].startswith("-") or (wrapper == "env" and _ASSIGNMENT.match(tokens[i]))
            ):
                takes = tokens[i] in _WRAPPER_VALUES.get(wrapper, frozenset())
                i += 2 if takes else 1
            if wrapper == "timeout" and i + 1 < len(tokens):
                i += 1  # its duration
        else:
            break
    return SimpleCommand(tuple(tokens[i:]), operator, tuple(tokens[:i]), tuple(redirects))
