"""Load a workshop folder into the content model.

Two layouts are read:

- a folder with ``workshop.yaml`` (title, description, variables, mock settings, lessons in
  order with their per-step checks, hints and starting state) and one Markdown file per
  lesson;
- the classic step-folder layout of the original training platform: ``NN_Title.md`` pages
  ordered by their number, each a lesson, with an optional ``NN_Title.verify.sh`` beside it
  used as that lesson's final check. No ``workshop.yaml`` is needed.

A single Markdown file loads as a workshop of one lesson. Problems that do not stop loading
(a duplicate step id, a missing check file, an unresolved variable …) are collected in
``Workshop.problems`` for ``workshop lint``; ``load_workshop(strict=True)`` raises the first.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from workshop.content import checkspec, templates
from workshop.content.frontmatter import FrontMatter
from workshop.content.markdown import parse_page, slug
from workshop.content.model import CheckSpec, ContentError, Hint, Lesson, Source, Step, Workshop
from workshop.content.pagetext import read_page
from workshop.content.yamlio import LineDict, LineList, line_of, load_yaml

CLASSIC_PAGE = re.compile(r"^(\d+)[_\- ](.+)\.md$")
NUMBERING = re.compile(r"^\s*(?:\d+|[IVXLC]+)[.)]\s+")
CHECK_SUFFIXES = ("", ".sh", ".py", ".bash")


def load_workshop(path: Path | str, strict: bool = True) -> Workshop:
    """Read the workshop at ``path`` (a folder, a ``workshop.yaml`` or one Markdown page)."""
    path = Path(path)
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
    if strict and workshop.problems:
        raise workshop.problems[0]
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
    workshop = Workshop(id=slug(file.stem), title=lesson.title, root=file.parent, lessons=[lesson])
    return workshop


def _classic(root: Path) -> Workshop:
    pages = []
    try:
        entries = list(root.iterdir())
    except OSError as exc:
        raise ContentError(f"cannot read the folder: {exc.strerror or exc}", root) from None
    for entry in entries:
        match = CLASSIC_PAGE.match(entry.name)
        if match and entry.is_file():
            pages.append((int(match.group(1)), entry))
    if not pages:
        raise ContentError("no workshop.yaml and no NN_Title.md pages here", root)
    workshop = Workshop(id=slug(root.name), title=_title_from_name(root.name), root=root)
    seen: set[str] = set()
    for _, page in sorted(pages):
        lesson = _lesson_from_page(page, None)
        base, n = lesson.id, 2
        while lesson.id in seen:  # two pages with one title: progress needs distinct ids
            lesson.id, n = f"{base}-{n}", n + 1
        seen.add(lesson.id)
        verify = page.with_name(page.name[: -len(".md")] + ".verify.sh")
        if verify.is_file():
            lesson.steps[-1].checks.append(
                CheckSpec(kind="verify_sh", params={"path": str(verify)}, source=Source(verify))
            )
        workshop.lessons.append(lesson)
    return workshop


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
    if data is None:
        data = LineDict()
        data.key_lines = {}
    if not isinstance(data, dict):
        raise ContentError(
            "workshop.yaml must be a mapping (title:, lessons: …)", manifest, line_of(data, 1)
        )
    problems: list[ContentError] = []

    def problem(message: str, line: int | None) -> None:
        problems.append(ContentError(message, manifest, line))

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problem("workshop.yaml needs a 'title' (text)", _key_line(data, "title"))
        title = _title_from_name(root.name)
    variables = _mapping(data, "variables", manifest, problems)
    workshop = Workshop(
        id=str(data.get("id") or slug(root.name)),
        title=title,
        root=root,
        description=str(data.get("description") or "").strip(),
        variables={str(k): str(v) for k, v in variables.items()},
        mock=dict(_mapping(data, "mock", manifest, problems)),
    )
    checks_dir = data.get("checks_dir")
    workshop.checks_dir = (root / str(checks_dir)) if checks_dir else _find_checks_dir(root)
    lessons = data.get("lessons")
    if lessons is None:
        problem(
            "workshop.yaml needs 'lessons' (a list of lesson files)", _key_line(data, "lessons")
        )
        lessons = []
    if not isinstance(lessons, list):
        problem("'lessons' must be a list", _key_line(data, "lessons"))
        lessons = []
    seen: set[str] = set()
    for index, entry in enumerate(lessons):
        line = lessons.item_lines[index] if isinstance(lessons, LineList) else None
        lesson = _manifest_lesson(root, manifest, entry, line, problems)
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


def _mapping(
    data: dict[str, Any], key: str, file: Path, problems: list[ContentError]
) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(ContentError(f"'{key}' must be a mapping", file, _key_line(data, key)))
        return {}
    return value


def _manifest_lesson(
    root: Path, manifest: Path, entry: Any, line: int | None, problems: list[ContentError]
) -> Lesson | None:
    if isinstance(entry, str):
        entry = {"file": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        problems.append(ContentError("a lesson needs 'file: NAME.md'", manifest, line))
        return None
    file = root / entry["file"]
    if not file.is_file():
        problems.append(
            ContentError(
                f"unknown lesson file '{entry['file']}'", manifest, _key_line(entry, "file") or line
            )
        )
        return None
    lesson_id = entry.get("id")
    if lesson_id is not None and not isinstance(lesson_id, str | int):
        problems.append(
            ContentError("a lesson 'id' must be text", manifest, _key_line(entry, "id"))
        )
        lesson_id = None
    title = entry.get("title")
    lesson = _lesson_from_page(
        file, str(lesson_id) if lesson_id is not None else None, str(title) if title else None
    )
    start = entry.get("start")
    if start is not None and not isinstance(start, dict):
        problems.append(
            ContentError(
                "a lesson's 'start' must be a mapping", manifest, _key_line(entry, "start")
            )
        )
        start = None
    lesson.start = start
    steps = entry.get("steps") or {}
    if not isinstance(steps, dict):
        problems.append(
            ContentError(
                "a lesson's 'steps' must map step ids to settings",
                manifest,
                _key_line(entry, "steps"),
            )
        )
        steps = {}
    known = {step.id for step in lesson.steps}
    for step_id, settings in steps.items():
        sline = _key_line(steps, step_id)
        if step_id not in known:
            problems.append(
                ContentError(
                    f"lesson '{lesson.id}' has no step '{step_id}' (steps: {', '.join(sorted(known))})",
                    manifest,
                    sline,
                )
            )
            continue
        if not isinstance(settings, dict):
            problems.append(
                ContentError(f"settings of step '{step_id}' must be a mapping", manifest, sline)
            )
            continue
        _apply_step_settings(lesson.step(step_id), settings, root, manifest, problems)
    return lesson


def _apply_step_settings(
    step: Step, settings: dict[str, Any], root: Path, file: Path, problems: list[ContentError]
) -> None:
    if isinstance(settings.get("title"), str):
        step.title = settings["title"]
    if isinstance(settings.get("note"), str):
        note = templates.normalise(settings["note"].strip())
        step.text = (
            step.text + "\n\n" + "\n".join("> " + line for line in note.splitlines())
        ).strip()
    if isinstance(settings.get("solution"), str):
        step.solution = settings["solution"]
    if isinstance(settings.get("test_commands"), list):
        step.test_commands = [str(c) for c in settings["test_commands"]]
    if isinstance(settings.get("commands"), list):
        step.commands = [str(c) for c in settings["commands"]]
    checks = settings.get("checks") or []
    if not isinstance(checks, list):
        problems.append(
            ContentError("'checks' must be a list", file, _key_line(settings, "checks"))
        )
        checks = []
    for index, raw in enumerate(checks):
        line = checks.item_lines[index] if isinstance(checks, LineList) else None
        try:
            # absolute: a check runs in the learner's folder, not where the loader was started
            step.checks.append(checkspec.parse(raw, root.absolute(), Source(file, line)))
        except ContentError as exc:
            problems.append(exc)
    hints = settings.get("hints") or []
    if not isinstance(hints, list):
        problems.append(ContentError("'hints' must be a list", file, _key_line(settings, "hints")))
        hints = []
    for index, raw in enumerate(hints):
        line = hints.item_lines[index] if isinstance(hints, LineList) else None
        if isinstance(raw, str):
            step.hints.append(Hint(text=raw, source=Source(file, line)))
        elif isinstance(raw, dict) and isinstance(raw.get("text"), str):
            when = raw.get("when_output")
            if when is not None and not checkspec.valid_regex(str(when)):
                problems.append(
                    ContentError(
                        f"bad regular expression in when_output: {when!r}",
                        file,
                        _key_line(raw, "when_output") or line,
                    )
                )
                when = None
            step.hints.append(
                Hint(
                    text=raw["text"],
                    when_output=str(when) if when is not None else None,
                    source=Source(file, line),
                )
            )
        else:
            problems.append(ContentError("a hint is text or {text:, when_output:}", file, line))


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
            workshop.problems.append(_unresolved(name, lesson.file, offset + 1))
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
            CheckSpec(kind="script", params={"path": str(entry)}, source=Source(entry))
        )


def _unresolved(name: str, file: Path | None, line: int | None) -> ContentError:
    return ContentError(f"unresolved variable '{{{{{name}}}}}'", file, line)


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
            workshop.problems.append(_unresolved(name, where.file, where.line))
