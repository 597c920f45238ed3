"""Starting the learner's bash for a session: where it stands, what it remembers.

The shell keeps a history per workshop and a small state file (its folder, the names of the
variables the learner exported). On a resume the new bash starts in the folder the last one
was in, and the learner is told in one line which exported variables are gone; when bash
ends (``exit``) a new one starts in the same folder (``restart``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workshop import paths
from workshop.shell import ShellSession
from workshop.shell.result import CommandResult
from workshop.shell.state import load_shell_state, lost_variables, lost_variables_notice


def open_learner_shell(
    workshop_id: str,
    env: dict[str, str],
    cwd: Path,
    size: tuple[int, int],
    *,
    resumed: bool,
    restart: bool,
    on_output: Callable[[str], None],
    on_command_started: Callable[[str], None],
    on_command_finished: Callable[[CommandResult], None],
    on_restarted: Callable[[int], None],
) -> tuple[ShellSession, str | None]:
    """A started shell, and the notice of exported variables a resume could not bring back."""
    state_file = paths.shell_state(workshop_id)
    saved = load_shell_state(state_file) if resumed else None
    start_in = saved.cwd if saved is not None and saved.cwd.is_dir() else cwd
    shell = ShellSession(
        env=env,
        cwd=start_in,
        rows=size[0],
        cols=size[1],
        on_output=on_output,
        on_command_started=on_command_started,
        on_command_finished=on_command_finished,
        histfile=paths.shell_history(workshop_id),
        state_file=state_file,
        restart=restart,
        on_restarted=on_restarted,
    )
    shell.start()
    notice = lost_variables_notice(lost_variables(saved, shell.env)) if saved else None
    return shell, notice
