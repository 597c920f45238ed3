"""Build a :class:`LearnerSession` from ``workshop run``'s arguments and the learner's settings.

Shared by the TUI and the plain runner, so both resolve the workshop path, the learner's
settings (``workshop.paths.settings_file()``) and the classroom connection the same way.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop import paths
from workshop.engine import events as ev
from workshop.errors import UsageError

if TYPE_CHECKING:
    from workshop.classroom.reporter import Reporter
    from workshop.engine.events import Listener
    from workshop.engine.session import LearnerSession


def load_settings() -> dict[str, Any]:
    """The learner's settings file (YAML), or an empty mapping when there is none."""
    file = paths.settings_file()
    if not file.is_file():
        return {}
    import yaml

    from workshop.content.yamlio import syntax_error

    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        raise UsageError(str(syntax_error(exc, file))) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"{file}: cannot read settings: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"{file}: settings must be a mapping (name:, variables:, classroom:)")
    return data


CHOICES = {"theme": ("dark", "light"), "layout": ("auto", "rail", "full")}
"""Settings with a fixed set of values: the TUI's theme, and its step list (``auto``: a
rail of numbers below 110 columns, the titles above; ``rail``; ``full``)."""


def save_settings(settings: dict[str, Any]) -> None:
    """Write the learner's settings file atomically (a crash leaves the old one whole)."""
    import os
    import tempfile

    import yaml

    file = paths.settings_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".settings-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        yaml.safe_dump(settings, out, sort_keys=True, allow_unicode=True)
    os.replace(tmp, file)


def remember(key: str, value: str) -> None:
    """Keep one of the TUI's choices (``theme``, ``layout``) for the next start."""
    if value not in CHOICES.get(key, ()):
        raise UsageError(f"{key}: expected one of {', '.join(CHOICES.get(key, ()))}, got {value!r}")
    settings = load_settings()
    settings[key] = value
    save_settings(settings)


def choice(settings: dict[str, Any], key: str) -> str | None:
    """A remembered choice when it is a valid one (a hand-edited typo is ignored)."""
    value = settings.get(key)
    return value if isinstance(value, str) and value in CHOICES.get(key, ()) else None


def workshop_path(args: argparse.Namespace) -> Path:
    """The workshop folder ``args`` name (default: the bundled course)."""
    return Path(args.path) if getattr(args, "path", None) else paths.bundled_workshop()


def open_session(
    args: argparse.Namespace,
    listener: Listener,
    *,
    front_end: str,
    rows: int = 24,
    cols: int = 80,
    color: bool = True,
    restart_shell: bool = True,
) -> LearnerSession:
    """A ready-to-start session for the workshop and lesson ``args`` name."""
    from workshop.content.cache import load_workshop_cached
    from workshop.engine.session import LearnerSession

    path = workshop_path(args)
    workshop = load_workshop_cached(path)
    if not workshop.lessons:
        raise workshop.problems[0] if workshop.problems else UsageError(f"{path}: no lessons")
    if workshop.problems:
        # a learner can still work through content with a flaw (say, one broken hint);
        # the author sees every problem with `workshop lint`
        print(
            f"workshop: warning: {len(workshop.problems)} problem(s) in this workshop, "
            f"the first: {workshop.problems[0]} (`workshop lint {path}` lists them all)",
            file=sys.stderr,
        )
    lesson = getattr(args, "lesson", None)
    if lesson:
        workshop.lesson(lesson)
    settings = load_settings()
    variables = settings.get("variables") or {}
    if not isinstance(variables, dict):
        raise UsageError(f"{paths.settings_file()}: 'variables' must be a mapping")
    reporter = make_reporter(args, settings, listener)
    return LearnerSession(
        workshop,
        lesson,
        live=bool(getattr(args, "live", False)),
        listener=listener,
        reporter=reporter,
        settings={str(k): str(v) for k, v in variables.items()},
        rows=rows,
        cols=cols,
        color=color,
        front_end=front_end,
        restart_shell=restart_shell,
        watch=bool(getattr(args, "watch", False)),
    )


def classroom_url(text: str) -> str:
    """A classroom server's URL as typed: ``host:port`` means ``http://host:port`` (as the
    server prints it, and as curl takes it); another scheme than http or https is a
    :class:`UsageError`."""
    url = text.strip()
    scheme, sep, _ = url.partition("://")
    if not sep:
        return f"http://{url}"
    if scheme.lower() not in ("http", "https"):
        raise UsageError(
            f"classroom URL {text!r}: use the address `workshop classroom serve` prints,"
            " http://HOST:PORT (or https://)"
        )
    return url


def make_reporter(
    args: argparse.Namespace, settings: dict[str, Any], listener: Listener
) -> Reporter | None:
    """The classroom reporter when a classroom URL is given (flags override settings)."""
    classroom = settings.get("classroom") or {}
    if not isinstance(classroom, dict):
        raise UsageError(
            f"{paths.settings_file()}: 'classroom' must be a mapping (classroom.url, "
            "classroom.code): `workshop settings set classroom.url URL`"
        )
    url = getattr(args, "classroom", None) or classroom.get("url")
    if not url:
        return None
    url = classroom_url(str(url))
    code = getattr(args, "code", None) or classroom.get("code")
    name = getattr(args, "name", None) or settings.get("name")
    if not code or not name:
        raise UsageError(
            "joining a classroom needs --code CODE and --name NAME (or classroom.code and name in settings)"
        )
    from workshop.classroom.reporter import Reporter

    reporter = Reporter(
        str(url),
        str(code),
        str(name),
        on_state=lambda state: listener(ev.ClassroomStateChanged(state)),
        on_broadcast=lambda text: listener(ev.Broadcast(text)),
        on_notice=lambda text: listener(ev.Notice(text)),
        on_sharing=lambda sharing: listener(ev.ScreenSharingChanged(sharing)),
    )
    reporter.start()
    return reporter
