"""``cf logs APP --recent`` and ``cf logs APP`` (tailing until Ctrl-C), reference §7.5.

Why: Factor XI treats logs as event streams; the mock keeps each app's recent log lines
in its log file (``state.append_log``, ``workshop.mock.logstore``; the router adds RTR
lines) and prints them in cf's layout. Tailing polls the state's sequence number without
taking the lock, so other commands and the router carry on while a learner watches, and
reads the log file only when it has grown.
"""

from __future__ import annotations

import time

from workshop.mock import state as st
from workshop.mock.cf.context import Context
from workshop.mock.cf.ui import CYAN, RED, UI, WHITE, Exit, Failed, format_log_time

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

HEADER_WIDTH = 41
POLL_SECONDS = 0.25


def tails(words: list[str]) -> bool:
    """Whether ``words`` (a command line's) is ``cf logs APP`` without ``--recent``: it
    tails the app's logs until Ctrl-C, as a learner watching them does."""
    return len(words) >= 3 and words[:2] == ["cf", "logs"] and "--recent" not in words


def format_entry(ui: UI, entry: dict[str, Any]) -> str:
    """One log line: header padded to 41 columns, ``OUT``/``ERR``, message; continuation
    lines of a multi-line message are indented by the header width."""
    header = f"{format_log_time(float(entry['time']))} [{entry['source']}]"
    pad = " " * max(1, HEADER_WIDTH - len(header))
    stream = entry.get("stream", "OUT")
    lines = str(entry.get("line", "")).rstrip("\r\n").split("\n")
    body = f"{stream} " + ("\n" + " " * HEADER_WIDTH).join(lines)
    colour = RED if stream == "ERR" else WHITE
    return ui.paint(header, CYAN) + pad + ui.paint(body, colour, bold=False)


def _app_logs(
    home: str, state: dict[str, Any], org: str, space: str, app: str
) -> list[dict[str, Any]] | None:
    try:
        record = state["orgs"][org]["spaces"][space]["apps"][app]
    except (KeyError, TypeError):
        return None
    return st.read_logs(home, record)


def logs(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf logs APP --recent``."""
    ui = ctx.ui
    name = args[0]
    ctx.target_space()
    app = ctx.need_app(name)
    ui.say(f"Connected, dumping recent logs for app {ui.entity(name)} {ctx.where()}...")
    ui.say()
    entries = st.read_logs(str(ctx.home), app)
    for entry in sorted(entries, key=lambda e: (e.get("time", 0), e.get("seq", 0))):
        ui.say(format_entry(ui, entry))
    return 0


def tail(ctx: Context, name: str) -> int:
    """``cf logs APP``: print new lines as they arrive until Ctrl-C (the signal ends it)."""
    ui = ctx.ui
    try:
        ctx.target_space()
        app = ctx.need_app(name)
    except Failed:
        ui.go_live()
        return 1
    except Exit as stop:
        ui.go_live()
        return stop.code
    ui.say(f"Connected, tailing logs for app {ui.entity(name)} {ctx.where()}...")
    ui.say()
    ui.go_live()
    org, space = ctx.org, ctx.space
    seen = int(app.get("log_seq", 0))
    while True:
        time.sleep(POLL_SECONDS)
        try:
            current = st.load(ctx.home)
        except (OSError, ValueError):
            continue
        if _seq(current, org, space, name) == seen:
            continue  # nothing new: the log file is not read
        entries = _app_logs(str(ctx.home), current, org, space, name)
        if entries is None:
            continue
        fresh = [e for e in entries if int(e.get("seq", 0)) > seen]
        for entry in sorted(fresh, key=lambda e: int(e.get("seq", 0))):
            ui.write(format_entry(ui, entry) + "\n")
        if fresh:
            seen = max(int(e.get("seq", 0)) for e in fresh)
        else:
            current_seq = _seq(current, org, space, name)
            if current_seq < seen:  # the app was deleted and pushed again
                seen = current_seq
    return 0  # pragma: no cover - left by Ctrl-C only


def _seq(state: dict[str, Any], org: str, space: str, app: str) -> int:
    try:
        return int(state["orgs"][org]["spaces"][space]["apps"][app].get("log_seq", 0))
    except (KeyError, TypeError):
        return 0
