"""``workshop test``: every step's checks fail before it and pass after it, each lesson in a
sandbox of its own (the offline mock when the workshop names mock tools, else live)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workshop.content.model import Workshop


UNTESTED = 3
"""Exit status when no step failed but some could not be tested here (they run programs
neither this machine nor the mock has)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``test`` to the command line."""
    parser = sub.add_parser(
        "test",
        help="content CI: run each lesson in a sandbox; checks must fail before and pass after",
    )
    parser.add_argument(
        "path",
        type=Path,
        nargs="?",
        help="workshop folder, workshop.yaml or lesson .md (default: the bundled workshop)",
    )
    parser.add_argument(
        "--lesson", metavar="ID", action="append", help="only this lesson (repeatable)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--live",
        action="store_true",
        help="run the real programs even when the workshop names mock tools",
    )
    parser.add_argument(
        "--against-recordings",
        action="store_true",
        help="with --live: compare each recorded call with what the real program does now "
        "(ids, hashes, times, durations and ages normalised); exit 1 on drift",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="lessons tested at once (default: the number of cores)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="longest a step's command may run before the step fails (default: 60)",
    )
    parser.add_argument(
        "--solutions",
        type=Path,
        metavar="FILE",
        help="what to type where the pages leave it to the learner (an org to target, an"
        " edit, a placeholder's value), page by page, for content you cannot change; see"
        " docs/authoring.md",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Test the workshop; exit 1 when any step breaks or the content has problems (what
    loads is tested all the same), 3 when none broke but some could not be tested here
    (they need programs this machine and the mock lack)."""
    from workshop.content.cache import load_workshop_cached
    from workshop.engine.selfstep import StepOutcome
    from workshop.engine.selftest import format_table, run_selftest
    from workshop.engine.solutions import load_solutions
    from workshop.errors import UsageError
    from workshop.paths import bundled_workshop

    if not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, not {args.timeout:g}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {args.jobs}")
    path = args.path or bundled_workshop()
    if args.solutions and not args.solutions.is_file():
        raise UsageError(f"{args.solutions}: no such solutions file")
    solutions = load_solutions(args.solutions) if args.solutions else None
    workshop = load_workshop_cached(path, strict=False)  # as `workshop run` loads it
    errors = [p for p in workshop.problems if not p.warning]
    if errors:  # what loaded is still tested, and the run fails (content CI)
        listed = "".join(f"\n  {error}" for error in errors)
        print(
            f"workshop: {len(errors)} content problem(s): what loaded is tested, and the run"
            f" fails:{listed}",
            file=sys.stderr,
        )
    if not workshop.lessons:
        raise errors[0] if errors else UsageError(f"{path}: no lessons")
    if args.lesson:
        for lesson_id in args.lesson:
            workshop.lesson(lesson_id)  # a clear error for an unknown id
    if args.against_recordings:
        if not args.live:
            raise UsageError("--against-recordings compares with the real programs: add --live")
        return _against_recordings(args, workshop)

    def progress(outcome: StepOutcome) -> None:
        if not args.json:
            mark = "." if outcome.ok else ("n" if outcome.needs else "F")
            print(mark, end="", file=sys.stderr, flush=True)

    report = run_selftest(
        workshop,
        args.lesson,
        on_step=progress,
        timeout=args.timeout,
        jobs=args.jobs,
        live=args.live,
        solutions=solutions,
    )
    if not args.json:
        print(file=sys.stderr)  # the end of the progress marks
    for unused in solutions.unused() if solutions else []:
        print(
            f"{args.solutions}:{unused.line}: warning: {unused.key!r} did nothing in this run:"
            " no page with commands ends so (a key is the last folder and file names of a"
            " page's path, `*` allowed; a page without commands takes no before:/after:)",
            file=sys.stderr,
        )
    if not args.json:
        print(format_table(report))
    else:
        json.dump(
            {
                "ok": report.ok,
                "seconds": round(report.seconds, 3),
                "mode": report.mode,
                "tools": list(report.tools),
                "jobs": report.jobs,
                "steps": [vars(outcome) for outcome in report.outcomes],
            },
            sys.stdout,
            indent=2,
        )
        print()
    if report.ok and not errors:
        return 0
    return UNTESTED if report.only_untested and not errors else 1


def _against_recordings(args: argparse.Namespace, workshop: Workshop) -> int:
    """Run live with the recording shims, compare with the recordings; 1 on drift."""
    from workshop.engine.recording import drifted, format_drift, record_live
    from workshop.engine.selftest import format_table

    recorded = record_live(workshop, args.lesson, timeout=args.timeout)
    drifts = drifted(workshop, recorded)
    print(format_table(recorded.report))
    if drifts:
        print(format_drift(drifts))
    for clash in recorded.clashes:
        print(f"workshop: {clash}", file=sys.stderr)
    calls = sum(len(entries) for entries in recorded.entries.values())
    print(f"{calls} recorded calls compared: {len(drifts)} drifted")
    return 0 if recorded.report.ok and not drifts and not recorded.clashes else 1
