"""``cf login``: endpoint, ``Email>``/``Password>`` prompts (no echo), org and space menus.

Why: the first thing a workshop asks a learner to type, interactive and with many small
textual details (reference §3.3): three password attempts, menus only when there is a
choice, and the "current target" block printed at the end even after a failure.
"""

from __future__ import annotations

from workshop.mock.cf.commands_target import (
    http_warning,
    known_api,
    set_api,
    target_block,
    unreachable,
)
from workshop.mock.cf.context import Context
from workshop.mock.cf.ui import Failed

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

MAX_TRIES = 3
MENU_LIMIT = 50


def login(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf login [-a API] [-u USER] [-p PASSWORD] [-o ORG] [-s SPACE] [--skip-ssl-validation]``."""
    ui = ctx.ui
    ctx.clear_session()
    code = 0
    try:
        _endpoint(ctx, opts)
        _authenticate(ctx, opts)
        ui.ok()
        ui.say()
        if _target_org(ctx, opts.get("o")):
            _target_space(ctx, opts.get("s"))
    except Failed:
        code = 1
    if ctx.state.get("api"):
        ui.say()
        target_block(ctx)
    return code


def auth(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf auth USERNAME PASSWORD``: log in without prompts; like v6.16.1 it clears the
    session first, so no org or space stays targeted."""
    ui = ctx.ui
    ctx.clear_session()
    ui.say(f"API endpoint: {ui.entity(ctx.state['api']['url'])}")
    ui.say("Authenticating...")
    user, password = args[0], args[1]
    if (ctx.state.get("users") or {}).get(user) != password:
        raise ui.failed("Credentials were rejected, please try again.")
    ctx.set_session(user=user)
    ui.ok()
    ui.say(f"Use '{ui.hint('cf target')}' to view or set your target org and space")
    return 0


def _endpoint(ctx: Context, opts: dict[str, Any]) -> None:
    ui = ctx.ui
    typed = opts.get("a")
    current = (ctx.state.get("api") or {}).get("url")
    if typed is None and current:
        ui.say(f"API endpoint: {ui.entity(current)}")
        return
    if typed is None:
        typed = ui.ask("API endpoint")
    else:
        ui.say(f"API endpoint: {ui.entity(typed)}")
    url = known_api(ctx, typed)
    if url is None:
        ctx.state["api"] = None
        raise unreachable(ui, typed)
    set_api(ctx, url, bool(opts.get("skip-ssl-validation")))
    ctx.clear_session()
    http_warning(ctx, url)


def _authenticate(ctx: Context, opts: dict[str, Any]) -> None:
    ui = ctx.ui
    if opts.get("sso"):
        # UNVERIFIED 2016 wording of the passcode prompt (reference §3.3).
        ui.ask_password("One Time Code ( Get one at https://login.run.pivotal.io/passcode )")
        ui.say("Authenticating...")
        ui.say("Credentials were rejected, please try again.")
        raise ui.failed("Unable to authenticate.")
    user = opts.get("u")
    if user is None:
        user = ui.ask("Email")
    password = opts.get("p")
    users = ctx.state.get("users") or {}
    for attempt in range(MAX_TRIES):
        if password is None or attempt > 0:
            password = ui.ask_password("Password")
        ui.say("Authenticating...")
        if user in users and users[user] == password:
            ctx.set_session(user=user)
            return
        ui.say("Credentials were rejected, please try again.")
    raise ui.failed("Unable to authenticate.")


def _choose(ctx: Context, kind: str, names: list[str]) -> str | None:
    """The org/space menu; returns the typed or chosen name, None when skipped."""
    ui = ctx.ui
    while True:
        ui.say(f"Select {'an org' if kind == 'Org' else 'a space'} (or press enter to skip):")
        if len(names) >= MENU_LIMIT:
            ui.say("There are too many options to display, please type in the name.")
        else:
            for i, name in enumerate(names, 1):
                ui.say(f"{i}. {name}")
        answer = ui.ask(kind)
        if not answer:
            ui.say()
            return None
        if answer.isdigit():
            index = int(answer)
            if 1 <= index <= len(names) and len(names) < MENU_LIMIT:
                return names[index - 1]
            continue
        return answer


def _target_org(ctx: Context, wanted: str | None) -> bool:
    ui = ctx.ui
    orgs = list(ctx.state.get("orgs") or {})
    if wanted is None:
        if not orgs:
            return False
        wanted = orgs[0] if len(orgs) == 1 else _choose(ctx, "Org", orgs)
        if wanted is None:
            return False
    found = ctx.find_org(wanted)
    if found is None:
        raise ui.failed(
            f"Error finding org {ui.entity(wanted)}\nOrganization {ui.entity(wanted)} not found"
        )
    ctx.set_session(org=found)
    ui.say(f"Targeted org {ui.entity(found)}")
    ui.say()
    return True


def _target_space(ctx: Context, wanted: str | None) -> None:
    ui = ctx.ui
    spaces = list(ctx.org_dict()["spaces"])
    if wanted is None:
        if not spaces:
            return
        wanted = spaces[0] if len(spaces) == 1 else _choose(ctx, "Space", spaces)
        if wanted is None:
            return
    found = ctx.find_space(wanted)
    if found is None:
        raise ui.failed(
            f"Error finding space {ui.entity(wanted)}\nSpace {ui.entity(wanted)} not found"
        )
    ctx.set_session(space=found)
    ui.say(f"Targeted space {ui.entity(found)}")
    ui.say()


def oauth_token(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf oauth-token``: the session's token, refreshed (v6.16.1's ``oauth_token.go``
    prints only the token). Without a session the refresh fails (UNVERIFIED wording: the
    mock's authentication error)."""
    ctx.authenticated()
    from workshop.mock.cf.config import access_token

    ctx.ui.say(access_token(ctx.user))
    return 0
