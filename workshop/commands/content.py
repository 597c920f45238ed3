"""``workshop show`` and ``workshop lint``: the parsed workshop, and its problems."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``show`` and ``lint`` to the command line."""
    show = sub.add_parser("show", help="print a workshop's lessons and steps")
    show.add_argument(
        "path",
        type=Path,
        nargs="?",
        help="workshop folder, workshop.yaml or lesson .md (default: the bundled workshop)",
    )
    show.add_argument("--lesson", metavar="ID", help="only this lesson")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=run_show)

    lint = sub.add_parser("lint", help="report every problem in a workshop as file:line: message")
    lint.add_argument(
        "path",
        type=Path,
        nargs="?",
        help="workshop folder, workshop.yaml or lesson .md (default: the bundled workshop)",
    )
    lint.set_defaults(handler=run_lint)


def run_show(args: argparse.Namespace) -> int:
    """Print the workshop as an outline, or as JSON with ``--json``."""
    from workshop.content.cache import load_workshop_cached
    from workshop.paths import bundled_workshop

    workshop = load_workshop_cached(args.path or bundled_workshop(), strict=True)
    lessons = [workshop.lesson(args.lesson)] if args.lesson else workshop.lessons
    if args.json:
        data = workshop.to_json()
        data["lessons"] = [lesson.to_json() for lesson in lessons]
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(workshop.title)
    for lesson in lessons:
        number = workshop.lessons.index(lesson) + 1  # as in the whole outline
        print(f"\n{number}. {lesson.title}  [{lesson.id}]")
        for index, step in enumerate(lesson.steps, 1):
            kind = f"({step.kind}, {len(step.checks)} check(s))"
            print(f"   {number}.{index} {step.title}  [{step.id}]  {kind}")
            for command in step.commands:
                print(f"        $ {command}")
    return 0


def run_lint(args: argparse.Namespace) -> int:
    """Print every problem and warning; exit 1 when there is a problem (warnings alone: 0)."""
    from workshop.content import ContentError, load_workshop
    from workshop.engine.lint import lint_problems
    from workshop.paths import bundled_workshop

    try:
        workshop = load_workshop(args.path or bundled_workshop(), strict=False)
    except ContentError as exc:
        print(exc)
        return 1
    problems = lint_problems(workshop)
    for problem in problems:
        print(problem)
    errors = sum(1 for problem in problems if not problem.warning)
    warnings = len(problems) - errors
    also = f", {warnings} warning(s)" if warnings else ""
    if errors:
        print(f"{errors} problem(s){also}", file=sys.stderr)
        return 1
    steps = sum(len(lesson.steps) for lesson in workshop.lessons)
    print(f"ok: {len(workshop.lessons)} lesson(s), {steps} step(s){also}", file=sys.stderr)
    return 0
