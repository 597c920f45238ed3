"""The bash start-up file of a learner's shell session.

bash starts with ``--noprofile --rcfile <this file>``: the learner's own start-up files are
not read, so the prompt hooks, the history and the pager are known. The file sets a
per-session ``HISTFILE``, ``PAGER=cat``, bracketed paste off, history expansion off (a
command typed for the learner runs as written, ``!`` included), a plain ``PS1``; then runs
the session's init commands (``eval "$(workshop mock env)"``...); then installs the
markers of :mod:`workshop.shell.markers`. The prompt hook puts a marker back if a command
replaced ``PS0``, ``PS1`` or ``PS2``.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

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
__workshop_precmd() {
    local __workshop_status=$?
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


def render_rc(nonce: str, histfile: Path, init_commands: Sequence[str] = ()) -> str:
    """Return the text of the rc file for one session.

    ``nonce`` goes into every marker; ``histfile`` becomes ``HISTFILE``; ``init_commands``
    run in order before the markers are installed, each on its own line.
    """
    if not nonce.isalnum():
        raise ValueError(f"nonce must be alphanumeric, got {nonce!r}")
    init = "\n".join(init_commands) if init_commands else ":"
    return (
        _TEMPLATE.replace("__HISTFILE__", shlex.quote(str(histfile)))
        .replace("__NONCE__", nonce)
        .replace("__INIT__", init)
    )
