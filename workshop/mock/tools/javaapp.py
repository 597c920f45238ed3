"""``java -jar stock-1.0-SNAPSHOT.jar`` of the offline mock: the ``stock`` app run locally.

Prints Spring Boot 1.3's banner and start-up log, then serves the app emulation of
:mod:`workshop.mock.router.stock` on 127.0.0.1 (the real app binds every address; the mock
never leaves loopback) until Ctrl-C (exit 130, like the JVM) or SIGTERM (143). The port is
Spring Boot's ``server.port``: ``--server.port=N``, ``-Dserver.port=N``, ``SERVER_PORT``,
else 8080; a port in use fails like Tomcat's connector does. The app context of a local run
has no bound services (so ``/stock`` CRUD answers the JDBC connection error the app would
meet without MySQL) and reads properties such as ``environment.variable`` from the process
environment, ``-D`` and ``--`` arguments. ``/stock/factor7`` shows ``null`` for
``CF_INSTANCE_IP``/``CF_INSTANCE_PORTS`` unless they are set, as the real app does off
Cloud Foundry. When the jar holds a ``logback.xml`` (the course's Logs chapter), the log
follows its pattern and levels: only the app's own INFO lines and errors are shown.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from workshop.mock.router import stock
from workshop.mock.tools.features import read_jar

BANNER = r"""
  .   ____          _            __ _ _
 /\\ / ___'_ __ _ _(_)_ __  __ _ \ \ \ \
( ( )\___ | '_ | '_| | '_ \/ _` | \ \ \ \
 \\/  ___)| |_)| | | | | || (_| |  ) ) ) )
  '  |____| .__|_| |_|_| |_\__, | / / / /
 =========|_|==============|___/=/_/_/_/
 :: Spring Boot ::        (v{boot})
"""
CONTEXT = "org.springframework.boot.context.embedded.AnnotationConfigEmbeddedWebApplicationContext"
TOMCAT = "org.springframework.boot.context.embedded.tomcat.TomcatEmbeddedServletContainer"
MAPPINGS = (
    ("/stock/ping", "GET", "application/json", "java.lang.String", "ping()"),
    ("/stock/factor7", "GET", "text/plain", "java.lang.String", "factor7()"),
    ("/stock", "GET", "application/json", "java.lang.Iterable<com.altoros.stock.domain.model.StockItem>", "items()"),
    ("/stock/{id}", "GET", "application/json", "com.altoros.stock.domain.model.StockItem", "item(java.lang.Long,javax.servlet.http.HttpServletResponse)"),
)  # fmt: skip


def abbreviate(name: str, target: int) -> str:
    """Logback's ``%logger{target}``: leading packages shortened to one letter until it fits."""
    parts = name.split(".")
    length = len(name)
    for i in range(len(parts) - 1):
        if length <= target:
            break
        length -= len(parts[i]) - 1
        parts[i] = parts[i][:1]
    return ".".join(parts)


class AppLog:
    """Spring Boot's console log (default pattern), or the jar's logback.xml pattern where
    only the app's package logs INFO and everything else ERROR."""

    def __init__(self, app_package: str, logback: bool) -> None:
        self.app_package = app_package
        self.logback = logback
        self.lock = threading.Lock()

    def log(self, level: str, logger: str, message: str, thread: str = "main") -> None:
        """One log line, if the configuration lets it through."""
        now = time.time()
        if self.logback:
            if level != "ERROR" and not logger.startswith(self.app_package):
                return
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
            line = f"{stamp} {level:<5} {abbreviate(logger, 36)} - {message}"
        else:
            stamp = (
                time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
                + f".{int(now * 1000) % 1000:03d}"
            )
            name = abbreviate(logger, 39)[-40:]
            line = (
                f"{stamp} {level:>5} {os.getpid()} --- [{thread[-15:]:>15}] {name:<40} : {message}"
            )
        with self.lock:
            print(line, flush=True)

    def trace(self, lines: list[str]) -> None:
        """A Java stack trace (printed after an ERROR line)."""
        with self.lock:
            print("\n" + "\n".join(lines), flush=True)


def property_of(
    name: str, args: list[str], props: dict[str, str], default: str | None
) -> str | None:
    """A Spring property: ``--name=value`` args, then ``-D``, then the environment (relaxed)."""
    for arg in args:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    if name in props:
        return props[name]
    for key in (name, name.replace(".", "_"), name.upper(), name.replace(".", "_").upper()):
        if key in os.environ:
            return os.environ[key]
    return default


def run_app(
    jar: Path,
    start: str,
    version: str | None,
    boot: str,
    logback: bool,
    args: list[str],
    props: dict[str, str],
) -> int:
    """Start the app of ``jar`` (main class ``start``, artifact ``version``, Spring Boot
    ``boot``) and serve until a signal; the exit status."""
    began = time.monotonic()
    sys.stdout.write(BANNER.replace("{boot}", boot) + "\n")
    short = start.rsplit(".", 1)[-1]
    log = AppLog(start.rsplit(".", 2)[0], logback)
    host = socket.gethostname()
    v = f" v{version}" if version else ""
    log.log(
        "INFO",
        start,
        f"Starting {short}{v} on {host} with PID {os.getpid()} ({jar.absolute()} started by {os.environ.get('USER', 'user')} in {Path.cwd()})",
    )
    log.log("INFO", start, "No active profile set, falling back to default profiles: default")
    ctx_id = f"{CONTEXT}@{os.getpid() * 7919 % 0xFFFFFFF:x}"
    startup = formatdate(localtime=True)
    log.log(
        "INFO", CONTEXT, f"Refreshing {ctx_id}: startup date [{startup}]; root of context hierarchy"
    )
    raw_port = property_of("server.port", args, props, "8080") or "8080"
    try:
        port = int(raw_port)
    except ValueError:
        log.log("ERROR", "org.springframework.boot.SpringApplication", "Application startup failed")
        log.trace([f'java.lang.NumberFormatException: For input string: "{raw_port}"'])
        return 1
    log.log("INFO", TOMCAT, f"Tomcat initialized with port(s): {port} (http)")
    log.log("INFO", "org.apache.catalina.core.StandardService", "Starting service Tomcat")
    log.log(
        "INFO",
        "org.apache.catalina.core.StandardEngine",
        "Starting Servlet Engine: Apache Tomcat/8.0.30",
    )
    log.log(
        "INFO",
        "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/]",
        "Initializing Spring embedded WebApplicationContext",
    )
    log.log(
        "INFO",
        "org.springframework.web.context.ContextLoader",
        "Root WebApplicationContext: initialization completed in 2874 ms",
    )
    log.log(
        "INFO",
        "org.springframework.boot.context.embedded.ServletRegistrationBean",
        "Mapping servlet: 'dispatcherServlet' to [/]",
    )
    for path, method, produces, returns, sig in MAPPINGS:
        log.log(
            "INFO",
            "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping",
            f'Mapped "{{[{path}],methods=[{method}],produces=[{produces}]}}" onto public {returns} com.altoros.stock.resources.StockResource.{sig}',
        )
    log.log(
        "INFO",
        "org.springframework.jmx.export.annotation.AnnotationMBeanExporter",
        "Registering beans for JMX exposure on startup",
    )
    try:
        server = LocalServer(port, log, args, props, jar)
    except OSError as exc:
        return _bind_failed(log, port, exc, boot)
    port = server.server_address[1]  # the port it got, when asked for port 0 (a random one)
    log.log("INFO", TOMCAT, f"Tomcat started on port(s): {port} (http)")
    took = 6.1 + (time.monotonic() - began)
    log.log(
        "INFO", start, f"Started {short} in {took:.3f} seconds (JVM running for {took + 0.6:.3f})"
    )

    def on_term(signum: int, frame: Any) -> None:
        """SIGTERM: stop serving and close like the JVM's shutdown hooks (exit 143)."""
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, on_term)
    # Ctrl-C stops the app even when it was started with SIGINT ignored (a background job)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    code = 130
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        code = 130
    except SystemExit as stop:
        code = int(stop.code or 0)
    finally:
        server.server_close()
    log.log(
        "INFO",
        CONTEXT,
        f"Closing {ctx_id}: startup date [{startup}]; root of context hierarchy",
        "Thread-2",
    )
    log.log(
        "INFO",
        "org.springframework.jmx.export.annotation.AnnotationMBeanExporter",
        "Unregistering JMX-exposed beans on shutdown",
        "Thread-2",
    )
    return code


def _bind_failed(log: AppLog, port: int, exc: OSError, boot: str) -> int:
    reason = (
        "Address already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
    )
    log.log(
        "ERROR",
        "org.apache.coyote.http11.Http11NioProtocol",
        f'Failed to start end point associated with ProtocolHandler ["http-nio-{port}"]',
    )
    log.trace([
        f"java.net.BindException: {reason}",
        "\tat sun.nio.ch.Net.bind0(Native Method) ~[na:1.8.0_71]",
        "\tat sun.nio.ch.Net.bind(Net.java:433) ~[na:1.8.0_71]",
        "\tat sun.nio.ch.ServerSocketChannelImpl.bind(ServerSocketChannelImpl.java:223) ~[na:1.8.0_71]",
        "\tat org.apache.tomcat.util.net.NioEndpoint.bind(NioEndpoint.java:340) ~[tomcat-embed-core-8.0.30.jar!/:8.0.30]",
    ])  # fmt: skip
    log.log(
        "ERROR",
        "org.apache.catalina.core.StandardService",
        f"Failed to start connector [Connector[HTTP/1.1-{port}]]",
    )
    log.log("INFO", "org.apache.catalina.core.StandardService", "Stopping service Tomcat")
    log.log("ERROR", "org.springframework.boot.SpringApplication", "Application startup failed")
    log.trace([
        "org.springframework.boot.context.embedded.EmbeddedServletContainerException: Unable to start embedded Tomcat servlet container",
        f"\tat {TOMCAT}.start(TomcatEmbeddedServletContainer.java:165) ~[spring-boot-{boot}.jar!/:{boot}]",
        "Caused by: java.lang.IllegalStateException: Tomcat connector in failed state",
        f"\tat {TOMCAT}.start(TomcatEmbeddedServletContainer.java:159) ~[spring-boot-{boot}.jar!/:{boot}]",
        "\t... 10 common frames omitted",
    ])  # fmt: skip
    return 1


class LocalServer(ThreadingHTTPServer):
    """The app's embedded "Tomcat": a threaded HTTP server on 127.0.0.1."""

    daemon_threads = True
    allow_reuse_address = False  # a port in use must fail, as Tomcat's bind does
    request_queue_size = 100  # Tomcat's acceptCount; socketserver's 5 drops a burst of curls

    def __init__(
        self, port: int, log: AppLog, args: list[str], props: dict[str, str], jar: Path
    ) -> None:
        self.log = log
        self.port = port
        env: dict[str, Any] = dict(os.environ)
        env.update(props)
        for arg in args:
            if arg.startswith("--") and "=" in arg:
                key, value = arg[2:].split("=", 1)
                env[key] = value
        self.ctx = stock.AppContext(
            home=Path(os.environ.get("WORKSHOP_MOCK_HOME") or jar.absolute().parent),
            name=jar.stem,
            guid=f"local-{jar.stem}-{os.getpid()}",
            index=0,
            address=("127.0.0.1", port),
            started_at=time.time(),
            running_env=env,
            services=[],
            features=read_jar(jar),
        )
        self.first = threading.Lock()
        self.served = False
        super().__init__(("127.0.0.1", port), LocalHandler)


class LocalHandler(BaseHTTPRequestHandler):
    """Hands each request to the stock emulation, as Tomcat hands it to Spring MVC."""

    server: LocalServer
    server_version = "Apache-Coyote/1.1"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Tomcat keeps no access log by default."""

    def version_string(self) -> str:
        """The ``Server`` header Tomcat 8 sent."""
        return self.server_version

    def do_GET(self) -> None:
        """Every method goes through :meth:`answer`."""
        self.answer()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def answer(self) -> None:
        """Answer one request with the emulated app."""
        srv = self.server
        with srv.first:
            if not srv.served:
                srv.served = True
                thread = f"http-nio-{srv.port}-exec-1"
                srv.log.log(
                    "INFO",
                    "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/]",
                    "Initializing Spring FrameworkServlet 'dispatcherServlet'",
                    thread,
                )
                srv.log.log(
                    "INFO",
                    "org.springframework.web.servlet.DispatcherServlet",
                    "FrameworkServlet 'dispatcherServlet': initialization started",
                    thread,
                )
                srv.log.log(
                    "INFO",
                    "org.springframework.web.servlet.DispatcherServlet",
                    "FrameworkServlet 'dispatcherServlet': initialization completed in 21 ms",
                    thread,
                )
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        path = self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = stock.Request(self.command, path, headers, body)
        item = path.rstrip("/")[len("/stock/") :] if path.startswith("/stock/") else ""
        searching = self.command == "GET" and item.isdigit()
        logger = "com.altoros.stock.resources.StockResource"
        thread = f"http-nio-{srv.port}-exec-{threading.get_ident() % 10 + 1}"
        if searching:
            srv.log.log(
                "INFO", logger, f"!!!!!! Starting search of stock item(id={item}) search", thread
            )
        if path.rstrip("/") == "/stock/factor7" and self.command in ("GET", "HEAD"):
            ip = os.environ.get("CF_INSTANCE_IP", "null")
            ports = os.environ.get("CF_INSTANCE_PORTS", "null")
            response = stock.Response(
                200,
                f" From ip {ip} and ports {ports}".encode(),
                [("Content-Type", stock.TEXT_TYPE)],
            )
        else:
            try:
                response = stock.handle(request, srv.ctx)
            except Exception as exc:  # the emulation must not kill the connection silently
                response = stock.spring_error(request, 500, path, str(exc), type(exc).__name__)
        if searching and response.status != 500:
            srv.log.log(
                "INFO", logger, f"!!!!!! Finishing search of stock item(id={item}) search", thread
            )
        self.send_response(response.status, stock.REASONS.get(response.status))
        for name, value in response.headers:
            if name == "X-Application-Context":
                value = f"application:{srv.port}"  # a local run: no "cloud" profile
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
