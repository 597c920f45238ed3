"""The bash start-up file of a learner's shell session.

bash starts with ``--noprofile --rcfile <this file>``: the learner's own start-up files are
not read, so the prompt hooks, the history and the pager are known. The file sets the
session's ``HISTFILE`` (written after every command, so a crash keeps it), ``PAGER=cat``, bracketed paste off, history expansion off (a
command typed for the learner runs as written, ``!`` included), a plain ``PS1``; then runs
the session's init commands (``eval "$(workshop mock env)"``...); then installs the
markers of :mod:`workshop.shell.markers`. The prompt hook puts a marker back if a command
replaced ``PS0``, ``PS1`` or ``PS2``, and reports the exported environment when it changed:
``declare -px`` (a builtin) into a scratch file read back with ``mapfile`` (a builtin)
costs no fork; only a change runs ``env -0 | base64``.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from workshop.shell.process import environment_dump

_TEMPLATE = r"""# Generated for one workshop shell session; removed when the session closes.
HISTFILE=__HISTFILE__
HISTSIZE=10000
HISTFILESIZE=10000
HISTCONTROL=
HISTIGNORE=
unset HISTTIMEFORMAT PROMPT_COMMAND
set +H
shopt -s checkwinsize histappend
bind 'set enable-bracketed-paste off' 2>/dev/null
export PAGER=cat
PS1='\W \$ '
PS2='> '
# -- init commands --
__INIT__
# -- markers --
__workshop_ps0=$'\e]133;C;__NONCE__;''$(HISTTIMEFORMAT= history 1)'$'\a'
__workshop_ps1_mark=$'\\[\e]133;B;__NONCE__\a\\]'
__workshop_ps2_mark=$'\\[\e]133;P;__NONCE__\a\\]'
__workshop_env_seen=-
__workshop_report_env() {
    # builtins only (no fork) unless the exported variables changed since the last report;
    # the scratch file is overwritten in place (1<>, no truncation: cheaper), NUL-ended
    { declare -px; printf '\0'; } 1<>__SNAPSHOT__ 2>/dev/null || return 0
    local -a __workshop_env_now
    mapfile -n 1 -d '' __workshop_env_now <__SNAPSHOT__ 2>/dev/null || return 0
    [[ ${__workshop_env_now[0]} == "$__workshop_env_seen" ]] && return 0
    __workshop_env_seen=${__workshop_env_now[0]}
    printf '\e]133;E;__NONCE__;'
    __ENV_DUMP__ 2>/dev/null
    printf '\a'
}
__workshop_precmd() {
    local __workshop_status=$?
    history -a 2>/dev/null
    __REPORT_ENV__
    printf '\e]133;D;__NONCE__;%s\x1f%s\x1f' "$__workshop_status" "${PWD//$'\a'/}"
    HISTTIMEFORMAT= history 1
    printf '\a'
    PS0=$__workshop_ps0
    [[ $PS1 == *"$__workshop_ps1_mark"* ]] || PS1=$PS1$__workshop_ps1_mark
    [[ $PS2 == *"$__workshop_ps2_mark"* ]] || PS2=$__workshop_ps2_mark$PS2
    return "$__workshop_status"
}
PS0=$__workshop_ps0
PROMPT_COMMAND=__workshop_precmd
"""


def render_rc(
    nonce: str,
    histfile: Path,
    init_commands: Sequence[str] = (),
    snapshot: Path | None = None,
    env_dump: str | None = None,
) -> str:
    """Return the text of the rc file for one session.

    ``nonce`` goes into every marker; ``histfile`` becomes ``HISTFILE`` (appended to after
    every command); ``init_commands`` run in order before the markers are installed, each
    on its own line. With both ``snapshot`` (a scratch file the prompt hook compares the
    exported variables with) and ``env_dump`` (a command printing them, see
    :func:`workshop.shell.process.environment_dump`) the hook reports the environment in an
    ``E`` marker whenever it changed; without them it never does.
    """
    if not nonce.isalnum():
        raise ValueError(f"nonce must be alphanumeric, got {nonce!r}")
    init = "\n".join(init_commands) if init_commands else ":"
    report = snapshot is not None and env_dump is not None
    return (
        _TEMPLATE.replace("__HISTFILE__", shlex.quote(str(histfile)))
        .replace("__SNAPSHOT__", shlex.quote(str(snapshot)) if snapshot else "/dev/null")
        .replace("__ENV_DUMP__", env_dump or ":")
        .replace("__REPORT_ENV__", "__workshop_report_env" if report else ":")
        .replace("__NONCE__", nonce)
        .replace("__INIT__", init)
    )


def write_rc(
    directory: Path,
    nonce: str,
    histfile: Path | None,
    init_commands: Sequence[str],
    env: dict[str, str],
) -> Path:
    """Write the rc file of a session into its private ``directory``; return its path.

    History goes to ``histfile`` (its folder is created) or, for ``None``, to a file in
    ``directory``; the environment snapshot the prompt hook compares with lives there too.
    """
    history = histfile or directory / "history"
    history.parent.mkdir(parents=True, exist_ok=True)
    rcfile = directory / "bashrc"
    text = render_rc(
        nonce,
        history,
        init_commands,
        snapshot=directory / "exported",
        env_dump=environment_dump(env),
    )
    rcfile.write_text(text, encoding="utf-8")
    return rcfile
