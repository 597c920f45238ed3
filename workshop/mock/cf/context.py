"""What a command works with: the UI, the state, where it runs; and cf's requirements.

Why: every cf v6 command first checks its "requirements" (API endpoint, logged in,
targeted org/space, the app exists) in a fixed order with fixed messages (reference §1.4),
including v6.14–6.16's quirk of printing "Not logged in" and carrying on. One place for
them keeps every command's error paths identical to the real CLI's.
"""

from __future__ import annotations

import os

from workshop.mock.cf.ui import UI, Failed

TYPE_CHECKING = False
if TYPE_CHECKING:  # no runtime import of typing/pathlib: start-up time
    from pathlib import Path
    from typing import Any


class Context:
    """One cf invocation: its output, the foundation and the learner's working folder."""

    def __init__(self, ui: UI, state: dict[str, Any], home: Path | str) -> None:
        self.ui = ui
        self.state = state
        self.home = home
        self.session_changed = False
        self.checked = False
        """True once main ran the command's requirements: the need_* checks are done."""

    @property
    def cwd(self) -> Path:
        """The folder cf runs in (a Path; pathlib is imported only when asked)."""
        from pathlib import Path

        return Path(os.getcwd())

    # -- session ----------------------------------------------------------------------
    @property
    def session(self) -> dict[str, Any]:
        """``state["session"]``, created when missing."""
        return self.state.setdefault("session", {"user": None, "org": None, "space": None})

    @property
    def user(self) -> str:
        """The logged-in user ('' when none)."""
        return self.session.get("user") or ""

    @property
    def org(self) -> str:
        """The targeted org ('' when none)."""
        return self.session.get("org") or ""

    @property
    def space(self) -> str:
        """The targeted space ('' when none)."""
        return self.session.get("space") or ""

    def set_session(self, **changes: Any) -> None:
        """Change user/org/space of the session (config.json is mirrored afterwards)."""
        self.session.update(changes)
        self.session_changed = True

    def clear_session(self) -> None:
        """cf's ClearSession: token, org and space go; the endpoint stays."""
        self.set_session(user=None, org=None, space=None)

    # -- lookups ----------------------------------------------------------------------
    def org_dict(self, org: str | None = None) -> dict[str, Any]:
        """The targeted (or named) org's record."""
        return self.state["orgs"][org or self.org]

    def space_dict(self) -> dict[str, Any]:
        """The targeted space's record; with no space targeted (``cf auth`` clears the
        target, and some commands, such as ``bind-service``, do not require one in v6.16.1)
        an empty space that is not kept: cf's lookups in it find nothing."""
        space = self.state["orgs"].get(self.org or "", {}).get("spaces", {}).get(self.space or "")
        if space is None:
            from workshop.mock.state import new_space

            return new_space()
        return space

    def find_org(self, name: str) -> str | None:
        """An org of the user by name (case-insensitive, as cf lower-cases the query)."""
        return _find(self.state.get("orgs", {}), name)

    def find_space(self, name: str, org: str | None = None) -> str | None:
        """A space of the targeted (or named) org by name, case-insensitive."""
        return _find(self.state["orgs"][org or self.org]["spaces"], name)

    def where(self) -> str:
        """``in org O / space S as U`` with cf's colours."""
        e = self.ui.entity
        return f"in org {e(self.org)} / space {e(self.space)} as {e(self.user)}"

    # -- requirements (reference §1.4) ------------------------------------------------
    def need_api(self) -> None:
        """6.14–6.16: print the message and carry on."""
        if self.checked:
            return
        if not self.state.get("api"):
            self.ui.say(msg_no_api(self.ui))

    def need_login(self) -> None:
        """6.14–6.16: print the message and carry on (the next requirement usually fails)."""
        if self.checked:
            return
        if not self.user:
            self.ui.say(msg_not_logged_in(self.ui))

    def need_org(self) -> None:
        """``FAILED`` + R-ORG when no org is targeted."""
        if self.checked:
            return
        if not self.org or self.org not in self.state.get("orgs", {}):
            raise self.ui.failed(
                "No org targeted, use " + self.ui.hint("'cf target -o ORG'") + " to target an org."
            )

    def need_space(self) -> None:
        """``FAILED`` + R-ORGSPACE (no org) or R-SPACE (org but no space)."""
        if self.checked:
            return
        orgs = self.state.get("orgs", {})
        if not self.org or self.org not in orgs:
            raise self.ui.failed(
                "No org and space targeted, use "
                + self.ui.hint("'cf target -o ORG -s SPACE'")
                + " to target an org and space"
            )
        if not self.space or self.space not in orgs[self.org]["spaces"]:
            raise self.ui.failed(
                "No space targeted, use " + self.ui.hint("'cf target -s'") + " to target a space"
            )

    def need_api_version(self, bound: str, version: str, feature: str) -> None:
        """cf's Min/MaxAPIVersionRequirement: ``FAILED`` when the target's version is out."""
        have = str((self.state.get("api") or {}).get("version") or "")
        if not have:
            raise self.ui.failed("Unable to determine CC API Version. Please log in again.")
        try:
            mine = tuple(int(part) for part in have.split("."))
        except ValueError:
            raise self.ui.failed(f"Unable to parse CC API Version '{have}'") from None
        limit = tuple(int(part) for part in version.split("."))
        if bound == "min" and mine < limit:
            raise self.ui.failed(
                f"{feature} requires CF API version {version}+. Your target is {have}."
            )
        if bound == "max" and mine > limit:
            raise self.ui.failed(
                f"{feature} only works up to CF API version {version}. Your target is {have}."
            )

    def authenticated(self) -> None:
        """Past the quirky requirements without a token, the API call answers 401.

        UNVERIFIED wording (reference §1.4): the Cloud Controller's authentication error.
        """
        if not self.state.get("api"):  # a session without an endpoint (cf api --unset)
            space = self.state["orgs"].get(self.org, {}).get("spaces", {}).get(self.space, {})
            raise self.ui.failed(
                f"Error performing request: Get /v2/spaces/{space.get('guid', '')}/summary: "
                'unsupported protocol scheme ""'
            )
        if not self.user:
            raise self.ui.failed(
                "Server error, status code: 401, error code: 10002, message: Authentication error"
            )

    def login_only(self) -> None:
        """Commands whose only requirement is login: the ≥6.17 shape, FAILED + R-LOGIN."""
        if self.checked:
            return
        if not self.user:
            raise self.ui.failed(msg_not_logged_in(self.ui))

    def target_space(self) -> None:
        """login + targeted space, as most app and service commands need."""
        self.need_login()
        self.need_space()
        self.authenticated()

    def need_app(self, name: str) -> dict[str, Any]:
        """The app ``name`` of the targeted space, or ``FAILED`` / ``App X not found``."""
        app = self.space_dict()["apps"].get(name)
        if app is None:
            raise self.ui.failed(f"App {self.ui.entity(name)} not found")
        return app


def msg_no_api(ui: UI) -> str:
    """R-API."""
    return (
        "No API endpoint set. Use "
        + ui.hint("'cf login'")
        + " or "
        + ui.hint("'cf api'")
        + " to target an endpoint."
    )


def msg_not_logged_in(ui: UI) -> str:
    """R-LOGIN."""
    return "Not logged in. Use " + ui.hint("'cf login'") + " to log in."


def _find(table: dict[str, Any], name: str) -> str | None:
    if name in table:
        return name
    low = name.lower()
    for key in table:
        if key.lower() == low:
            return key
    return None


__all__ = ["Context", "Failed", "msg_no_api", "msg_not_logged_in"]
