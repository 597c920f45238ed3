"""Blocks that are a file's content or a script, not lines to type one by one.

Why: a page often shows what a file must hold ("Create the `Procfile` file with the
following content:", "Edit the following file `jobs/router/spec` and add the following
content to it") or a whole script (a block that starts with ``#!/bin/bash`` and ``set
-e``). Typed line by line into the learner's shell, such a block does harm: ``set -e`` or
``exit 0`` end the shell, and a YAML file's lines are not commands at all. So:

- a block right after a paragraph that asks to put "the following content" in a file it
  names is that file's content: its step's command writes the file (``cat > FILE <<'EOF'``,
  or ``>>`` when the paragraph asks to add or append; ``mkdir -p`` of its folder first),
  which the learner can run as it is;
- a shell block that starts with a shebang is a script: the learner's lines stay what
  they are, and ``workshop test`` (or a skip) runs it whole with its interpreter, so that
  its ``set -e`` ends the script, not the shell.
"""

from __future__ import annotations

import re
import shlex

__all__ = ["file_target", "script_command", "write_command"]

ASKS_CONTENT = re.compile(
    r"\bfollowing (?:content|contents|lines|text|code)\b|\bwith this content\b", re.IGNORECASE
)
"""A paragraph that introduces what a file must hold."""
ADDING = re.compile(r"\b(?:add|append)\b", re.IGNORECASE)
CREATING = re.compile(r"\b(?:create|replace|overwrite)\b", re.IGNORECASE)
CODE = re.compile(r"`([^`\n]+)`(\s+file\b)?")
PATH = re.compile(r"^(?:~/)?[\w.-]+(?:/[\w.-]+)*$")
SHELLS = {"sh", "bash", "zsh", "ksh", "dash"}


def file_target(paragraph: str) -> tuple[str, bool] | None:
    """The file a paragraph asks to fill with the block after it, and whether the block is
    added to it (``add``, ``append``) rather than written (None: the paragraph asks for no
    such thing)."""
    if not ASKS_CONTENT.search(paragraph):
        return None
    for match in CODE.finditer(paragraph):
        name = match.group(1).strip()
        named_as_file = match.group(2) is not None
        if PATH.match(name) and ("." in name or "/" in name or named_as_file):
            adding = ADDING.search(paragraph) is not None and not CREATING.search(paragraph)
            return name, adding
    return None


def _delimiter(content: str) -> str:
    """A here-document word that no line of ``content`` is."""
    lines = set(content.splitlines())
    word = "EOF"
    while word in lines:
        word = f"{word}_"
    return word


def _quoted_path(path: str) -> str:
    """``path`` quoted for the shell, a leading ``~/`` left for it to expand."""
    if path.startswith("~/"):
        return "~/" + shlex.quote(path[2:])
    return shlex.quote(path)


def write_command(path: str, content: str, adding: bool) -> str:
    """The command that puts ``content`` in ``path`` (appends to it when ``adding``), its
    folder made first when the path names one (a file is created where the page says)."""
    body = content.rstrip("\n")
    word = _delimiter(body)
    redirect = ">>" if adding else ">"
    folder = path.rsplit("/", 1)[0] if "/" in path.strip("/") else ""
    make = f"mkdir -p {_quoted_path(folder)} && " if folder and folder != "~" else ""
    return f"{make}cat {redirect} {_quoted_path(path)} <<'{word}'\n{body}\n{word}"


def script_command(content: str) -> str | None:
    """The command that runs a shell script block whole with its interpreter, when the block
    starts with a shebang naming a shell (None for any other block)."""
    first = content.lstrip("\n").split("\n", 1)[0].strip()
    if not first.startswith("#!"):
        return None
    words = first[2:].split()
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    if program == "env" and len(words) > 1:
        program = words[1]
    if program not in SHELLS:
        return None
    body = content.strip("\n")
    word = _delimiter(body)
    return f"{program} <<'{word}'\n{body}\n{word}"
