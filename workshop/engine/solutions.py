"""What ``workshop test`` types where a workshop's pages leave it to the learner.

Content that cannot be changed (another team's course, an upstream platform's pages) often
asks for something in prose only: "target your org and space", "edit manifest.yml", "replace
{project-name} with your project's name". A person does it; ``workshop test`` cannot guess it,
so it reports a content problem and every step after it starts from an incomplete state. A
solutions file, given with ``workshop test --solutions FILE``, says what to type instead,
page by page, without touching the content::

    pages:
      "Part 1/02_Your first application.md":   # a page, by the end of its path
        before: [mv a_manifest.yml manifest.yml]  # before the page's first command
        after: [cf target -o your-org -s development]  # after its last command
        replace: {"{project-name}": stock}     # in each of the page's commands
      "Part 1/07_Logs.md":                     # a fault no typing gets past: the page's
        content_problem: its verify script looks for a space `demo`   # failures are its own

A key names a page (or a ``workshop.yaml`` lesson's Markdown file) by the last parts of its
path, each of which may hold ``*`` (``*12 Factor Apps*/01_Objective.md``), so one key may
cover the same page in two copies of a unit. Only the test uses the file:
learners see the pages as written, and the checks (verify scripts) are the content's own.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePath

from workshop.content.model import ContentError, Lesson, Step


@dataclass(frozen=True)
class PageSolution:
    """What to type on one page, besides (or in place of parts of) its own commands."""

    key: str
    """The page as the file names it."""
    line: int
    """Where the file names it."""
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    replace: tuple[tuple[str, str], ...] = ()
    content_problem: str = ""
    """A fault of the page's own that no typing gets past (a verify script that checks a
    name no page makes): a failure of the page's steps is then the content's, said so."""


@dataclass
class Solutions:
    """A solutions file: page solutions by the last parts of the page's path."""

    file: Path
    pages: list[PageSolution] = field(default_factory=list)
    _used: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def for_page(self, page: Path | None) -> PageSolution | None:
        """The solution whose key is the end of ``page``'s path (the longest such key)."""
        if page is None:
            return None
        parts = page.parts
        found = [solution for solution in self.pages if _ends(parts, PurePath(solution.key).parts)]
        if not found:
            return None
        return max(found, key=lambda solution: len(PurePath(solution.key).parts))

    def used(self, solution: PageSolution) -> None:
        """``solution`` did something in this run (it changed a step, or named a fault)."""
        with self._lock:
            self._used.add(solution.key)

    def unused(self) -> list[PageSolution]:
        """The solutions that did nothing in the run: no page matched (a typo, a page since
        renamed), or only pages without commands, where `before:`/`after:` cannot go."""
        with self._lock:
            return [solution for solution in self.pages if solution.key not in self._used]


KEYS = ("before", "after", "replace", "content_problem")
"""What a page's entry may say."""


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean `{close[0]}:`?)" if close else ""


def _ends(parts: tuple[str, ...], key: tuple[str, ...]) -> bool:
    """Whether a path (its ``parts``) ends with a key's parts, each a pattern (``*``, ``?``)."""
    if len(key) > len(parts):
        return False
    return all(
        fnmatchcase(part, pattern) for part, pattern in zip(parts[-len(key) :], key, strict=True)
    )


def solved_step(step: Step, lesson: Lesson, solution: PageSolution, lines: list[str]) -> Step:
    """``step`` of ``lesson`` with the lines ``workshop test`` runs for it (``lines``: what it
    would run without a solutions file) changed as ``solution`` says: replacements in every
    line, ``before`` ahead of the page's first command step, ``after`` behind its last."""
    acting = [s for s in lesson.steps if s.kind not in ("read", "quiz")]
    typing = solution.before or solution.after or solution.replace
    if not acting or not typing or step.solve is not None:
        return step
    changed = list(lines)
    for old, new in solution.replace:
        changed = [line.replace(old, new) for line in changed]
    if step.id == acting[0].id:
        changed = list(solution.before) + changed
    if step.id == acting[-1].id:
        changed += list(solution.after)
    return dataclasses.replace(step, test_commands=changed)


def load_solutions(path: Path) -> Solutions:
    """Read a solutions file; a :class:`ContentError` at its line when it is not one."""
    from workshop.content.lines import LineDict, LineList
    from workshop.content.yamlio import load_yaml

    try:
        data = load_yaml(path)
    except OSError as exc:
        raise ContentError(f"cannot read the solutions file: {exc.strerror or exc}", path) from exc
    if not isinstance(data, LineDict) or "pages" not in data:
        other = next(iter(data), None) if isinstance(data, LineDict) else None
        raise ContentError(
            "a solutions file is a mapping with one key, `pages:` (page: before/after/replace)"
            + (_did_you_mean(str(other), ("pages",)) if other is not None else ""),
            path,
            data.line_of(str(other)) if isinstance(data, LineDict) and other else 1,
        )
    for other in set(data) - {"pages"}:
        raise ContentError(
            f"unknown key `{other}`: a solutions file has only `pages:`", path, data.line_of(other)
        )
    pages = data["pages"]
    if not isinstance(pages, LineDict):
        raise ContentError(
            "`pages:` maps pages to what to type on them", path, data.line_of("pages")
        )
    solutions = Solutions(path)
    for key, spec in pages.items():
        line = pages.line_of(key)
        if not isinstance(key, str) or not PurePath(key).parts:
            raise ContentError(
                "a page is named by the end of its path, such as `Part 1/02_First app.md`",
                path,
                line,
            )
        if not isinstance(spec, LineDict) or not spec:
            raise ContentError(
                f"page {key!r}: give `before:`, `after:` (lists of commands), `replace:`"
                " (text: what to type instead) or `content_problem:` (why it cannot pass)",
                path,
                line,
            )
        for unknown in sorted(set(spec) - set(KEYS)):
            raise ContentError(
                f"page {key!r}: unknown key `{unknown}`{_did_you_mean(str(unknown), KEYS)}"
                f" (a page takes {', '.join(f'`{k}:`' for k in KEYS)})",
                path,
                spec.line_of(unknown),
            )
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("before", "after"):
            value = spec.get(name, [])
            if not isinstance(value, LineList) and value != []:
                raise ContentError(
                    f"page {key!r}: `{name}:` is a list of commands", path, spec.line_of(name)
                )
            if not all(isinstance(item, str) and item.strip() for item in value):
                raise ContentError(
                    f"page {key!r}: each command of `{name}:` is a non-empty string",
                    path,
                    spec.line_of(name),
                )
            lists[name] = tuple(value)
        replace = spec.get("replace", {})
        if not isinstance(replace, dict) or not all(
            isinstance(old, str) and old and isinstance(new, (str, int, float))
            for old, new in replace.items()
        ):
            raise ContentError(
                f"page {key!r}: `replace:` maps the text a page's commands hold to what to type"
                " instead",
                path,
                spec.line_of("replace"),
            )
        problem = spec.get("content_problem", "")
        if not isinstance(problem, str):
            raise ContentError(
                f"page {key!r}: `content_problem:` says in words why the page cannot pass",
                path,
                spec.line_of("content_problem"),
            )
        solutions.pages.append(
            PageSolution(
                key=str(key),
                line=line,
                before=lists["before"],
                after=lists["after"],
                replace=tuple((old, str(new)) for old, new in replace.items()),
                content_problem=problem.strip(),
            )
        )
    return solutions
