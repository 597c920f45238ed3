"""``cf curl PATH``: the Cloud Controller's v2 API, answered from the mock's foundation.

Why: learners who read about the API try ``cf curl /v2/info`` and ``cf curl /v2/apps``;
the answers are built from the same state the other commands show (a collection, or one
of its resources by the ``url`` it gives), in the Cloud Controller's JSON shapes (``/v2/info`` as PWS answered in early 2016, UNVERIFIED in its
build and fingerprint values), pretty-printed with three spaces as cf does. Other paths
get the Cloud Controller's ``CF-NotFound`` body.
"""

from __future__ import annotations

import json

from workshop.mock import state as st
from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

_CREATED = "2016-01-26T22:20:04Z"


def info(state: dict[str, Any]) -> dict[str, Any]:
    """The body of ``GET /v2/info`` on the foundation's endpoint (also the router's answer)."""
    api = state.get("api") or {}
    host = str(api.get("url", "")).split("://", 1)[-1]
    system = host[4:] if host.startswith("api.") else host
    return {
        "name": "vcap",
        "build": "2222",
        "support": "http://support.cloudfoundry.com",
        "version": 2,
        "description": "Cloud Foundry sponsored by Pivotal",
        "authorization_endpoint": f"https://login.{system}",
        "token_endpoint": f"https://uaa.{system}",
        "min_cli_version": "6.7.0",
        "min_recommended_cli_version": "6.11.2",
        "api_version": api.get("version", ""),
        "app_ssh_endpoint": f"ssh.{system}:2222",
        "app_ssh_host_key_fingerprint": "e7:13:4e:32:ee:39:62:df:54:41:d7:f7:8b:b2:a7:6b",
        "app_ssh_oauth_client": "ssh-proxy",
        "routing_endpoint": f"https://api.{system}/routing",
        "logging_endpoint": f"wss://loggregator.{system}:4443",
        "doppler_logging_endpoint": f"wss://doppler.{system}:443",
    }


def _resource(kind: str, guid: str, entity: dict[str, Any]) -> dict[str, Any]:
    return {
        "metadata": {
            "guid": guid,
            "url": f"/v2/{kind}/{guid}",
            "created_at": _CREATED,
            "updated_at": None,
        },
        "entity": entity,
    }


def _page(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "total_results": len(resources),
        "total_pages": 1,
        "prev_url": None,
        "next_url": None,
        "resources": resources,
    }


def collection(ctx: Context, kind: str) -> dict[str, Any] | None:
    orgs = ctx.state.get("orgs") or {}
    if kind == "organizations":
        items = [
            _resource(kind, o["guid"], {"name": n, "status": "active"}) for n, o in orgs.items()
        ]
        return _page(items)
    spaces = [(on, sn, s) for on, o in orgs.items() for sn, s in o["spaces"].items()]
    if kind == "spaces":
        items = [
            _resource(kind, s["guid"], {"name": sn, "organization_guid": orgs[on]["guid"]})
            for on, sn, s in spaces
        ]
        return _page(items)
    if kind == "apps":
        items = []
        for _on, _sn, s in spaces:
            for name, app in s["apps"].items():
                entity = {
                    "name": name,
                    "space_guid": s["guid"],
                    "memory": app["memory"],
                    "instances": app["instances"],
                    "disk_quota": app["disk"],
                    "state": str(app["state"]).upper(),
                    "buildpack": app.get("buildpack"),
                    "detected_buildpack": app.get("detected_buildpack") or "",
                    "environment_json": app.get("env") or {},
                    "health_check_type": "port",
                }
                items.append(_resource(kind, app["guid"], entity))
        return _page(items)
    if kind == "service_instances":
        items = [
            _resource(kind, svc["guid"], {"name": name, "space_guid": s["guid"]})
            for _on, _sn, s in spaces
            for name, svc in s["services"].items()
        ]
        return _page(items)
    if kind == "routes":
        items = [
            _resource(kind, r["guid"], {"host": r["host"], "path": r.get("path", "")})
            for r in (ctx.state.get("routes") or {}).values()
        ]
        return _page(items)
    if kind == "shared_domains":
        domain = str(ctx.state.get("domain") or st.DEFAULT_DOMAIN)
        return _page([_resource(kind, "8b5e8b8c-9a3b-4d0e-9c4a-7b1d2e3f4a5b", {"name": domain})])
    return None


def curl(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf curl PATH [-X METHOD] [-i] [-v] [--output FILE]`` (reads only)."""
    ui = ctx.ui
    path = args[0].split("?", 1)[0].rstrip("/")
    if not path.startswith("/"):
        path = "/" + path
    method = str(opts.get("X") or "GET").upper()
    body: dict[str, Any] | None
    status = "200 OK"
    if path == "/v2/info":
        body = info(ctx.state)
    elif not ctx.user:
        status = "401 Unauthorized"
        body = {
            "code": 1000,
            "description": "Invalid Auth Token",
            "error_code": "CF-InvalidAuthToken",
        }
    else:
        parts = path.split("/")
        body = collection(ctx, parts[2]) if len(parts) in (3, 4) and parts[1] == "v2" else None
        if body is not None and len(parts) == 4:  # one resource of the collection, by guid
            found = [r for r in body["resources"] if r["metadata"]["guid"] == parts[3]]
            body = found[0] if found else None
        if body is not None and method != "GET":
            status = "405 Method Not Allowed"  # the mock's foundation changes through cf only
            body = {"code": 10000, "description": "Unknown request", "error_code": "CF-NotFound"}
        elif body is None:
            status = "404 Not Found"
            body = {"code": 10000, "description": "Unknown request", "error_code": "CF-NotFound"}
    from workshop.mock.cf import trace

    if trace.enabled(bool(opts.get("v"))):
        trace.request(ctx, method, args[0], status, json.dumps(body, indent=2))
    text = json.dumps(body, indent=3, ensure_ascii=False)
    if opts.get("output"):
        with open(opts["output"], "w", encoding="utf-8") as fh:
            fh.write(json.dumps(body, separators=(",", ":")))
        return 0
    if opts.get("i"):
        ui.say(f"HTTP/1.1 {status}\r\nContent-Type: application/json;charset=utf-8\r\n")
    ui.say(text)
    return 0
