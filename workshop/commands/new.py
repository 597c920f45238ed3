"""``workshop new PATH``: scaffold a workshop that lints clean and passes ``workshop test``."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``new`` to the command line."""
    new = sub.add_parser(
        "new",
        help="create a small working workshop to start from",
        description="Create a workshop (workshop.yaml, one lesson, a declarative and a script "
        "check) that `workshop lint` and `workshop test` pass as created.",
    )
    new.add_argument("path", type=Path, help="the folder to create (must not exist, or be empty)")
    new.add_argument("--title", help="the workshop's title (default: from the folder's name)")
    new.set_defaults(handler=run_new)


def run_new(args: argparse.Namespace) -> int:
    """Write the scaffold and say what to do next."""
    from workshop.authoring.scaffold import create

    files = create(args.path, args.title)
    shown = args.path
    print(f"Created a workshop in {shown}:")
    for file in files:
        print(f"  {file}")
    print(
        "Next:\n"
        f"  workshop lint {shown}      every problem as file:line\n"
        f"  workshop test {shown}      each step's checks fail before and pass after it\n"
        f"  workshop run {shown}       try it as a learner\n"
        f"  workshop schema --out {shown}/workshop.schema.json   a JSON Schema for your editor\n"
        "The authoring guide: docs/authoring.md in the workshop project."
    )
    return 0
