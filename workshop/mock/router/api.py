"""The Cloud Controller's own host behind the mock router: ``api.<domain>`` answers ``/v2/info``.

Why: the original platform checks, before a unit starts, that
``curl -I http://api.$CF_DOMAIN/v2/info`` answers ``HTTP/1.1 200 OK``; a real foundation's
router sends that host to the Cloud Controller, which answers ``/v2/info`` without a token
(the same JSON ``cf curl /v2/info`` prints) and any other ``/v2`` path with 401
``CF-InvalidAuthToken``. The API hosts are the ones ``cf api`` accepts offline: PWS's
``api.run.pivotal.io``, the configured endpoint and ``api.<apps domain>``.
"""

from __future__ import annotations

import json
from typing import Any

JSON_TYPE = "application/json;charset=utf-8"


def api_hosts(state: dict[str, Any]) -> set[str]:
    """The host names the simulated Cloud Controller answers on."""
    configured = str((state.get("api") or {}).get("url") or "").partition("://")[2]
    hosts = {"api.run.pivotal.io", configured.split("/")[0].lower()}
    hosts.add("api." + str(state.get("domain") or "cfapps.io").lower())
    hosts.discard("")
    return hosts


def answer(state: dict[str, Any], host: str, path: str) -> tuple[int, bytes]:
    """The Cloud Controller's status and JSON body for an unauthenticated request of
    ``path`` on ``host`` (its endpoints are named after that host)."""
    from workshop.mock.cf.commands_curl import info

    path = "/" + path.split("?", 1)[0].strip("/")
    if path == "/v2/info":
        version = (state.get("api") or {}).get("version") or "2.46.0"
        api = {"url": f"https://{host}", "version": version}
        body: dict[str, Any] = info({**state, "api": api})
        status = 200
    elif path.startswith("/v2/"):
        status = 401
        body = {
            "code": 1000,
            "description": "Invalid Auth Token",
            "error_code": "CF-InvalidAuthToken",
        }
    else:
        status = 404
        body = {"code": 10000, "description": "Unknown request", "error_code": "CF-NotFound"}
    return status, json.dumps(body).encode()
