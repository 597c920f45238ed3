"""The router through real curl: routes, the gorouter 404, the stock app's endpoints."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from router_support import curl, set_state, wait_for

from workshop.mock import state as mock_state

STOCK = "http://workshop-12f-stock.cfapps.io"


def test_ping_shows_the_running_env_through_the_proxy(router: int) -> None:
    status, headers, body = curl(router, f"{STOCK}/stock/ping")
    assert (status, body) == (200, "Ping some_value")
    assert headers["x-vcap-request-id"]
    assert curl(router, "http://plain.cfapps.io/stock/ping")[2] == "Ping null"


def test_host_header_form_without_proxy(router: int) -> None:
    status, _, body = curl(
        router, f"http://127.0.0.1:{router}/stock/ping", "-H", "Host: plain.cfapps.io", proxy=False
    )
    assert (status, body) == (200, "Ping null")


def test_env_change_is_seen_only_after_a_restart(home: Path, router: int) -> None:
    def set_env(state: dict[str, Any]) -> None:
        app = state["orgs"]["your-org"]["spaces"]["development"]["apps"]["workshop-12f-stock"]
        app["env"]["environment.variable"] = "changed"

    set_state(home, set_env)
    assert curl(router, f"{STOCK}/stock/ping")[2] == "Ping some_value"

    def restart(state: dict[str, Any]) -> None:
        app = state["orgs"]["your-org"]["spaces"]["development"]["apps"]["workshop-12f-stock"]
        mock_state.start_running(app, mock_state.now())

    set_state(home, restart)
    assert curl(router, f"{STOCK}/stock/ping")[2] == "Ping changed"


def test_factor7_answers_from_each_instance_in_turn(home: Path, router: int) -> None:
    bodies = [curl(router, f"{STOCK}/stock/factor7")[2] for _ in range(4)]
    app = mock_state.load(home)["orgs"]["your-org"]["spaces"]["development"]["apps"][
        "workshop-12f-stock"
    ]
    expected = {
        f' From ip {ip} and ports [{{"external":{port},"internal":8080}}]'
        for ip, port in app["instance_addrs"]
    }
    assert bodies[0] != bodies[1]
    assert bodies[0] == bodies[2] and bodies[1] == bodies[3]
    assert set(bodies) == expected


def test_unknown_route_is_the_gorouter_404(router: int) -> None:
    status, headers, body = curl(router, "http://nothing-here.cfapps.io/stock/ping")
    assert status == 404
    assert body == "404 Not Found: Requested route ('nothing-here.cfapps.io') does not exist.\n"
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert headers["x-cf-routererror"] == "unknown_route"
    assert headers["x-content-type-options"] == "nosniff"


def test_the_404_names_the_host_header_with_its_port(router: int) -> None:
    status, _, body = curl(router, "http://nothing-here.cfapps.io:8080/")
    assert status == 404
    assert (
        body == "404 Not Found: Requested route ('nothing-here.cfapps.io:8080') does not exist.\n"
    )


def test_stopped_apps_and_apps_without_instances_are_unknown_routes(
    home: Path, router: int
) -> None:
    status, _, body = curl(router, "http://stopped-app.cfapps.io/stock/ping")
    assert status == 404 and "Requested route ('stopped-app.cfapps.io')" in body

    def no_instances(state: dict[str, Any]) -> None:
        state["orgs"]["your-org"]["spaces"]["development"]["apps"]["plain"]["instance_addrs"] = []

    set_state(home, no_instances)
    status, headers, _ = curl(router, "http://plain.cfapps.io/stock/ping")
    assert status == 404 and headers["x-cf-routererror"] == "unknown_route"


def test_unknown_path_of_a_running_app_is_a_spring_error(router: int) -> None:
    status, headers, body = curl(router, f"{STOCK}/nope")
    assert status == 404
    assert headers["content-type"] == "application/json;charset=UTF-8"
    data = json.loads(body)
    assert data["status"] == 404 and data["error"] == "Not Found"
    assert data["message"] == "No message available" and data["path"] == "/nope"
    status, headers, body = curl(router, f"{STOCK}/nope", "-H", "Accept: text/html")
    assert status == 404 and "Whitelabel Error Page" in body


def test_wrong_method_and_bad_id(router: int) -> None:
    status, _, body = curl(router, f"{STOCK}/stock", "-X", "DELETE")
    assert status == 405 and "Request method 'DELETE' not supported" in body
    status, _, body = curl(router, f"{STOCK}/stock/abc")
    assert status == 400 and json.loads(body)["path"] == "/stock/abc"


def test_rtr_lines_go_to_the_app_logs(home: Path, router: int) -> None:
    curl(router, f"{STOCK}/stock/ping", "-A", "test-agent")

    def app() -> dict[str, Any]:
        return mock_state.load(home)["orgs"]["your-org"]["spaces"]["development"]["apps"][
            "workshop-12f-stock"
        ]

    wait_for(lambda: mock_state.read_logs(home, app()), timeout=5, what="the RTR line")
    last = mock_state.read_logs(home, app())[-1]  # written in the background
    assert last["source"] == "RTR/0" and last["stream"] == "OUT"
    assert last["line"].startswith("workshop-12f-stock.cfapps.io - [")
    assert '"GET /stock/ping HTTP/1.1" 200 0 15 "-" "test-agent"' in last["line"]
    assert last["line"].endswith(f"app_id:{app()['guid']}")


def _curl_https(router: int, home: Path, url: str) -> subprocess.CompletedProcess[str]:
    """Real curl through the router as https_proxy, trusting the mock home's CA only."""
    from workshop.mock.router import tls

    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    env["https_proxy"] = f"http://127.0.0.1:{router}"
    return subprocess.run(
        ["curl", "-sS", "--max-time", "5", "--cacert", str(tls.bundle_file(home)), url],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    )


def test_https_routes_answer_through_the_proxy_with_the_homes_ca(home: Path, router: int) -> None:
    done = _curl_https(router, home, "https://workshop-12f-stock.cfapps.io/stock/ping")
    assert (done.returncode, done.stdout) == (0, "Ping some_value"), done.stderr
    app = mock_state.load(home)["orgs"]["your-org"]["spaces"]["development"]["apps"][
        "workshop-12f-stock"
    ]
    wait_for(
        lambda: any(
            'x_forwarded_proto:"https"' in e["line"] for e in mock_state.read_logs(home, app)
        ),
        timeout=5,
        what="the https RTR line",
    )
    unknown = _curl_https(router, home, "https://nope.cfapps.io/")
    assert unknown.returncode == 0 and "Requested route ('nope.cfapps.io') does not exist" in (
        unknown.stdout
    )
    untrusted = subprocess.run(
        ["curl", "-sS", "--max-time", "5", "--cacert", "/dev/null", "-x",
         f"http://127.0.0.1:{router}", "https://workshop-12f-stock.cfapps.io/stock/ping"],
        capture_output=True, text=True, timeout=10,
    )  # fmt: skip
    assert untrusted.returncode != 0  # a real certificate check, not a bypass


def test_https_to_other_hosts_is_refused_offline(home: Path, router: int) -> None:
    done = _curl_https(router, home, "https://example.com/")
    assert done.returncode != 0 and "502" in done.stderr


def test_other_hosts_get_the_offline_error_never_the_network(router: int) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    hits = []

    class Echo(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    upstream = HTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=upstream.serve_forever, daemon=True)
    thread.start()
    try:
        port = upstream.server_address[1]
        status, _, body = curl(router, f"http://127.0.0.1:{port}/hello?x=1")
        assert status == 502 and hits == []
        assert body == (
            f"workshop mock: 127.0.0.1:{port} is not part of the offline foundation. The "
            "workshop's shell has no network here: only the foundation's routes answer.\n"
        )
    finally:
        upstream.shutdown()
        upstream.server_close()


def test_the_router_makes_the_homes_ca_bundle_before_it_says_it_runs(
    home: Path, router: int
) -> None:
    """Whoever finds the router listening finds the CA its learner's shell is told to trust
    (the shell is given the bundle's path before the router is up)."""
    from workshop.mock.router import tls

    bundle = tls.bundle_file(home).read_text()
    assert bundle.startswith("-----BEGIN CERTIFICATE-----")
    assert (home / "tls" / "ca.pem").read_text() in bundle


def test_a_shell_s_mock_environment_needs_no_certificate_made(tmp_path: Path) -> None:
    """``mock_environment`` without waiting for the router (a learner's shell starting)
    names the bundle without making a CA: no ``cryptography`` import, no key made (nor the
    IDNA codec's, which a host given as text to a socket costs)."""
    import sys

    home = tmp_path / "fresh"
    home.mkdir()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workshop.mock.env import mock_environment\n"
        f"env = mock_environment(Path({str(home)!r}), None, None, wait_router=False)\n"
        "print(env['SSL_CERT_FILE'], 'cryptography' in sys.modules, 'encodings.idna' in sys.modules)\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
        )
        named, *imported = done.stdout.split()
        assert imported == ["False", "False"]
        from workshop.mock.router import ensure_router, tls

        assert named == str(tls.bundle_file(home.resolve()))
        ensure_router(home)
        assert Path(named).read_text().startswith("-----BEGIN CERTIFICATE-----")
    finally:
        from workshop.mock.router import stop_router

        stop_router(home)


def test_the_api_host_answers_v2_info_like_a_cloud_controller(router: int) -> None:
    """The original platform's prerequisite: ``curl -I http://api.$CF_DOMAIN/v2/info``."""
    status, headers, body = curl(router, "http://api.cfapps.io/v2/info")
    assert status == 200 and headers["content-type"] == "application/json;charset=utf-8"
    info = json.loads(body)
    assert info["api_version"] and info["token_endpoint"] == "https://uaa.cfapps.io"
    done = subprocess.run(
        ["curl", "-I", "--silent", "http://api.cfapps.io/v2/info", "-H", "Host: api.cfapps.io"],
        env={"PATH": os.environ["PATH"], "http_proxy": f"http://127.0.0.1:{router}"},
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    assert done.stdout.splitlines()[0].strip() == "HTTP/1.1 200 OK"
    status, _, body = curl(router, "http://api.cfapps.io/v2/apps")
    assert status == 401 and json.loads(body)["error_code"] == "CF-InvalidAuthToken"


def _is_a_ca(cert: Path) -> bool:
    from cryptography import x509

    loaded = x509.load_pem_x509_certificate(cert.read_bytes())
    return bool(loaded.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)


def test_the_homes_ca_is_made_by_openssl_without_importing_cryptography(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's CA (which every new mock home gets a copy of) is made with the openssl
    program: it costs milliseconds, where importing cryptography alone costs tens."""
    import shutil
    import sys

    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))  # no user CA yet

    assert shutil.which("openssl"), "openssl is part of the system the suite runs on"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workshop.mock.router import tls\n"
        f"tls.bundle_path(Path({str(tmp_path)!r}))\n"
        "print('cryptography' in sys.modules, 'ssl' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.stdout.split() == ["False", "False"], done.stderr  # ssl's enums: ~8 ms
    assert _is_a_ca(tmp_path / "tls" / "ca.pem")
    assert (tmp_path / "tls" / "ca.key").stat().st_mode & 0o777 == 0o600
    bundle = (tmp_path / "tls" / "ca-bundle.pem").read_text()
    assert bundle.startswith((tmp_path / "tls" / "ca.pem").read_text())


def test_without_openssl_cryptography_makes_the_ca(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workshop.mock.router import tls

    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))  # no user CA yet
    bare = tmp_path / "bin-without-openssl"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    assert tls._which("openssl") is None
    tls.bundle_path(tmp_path)
    assert _is_a_ca(tmp_path / "tls" / "ca.pem")
    assert tls.server_context(tmp_path, "cfapps.io") is not None  # a domain's certificate signed


def test_new_homes_get_a_copy_of_the_users_ca_made_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sessions, sandboxes and ``workshop mock env`` make many new mock homes: each gets a
    copy of the user's CA instead of running openssl again; each keeps its copy when the
    user's cache is cleared (new homes then get a new CA)."""
    from workshop import paths
    from workshop.mock.router import tls

    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))
    homes = [tmp_path / name for name in ("one", "two", "three")]
    for home in homes[:2]:
        home.mkdir()
        tls.bundle_path(home)
    user = paths.cache_dir() / tls.USER_CA_DIR
    made = (user / "ca.pem").read_text()
    for home in homes[:2]:
        assert (home / "tls" / "ca.pem").read_text() == made
        assert (home / "tls" / "ca.key").read_bytes() == (user / "ca.key").read_bytes()
        assert (home / "tls" / "ca.key").stat().st_mode & 0o777 == 0o600
        assert (home / "tls" / "ca-bundle.pem").read_text().startswith(made)
    assert (user / "ca.key").stat().st_mode & 0o777 == 0o600
    assert user.stat().st_mode & 0o777 == 0o700
    import shutil

    shutil.rmtree(paths.cache_dir())
    homes[2].mkdir()
    tls.bundle_path(homes[2])
    assert (homes[2] / "tls" / "ca.pem").read_text() != made  # a new user CA
    assert (homes[0] / "tls" / "ca.pem").read_text() == made  # the old home keeps its own
    assert _is_a_ca(homes[2] / "tls" / "ca.pem")
    assert tls.server_context(homes[0], "cfapps.io") is not None  # still signs with its copy
