"""The environment of a learner's shell in mock mode, shared by sessions and ``workshop test``.

One place decides what the shell sees: this process's environment, the offline mock's
variables for the programs the workshop asks the mock for (``mock: {tools: [...]}``: their
bin folder first on PATH and, for ``cf``, CF_HOME and the router as http_proxy), replay
shims for its ``recorded:`` programs (answering from its ``recordings/``, in the lesson's
replay state), and the workshop's variables with the values the session uses. A workshop
that names no tool and records none gets none of the mock's variables: its real programs
run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from workshop.content.model import Lesson, Workshop


def workshop_tools(workshop: Workshop) -> tuple[str, ...]:
    """The programs the offline mock provides for ``workshop`` (its ``mock.tools``); none
    when it names none. A :class:`~workshop.errors.WorkshopError` for a bad list."""
    from workshop.mock.tools import declared_tools

    return declared_tools(workshop.mock)


def mocked_programs(workshop: Workshop) -> tuple[str, ...]:
    """Every program mock mode answers for ``workshop``: its mock tools, then its
    ``recorded:`` programs; none means mock mode has nothing to do (live it is)."""
    return tuple(dict.fromkeys((*workshop_tools(workshop), *workshop.recorded)))


def recordings_folder(workshop: Workshop) -> Path | None:
    """The workshop's ``recordings/`` folder, when it has one."""
    from workshop.content.recordings import FOLDER

    folder = (workshop.root / FOLDER).absolute()  # the shell stands elsewhere
    return folder if folder.is_dir() else None


def mock_shell_environment(
    workshop: Workshop,
    lesson: Lesson,
    home: Path,
    values: Mapping[str, str],
    *,
    reset: bool,
    color: bool = True,
    wait_router: bool = True,
    spawn_router: bool = True,
    router_port: Callable[[Path], int] | None = None,
) -> tuple[dict[str, str], Path]:
    """The shell's environment and starting folder for ``lesson`` on the mock in ``home``.

    With ``reset`` the mock starts again from the lesson's starting state. ``color=False``
    makes the fake ``cf`` print without colour (as ``CF_COLOR=false`` does for the real one),
    for output that goes to a pipe or a file. ``wait_router=False``: the app router may
    still be starting when this returns (a learner's shell; checks wait for it);
    ``spawn_router=False`` with it: not started yet (the caller starts it later).
    ``router_port``: called with the prepared home, returns the router's port, which the
    caller holds; nothing is started here (see :class:`workshop.mock.router.holder.PortHolder`).
    """
    from workshop.mock.env import mock_environment, working_dir

    tools = workshop_tools(workshop)
    env = dict(os.environ)
    mocked = mock_environment(
        home,
        lesson.start,
        workshop.mock,
        reset=reset,
        recordings=recordings_folder(workshop),
        tools=tools,
        recorded=workshop.recorded,
        wait_router=wait_router,
        spawn_router=spawn_router,
        router_port=router_port,
    )
    if workshop.recorded:
        from workshop.mock.recorded import enter_lesson

        enter_lesson(home, lesson.id)
    if "cf" in tools:
        env.pop("CF_COLOR", None)
    env.update(mocked)
    for name in workshop.variables:
        if name in values:
            env[name] = values[name]
    if not color and "cf" in tools:
        env["CF_COLOR"] = "false"
    if not color and workshop.recorded:
        from workshop.mock.replayer import NO_COLOR_VARIABLE

        env[NO_COLOR_VARIABLE] = "1"
    return env, working_dir(home)
