"""cf's own config file, ``$CF_HOME/.cf/config.json``, mirrored from the mock's state.

Why: tools and learners look at ``~/.cf/config.json`` (``cat``, ``jq .SpaceFields``), and
the real CLI keeps its session there. In the mock the session's single source of truth
is ``state.json`` (``session``); this file is rewritten after every command that changes
the session, in cf v6's exact key order (reference §1.10), with an unsigned fake token.
"""

from __future__ import annotations

import binascii
import os

from workshop.mock import jsonlite as json

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from pathlib import Path
    from typing import Any


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def path(home: Path | str, cf_home: Path | str | None = None) -> str:
    """``$CF_HOME/.cf/config.json``: ``cf_home``, else $CF_HOME, else the mock home."""
    base = str(cf_home or os.environ.get("CF_HOME") or home)
    return os.path.join(base, ".cf", "config.json")


def _token(user: str) -> str:
    def seg(obj: dict[str, Any]) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        # base64.urlsafe_b64encode, whose module imports ``re`` (5 ms of a mock command)
        encoded = binascii.b2a_base64(raw, newline=False).translate(_URLSAFE)
        return encoded.decode().rstrip("=")

    claims = {
        "user_id": "3b1c5e2a-5f0b-4c6e-9f51-0d1b2c3d4e5f",
        "user_name": user,
        "email": user,
        "scope": ["cloud_controller.read", "cloud_controller.write", "openid"],
    }
    return "bearer " + seg({"alg": "none"}) + "." + seg(claims) + ".mock"


def access_token(user: str) -> str:
    """The session's access token as cf shows it (``bearer …``)."""
    return _token(user)


def render(state: dict[str, Any]) -> dict[str, Any]:
    """The config document matching ``state``'s api and session."""
    api = state.get("api") or {}
    session = state.get("session") or {}
    settings = state.get("cli_config") or {}  # what cf config set
    user, org, space = session.get("user"), session.get("org"), session.get("space")
    orgs = state.get("orgs") or {}
    org_guid = orgs.get(org, {}).get("guid", "") if org else ""
    space_guid = ""
    if org and space:
        space_guid = orgs.get(org, {}).get("spaces", {}).get(space, {}).get("guid", "")
    url = api.get("url", "")
    host = url.split("://", 1)[-1]
    system = host[4:] if host.startswith("api.") else host
    return {
        "ConfigVersion": 3,
        "Target": url,
        "ApiVersion": api.get("version", ""),
        "AuthorizationEndpoint": f"https://login.{system}" if url else "",
        "LoggregatorEndPoint": f"wss://loggregator.{system}:4443" if url else "",
        "DopplerEndPoint": f"wss://doppler.{system}:4443" if url else "",
        "UaaEndpoint": f"https://uaa.{system}" if url else "",
        "RoutingApiEndpoint": "",
        "AccessToken": _token(user) if user else "",
        "SSHOAuthClient": "ssh-proxy",
        "RefreshToken": "mock-refresh-token" if user else "",
        "OrganizationFields": {
            "Guid": org_guid,
            "Name": org or "",
            "QuotaDefinition": {
                "name": "",
                "memory_limit": 0,
                "instance_memory_limit": 0,
                "total_routes": 0,
                "total_services": 0,
                "non_basic_services_allowed": False,
            },
        },
        "SpaceFields": {"Guid": space_guid, "Name": space or "", "AllowSSH": False},
        "SSLDisabled": bool(api.get("skip_ssl")),
        "AsyncTimeout": settings.get("AsyncTimeout", 0),
        "Trace": settings.get("Trace", ""),
        "ColorEnabled": settings.get("ColorEnabled", ""),
        "Locale": settings.get("Locale", ""),
        "PluginRepos": [{"Name": "CF-Community", "Url": "http://plugins.cloudfoundry.org"}],
        "MinCliVersion": "",
        "MinRecommendedCliVersion": "",
    }


def write(home: Path | str, state: dict[str, Any], cf_home: Path | str | None = None) -> None:
    """Rewrite the config file (dir 0700, file 0600, written atomically)."""
    target = path(home, cf_home)
    try:
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        tmp = os.path.join(os.path.dirname(target), f".config.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(render(state), indent=2))
        os.replace(tmp, target)
    except OSError:
        pass  # the config is a courtesy mirror; the state file is what counts
