"""Every command of cf CLI v6.16.1: names, aliases, help text, flags, argument counts,
requirements; and which of them the mock simulates.

Why: ``cf help CMD``, ``cf CMD -h``, "Incorrect Usage", flag errors and requirement
failures all come from one command registry in cf v6. The table itself
(``v6_commands.json``) is what the real CLI printed and accepted, written by
``scripts/cf_oracle.py meta``; this module reads it and says which module of the mock
simulates each command (``HANDLERS``). Commands without a handler are still known: their
usage, flags and requirements behave as in cf, and only then the mock says it is offline.
(Plain classes, not dataclasses: importing ``dataclasses`` would cost ~15 ms of start-up.)
"""

from __future__ import annotations

import os

from workshop.mock import jsonlite as json

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from collections.abc import Callable
    from typing import Any

HANDLERS = {
    "api": "commands_target:api",
    "login": "commands_login:login",
    "auth": "commands_login:auth",
    "oauth-token": "commands_login:oauth_token",
    "create-app-manifest": "commands_apps:create_app_manifest",
    "create-quota": "commands_quotas:create_quota",
    "update-quota": "commands_quotas:update_quota",
    "delete-quota": "commands_quotas:delete_quota",
    "quota": "commands_quotas:quota",
    "set-quota": "commands_quotas:set_quota",
    "create-space-quota": "commands_quotas:create_space_quota",
    "update-space-quota": "commands_quotas:update_space_quota",
    "set-space-quota": "commands_quotas:set_space_quota",
    "unset-space-quota": "commands_quotas:unset_space_quota",
    "create-org": "commands_admin:create_org",
    "delete-org": "commands_admin:delete_org",
    "rename-org": "commands_admin:rename_org",
    "rename-space": "commands_admin:rename_space",
    "create-user": "commands_admin:create_user",
    "delete-user": "commands_admin:delete_user",
    "set-org-role": "commands_admin:set_org_role",
    "unset-org-role": "commands_admin:unset_org_role",
    "set-space-role": "commands_admin:set_space_role",
    "unset-space-role": "commands_admin:unset_space_role",
    "org-users": "commands_admin:org_users",
    "space-users": "commands_admin:space_users",
    "logout": "commands_target:logout",
    "target": "commands_target:target",
    "orgs": "commands_spaces:orgs",
    "org": "commands_show:org",
    "spaces": "commands_spaces:spaces",
    "space": "commands_show:space",
    "create-space": "commands_spaces:create_space",
    "delete-space": "commands_spaces:delete_space",
    "domains": "commands_spaces:domains",
    "quotas": "commands_show:quotas",
    "marketplace": "commands_services:marketplace",
    "create-service": "commands_services:create_service",
    "services": "commands_services:services",
    "service": "commands_show:service",
    "bind-service": "commands_services:bind_service",
    "unbind-service": "commands_services:unbind_service",
    "delete-service": "commands_services:delete_service",
    "update-service": "commands_services:update_service",
    "rename-service": "commands_services:rename_service",
    "create-user-provided-service": "commands_services:cups",
    "update-user-provided-service": "commands_services:uups",
    "push": "commands_push:push",
    "apps": "commands_apps:apps",
    "app": "commands_apps:app",
    "rename": "commands_show:rename",
    "events": "commands_show:events",
    "files": "commands_show:files",
    "ssh": "commands_show:ssh",
    "routes": "commands_routes:routes",
    "create-route": "commands_routes:create_route",
    "map-route": "commands_routes:map_route",
    "unmap-route": "commands_routes:unmap_route",
    "delete-route": "commands_routes:delete_route",
    "delete": "commands_apps:delete",
    "start": "commands_lifecycle:start",
    "stop": "commands_lifecycle:stop",
    "restart": "commands_lifecycle:restart",
    "restart-app-instance": "commands_lifecycle:restart_app_instance",
    "restage": "commands_lifecycle:restage",
    "scale": "commands_lifecycle:scale",
    "env": "commands_env:env",
    "set-env": "commands_env:set_env",
    "unset-env": "commands_env:unset_env",
    "logs": "commands_logs:logs",
    "buildpacks": "commands_info:buildpacks",
    "stacks": "commands_info:stacks",
    "config": "commands_info:config",
    "curl": "commands_curl:curl",
    "plugins": "commands_info:plugins",
    "list-plugin-repos": "commands_info:plugin_repos",
    "create-security-group": "commands_secgroups:create_security_group",
    "update-security-group": "commands_secgroups:update_security_group",
    "delete-security-group": "commands_secgroups:delete_security_group",
    "security-groups": "commands_secgroups:security_groups",
    "security-group": "commands_secgroups:security_group",
    "bind-security-group": "commands_secgroups:bind_security_group",
    "unbind-security-group": "commands_secgroups:unbind_security_group",
    "bind-staging-security-group": "commands_secgroups:bind_staging_security_group",
    "bind-running-security-group": "commands_secgroups:bind_running_security_group",
    "unbind-staging-security-group": "commands_secgroups:unbind_staging_security_group",
    "unbind-running-security-group": "commands_secgroups:unbind_running_security_group",
    "staging-security-groups": "commands_secgroups:staging_security_groups",
    "running-security-groups": "commands_secgroups:running_security_groups",
}
"""Commands the mock simulates → ``module:function`` inside ``workshop.mock.cf``."""


_PATH = "?path?min:2.36.0:Option '--path'"
_R = "?r?min:2.51.0:Option '-r'"
REQUIREMENTS = {
    "create-space": ("login", "!o!org"),  # a targeted org only without -o
    "target": ("api", "?o?login", "?s?login"),
    "unbind-route-service": ("min:2.51.0:unbind-route-service", "login"),
    "bind-route-service": ("login", "min:2.51.0:bind-route-service"),
    "purge-service-instance": ("login", "min:2.36.0:purge-service-instance"),
    "migrate-service-instances": ("login", "max:2.46.0:migrate-service-instances"),
    "service-auth-tokens": ("login", "max:2.46.0:service-auth-tokens"),
    "create-service-auth-token": ("login", "max:2.46.0:create-service-auth-token"),
    "update-service-auth-token": ("login", "max:2.46.0:update-service-auth-token"),
    "delete-service-auth-token": ("login", "max:2.46.0:delete-service-auth-token"),
    "purge-service-offering": ("login", "?p?max:2.46.0:Option '-p'"),
    "create-route": (_PATH, "login", "org"),
    "check-route": (_PATH, "org", "login"),
    "map-route": (_PATH, "login"),
    "unmap-route": (_PATH, "login"),
    "delete-route": (_PATH, "login"),
    "create-user-provided-service": ("login", "space", _R),
    "update-user-provided-service": ("login", _R),
}
"""Requirements the table cannot show (API version checks, some behind a flag), in cf's
order, from the v6.16.1 sources: ``min:``/``max:VERSION:FEATURE``, ``?FLAG?…`` only when
the flag is given."""


class Flag:
    """One flag: names without dashes (long first, as cf's help lists them) and kind
    (``bool``, ``str``, ``int`` or ``float``)."""

    __slots__ = ("names", "kind")

    def __init__(self, names: tuple[str, ...], kind: str) -> None:
        self.names = names
        self.kind = kind


class Spec:
    """A cf command as its help, parser and requirements see it.

    ``help`` is exactly what ``cf help NAME`` prints; ``usage`` is its USAGE text;
    ``counts`` maps a positional argument count (0-5, more counts as 5) to the
    ``Incorrect Usage…`` message cf prints for it, or None when cf accepts it;
    ``requirements`` are cf's requirement checks in order (``api``, ``login``, ``org``,
    ``space``); ``skip_flags``: cf passes every word as an argument (``set-env``).

    A view of the table's row: each field is worked out when asked for, as a ``cf`` call
    asks for one command's (working out all 149 commands' fields cost each call ~2 ms).
    """

    __slots__ = ("name", "alias", "_row")

    def __init__(self, row: dict[str, Any]) -> None:
        self.name: str = row["name"]
        self.alias: str = row["alias"]
        self._row = row

    @property
    def help(self) -> str:
        """What ``cf help NAME`` prints."""
        return str(self._row["usage"])

    @property
    def description(self) -> str:
        """The one-line description after the command's name in its help."""
        return self.help.partition("\n\nUSAGE:\n   ")[0].partition(" - ")[2]

    @property
    def usage(self) -> str:
        """The USAGE section of its help."""
        rest = self.help.partition("\n\nUSAGE:\n   ")[2]
        return rest.split("\n\nALIAS:\n", 1)[0].split("\n\nOPTIONS:\n", 1)[0].rstrip("\n")

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Its flags, as its help lists them."""
        return tuple(Flag(tuple(f["names"]), f["kind"]) for f in self._row["flags"])

    @property
    def counts(self) -> dict[int, str | None]:
        """Positional argument count (0-5) → cf's ``Incorrect Usage…`` message, or None."""
        return {int(n): why for n, why in self._row["counts"].items()}

    @property
    def requirements(self) -> tuple[str, ...]:
        """cf's requirement checks, in order."""
        return REQUIREMENTS.get(self.name, tuple(self._row["requirements"]))

    @property
    def skip_flags(self) -> bool:
        """True when cf passes every word as an argument (``set-env``)."""
        return bool(self._row["skip_flags"])

    @property
    def handler(self) -> str:
        """``module:function`` of the mock that simulates it, or "" (offline only)."""
        return HANDLERS.get(self.name, "")

    def count_problem(self, count: int) -> str | None:
        """cf's ``Incorrect Usage…`` message for ``count`` arguments, None when fine."""
        counts = self.counts
        return counts.get(min(count, max(counts)))


def _load() -> dict[str, Any]:
    path = os.path.join(os.path.dirname(__file__), "v6_commands.json")
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


_DATA = _load()
HELP: str = _DATA["help"]
"""``cf help`` as v6.16.1 prints it."""
VERSION_LINE: str = _DATA["version"]
BUILD_LINE = "cf was built with Go version: go1.5.3\n"
"""The released v6.16.1 was built with Go 1.5 (February 2016); the table's CLI was rebuilt
from the tag with a recent Go, whose version it prints (an intended difference)."""
SPECS: tuple[Spec, ...] = tuple(Spec(row) for row in _DATA["commands"])
BY_NAME: dict[str, Spec] = {}
for _spec in SPECS:
    BY_NAME[_spec.name] = _spec
    if _spec.alias:
        BY_NAME[_spec.alias] = _spec


def help_text(header: Callable[[str], str] | None = None) -> str:
    """``cf help``: its section titles in cf's header colour when ``header`` is given."""
    if header is None:
        return HELP
    return "".join(
        header(line.rstrip("\n")) + "\n" if _is_title(line) else line
        for line in HELP.splitlines(keepends=True)
    )


def _is_title(line: str) -> bool:
    text = line.rstrip("\n")
    return text.endswith(":") and text[:1].isupper() and text.upper() == text
