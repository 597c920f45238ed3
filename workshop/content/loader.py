"""Load a workshop folder into the content model.

Two layouts are read:

- a folder with ``workshop.yaml`` (title, description, variables, mock settings, lessons in
  order with their per-step checks, hints and starting state) and one Markdown file per
  lesson;
- the classic step-folder layout of the original training platform: ``NN_Title.md`` pages
  ordered by their number, each a lesson, with an optional ``NN_Title.verify.sh`` beside it
  used as that lesson's final check (a page ``NN`` with sub-pages ``NN.1``, ``NN.2``: the
  group's last check). No ``workshop.yaml`` is needed.

A single Markdown file loads as a workshop of one lesson. Problems that do not stop loading
(a duplicate step id, a missing check file, an unresolved variable …) are collected in
``Workshop.problems`` for ``workshop lint``; ``load_workshop(strict=True)`` raises the first.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from workshop.content import (
    checkspec,
    classic_units,
    model,
    page_asks,
    quiz,
    shelltemplates,
    templates,
    validation,
)
from workshop.content.frontmatter import FrontMatter
from workshop.content.lines import LineDict, LineList, line_of
from workshop.content.manifest import Action, LessonEntry, Manifest, StepSettings
from workshop.content.markdown import distinct_titles, parse_page, slug
from workshop.content.model import CheckSpec, ContentError, Hint, Lesson, Source, Step, Workshop
from workshop.content.pagetext import read_page
from workshop.content.yamlio import load_yaml

CLASSIC_PAGE = re.compile(r"^(\d+(?:\.\d+)*)[_\- ](.+)\.md$")
"""``NN_Title.md``, and ``NN.M_Title.md`` for the pages a page is split into (after NN)."""
NUMBERING = re.compile(r"^\s*(?:\d+|[IVXLC]+)[.)]\s+")
CHECK_SUFFIXES = ("", ".sh", ".py", ".bash")


def load_workshop(path: Path | str, strict: bool = True) -> Workshop:
    """Read the workshop at ``path`` (a folder, a ``workshop.yaml`` or one Markdown page).

    Every path of the result is absolute, so a learner's ``cd`` never breaks a script check.
    """
    path = Path(path).absolute()
    if not path.exists():
        raise ContentError("no such file or folder", path)
    if path.is_file() and path.name in ("workshop.yaml", "workshop.yml"):
        path = path.parent
    if not path.is_file() and not path.is_dir():
        raise ContentError("not a workshop folder, workshop.yaml or Markdown file", path)
    if path.is_file():
        workshop = _page_of_workshop(path) or _single_page(path)
    elif (path / "workshop.yaml").is_file() or (path / "workshop.yml").is_file():
        manifest = path / "workshop.yaml"
        if not manifest.is_file():
            manifest = path / "workshop.yml"
        workshop = _from_manifest(path, manifest)
    else:
        workshop = _classic(path)
    _finish(workshop)
    errors = [problem for problem in workshop.problems if not problem.warning]
    if strict and errors:
        raise errors[0]
    return workshop


def _page_of_workshop(file: Path) -> Workshop | None:
    """A lesson file that its folder's ``workshop.yaml`` lists: that workshop, with only
    this lesson (its variables, checks and starting state apply)."""
    manifest = next(
        (m for m in (file.parent / "workshop.yaml", file.parent / "workshop.yml") if m.is_file()),
        None,
    )
    if manifest is None:
        return None
    workshop = _from_manifest(file.parent, manifest)
    lessons = [lesson for lesson in workshop.lessons if lesson.file.resolve() == file.resolve()]
    if not lessons:
        return None
    workshop.lessons = lessons
    return workshop


def _single_page(file: Path) -> Workshop:
    lesson = _lesson_from_page(file, None)
    distinct_titles(lesson.steps)
    workshop = Workshop(
        id=slug(file.stem), title=lesson.title, root=file.parent, lessons=[lesson], classic=True
    )
    workshop.mock = _classic_mock(workshop)
    return workshop


def _classic_mock(workshop: Workshop) -> dict[str, Any]:
    """Content without workshop.yaml is the original Cloud Foundry platform's: a folder whose
    pages, verify scripts or prerequisites run ``cf`` gets the offline cf mock as that
    platform's environment was (its ``admin``/``admin`` account beside the learner's), with
    the mock's ``git`` when its pages clone (the platform's example app), its ``mvn`` and
    ``java`` when they build and run the 12-factor course's app, and package installs
    answered as done when they install (``sudo apt-get install git -y`` must never change
    the machine), on the platform's own foundation (``training``: its p-mysql service, its
    ``default`` quota); others no mock at all."""
    commands = [
        command.split()
        for lesson in workshop.lessons
        for step in lesson.steps
        for command in step.commands
    ]
    runs_cf = any(words[:1] == ["cf"] for words in commands)
    scripts = [
        Path(spec.params["path"])
        for lesson in workshop.lessons
        for step in lesson.steps
        for spec in step.checks
        if spec.kind == "verify_sh"
    ]
    scripts += [Path(spec.params["path"]) for spec in workshop.prerequisites]
    runs_cf = runs_cf or any(_script_runs_cf(script) for script in scripts)
    if not runs_cf:
        return {}
    tools = ["cf"]
    for tool in ("git", "mvn", "java"):  # the course's other tools, simulated offline
        if any(words[:1] == [tool] for words in commands):
            tools.append(tool)
    if any(_installs(words) for words in commands):
        tools.append("apt-get")
    return {"tools": tools, "users": {"admin": "admin"}, "foundation": "training"}


def _installs(words: list[str]) -> bool:
    """``[sudo] apt-get|apt update|install …``: a package install line."""
    if words[:1] == ["sudo"]:
        words = [w for w in words[1:] if not w.startswith("-")]
    return words[:1] in (["apt-get"], ["apt"]) and any(w in ("update", "install") for w in words)


_CF_WORD = re.compile(r"(?:^|[\s'\"`;|&(])cf\s+[a-z]", re.MULTILINE)


def _script_runs_cf(script: Path) -> bool:
    try:
        return _CF_WORD.search(script.read_text(errors="replace")) is not None
    except OSError:
        return False


def _read_text(page: Path) -> str:
    try:
        return page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


_PLAIN_NAME = re.compile(r"[A-Za-z][\w-]{2,}")


def _unmentioned_names(
    lesson: Lesson, verify: Path, unit_text: str, problems: list[ContentError]
) -> None:
    """A verify script line that must find a plain name (``check 'cf spaces' 'demo' true``)
    no page of the unit mentions checks for something the pages never make: a lint
    warning at the line, and a content problem when the page fails (``settings["asks"]``)."""
    import shlex

    for number, line in enumerate(_read_text(verify).splitlines(), start=1):
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        if len(words) < 4 or words[0] != "check" or words[3] != "true":
            continue
        name = words[2]
        if not _PLAIN_NAME.fullmatch(name) or name.lower() in unit_text:
            continue
        message = (
            f"the verify script looks for `{name}`, which no page of the unit mentions"
            " (its pages make something else?)"
        )
        problems.append(ContentError(message, verify, number, warning=True))
        lesson.settings.setdefault("asks", []).append(f"{verify.name}:{number}: {message}")


def _verified_step(numbered: list[tuple[tuple[int, ...], Lesson]], number: tuple[int, ...]) -> Step:
    """The step a page's ``NN_Title.verify.sh`` checks: the page's last step; for a page
    ``04`` followed by its sub-pages ``04.1``, ``04.2``, the last command step of the group
    (the platform's ``04_Scaling`` page introduces the group and its script checks what
    ``04.2`` does)."""
    own = next(lesson for n, lesson in numbered if n == number)
    if len(number) != 1:
        return own.steps[-1]
    group = [lesson for n, lesson in numbered if n[:1] == number and len(n) > 1]
    for lesson in reversed(group):
        for step in reversed(lesson.steps):
            if step.kind == "command":
                return step
    return own.steps[-1]


def _classic(root: Path) -> Workshop:
    pages = []
    try:
        entries = list(root.iterdir())
    except OSError as exc:
        raise ContentError(f"cannot read the folder: {exc.strerror or exc}", root) from None
    for entry in entries:
        match = CLASSIC_PAGE.match(entry.name)
        if match and entry.is_file():
            pages.append((tuple(int(n) for n in match.group(1).split(".")), entry))
    if not pages:
        raise ContentError("no workshop.yaml and no NN_Title.md pages here", root)
    workshop = Workshop(
        id=slug(root.name), title=_title_from_name(root.name), root=root, classic=True
    )
    seen: set[str] = set()
    numbered: list[tuple[tuple[int, ...], Lesson]] = []
    for number, page in sorted(pages):
        lesson = _lesson_from_page(page, None)
        numbered.append((number, lesson))
        distinct_titles(lesson.steps)
        base, n = lesson.id, 2
        while lesson.id in seen:  # two pages with one title: progress needs distinct ids
            lesson.id, n = f"{base}-{n}", n + 1
        seen.add(lesson.id)
        _page_scripts(lesson, page)
        _page_asks(lesson, page)
        workshop.lessons.append(lesson)
    unit_text = "\n".join(_read_text(page) for _, page in pages).lower()
    for number, page in sorted(pages):
        verify = page.with_name(page.name[: -len(".md")] + ".verify.sh")
        if verify.is_file():
            step = _verified_step(numbered, number)
            step.checks.append(
                CheckSpec(
                    kind="verify_sh", params={"path": str(verify.absolute())}, source=Source(verify)
                )
            )
            owner = next(lesson for _, lesson in numbered if step in lesson.steps)
            _unmentioned_names(owner, verify, unit_text, workshop.problems)
    prerequisites = root / "Prerequisites.sh"
    if prerequisites.is_file():
        workshop.prerequisites.append(
            CheckSpec(
                kind="verify_sh", params={"path": str(prerequisites)}, source=Source(prerequisites)
            )
        )
    workshop.mock = _classic_mock(workshop)
    quiz_lesson = _classic_quiz(root / "Quiz.yml", seen, workshop.problems)
    if quiz_lesson is not None:
        workshop.lessons.append(quiz_lesson)
    return workshop


def _page_scripts(lesson: Lesson, page: Path) -> None:
    """The page's ``NN_Title.preexec.sh`` runs before its first step's commands and its
    ``NN_Title.postexec.sh`` after its last step's, where the page is carried out for the
    learner (``workshop test``, a skip): the edits the text asks for, as the platform did."""
    steps = [step for step in lesson.steps if step.kind == "command"]
    for kind in ("preexec", "postexec"):
        script = classic_units.page_script(page, kind)
        if script is None:
            continue
        if not steps:
            lesson.settings.setdefault("problems", []).append(
                ContentError(
                    f"{script.name} has no command of the page to run with (it never runs)",
                    script,
                    1,
                    warning=True,
                )
            )
            continue
        step = steps[0] if kind == "preexec" else steps[-1]
        line = classic_units.script_line(script)
        solve = list(step.test_commands or step.commands)
        step.test_commands = [line, *solve] if kind == "preexec" else [*solve, line]


def _page_asks(lesson: Lesson, page: Path) -> None:
    """What the page asks that its commands do not do, and the placeholders its commands
    hold for the learner to fill in: a lint warning at its line, kept in ``settings["asks"]``
    for ``workshop test`` to name when the page fails (a page with a page script is taken
    at its word: the script does what the text asks)."""
    commands = [c for step in lesson.steps for c in step.commands]
    scripted = any(classic_units.page_script(page, kind) for kind in ("preexec", "postexec"))
    asks = page_asks.unmet_asks(lesson.settings.get("page_text", ""), commands, scripted)
    for step in lesson.steps:  # words the learner replaces: run as written, they fail
        line = step.source.line if step.source and step.source.line else 1
        for command in step.commands:
            asks += [
                page_asks.Ask(line, "placeholder", word)
                for word in page_asks.placeholders(command)
                if page_asks.Ask(line, "placeholder", word) not in asks
            ]
    if not asks:
        return
    lesson.settings["asks"] = [f"{page.name}:{ask.line}: {ask.message()}" for ask in asks]
    problems = lesson.settings.setdefault("problems", [])
    for ask in asks:
        problems.append(ContentError(ask.message(), page, ask.line, warning=True))


def _classic_quiz(file: Path, taken: set[str], problems: list[ContentError]) -> Lesson | None:
    """A unit's ``Quiz.yml`` as a lesson of its own after the pages, a step per question."""
    if not file.is_file():
        return None
    try:
        data = load_yaml(file)
    except ContentError as exc:
        problems.append(exc)
        return None
    if not isinstance(data, dict) or "questions" not in data:
        problems.append(ContentError("Quiz.yml needs 'questions' (a list)", file, line_of(data, 1)))
        return None
    parsed = quiz.read_questions(data["questions"], file, _key_line(data, "questions"))
    problems.extend(parsed.problems)
    if not parsed.questions:
        return None
    lesson_id, n = "quiz", 2
    while lesson_id in taken:
        lesson_id, n = f"quiz-{n}", n + 1
    return Lesson(id=lesson_id, title="Quiz", file=file, steps=quiz.quiz_steps(parsed))


def _title_from_name(name: str) -> str:
    return re.sub(r"[_\-]+", " ", name).strip().title()


def _lesson_from_page(file: Path, lesson_id: str | None, title: str | None = None) -> Lesson:
    """The lesson a page holds. Its title and id are, in this order: what workshop.yaml
    says, the page's front matter, its first heading, its file name."""
    text = read_page(file)
    page = parse_page(text, file)
    front = page.front or FrontMatter()
    match = CLASSIC_PAGE.match(file.name)
    stem = match.group(2) if match else file.stem
    page_title = title or front.title or page.title or _title_from_name(stem)
    if lesson_id is None:
        named = page.title or front.title
        lesson_id = front.id or (slug(NUMBERING.sub("", named)) if named else slug(stem))
    lesson = Lesson(id=lesson_id, title=page_title, file=file, steps=page.steps)
    if page.front is not None:
        lesson.settings["front_matter"] = front.values
        if front.duration is not None:
            lesson.settings["duration"] = front.duration
    lesson.settings["problems"] = page.problems
    _unique_ids(lesson, page.problems)
    lesson.settings["page_text"] = text
    # what the page's blocks hold was scanned with the page; a command that workshop.yaml
    # sets is not among them
    lesson.settings["page_commands"] = {c for step in page.steps for c in step.commands}
    return lesson


# ---------------------------------------------------------------- workshop.yaml


def _from_manifest(root: Path, manifest: Path) -> Workshop:
    data = load_yaml(manifest)
    if data is None:  # an empty file: its problems are at its first line
        data = LineDict()
        data.line = 1
        data.key_lines = {}
    if not isinstance(data, LineDict):
        raise ContentError(
            "workshop.yaml must be a mapping (title:, lessons: …)", manifest, line_of(data, 1)
        )
    written = set(data)  # before conversion drops what it reports
    result = validation.convert(data, manifest)
    problems: list[ContentError] = list(result.problems)
    typed = result.manifest or Manifest()

    def problem(message: str, line: int | None) -> None:
        problems.append(ContentError(message, manifest, line))

    title = typed.title
    if not title.strip() and "title" not in written - set(data):
        problem("workshop.yaml needs a 'title' (text)", _key_line(data, "title"))
        title = _title_from_name(root.name)
    workshop = Workshop(
        id=str(typed.id if typed.id is not None else slug(root.name)),
        title=title,
        root=root,
        description=typed.description.strip(),
        variables={k: _text(v) for k, v in typed.variables.items()},
        mock=dict(data.get("mock") or {}) if result.manifest else {},
        answers=_answers(typed.answers, data, manifest, problems),
        recorded=tuple(dict.fromkeys(typed.recorded)),
    )
    checks_dir = typed.checks_dir
    workshop.checks_dir = (root / checks_dir) if checks_dir else _find_checks_dir(root)
    raw_prerequisites = data.get("prerequisites")
    for index, check in enumerate(typed.prerequisites):
        item = raw_prerequisites[index] if isinstance(raw_prerequisites, list) else None
        where = Source(manifest, _item_line(raw_prerequisites, index))
        try:
            workshop.prerequisites.append(checkspec.build(check, item, root, where))
        except ContentError as exc:
            problems.append(exc)
    if "lessons" not in written:
        problem("workshop.yaml needs 'lessons' (a list of lesson files)", data.line)
    raw_lessons = data.get("lessons") if result.manifest else None
    seen: set[str] = set()
    for index, entry in enumerate(typed.lessons):
        raw = raw_lessons[index] if isinstance(raw_lessons, LineList) else None
        line = raw_lessons.item_lines[index] if isinstance(raw_lessons, LineList) else None
        lesson = _manifest_lesson(root, manifest, entry, raw, line, problems)
        if lesson is None:
            continue
        if lesson.id in seen:
            problem(f"duplicate lesson id '{lesson.id}'", line)
            continue
        seen.add(lesson.id)
        workshop.lessons.append(lesson)
    problems.extend(_stray_check_folders(workshop.checks_dir, seen))
    _scripts_of_checks_dir(workshop)
    workshop.problems.extend(problems)
    return workshop


def _scripts_of_checks_dir(workshop: Workshop) -> None:
    """A relative ``script:`` path that names no file in the workshop folder names one in its
    checks folder: ``script: _lib/target-space.sh`` is ``checks/<workshop>/_lib/...``."""
    if workshop.checks_dir is None:
        return
    root = workshop.root.absolute()
    for lesson in workshop.lessons:
        for step in lesson.steps:
            for spec in step.checks:
                path = Path(spec.params.get("path", ""))
                if spec.kind != "script" or path.exists() or not path.is_relative_to(root):
                    continue
                candidate = workshop.checks_dir.absolute() / path.relative_to(root)
                if candidate.exists():
                    spec.params["path"] = str(candidate)


LIBRARY_PREFIX = "_"
"""A folder of the checks folder whose name starts with this (``_lib``) holds scripts shared
by several steps: YAML checks name them (``script:`` with ``args:``); no lesson's own."""


def _stray_check_folders(checks_dir: Path | None, lesson_ids: set[str]) -> list[ContentError]:
    """Folders of check scripts that name no lesson: their scripts would never run.
    Hidden folders and library folders (``_lib``) are not lessons' folders."""
    if checks_dir is None or not checks_dir.is_dir():
        return []
    known = ", ".join(sorted(lesson_ids))
    return [
        ContentError(f"check folder for an unknown lesson '{entry.name}' (lessons: {known})", entry)
        for entry in sorted(checks_dir.iterdir())
        if entry.is_dir()
        and not entry.name.startswith((".", LIBRARY_PREFIX))
        and entry.name not in lesson_ids
    ]


def _key_line(data: Any, key: str) -> int | None:
    return data.line_of(key) if isinstance(data, LineDict) else None


def _text(value: str | int | float | bool) -> str:
    """A YAML scalar as template text (as it always was: ``str()``)."""
    return str(value)


def _answers(
    answers: dict[str, str | int | float | bool],
    raw: Any,
    file: Path,
    problems: list[ContentError],
) -> dict[str, str]:
    """Prompt patterns → answers; a pattern that does not compile is a problem at its line."""
    holder = raw.get("answers") if isinstance(raw, dict) else None
    valid = {}
    for pattern, answer in answers.items():
        if checkspec.valid_regex(pattern):
            valid[pattern] = _text(answer)
        else:
            problems.append(
                ContentError(
                    f"bad regular expression in answers: {pattern!r}",
                    file,
                    _key_line(holder, pattern),
                )
            )
    return valid


def _action(action: Action | None, file: Path, line: int | None) -> model.Action | None:
    """A typed lifecycle piece (text or {script:, args:}) → the content model's Action."""
    if action is None:
        return None
    if isinstance(action, str):
        return model.Action(commands=action, source=Source(file, line))
    return model.Action(
        script=action.script, args=[_text(a) for a in action.args], source=Source(file, line)
    )


def _manifest_lesson(
    root: Path,
    manifest: Path,
    entry: str | LessonEntry,
    raw: Any,
    line: int | None,
    problems: list[ContentError],
) -> Lesson | None:
    if isinstance(entry, str):
        entry, raw = LessonEntry(file=entry), None
    file = root / entry.file
    if not file.is_file():
        problems.append(
            ContentError(
                f"unknown lesson file '{entry.file}'", manifest, _key_line(raw, "file") or line
            )
        )
        return None
    if not file.resolve().is_relative_to(root.resolve()):
        problems.append(
            ContentError(
                f"lesson file '{entry.file}' is outside the workshop's folder: it would not "
                "ship with the workshop",
                manifest,
                _key_line(raw, "file") or line,
            )
        )
    lesson = _lesson_from_page(
        file, str(entry.id) if entry.id is not None else None, entry.title or None
    )
    raw_start = raw.get("start") if isinstance(raw, dict) else None
    lesson.start = raw_start if entry.start is not None and isinstance(raw_start, dict) else None
    for name in ("setup", "solve", "cleanup"):
        setattr(lesson, name, _action(getattr(entry, name), manifest, _key_line(raw, name)))
    lesson.answers = _answers(entry.answers, raw, manifest, problems)
    if entry.quiz and isinstance(raw, dict):
        parsed = quiz.read_questions(raw.get("quiz"), manifest, _key_line(raw, "quiz"))
        problems.extend(parsed.problems)
        lesson.steps.extend(quiz.quiz_steps(parsed))
    raw_steps = raw.get("steps") if isinstance(raw, dict) else None
    known = {step.id for step in lesson.steps}
    for step_id, settings in entry.steps.items():
        sline = _key_line(raw_steps, step_id)
        if step_id not in known:
            problems.append(
                ContentError(
                    f"lesson '{lesson.id}' has no step '{step_id}' (steps: {', '.join(sorted(known))})",
                    manifest,
                    sline,
                )
            )
            continue
        raw_settings = raw_steps.get(step_id) if isinstance(raw_steps, dict) else None
        _apply_step_settings(lesson.step(step_id), settings, raw_settings, root, manifest, problems)
    distinct_titles(lesson.steps)
    return lesson


def _apply_step_settings(
    step: Step,
    settings: StepSettings,
    raw: Any,
    root: Path,
    file: Path,
    problems: list[ContentError],
) -> None:
    if settings.title is not None:
        step.title = settings.title
    if settings.note is not None:
        note = templates.normalise(settings.note.strip())
        step.text = (
            step.text + "\n\n" + "\n".join("> " + line for line in note.splitlines())
        ).strip()
    if settings.solution is not None:
        step.solution = settings.solution
    if settings.test_commands is not None:
        step.test_commands = list(settings.test_commands)
    if settings.commands is not None:
        step.commands = list(settings.commands)
    for name in ("setup", "solve", "cleanup"):
        setattr(step, name, _action(getattr(settings, name), file, _key_line(raw, name)))
    raw_checks = raw.get("checks") if isinstance(raw, dict) else None
    for index, check in enumerate(settings.checks):
        line = _item_line(raw_checks, index)
        item = raw_checks[index] if isinstance(raw_checks, list) else None
        try:
            # absolute: a check runs in the learner's folder, not where the loader was started
            step.checks.append(checkspec.build(check, item, root.absolute(), Source(file, line)))
        except ContentError as exc:
            problems.append(exc)
    raw_hints = raw.get("hints") if isinstance(raw, dict) else None
    for index, hint in enumerate(settings.hints):
        line = _item_line(raw_hints, index)
        if isinstance(hint, str):
            step.hints.append(Hint(text=hint, source=Source(file, line)))
            continue
        when = hint.when_output
        if when is not None and not checkspec.valid_regex(when):
            item = raw_hints[index] if isinstance(raw_hints, list) else None
            problems.append(
                ContentError(
                    f"bad regular expression in when_output: {when!r}",
                    file,
                    _key_line(item, "when_output") or line,
                )
            )
            when = None
        step.hints.append(Hint(text=hint.text, when_output=when, source=Source(file, line)))


def _item_line(items: Any, index: int) -> int | None:
    if isinstance(items, LineList) and index < len(items.item_lines):
        return items.item_lines[index]
    return None


# ---------------------------------------------------------------- shared finishing


def _find_checks_dir(root: Path) -> Path | None:
    """``checks/<workshop>/`` in the workshop folder or up to three folders above it."""
    name = root.resolve().name
    if (root / "checks").is_dir():
        return root / "checks"
    for parent in list(root.resolve().parents)[:3]:
        candidate = parent / "checks" / name
        if candidate.is_dir():
            return candidate
    return None


def _finish(workshop: Workshop) -> None:
    """Discovered check scripts, unique step ids, and the checks lint cares about."""
    values = templates.variables(workshop.variables, environ=os.environ)
    for lesson in workshop.lessons:
        workshop.problems.extend(lesson.settings.pop("problems", []))
        _discover_checks(workshop, lesson)
        # Templates anywhere on the page (prose, commands, output), at their own line.
        page_text = templates.normalise(lesson.settings.pop("page_text", ""))
        for name, offset in templates.unresolved(page_text, values):
            workshop.problems.append(_unresolved(name, lesson.file, offset + 1, workshop.classic))
        if workshop.classic:
            tools = workshop.mock.get("tools") or []
            workshop.problems.extend(shelltemplates.problems(page_text, lesson.file, tools))
        page_commands = lesson.settings.pop("page_commands", set())
        for step in lesson.steps:
            _check_step(workshop, lesson, step, values, page_commands)
    unique: dict[str, ContentError] = {}
    for problem in workshop.problems:
        unique.setdefault(str(problem), problem)
    workshop.problems = list(unique.values())


def _unique_ids(lesson: Lesson, problems: list[ContentError]) -> None:
    """Derived ids that repeat get ``-2``, ``-3``…; a repeated explicit id is a problem."""
    seen: dict[str, Step] = {}
    tried: dict[str, int] = {}  # per repeated id, the suffixes below this one are taken
    for step in lesson.steps:
        if step.id in seen:
            if step.id_explicit:
                first = seen[step.id].source
                problems.append(
                    ContentError(
                        f"duplicate step id '{step.id}' (first at {first})",
                        step.source.file if step.source else lesson.file,
                        step.source.line if step.source else None,
                    )
                )
                continue
            n = tried.get(step.id, 2)
            while f"{step.id}-{n}" in seen:
                n += 1
            tried[step.id] = n
            step.id = f"{step.id}-{n}"
        seen[step.id] = step


def _discover_checks(workshop: Workshop, lesson: Lesson) -> None:
    if workshop.checks_dir is None:
        return
    folder = workshop.checks_dir / lesson.id
    if not folder.is_dir():
        return
    ids = {step.id for step in lesson.steps}
    for entry in sorted(folder.iterdir()):
        stem = entry.name.split(".", 1)[0]
        if entry.name.startswith(".") or entry.is_dir():
            continue
        if stem not in ids:
            workshop.problems.append(
                ContentError(f"check for an unknown step '{stem}' of lesson '{lesson.id}'", entry)
            )
            continue
        lesson.step(stem).checks.append(
            CheckSpec(kind="script", params={"path": str(entry.absolute())}, source=Source(entry))
        )


def _unresolved(name: str, file: Path | None, line: int | None, classic: bool) -> ContentError:
    if classic:  # the platform's shell showed an unset variable as nothing
        return ContentError(
            f"unresolved variable '{{{{{name}}}}}' (shown empty unless the learner's shell sets it)",
            file,
            line,
            warning=True,
            variable=name,
        )
    return ContentError(f"unresolved variable '{{{{{name}}}}}'", file, line, variable=name)


def _has_shebang(path: Path) -> bool:
    """The file starts with ``#!`` (the kernel runs it with the program it names)."""
    try:
        with path.open("rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return True  # unreadable: said by the run itself


def _check_step(
    workshop: Workshop, lesson: Lesson, step: Step, values: dict[str, str], page_commands: set[str]
) -> None:
    src = step.source or Source(lesson.file)
    for spec in step.checks:
        if spec.kind in ("script", "verify_sh"):
            target = Path(spec.params["path"])
            where = spec.source or src
            if not target.is_file():
                workshop.problems.append(
                    ContentError(f"check file missing: {target}", where.file, where.line)
                )
            elif spec.kind == "script" and not os.access(target, os.X_OK):
                workshop.problems.append(
                    ContentError(f"check file is not executable: {target}", where.file, where.line)
                )
            elif spec.kind == "script" and not _has_shebang(target):
                workshop.problems.append(
                    ContentError(
                        f"check file has no '#!' first line (say which program runs it, such "
                        f"as #!/bin/bash): {target}",
                        where.file,
                        where.line,
                    )
                )
    if step.kind == "command" and not step.commands and not step.checks:
        workshop.problems.append(
            ContentError(f"step '{step.id}' has nothing to run and no check", src.file, src.line)
        )
    # The page itself was scanned line by line; what workshop.yaml adds is checked here.
    texts: list[tuple[str, Source]] = [(c, src) for c in step.commands if c not in page_commands]
    texts += [(hint.text, hint.source or src) for hint in step.hints]
    for spec in step.checks:
        texts += [(v, spec.source or src) for v in spec.params.values() if isinstance(v, str)]
    for text, where in texts:
        for name, _ in templates.unresolved(text, values):
            workshop.problems.append(_unresolved(name, where.file, where.line, workshop.classic))
