"""Steps from a lesson's plain Markdown, read from markdown-it-py's token stream.

The rules, in the order a reader meets them:

- YAML front matter (``---`` … ``---`` on the first lines) holds the lesson's ``title``,
  ``id``, ``duration`` and any other setting; it is never shown (:mod:`.frontmatter`).
- The first heading is the lesson's title.
- A fenced block holding commands is a step; all its commands make one step. In ``sh``,
  ``bash``, ``shell`` and ``zsh`` fences with no ``$ `` line, every line is a command; in
  any fence (or an unlabelled one) where commands carry ``$ ``, only those lines are
  commands and the rest is the expected output. A line ending in ``\\`` continues, a quote
  left open continues the command on the next lines (``$ PG_SERVICES='[{`` … ``}]'``), and
  the body of a here-document belongs to its command.
- A block after a paragraph such as "You should see …" / "Expected output", or after an
  ``<!-- expected -->`` comment, is the expected output of the step before it; so is a
  block that runs the step before it again (the same ``$`` lines) followed by output, after
  such a paragraph or unlabelled: a transcript of that step. After such a paragraph, a
  transcript of the same program and sub-command with other arguments illustrates the step
  before it too (it is not a step of its own).
- A paragraph that asks the learner to open, visit or access a URL is a step of its own
  (kind ``url``), whose suggested command is ``curl URL``.
- The prose before a step's block, since the previous step (or the heading above), is the
  step's text. Prose after the last step under a heading, up to the next heading or the
  end of the page, follows up that step and is shown with it, after its own text.
- The fence's info string may carry attributes: ```` ```sh {id=create-space} ````.
- Admonitions (``> [!TIP]``, ``> **Note**``, ``!!! tip``) become a labelled blockquote
  (:mod:`.admonitions`); an unclosed fence and a missing image are problems
  (:mod:`.pagetokens`).
- A page with no step at all is one ``read`` step the learner acknowledges.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from workshop.content import admonitions
from workshop.content.fileblocks import file_target, script_command, write_command
from workshop.content.frontmatter import FrontMatter, split_front_matter
from workshop.content.model import ContentError, Source, Step
from workshop.content.pagetext import BOM
from workshop.content.pagetokens import missing_images, parse_tokens
from workshop.content.templates import TEMPLATE, normalise

SCRIPT_LANGS = {"sh", "bash", "shell", "zsh", "shellscript"}
SESSION_LANGS = {"console", "shell-session", "shellsession", "terminal", "sh-session"}
EXPECT_RE = re.compile(
    r"(you should see|you will see|you'll see|expected output|sample output|should (print|output|look like)|the output (is|looks))",
    re.IGNORECASE,
)
EXPECT_MARKER = re.compile(r"<!--\s*expected(\s+output)?\s*-->", re.IGNORECASE)
OPEN_RE = re.compile(
    r"\b(open|access|visit|browse|navigate to|go to|point your browser|curl)\b(?!-)",
    re.IGNORECASE,
)
"""Words that ask the learner to open a URL (not ``open-source``, ``access-list`` …)."""
URL_RE = re.compile(r"https?://[^\s)<>\]\"'`]+")
EXAMPLE_RE = re.compile(r"\b(?:like|such as|e\.g\.|for example|for instance)[\s`*_(<\[]*$", re.I)
"""The words before a URL that make it an example (``a service URL like http://localhost:5000/``)."""
URL_TRAILING = "?!.,:;*_~"
"""Characters that end a sentence or an emphasis, not a URL written before them (GitHub's
autolinks end the same way): ``**http://host/ping**.`` opens ``http://host/ping``."""
ATTR_RE = re.compile(r"""([A-Za-z_][\w-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s}]+)|#([\w-]+)""")
HEREDOC_RE = re.compile(r"<<(-?)\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NEWLINE = re.compile(r"\r\n?")


@dataclass
class Page:
    """What one Markdown page gives: its title, its steps and problems found on the way."""

    title: str | None
    steps: list[Step]
    problems: list[ContentError] = field(default_factory=list)
    front: FrontMatter | None = None
    """The page's front matter, when it has some."""


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split a fence info string into its language and ``{key=value}`` attributes."""
    info = info.strip()
    lang, _, rest = info.partition(" ")
    if lang.startswith("{"):
        lang, rest = "", info
    if "{" in lang:
        lang, _, more = lang.partition("{")
        rest = "{" + more + " " + rest
    attrs: dict[str, str] = {}
    for m in ATTR_RE.finditer(rest):
        if m.group(3):
            attrs["id"] = m.group(3)
        else:
            attrs[m.group(1)] = m.group(2).strip("\"'")
    return lang.lower(), attrs


def split_block(content: str, lang: str) -> tuple[list[str], str | None]:
    """The commands of a fenced block and the output written under them (or None)."""
    lines = content.splitlines()
    prompted = any(_is_prompt(line) for line in lines)
    every_line = lang in SCRIPT_LANGS
    if not prompted and not every_line:
        return [], None
    commands: list[str] = []
    output: list[str] = []
    pending: str | None = None
    heredoc: tuple[str, bool] | None = None
    quoted: str | None = None
    for raw in lines:
        line = raw.rstrip()
        if heredoc is not None:
            # the body of a here-document belongs to the command that opened it
            commands[-1] += "\n" + raw
            word, dash = heredoc
            if (raw.lstrip("\t") if dash else raw) == word:
                heredoc = None
            continue
        if quoted is not None and not (prompted and _is_prompt(line)):
            commands[-1] += "\n" + raw  # a quote left open: the lines belong to the command
            quoted = _open_quote(raw, quoted)
            continue
        quoted = None  # (a `$ ` line starts a new command, whatever the last one left open)
        if pending is not None:
            cont = line[2:] if line.startswith("> ") else line.strip()
            pending += " " + cont.strip()
            if pending.endswith("\\"):
                pending = pending[:-1].rstrip()
                continue
            commands.append(pending)
            pending = None
            continue
        if _is_prompt(line):
            text = line.lstrip()[1:].strip()
        elif every_line and not prompted:
            text = line.strip()
            if not text or text.startswith("#"):
                continue
        else:  # where commands carry `$ `, a line without it is what they print
            output.append(raw)
            continue
        if text.endswith("\\"):
            pending = text[:-1].rstrip()
            continue
        if text:
            commands.append(text)
            opened = HEREDOC_RE.search(text)
            if opened:
                heredoc = (opened.group(2), bool(opened.group(1)))
            else:
                quoted = _open_quote(text)
    if pending:
        commands.append(pending)
    out = "\n".join(output).strip("\n")
    return commands, (out if out.strip() else None)


def _open_quote(text: str, quote: str | None = None) -> str | None:
    """The quote (``'`` or ``"``) that ``text`` leaves open, as bash reads it, when it starts
    inside ``quote`` (None: every quote is closed, or a comment ends the line)."""
    escaped = False
    previous = " "
    for char in text:
        if escaped:
            escaped = False
        elif quote == "'":
            quote = None if char == "'" else quote
        elif char == "\\":
            escaped = True
        elif quote == '"':
            quote = None if char == '"' else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and previous.isspace():
            return None  # a comment: its quotes are words
        previous = char
    return quote


def _file_block(paragraph: str, content: str, lang: str) -> tuple[str, bool] | None:
    """The file (and whether to add to it) that a block of content is for, when the
    paragraph before it asks so (:mod:`.fileblocks`); never for a block of ``$`` lines."""
    if not paragraph or lang in SESSION_LANGS or any(map(_is_prompt, content.splitlines())):
        return None
    return file_target(paragraph)


def _script_block(content: str, lang: str) -> str | None:
    """The command that runs a shell block with a shebang whole (None for other blocks)."""
    if lang not in SCRIPT_LANGS and lang != "":
        return None
    if any(map(_is_prompt, content.splitlines())):
        return None
    return script_command(content)


def _is_prompt(line: str) -> bool:
    stripped = line.lstrip()
    return stripped == "$" or stripped.startswith("$ ")


def slug(text: str, limit: int = 48) -> str:
    """A stable id from free text: lower case, dashes, templates and quotes dropped."""
    text = TEMPLATE.sub("", text)
    text = re.sub(r"https?://", "", text)
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    if len(text) > limit:
        cut = text[:limit]
        text = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return text or "step"


def step_id_for(commands: list[str]) -> str:
    """The derived id of a command step: the first command, slugged."""
    return slug(commands[0]) if commands else "step"


def url_step_id(url: str) -> str:
    """The derived id of a URL step, from the URL's path (``open-stock-ping``)."""
    path = re.sub(r"^https?://[^/]*", "", url)
    return "open-" + slug(path or url, 40) if slug(path) != "step" else "open-" + slug(url, 40)


def url_title(url: str) -> str:
    """The derived title of a URL step: ``Open /stock/ping`` (the host is in its text)."""
    path = re.sub(r"^https?://[^/]*", "", url)
    return f"Open {path}" if path.strip("/") else f"Open {url}"


def distinct_titles(steps: list[Step]) -> None:
    """Make the titles of one lesson's steps distinct: a repeated one gets ``(2)``, ``(3)``…
    (two steps that read alike in the step list could not be told apart)."""
    seen: dict[str, int] = {}
    for step in steps:
        count = seen.get(step.title, 0) + 1
        seen[step.title] = count
        if count > 1:
            step.title = f"{step.title} ({count})"


def page_lines(text: str, file: Path) -> tuple[list[str], FrontMatter | None]:
    """The lines of a page as the step reader sees them: templates normalised, a BOM
    dropped, front matter blanked, admonitions rewritten; one entry per line of the file."""
    text = NEWLINE.sub("\n", normalise(text).removeprefix(BOM))
    lines = text.split("\n")
    front = split_front_matter(lines, file)
    return admonitions.rewrite("\n".join(lines)).split("\n"), front


def parse_page(text: str, file: Path) -> Page:
    """Read one lesson page into its title and steps (templates normalised)."""
    lines, front = page_lines(text, file)
    try:
        tokens, problems = parse_tokens(lines, file)
    except Exception as exc:  # markdown-it is total on str input; belt and braces
        raise ContentError(f"cannot parse Markdown: {exc}", file) from None
    page = Page(title=None, steps=[], front=front)
    page.problems += front.problems if front else []
    page.problems += problems
    page.problems += missing_images(tokens, lines, file)
    prose_start = 0
    heading: str | None = None
    expect_output = False
    section_has_step = False  # a step was read since the last heading
    paragraph = ""  # the last paragraph since the last block or heading
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        start, end = tok.map if tok.map else (prose_start, prose_start)
        if tok.type == "heading_open":
            content = tokens[i + 1].content.strip() if i + 1 < len(tokens) else ""
            if page.title is None:
                page.title = content
                if not "".join(lines[prose_start:start]).strip():
                    prose_start = end
            else:
                if section_has_step:
                    # prose after the section's last block follows up that block's step
                    _follow_up(page.steps[-1], "\n".join(lines[prose_start:start]))
                    prose_start = start
                heading = content
            section_has_step = False
            expect_output = False
            paragraph = ""
        elif tok.type == "paragraph_open":  # at any depth: numbered steps are list items
            content = tokens[i + 1].content if i + 1 < len(tokens) else ""
            paragraph = content
            if (
                EXPECT_RE.search(content)
                or content.rstrip().endswith(":")
                and "output" in content.lower()
            ):
                expect_output = True
            url = _url_request(content)
            if url:
                body = "\n".join(lines[prose_start:end]).strip()
                step = Step(
                    id=url_step_id(url),
                    title=url_title(url),
                    text=body,
                    commands=[suggested_command(url)],
                    kind="url",
                    url=url,
                    source=Source(file, start + 1),
                    text_line=prose_start + 1,
                )
                page.steps.append(step)
                prose_start = end
                heading = None
                expect_output = False
                section_has_step = True
        elif tok.type == "html_block" and EXPECT_MARKER.search(tok.content):
            expect_output = True
        elif tok.type in ("fence", "code_block"):
            lang, attrs = parse_info(tok.info) if tok.type == "fence" else ("", {})
            commands, output = split_block(tok.content, lang)
            target = None if expect_output else _file_block(paragraph, tok.content, lang)
            named = ""  # a file block's own name: "Write Procfile"
            if target:  # what a file must hold: the step writes it
                commands, output = [write_command(target[0], tok.content, target[1])], None
                named = f"{'Add to' if target[1] else 'Write'} {target[0]}"
            shown = not commands or (  # a shell block of output, under "you should see"
                lang in SCRIPT_LANGS and not any(map(_is_prompt, tok.content.splitlines()))
            )
            if expect_output and shown and page.steps and not target:
                previous = page.steps[-1]
                if previous.expected_output is None:
                    previous.expected_output = tok.content.rstrip("\n")
                prose_start = end
            elif _transcript_of_previous(page.steps, commands, output, lang, attrs, expect_output):
                if page.steps[-1].expected_output is None:  # the step just shown, run
                    page.steps[-1].expected_output = output
                prose_start = end
            elif commands or "id" in attrs:
                body = "\n".join(lines[prose_start:start]).strip()
                step = Step(
                    id=attrs.get("id") or (slug(named) if named else step_id_for(commands)),
                    title=attrs.get("title")
                    or named
                    or (commands[0] if commands else heading or "Step"),
                    text=body,
                    commands=commands,
                    expected_output=output,
                    source=Source(file, start + 1),
                    text_line=prose_start + 1,
                    id_explicit="id" in attrs,
                )
                script = None if target or output else _script_block(tok.content, lang)
                if script:  # a whole script: run whole, so that its `set -e` ends it alone
                    step.test_commands = [script]
                if step.id_explicit and not ID_RE.match(step.id):
                    page.problems.append(
                        ContentError(
                            f"step id '{step.id}' must be lower case letters, digits, '-' or '_'",
                            file,
                            start + 1,
                        )
                    )
                page.steps.append(step)
                prose_start = end
                heading = None
                section_has_step = True
            expect_output = False
            paragraph = ""
        i += 1
    rest = "\n".join(lines[prose_start:]).strip()
    if not page.steps:
        page.steps.append(
            Step(
                id="read",
                title=page.title or "Read",
                text=rest,
                kind="read",
                source=Source(file, 1),
            )
        )
    else:
        _follow_up(page.steps[-1], rest)
    return page


def _transcript_of_previous(
    steps: list[Step],
    commands: list[str],
    output: str | None,
    lang: str,
    attrs: dict[str, str],
    expect_output: bool,
) -> bool:
    """True for a block that shows the step just before it being run (``$ cf create-org
    my-org`` again, then what it prints) after "You will see …" or unlabelled: the
    original platform's pages show a command, then its transcript; that is the step's
    expected output, not a second step that runs it again."""
    if not steps or not output or "id" in attrs or (lang and not expect_output):
        return False
    previous = steps[-1]
    if previous.expected_output is None and commands == previous.commands:
        return True
    # after "Output should be:", a transcript of the same program and sub-command (the page
    # shows `cf delete-service DB -f` failing under its `cf delete-service DB` block) is an
    # illustration of the step before it, not a step of its own
    return expect_output and _same_calls(commands, previous.commands)


def _same_calls(commands: list[str], previous: list[str]) -> bool:
    """Whether two command lists call the same programs with the same first argument."""
    if not commands or len(commands) != len(previous):
        return False
    return all(a.split()[:2] == b.split()[:2] for a, b in zip(commands, previous, strict=True))


def _follow_up(step: Step, prose: str) -> None:
    """Add the prose written after ``step``'s block to the step's text."""
    prose = prose.strip()
    if prose:
        step.text = (step.text + "\n\n" + prose).strip()


def _url_request(paragraph: str) -> str | None:
    """The URL a paragraph asks the learner to open, if it asks."""
    urls = URL_RE.findall(paragraph)
    if len(urls) != 1 or not OPEN_RE.search(paragraph):
        return None
    if EXAMPLE_RE.search(paragraph[: paragraph.index(urls[0])]):  # "a URL like …": an example
        return None
    return urls[0].rstrip(URL_TRAILING)


def suggested_command(url: str) -> str:
    """The command suggested for opening a URL in a terminal."""
    return (
        "curl " + shlex.quote(url)
        if re.search(r"[\s;&|<>()$`]", TEMPLATE.sub("", url))
        else f"curl {url}"
    )
