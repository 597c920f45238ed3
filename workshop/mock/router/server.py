"""The mock's HTTP router: a tiny gorouter in front of the simulated foundation's apps.

One ``ThreadingHTTPServer`` on 127.0.0.1 per mock home. It is reached as an HTTP proxy (the
learner's shell has ``http_proxy`` pointing at it, so curl sends absolute URIs) or directly
with a ``Host`` header. For each request it reads the mock state (``state.json``, cheap),
finds the route, and either lets the emulated app answer (``stock``, or the original
platform's Sinatra example for a Ruby app; round robin over the app's instances) or
answers the gorouter's own 404; the API host answers ``/v2/info`` (``api``); a request for
a host outside the foundation's domains gets a clear offline error (never the real
network). HTTPS comes
through ``CONNECT``: a TLS tunnel with a certificate from the mock home's CA (``tls``). Every request an app served is logged
as an ``RTR`` line in that app's recent logs (written in batches by a writer thread, so
answers never wait for the state file). It exits by itself after a while without
requests (the idle timeout) and records its port in ``DIR/router.json``, so the next start
takes the same port and the learner's ``http_proxy`` stays valid. The process starts in
:mod:`.listen`, which takes the port and imports this module once a first connection waits.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
import uuid
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workshop.mock.router import api, stock, tls
from workshop.mock.router.info import read_info


class RouterServer(ThreadingHTTPServer):
    """The router of one mock home."""

    daemon_threads = True

    def __init__(self, home: Path, sock: socket.socket, idle_seconds: float):
        """Serve on ``sock``, bound and listening already (its backlog is
        :data:`~workshop.mock.router.listen.LISTEN_BACKLOG`)."""
        self.home = home
        self.idle_seconds = idle_seconds
        self.last_request = time.monotonic()
        self.counters: dict[str, itertools.count[int]] = {}
        self.counter_lock = threading.Lock()
        self.cached: tuple[tuple[int, int], dict[str, Any]] | None = None
        self.pending_logs: list[tuple[str, str, str, str, str]] = []
        self.log_ready = threading.Condition()
        super().__init__(sock.getsockname(), RouterHandler, bind_and_activate=False)
        self.socket.close()
        self.socket = sock

    def state(self) -> dict[str, Any]:
        """The mock state, parsed again only when ``state.json`` changed (read-only!)."""
        from workshop.mock import state as mock_state

        try:
            stat = os.stat(self.home / mock_state.STATE_FILE)
            key = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return {}
        cached = self.cached
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            data = mock_state.load(self.home)
        except (OSError, ValueError):
            return {}
        self.cached = (key, data)
        return data

    def log(self, org: str, space: str, app: str, line: str, source: str = "RTR/0") -> None:
        """Queue a log line (the router's RTR line by default, or the app's own); the log
        writer stores queued lines in one state transaction."""
        with self.log_ready:
            self.pending_logs.append((org, space, app, line, source))
            self.log_ready.notify()

    def write_logs(self) -> None:
        """The log writer thread: batches RTR lines into the state, off the request path."""
        while True:
            with self.log_ready:
                while not self.pending_logs:
                    self.log_ready.wait()
            self.flush_logs()

    def flush_logs(self) -> None:
        """Store every queued RTR line now."""
        from workshop.mock import state as mock_state

        with self.log_ready:
            batch, self.pending_logs = self.pending_logs, []
        if not batch:
            return
        try:
            with mock_state.transaction(self.home) as state:
                for org, space, app, line, source in batch:
                    mock_state.append_log(state, org, space, app, source, line)
        except Exception as exc:  # logging must never break serving
            print(f"workshop mock router: could not store logs: {exc}", flush=True)

    def next_instance(self, guid: str, instances: int) -> int:
        """Round robin over an app's instances."""
        with self.counter_lock:
            counter = self.counters.setdefault(guid, itertools.count())
            return next(counter) % max(instances, 1)

    def watch_idle(self) -> None:
        """Shut the server down after ``idle_seconds`` without requests, or when its home
        disappears or another router has taken over the home."""
        while True:
            time.sleep(min(1.0, self.idle_seconds / 4))
            if time.monotonic() - self.last_request > self.idle_seconds:
                break
            info = read_info(self.home)
            if not self.home.is_dir() or (info and info.get("pid") not in (os.getpid(), None)):
                break
        self.shutdown()


class RouterHandler(BaseHTTPRequestHandler):
    """One HTTP request: proxy form or Host-header form."""

    server: RouterServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stalls

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Silence the default stderr access log (requests are logged as RTR lines)."""

    def do_GET(self) -> None:
        """Every method is answered by :meth:`route`."""
        self.route()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    scheme = "http"
    """``https`` inside a CONNECT tunnel."""

    def do_CONNECT(self) -> None:
        """HTTPS through the proxy: for the foundation's domains a TLS tunnel whose requests
        are routed like the plain ones (certificate from the home's CA); else refused."""
        self.server.last_request = time.monotonic()
        host = self.path.rsplit(":", 1)[0].strip("[]").lower().rstrip(".")
        state = self.server.state()
        domain = foundation_domain(state, host)
        if domain is None and host in api.api_hosts(state):
            domain = host.partition(".")[2]
        if domain is None:
            self.send_plain(502, offline_text(host), {})
            self.close_connection = True
            return
        try:
            context = tls.server_context(self.server.home, domain)
        except Exception as exc:  # noqa: BLE001 - the learner sees why, not a reset socket
            self.send_plain(502, f"workshop mock router: no certificate for {host}: {exc}\n", {})
            self.close_connection = True
            return
        self.send_response_only(200, "Connection Established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        try:
            tunnel = context.wrap_socket(self.connection, server_side=True)
        except (OSError, ValueError):
            return  # the client gave up or does not trust the CA: it says so itself
        TunnelHandler(tunnel, self.client_address, self.server)

    def route(self) -> None:
        """Find the route of the request and answer it."""
        self.server.last_request = time.monotonic()
        started = time.monotonic()
        target = self.path
        host_header = self.headers.get("Host", "")
        proxied = target.startswith(("http://", "https://"))
        if proxied:
            parts = urlsplit(target)
            host_header = host_header or parts.netloc
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
        hostname = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
        hostname = hostname.lower().rstrip(".")
        body = self.read_body()
        state = self.server.state()
        if hostname in api.api_hosts(state):  # the Cloud Controller's own host
            status, data = api.answer(state, hostname, target)
            self.send_plain(status, data.decode(), {}, content_type=api.JSON_TYPE)
            return
        found = find_app(state, hostname)
        if found is None and foundation_domain(state, hostname) is None:
            self.send_plain(502, offline_text(host_header), {})
            return
        if found is None:
            self.send_plain(
                404,
                f"404 Not Found: Requested route ('{host_header}') does not exist.\n",
                {"X-Cf-Routererror": "unknown_route"},
            )
            return
        route, app_name, app = found
        addrs = app["instance_addrs"]
        index = self.server.next_instance(app["guid"], len(addrs))
        space = state["orgs"][route["org"]]["spaces"][route["space"]]
        services = []
        for name in app.get("running_services", app.get("services", [])):
            service = space.get("services", {}).get(name)
            if service is not None:
                services.append({"name": name, **service})
        ctx = stock.AppContext(
            home=self.server.home,
            name=app_name,
            guid=app["guid"],
            index=index,
            address=(str(addrs[index][0]), int(addrs[index][1])),
            started_at=float(app.get("started_at") or 0),
            running_env=dict(app.get("running_env") or {}),
            services=services,
            features=app.get("features"),
        )
        path = target.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = stock.Request(self.command, path, headers, body)
        try:
            if app.get("language") == "ruby":  # the original platform's Sinatra example
                from workshop.mock.router import sinatra

                response = sinatra.handle(request, ctx)
            else:
                response = stock.handle(request, ctx)
        except Exception as exc:  # never let the emulation kill the connection silently
            response = stock.spring_error(request, 500, path, str(exc), type(exc).__name__)
        request_id = str(uuid.uuid4())
        for line in response.app_logs:
            self.server.log(route["org"], route["space"], app_name, line, f"APP/{index}")
        self.log_rtr(route, app_name, app, target, response, len(body), request_id, started)
        self.send_response_only(response.status, stock.REASONS.get(response.status))
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Date", formatdate(usegmt=True))
        self.send_header("X-Vcap-Request-Id", request_id)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def read_body(self) -> bytes:
        """The request body (Content-Length or chunked)."""
        length = self.headers.get("Content-Length", "")
        if length.strip().isdigit():
            return self.rfile.read(int(length))
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return b""

    def send_plain(
        self,
        status: int,
        text: str,
        extra: dict[str, str],
        content_type: str = "text/plain; charset=utf-8",
    ) -> None:
        """A Go ``http.Error``-style plain-text answer from the router itself (or another
        ``content_type``: the Cloud Controller's JSON)."""
        data = text.encode()
        self.send_response_only(status)
        self.send_header("Content-Type", content_type)
        for name, value in extra.items():
            self.send_header(name, value)
        if content_type.startswith("text/plain"):  # Go's http.Error; not the Cloud Controller
            self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Date", formatdate(usegmt=True))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_rtr(
        self,
        route: dict[str, Any],
        app_name: str,
        app: dict[str, Any],
        target: str,
        response: stock.Response,
        request_bytes: int,
        request_id: str,
        started: float,
    ) -> None:
        """Append the gorouter's access-log line to the app's recent logs."""
        client = f"{self.client_address[0]}:{self.client_address[1]}"
        stamp = time.strftime("%d/%m/%Y:%H:%M:%S +0000", time.gmtime())
        line = (
            f'{route["host"]}.{route["domain"]} - [{stamp}] "{self.command} {target} '
            f'{self.request_version}" {response.status} {request_bytes} {len(response.body)} '
            f'"{self.headers.get("Referer", "-")}" "{self.headers.get("User-Agent", "-")}" '
            f'{client} x_forwarded_for:"{self.client_address[0]}" x_forwarded_proto:"{self.scheme}" '
            f"vcap_request_id:{request_id} response_time:{time.monotonic() - started:.9f} "
            f"app_id:{app['guid']}"
        )
        self.server.log(route["org"], route["space"], app_name, line)


class TunnelHandler(RouterHandler):
    """The requests inside one CONNECT tunnel (origin-form, with a Host header)."""

    scheme = "https"


def foundation_domain(state: dict[str, Any], hostname: str) -> str | None:
    """The domain of the simulated foundation ``hostname`` lies under (or is), else None:
    hosts of the foundation get its routes or the gorouter's 404, others the offline
    error (the workshop's shell never reaches the real network through the router)."""
    domains = {str(state.get("domain") or "cfapps.io")}
    for key, route in (state.get("routes") or {}).items():
        domains.add(str(route.get("domain") or key.partition(".")[2]))
    for domain in sorted(domains, key=len, reverse=True):
        if domain and (hostname == domain or hostname.endswith("." + domain)):
            return domain
    return None


def offline_text(host: str) -> str:
    """The router's answer for a host outside the foundation."""
    return (
        f"workshop mock: {host} is not part of the offline foundation. The workshop's "
        "shell has no network here: only the foundation's routes answer.\n"
    )


def find_app(
    state: dict[str, Any], hostname: str
) -> tuple[dict[str, Any], str, dict[str, Any]] | None:
    """The route and a running app mapped to it, or None (the gorouter's 404: no such
    route, or only stopped apps / apps with no running instance behind it)."""
    route = (state.get("routes") or {}).get(hostname)
    if not route:
        return None
    try:
        apps = state["orgs"][route["org"]]["spaces"][route["space"]]["apps"]
    except (KeyError, TypeError):
        return None
    for name in route.get("apps", []):
        app = apps.get(name)
        if app and app.get("state") == "started" and app.get("instance_addrs"):
            return route, name, app
    return None


def run(
    home: Path, sock: socket.socket, idle_seconds: float, first: tuple[socket.socket, Any]
) -> None:
    """Serve the router of ``home`` on ``sock`` (listening already, see
    :func:`~workshop.mock.router.listen.serve`), starting with the connection ``first``
    (accepted already), until it has been idle for ``idle_seconds``."""
    server = RouterServer(home, sock, idle_seconds)
    conn, address = first
    try:
        server.process_request(conn, address)
    except Exception:  # noqa: BLE001 - as socketserver does for any request
        server.handle_error(conn, address)
        server.shutdown_request(conn)
    threading.Thread(target=server.watch_idle, daemon=True, name="idle-watch").start()
    threading.Thread(target=server.write_logs, daemon=True, name="log-writer").start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        server.flush_logs()
