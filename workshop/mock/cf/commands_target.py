"""``cf api``, ``cf logout``, ``cf target`` and the "current target" block they share.

Why: the session (endpoint, user, org, space) is what every other command depends on;
these commands change and show it with cf v6's exact texts (reference §3).
"""

from __future__ import annotations

from workshop.mock.cf.context import Context, msg_not_logged_in
from workshop.mock.cf.ui import UI

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


def known_api(ctx: Context, typed: str) -> str | None:
    """The endpoint URL the offline foundation answers for ``typed``, or None.

    Known hosts: PWS's ``api.run.pivotal.io``, the workshop's configured endpoint and
    ``api.<apps domain>`` (the original workshop's ``cf api http://api.$CF_DOMAIN``).
    Without a scheme cf tries https first, which the mock always accepts.
    """
    url = typed.strip().rstrip("/")
    scheme, sep, host = url.partition("://")
    if not sep:
        scheme, host = "https", url
    if scheme not in ("http", "https"):
        return None
    host = host.lower()
    configured = ((ctx.state.get("api") or {}).get("url") or "").partition("://")[2].lower()
    allowed = {"api.run.pivotal.io", configured, "api." + str(ctx.state.get("domain", ""))}
    allowed.discard("")
    return f"{scheme}://{host}" if host in allowed else None


def unreachable(ui: UI, typed: str) -> Exception:
    """The network failure of an endpoint the offline mock does not know (wording UNVERIFIED)."""
    url = typed.rstrip("/")
    if "://" not in url:
        url = "http://" + url  # without scheme the last one tried is reported
    host = url.partition("://")[2].split("/")[0]
    return ui.failed(
        f"Error performing request: Get {url}/v2/info: dial tcp: lookup {host}: no such host\n"
        "TIP: If you are behind a firewall and require an HTTP proxy, verify the https_proxy "
        "environment variable is correctly set. Else, check your network connection."
    )


def set_api(ctx: Context, url: str, skip_ssl: bool) -> None:
    """Store the endpoint; a different endpoint clears the session."""
    api = ctx.state.get("api") or {}
    if api.get("url") != url:
        ctx.clear_session()
    ctx.state["api"] = {
        "url": url,
        "version": api.get("version") or "2.46.0",
        "skip_ssl": bool(skip_ssl),
    }
    ctx.session_changed = True


def http_warning(ctx: Context, url: str) -> None:
    """The bold magenta warning cf prints for a plain-http endpoint, then an empty line."""
    if url.startswith("http://"):
        ctx.ui.warn(
            "Warning: Insecure http API endpoint detected: secure https API endpoints are recommended"
        )
        ctx.ui.say()


def target_block(ctx: Context) -> None:
    """The "current target" table (reference §3.1) and the not-logged-in/no-target lines."""
    ui = ctx.ui
    e = ui.entity
    rows: list[list[str]] = []
    api = ctx.state.get("api")
    if api:
        rows.append(["API endpoint:", f"{e(api['url'])} (API version: {e(api['version'])})"])
    if not ctx.user:
        ui.table(["", ""], rows)
        ui.say(msg_not_logged_in(ui))
        return
    rows.append(["User:", e(ctx.user)])
    org, space = ctx.org, ctx.space
    if not org and not space:
        ui.table(["", ""], rows)
        ui.say("No org or space targeted, use " + ui.hint("'cf target -o ORG -s SPACE'"))
        return
    rows.append(
        ["Org:", e(org) if org else "No org targeted, use " + ui.hint("'cf target -o Org'")]
    )
    rows.append(
        [
            "Space:",
            e(space) if space else "No space targeted, use " + ui.hint("'cf target -s SPACE'"),
        ]
    )
    ui.table(["", ""], rows)


def api(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf api [URL] [--skip-ssl-validation] [--unset]``."""
    ui = ctx.ui
    if opts.get("unset"):
        ui.say("Unsetting api endpoint...")
        ctx.state["api"] = None  # cf v6.16.1 keeps the token, org and space
        ctx.session_changed = True
        ui.ok()
        ui.say()
        ui.say("No api endpoint set.")
        return 0
    if not args:
        current = ctx.state.get("api")
        if current:
            ui.say(
                f"API endpoint: {ui.entity(current['url'])} (API version: {ui.entity(current['version'])})"
            )
        else:
            ui.say("No api endpoint set. Use " + ui.hint("'cf api'") + " to set an endpoint")
        return 0
    typed = args[0]
    ui.say(f"Setting api endpoint to {ui.entity(typed)}...")
    url = known_api(ctx, typed)
    if url is None:
        ctx.state["api"] = None
        ctx.clear_session()
        raise unreachable(ui, typed)
    set_api(ctx, url, bool(opts.get("skip-ssl-validation")))
    http_warning(ctx, url)
    ui.ok()
    ui.say()
    target_block(ctx)
    return 0


def logout(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf logout``: always succeeds."""
    ctx.ui.say("Logging out...")
    ctx.clear_session()
    ctx.ui.ok()
    return 0


def target(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf target [-o ORG] [-s SPACE]``."""
    ui = ctx.ui
    org_name, space_name = opts.get("o"), opts.get("s")
    if org_name is not None:
        ctx.set_session(org=None, space=None)
        found = ctx.find_org(org_name) if ctx.user else None
        if found is None:
            raise ui.failed(f"Could not target org.\nOrganization {ui.entity(org_name)} not found")
        ctx.set_session(org=found)
        spaces = list(ctx.org_dict()["spaces"])
        if len(spaces) == 1 and space_name is None:
            ctx.set_session(space=spaces[0])
    if space_name is not None:
        if not ctx.org or ctx.org not in ctx.state["orgs"]:
            raise ui.failed("An org must be targeted before targeting a space")
        ctx.set_session(space=None)
        found = ctx.find_space(space_name) if ctx.user else None
        if found is None:
            raise ui.failed(
                f"Unable to access space {ui.entity(space_name)}.\nSpace {ui.entity(space_name)} not found"
            )
        ctx.set_session(space=found)
    target_block(ctx)
    return 0 if ctx.user else 1
