"""``workshop progress`` and ``workshop reset``: where a learner is, and starting over."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``progress`` and ``reset`` to the command line."""
    progress = sub.add_parser("progress", help="show where you are in a workshop")
    progress.add_argument("path", type=Path, nargs="?", help="workshop (default: the bundled one)")
    progress.add_argument("--json", action="store_true", help="machine-readable output")
    progress.set_defaults(handler=run_progress)

    reset = sub.add_parser("reset", help="forget progress and rewind the mock foundation")
    reset.add_argument("path", type=Path, nargs="?", help="workshop (default: the bundled one)")
    which = reset.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--step", metavar="ID", help="rewind to the start of this step (of the current lesson)"
    )
    which.add_argument("--lesson", metavar="ID", help="rewind to the start of this lesson")
    which.add_argument("--all", action="store_true", help="forget the whole workshop")
    reset.set_defaults(handler=run_reset)


def _open(path: Path | None) -> tuple[Any, Any, Path]:
    """The workshop, the learner's progress store and the workshop's mock home."""
    from workshop import paths
    from workshop.content.cache import load_workshop_cached
    from workshop.progress import ProgressStore

    workshop = load_workshop_cached(path or paths.bundled_workshop(), strict=True)
    return workshop, ProgressStore(), paths.mock_home(workshop.id)


def run_progress(args: argparse.Namespace) -> int:
    """Print the learner's position and each lesson's steps with their status.

    The JSON form adds ``history``: every command the learner ran, oldest first, with its
    lesson, step and exit code (outputs stay in the store).
    """
    workshop, store, _ = _open(args.path)
    with store:
        summary = store.summary(workshop.id)
        summary["history"] = [
            {
                "lesson": record.lesson,
                "step": record.step,
                "command": record.command,
                "exit_code": record.exit_code,
                "started_at": record.started_at,
                "finished_at": record.finished_at,
            }
            for record in store.commands(workshop.id)
        ]
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
        return 0
    status = {(s["lesson"], s["step"]): s for s in summary["steps"]}
    position = summary["position"]
    print(workshop.title)
    if not position:
        print("Not started yet: `workshop run` begins at the first lesson.")
    for lesson in workshop.lessons:
        steps = [status.get((lesson.id, step.id)) for step in lesson.steps]
        done = sum(1 for s in steps if s and s["status"] == "passed")
        print(f"\n{lesson.title} [{lesson.id}]: {done}/{len(lesson.steps)} steps passed")
        # the first step not done is open, as the runner has it (``LessonProgress.status``)
        first_open = next(
            (n for n, s in enumerate(steps) if not s or s["status"] not in ("passed", "skipped")),
            None,
        )
        for n, (step, info) in enumerate(zip(lesson.steps, steps, strict=True)):
            here = position and position["lesson"] == lesson.id and position["step"] == step.id
            state = info["status"] if info else "next" if n == first_open else "locked"
            extra = (
                f", {info['attempts']} attempt(s), {info['commands']} command(s)" if info else ""
            )
            print(f"  {'→' if here else ' '} {step.id}: {state}{extra}")
    return 0


def run_reset(args: argparse.Namespace) -> int:
    """Rewind a step, a lesson or everything, the mock foundation included."""
    from workshop.engine.holder import refuse_while_held
    from workshop.errors import UsageError

    workshop, store, home = _open(args.path)
    refuse_while_held(workshop.id, "reset")
    mock = home if (home / "state.json").exists() else None
    with store:
        if args.all:
            store.reset_all(workshop.id, mock)
            print(f"Forgot all progress in {workshop.title}.")
            return 0
        if args.lesson:
            lesson = workshop.lesson(args.lesson)
            store.reset_lesson(workshop.id, lesson.id, mock)
            print(f"Rewound lesson {lesson.id} to its start.")
            return 0
        position = store.position(workshop.id)
        lessons = [workshop.lesson(position[0])] if position else workshop.lessons
        for lesson in lessons:
            if args.step in {step.id for step in lesson.steps}:
                store.reset_step(workshop.id, lesson.id, args.step, mock)
                print(f"Rewound step {args.step} of lesson {lesson.id}.")
                return 0
        where = f"lesson {lessons[0].id}" if position else workshop.title
        known = ", ".join(step.id for lesson in lessons for step in lesson.steps)
        raise UsageError(f"no step '{args.step}' in {where} (its steps: {known})")
