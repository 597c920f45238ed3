"""``workshop settings``: the learner's own values (name, workshop variables, classroom).

Variables set here win over a workshop's defaults, e.g. ``HOST_SUFFIX`` so that a room of
learners sharing one live foundation does not collide on route names.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

KEYS = {
    "name": "your name in a classroom",
    "classroom.url": "the classroom server",
    "classroom.code": "its join code",
    "theme": "the TUI's colours: dark or light (F12 changes and keeps it)",
    "layout": "the TUI's step list: auto, rail or full (Shift+F12 changes and keeps it)",
}
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``settings`` to the command line."""
    parser = sub.add_parser(
        "settings",
        help="show or change your settings (name, classroom, workshop variables)",
        description="Keys: "
        + "; ".join(f"{key}: {what}" for key, what in KEYS.items())
        + "; or a workshop variable such as HOST_SUFFIX or CF_USER.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("show", help="print the settings (the default)")
    show.set_defaults(handler=run_show)
    set_ = actions.add_parser("set", help="set a key")
    set_.add_argument("key")
    # REMAINDER: a value may start with a dash (HOST_SUFFIX -alice)
    set_.add_argument("value", nargs=argparse.REMAINDER, help="the value (may start with '-')")
    set_.set_defaults(handler=run_set)
    unset = actions.add_parser("unset", help="remove a key")
    unset.add_argument("key")
    unset.set_defaults(handler=run_unset)
    parser.set_defaults(handler=run_show)


def run_show(args: argparse.Namespace) -> int:
    """Print where the settings live and what they hold."""
    from workshop import paths
    from workshop.engine.launch import load_settings

    settings = load_settings()
    print(f"# {paths.settings_file()}")
    for key, value in _flatten(settings):
        print(f"{key} = {value}")
    if not settings:
        print("# nothing set yet: `workshop settings set HOST_SUFFIX -yourname`")
    return 0


def run_set(args: argparse.Namespace) -> int:
    """Set one key and save the file atomically."""
    from workshop.engine.launch import load_settings
    from workshop.errors import UsageError

    if len(args.value) != 1:
        raise UsageError("settings set takes one KEY and one VALUE")
    value = args.value[0]
    from workshop.engine.launch import CHOICES

    if args.key in CHOICES and value not in CHOICES[args.key]:
        raise UsageError(
            f"{args.key}: expected one of {', '.join(CHOICES[args.key])}, got {value!r}"
        )
    if args.key == "classroom.url":
        from workshop.engine.launch import classroom_url

        value = classroom_url(value)  # host:port is taken; ftp://… is refused
    settings = load_settings()
    section, name = _locate(args.key)
    target = settings.setdefault(section, {}) if section is not None else settings
    if not isinstance(target, dict) and section is not None:
        target = settings[section] = {}
    target[name] = value
    _save(settings)
    print(f"{args.key} = {value}")
    return 0


def run_unset(args: argparse.Namespace) -> int:
    """Remove one key (no error when it was not set)."""
    from workshop.engine.launch import load_settings

    settings = load_settings()
    section, name = _locate(args.key)
    target = settings.get(section) if section is not None else settings
    if isinstance(target, dict):
        target.pop(name, None)
        if section and not target:
            settings.pop(section, None)
    _save(settings)
    return 0


def _locate(key: str) -> tuple[str | None, str]:
    from workshop.errors import UsageError

    if key in KEYS:
        section, _, name = key.rpartition(".")
        return (section or None), name
    if VARIABLE.match(key):
        return "variables", key
    known = ", ".join(KEYS)
    raise UsageError(
        f"unknown setting '{key}': use {known}, or a variable name such as HOST_SUFFIX"
    )


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = key if prefix in ("", "variables.") else prefix + key
        if isinstance(value, dict):
            rows.extend(_flatten(value, "variables." if key == "variables" else f"{key}."))
        else:
            rows.append((name, value))
    return rows


def _save(settings: dict[str, Any]) -> None:
    from workshop.engine.launch import save_settings

    save_settings(settings)
