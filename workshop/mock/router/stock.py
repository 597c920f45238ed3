"""The `stock` Spring Boot app of the 12-factor workshop, emulated for the mock router.

Every started app of the simulated foundation answers like the workshop's `stock` service
(VladimirZenkevich/workshop-12-factors, Spring Boot 1.3 with Spring Security): `/stock/ping`,
the `/stock` CRUD kept per bound database instance, `/stock/factor7`, the HTTP Basic
`/secured/*` endpoints and `/logout`. Errors look like Spring Boot 1.3's error controller
(JSON for curl, the "Whitelabel Error Page" for a browser). This module knows nothing of
HTTP servers: the router hands it a :class:`Request` and an :class:`AppContext` and writes
back the :class:`Response`.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import Any

from workshop.mock.tools import features

JSON_TYPE = "application/json;charset=UTF-8"
TEXT_TYPE = "text/plain;charset=UTF-8"
HTML_TYPE = "text/html;charset=UTF-8"

# The in-memory users of the app's SecurityConfig (Factor VI): name -> (password, roles).
USERS = {"admin": ("admin_pass", {"ADMIN"}), "user": ("user_pass", {"USER"})}
ITEM_TYPES = ("UNKNOWN", "ELECTRONICS", "CD")
# Service offerings Spring Cloud Connectors would turn into the app's DataSource.
DB_LABELS = {"cleardb", "p-mysql", "mysql", "elephantsql", "postgresql", "p-postgresql"}
REDIS_LABELS = {"rediscloud", "p-redis", "redis"}
REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


@dataclass
class Request:
    """One HTTP request as the app sees it (path without the query string)."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes = b""


@dataclass
class Response:
    """What the app answers; the router adds the transport headers."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    app_logs: list[str] = field(default_factory=list)
    """Lines the app writes to stdout while answering (its ``APP/<index>`` log lines)."""


@dataclass
class AppContext:
    """The app instance that serves a request, as read from the mock state."""

    home: Path
    name: str
    guid: str
    index: int
    address: tuple[str, int]  # the instance's container IP and external port
    started_at: float
    running_env: dict[str, Any]
    services: list[dict[str, Any]]  # the bound service instances (state dicts, with "name")
    features: list[str] | None = None
    """The course's edits its jar carries (``workshop.mock.tools.features``); None: all."""


def handle(req: Request, app: AppContext) -> Response:
    """Answer ``req`` the way the stock app would."""
    path = req.path.rstrip("/") or "/"  # Spring MVC's trailing-slash match
    method = "GET" if req.method == "HEAD" else req.method
    if path.startswith("/secured/") or path == "/secured":
        return _secured(req, app, path, method)
    if path == "/stock/ping":
        if method != "GET":
            return _not_allowed(req, path, method)
        if not features.has(app.features, features.ENV_PING):
            return _ok("Ping", JSON_TYPE, app)  # the code before chapter III's edit
        value = _env_property(app.running_env, "environment.variable")
        return _ok(f"Ping {value}", JSON_TYPE, app)  # produces=application/json, a plain string
    if path == "/stock/factor7":
        if method != "GET":
            return _not_allowed(req, path, method)
        ip, port = app.address
        # CF_INSTANCE_PORTS on Diego is JSON: [{"external":60112,"internal":8080}]
        ports = json.dumps([{"external": port, "internal": 8080}], separators=(",", ":"))
        return _ok(f" From ip {ip} and ports {ports}", TEXT_TYPE, app)
    if path == "/logout":
        _SESSIONS.drop(_session_store(app), _cookie(req, _session_cookie_name(app)))
        return _ok("Logout done!", TEXT_TYPE, app)
    if path == "/stock" or path.startswith("/stock/"):
        if not features.has(app.features, features.CRUD):  # before chapter IV's edit
            return spring_error(req, 404, path, "No message available")
        return _crud(req, app, path, method)
    return spring_error(req, 404, path, "No message available")


# --- /stock CRUD ---------------------------------------------------------------------------


def _crud(req: Request, app: AppContext, path: str, method: str) -> Response:
    # Spring Security 4's CSRF protection (which could answer 403 to POST/PUT/DELETE after
    # Factor VI) is not emulated: the workshop's own checks POST without a token.
    item_id: int | None = None
    if path != "/stock":
        raw = path[len("/stock/") :]
        if "/" in raw:
            return spring_error(req, 404, path, "No message available")
        if method not in ("GET", "DELETE"):
            return _not_allowed(req, path, method)
        try:
            item_id = int(raw)
        except ValueError:
            return spring_error(
                req,
                400,
                path,
                f"Failed to convert value of type [java.lang.String] to required type "
                f"[java.lang.Long]; nested exception is java.lang.NumberFormatException: "
                f'For input string: "{raw}"',
                "org.springframework.web.method.annotation.MethodArgumentTypeMismatchException",
            )
    elif method not in ("GET", "POST", "PUT"):
        return _not_allowed(req, path, method)
    database = _database(app)
    if database is None:
        # No relational service bound: on Cloud Foundry the app's DataSource would point at the
        # application.yml default (jdbc:mysql://localhost/...), so every repository call fails.
        # A real app would rather crash at start-up (Flyway); answering 500 keeps the other
        # endpoints usable in the mock while telling the learner a database is missing.
        return spring_error(
            req,
            500,
            path,
            "Could not open JPA EntityManager for transaction; nested exception is "
            "javax.persistence.PersistenceException: org.hibernate.exception."
            "JDBCConnectionException: Unable to acquire JDBC Connection",
            "org.springframework.transaction.CannotCreateTransactionException",
        )
    store = app.home / "data" / f"{database['guid']}.json"
    item: dict[str, Any] = {}
    if method in ("POST", "PUT"):
        parsed = _parse_item(req)
        if isinstance(parsed, Response):
            return parsed
        item = parsed
    with _LockedTable(store) as table:
        items: list[dict[str, Any]] = table["items"]
        if item_id is not None:
            found = next((i for i in items if i["id"] == item_id), None)
            if method == "GET":
                # Chapter XI's logging around the search (logback pattern of its logback.xml)
                logs = [
                    _app_log(f"!!!!!! {what} search of stock item(id={item_id}) search")
                    for what in ("Starting", "Finishing")
                    if features.has(app.features, features.SEARCH_LOGGING)
                ]
                response = Response(404) if found is None else _json(200, found, app)
                response.app_logs.extend(logs)
                return response
            if found is None:
                return Response(404)  # ResponseEntity(NOT_FOUND): empty body
            items.remove(found)
            return Response(200)
        if method == "GET":
            return _json(200, items, app)
        if method == "POST":
            item["id"] = table["next_id"]
            table["next_id"] += 1
            items.append(item)
            return _json(201, item, app)
        index = next((n for n, i in enumerate(items) if i["id"] == item.get("id")), None)
        if index is None:
            return Response(404)
        items[index] = item
        return _json(200, item, app)


def _app_log(message: str) -> str:
    """One line as the stock app's logback.xml formats it (chapter XI)."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    return f"{stamp} INFO  c.a.stock.resources.StockResource - {message}"


def _parse_item(req: Request) -> dict[str, Any] | Response:
    ctype = req.headers.get("content-type", "")
    if "json" not in ctype:
        return spring_error(
            req,
            415,
            req.path,
            f"Content type '{ctype or 'application/octet-stream'}' not supported",
            "org.springframework.web.HttpMediaTypeNotSupportedException",
        )
    try:
        data = json.loads(req.body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        kind = data.get("type")
        if kind is not None and kind not in ITEM_TYPES:
            raise ValueError(f"value not one of declared Enum instance names: {list(ITEM_TYPES)}")
        raw_id = data.get("id")
        item_id = int(raw_id) if raw_id is not None else None
    except (ValueError, UnicodeDecodeError, TypeError) as exc:
        return spring_error(
            req,
            400,
            req.path,
            f"Could not read document: {exc}",
            "org.springframework.http.converter.HttpMessageNotReadableException",
        )
    return {
        "id": item_id,
        "type": kind,
        "title": _text(data.get("title")),
        "description": _text(data.get("description")),
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class _LockedTable:
    """A JSON table file under an exclusive lock (two router threads, two routers)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> dict[str, Any]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = open(self.path.with_suffix(".lock"), "a")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        try:
            self.table: dict[str, Any] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.table = {"next_id": 1, "items": []}
        self.before = json.dumps(self.table, sort_keys=True)
        return self.table

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None and json.dumps(self.table, sort_keys=True) != self.before:
                tmp = self.path.with_suffix(f".tmp{os.getpid()}.{threading.get_ident()}")
                tmp.write_text(json.dumps(self.table))
                os.replace(tmp, self.path)
        finally:
            self.lock.close()


def _database(app: AppContext) -> dict[str, Any] | None:
    for service in app.services:
        if service.get("service") in DB_LABELS:
            return service
        creds = service.get("credentials") or {}
        uri = str(creds.get("uri") or creds.get("jdbcUrl") or "")
        if service.get("user_provided") and uri.startswith(("mysql:", "postgres", "jdbc:")):
            return service
    return None


# --- security ------------------------------------------------------------------------------


class _SessionStore:
    """HTTP sessions: per Redis instance when one is bound (Spring Session, they survive a
    restart), else per app start (Tomcat's in-memory sessions, a restart drops them).
    Kept in the router's memory only."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stores: dict[str, dict[str, str]] = {}

    def get(self, store: str, sid: str | None) -> str | None:
        with self.lock:
            return self.stores.get(store, {}).get(sid or "")

    def put(self, store: str, user: str) -> str:
        sid = uuid.uuid4().hex.upper() if ":" in store else str(uuid.uuid4())
        with self.lock:
            self.stores.setdefault(store, {})[sid] = user
        return sid

    def drop(self, store: str, sid: str | None) -> None:
        with self.lock:
            self.stores.get(store, {}).pop(sid or "", None)


_SESSIONS = _SessionStore()


def _redis(app: AppContext) -> dict[str, Any] | None:
    return next((s for s in app.services if s.get("service") in REDIS_LABELS), None)


def _session_store(app: AppContext) -> str:
    redis = _redis(app)
    return f"redis/{redis['guid']}" if redis else f"{app.guid}:{app.started_at}"


def _session_cookie_name(app: AppContext) -> str:
    return "SESSION" if _redis(app) else "JSESSIONID"


def _cookie(req: Request, name: str) -> str | None:
    for part in req.headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _session_headers(req: Request, app: AppContext, user: str | None) -> list[tuple[str, str]]:
    if user is None:
        return []
    sid = _SESSIONS.put(_session_store(app), user)
    return [("Set-Cookie", f"{_session_cookie_name(app)}={sid}; Path=/; HttpOnly")]


def _secured(req: Request, app: AppContext, path: str, method: str) -> Response:
    user = _SESSIONS.get(_session_store(app), _cookie(req, _session_cookie_name(app)))
    new_session: str | None = None
    auth = req.headers.get("authorization", "")
    if auth[:6].lower() == "basic ":
        try:
            name, _, password = base64.b64decode(auth[6:].strip()).decode().partition(":")
        except ValueError:
            name, password = "", "\0"  # undecodable: never a valid password
        if USERS.get(name, ("", set()))[0] != password or name not in USERS:
            return _unauthorized(req, path, "Bad credentials")
        user = new_session = name
    if user is None:
        return _unauthorized(req, path, "Full authentication is required to access this resource")
    if path == "/secured/admin" and "ADMIN" not in USERS[user][1]:
        return spring_error(req, 403, path, "Access is denied")
    if path not in ("/secured/user", "/secured/admin"):
        return spring_error(req, 404, path, "No message available")
    if method != "GET":
        return _not_allowed(req, path, method)
    response = _ok(f"Hello {user}!", TEXT_TYPE, app)
    response.headers += _session_headers(req, app, new_session)
    return response


def _unauthorized(req: Request, path: str, message: str) -> Response:
    response = spring_error(req, 401, path, message)
    response.headers.append(("WWW-Authenticate", 'Basic realm="Realm"'))
    return response


# --- helpers -------------------------------------------------------------------------------


def _env_property(env: dict[str, Any], name: str) -> str:
    """Spring's relaxed lookup of a property in the process environment, or ``null``."""
    under = name.replace(".", "_")
    for key in (name, under, name.upper(), under.upper()):
        if key in env and env[key] is not None:
            value = env[key]
            return value if isinstance(value, str) else json.dumps(value)
    return "null"


def _security_headers() -> list[tuple[str, str]]:
    """The headers Spring Security adds to every response."""
    return [
        ("X-Content-Type-Options", "nosniff"),
        ("X-XSS-Protection", "1; mode=block"),
        ("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"),
        ("Pragma", "no-cache"),
        ("Expires", "0"),
        ("X-Frame-Options", "DENY"),
    ]


def _ok(text: str, ctype: str, app: AppContext, status: int = 200) -> Response:
    headers = [*_security_headers(), ("X-Application-Context", f"{app.name}:cloud:{app.index}")]
    return Response(status, text.encode(), [*headers, ("Content-Type", ctype)])


def _json(status: int, data: Any, app: AppContext) -> Response:
    return _ok(json.dumps(data, separators=(",", ":")), JSON_TYPE, app, status)


def _not_allowed(req: Request, path: str, method: str) -> Response:
    return spring_error(
        req,
        405,
        path,
        f"Request method '{method}' not supported",
        "org.springframework.web.HttpRequestMethodNotSupportedException",
    )


def spring_error(
    req: Request, status: int, path: str, message: str, exception: str | None = None
) -> Response:
    """Spring Boot 1.3's error response: JSON, or the Whitelabel page for a browser."""
    reason = REASONS.get(status, "Error")
    now = time.time()
    if "text/html" in req.headers.get("accept", ""):
        html = (
            "<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit "
            "mapping for /error, so you are seeing this as a fallback.</p>"
            f"<div id='created'>{formatdate(now, usegmt=True)}</div>"
            f"<div>There was an unexpected error (type={reason}, status={status}).</div>"
            f"<div>{_html_escape(message)}</div></body></html>"
        )
        return Response(status, html.encode(), [*_security_headers(), ("Content-Type", HTML_TYPE)])
    body: dict[str, Any] = {"timestamp": int(now * 1000), "status": status, "error": reason}
    if exception:
        body["exception"] = exception
    body.update(message=message, path=req.path)
    data = json.dumps(body, separators=(",", ":")).encode()
    return Response(status, data, [*_security_headers(), ("Content-Type", JSON_TYPE)])


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
