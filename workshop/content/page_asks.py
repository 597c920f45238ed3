"""What a classic page asks the learner to do that none of its own commands does.

Why: ``workshop test`` carries a page out by running its blocks' commands. A page that tells
the learner to run a command it only names in the prose ("target your org and space using
`cf target`") or to change a file in an editor ("edit `manifest.yml` and change the name")
cannot be carried out that way: its verify script fails after the page's commands ran, and
that is the content's fault, not the runner's. Lint says so at the paragraph's line, and
``workshop test`` names the same line when such a page fails. The platform's own remedy was
a page script (``NN_Title.preexec.sh``): a page that has one is taken at its word.

It reads the page's paragraphs outside quotes (a ``> **Tip:**`` is an aside, not a task).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark")

ASKING = re.compile(
    r"\b(?:you should|you need to|you must|you have to)\b|^(?:now|then|next|finally),|"
    r"^(?:use|run|type|execute|bind|create|target|log ?in|push|delete)\b",
    re.IGNORECASE,
)
"""A sentence that asks the learner to do something (what the sentence after it names)."""
ASIDE = re.compile(r"\bif\b|\bthan\b|\bto (?:see|view|list|check|show)\b", re.IGNORECASE)
"""A sentence that only mentions a command: a condition, a comparison, a look at state."""
SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n")
EDITING = re.compile(
    r"\b(?:re-?)?edit(?:or)?\b|\bmodify the `|\bopen the file and change\b", re.IGNORECASE
)
"""Words of a paragraph that asks for a change in an editor."""
FILE = re.compile(r"^[\w.-]*[\w-]\.[A-Za-z]{1,5}$|^[\w.-]+/[\w./-]+$")
"""An inline code span that names a file (``manifest.yml``, ``jobs/app/spec``)."""


@dataclass(frozen=True)
class Ask:
    """A paragraph's request that the page's commands do not carry out."""

    line: int
    """The paragraph's first line on the page (1-based)."""
    kind: str
    """``command`` (a command named only in the prose), ``edit`` (a change in an editor) or
    ``placeholder`` (a word of a command the learner replaces: ``{project-name}``)."""
    what: str
    """The command, or the file to edit."""

    def message(self) -> str:
        """What lint and ``workshop test`` say about it."""
        if self.kind == "placeholder":
            return (
                f"a command holds the placeholder `{self.what}` for the learner to fill in"
                " (`workshop test` runs it as written)"
            )
        if self.kind == "command":
            return (
                f"the page asks the learner to run `{self.what}`, but none of its blocks runs it"
                " (`workshop test` cannot carry the page out: give the command a block)"
            )
        target = "a file" if self.what == "the file" else f"`{self.what}`"
        return (
            f"the page asks for an edit of {target} in an editor, which none of its"
            " commands makes (`workshop test` cannot carry the page out: add a block that"
            " makes it, or a NN_Title.preexec.sh beside the page)"
        )


def unmet_asks(text: str, commands: Collection[str], scripted: bool) -> list[Ask]:
    """The requests of the page ``text`` that none of ``commands`` (its blocks' commands)
    carries out; none when the page has a page script (``scripted``), which does them."""
    if scripted:
        return []
    programs = {c.split()[0] for c in commands if c.split()}
    given = [" ".join(c.split()[:2]) for c in commands]
    asks: list[Ask] = []
    quoted = 0
    for token in _md.parse(text):
        if token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif token.type == "inline" and not quoted and token.map is not None:
            prose = token.content
            line = token.map[0] + 1
            asked = False
            for sentence in SENTENCE.split(prose.strip()):
                asking = ASKING.search(sentence) is not None
                if (asking or asked) and not ASIDE.search(sentence):
                    for named in _named_commands(sentence, programs):
                        if named not in given and Ask(line, "command", named) not in asks:
                            asks.append(Ask(line, "command", named))
                asked = asking
                if EDITING.search(sentence):
                    edited = [c for c in CODE.findall(sentence) if FILE.match(c.strip())]
                    edited = edited or (["the file"] if "the file" in sentence.lower() else [])
                    if edited and not any(_writes(c, edited[0].strip()) for c in commands):
                        asks.append(Ask(line, "edit", edited[0].strip()))
    return asks


CODE = re.compile(r"`([^`]+)`")


def _named_commands(sentence: str, programs: Collection[str]) -> list[str]:
    """The ``program sub-command`` pairs a sentence names in code spans, for the programs
    the page runs."""
    named = []
    for code in CODE.findall(sentence):
        words = code.split()
        if len(words) >= 2 and words[0] in programs and re.fullmatch(r"[a-z][a-z-]*", words[1]):
            named.append(" ".join(words[:2]))
    return named


WRITING = re.compile(r">|\b(?:sed|tee|cp|mv|patch|git\s+(?:checkout|apply))\b")
"""What in a command line writes a file it names."""


def _writes(command: str, file: str) -> bool:
    """Whether ``command`` names ``file`` and writes something (a redirection, sed …)."""
    return file in command and WRITING.search(command) is not None


PLACEHOLDER = re.compile(
    r"(?<![$\w{])\{[A-Za-z][\w.-]*\}(?!\})"  # {project-name}, not ${VAR} nor {{ … }}
    r"|(?<![<\w])<[A-Za-z][\w -]*>(?!>)"  # <number>, not <<EOF
    r"|(?<![$\w{])\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:YOUR|URL)\b(?!=)"  # …_TO_YOUR…
    r"|(?<![$\w{])\b(?:YOUR|URL)(?:_[A-Z0-9]+)+\b(?!=)"  # URL_TO_YOUR_REPO
)
"""A word of a command that stands for what the learner fills in."""


def placeholders(command: str) -> list[str]:
    """The placeholders of ``command`` (``{project-name}``, ``<number>``,
    ``URL_TO_YOUR_REPO``), first first; none in a here-document's body."""
    first = command.split("\n", 1)[0]
    found: list[str] = []
    for match in PLACEHOLDER.finditer(first):
        if match.group(0) not in found:
            found.append(match.group(0))
    return found
