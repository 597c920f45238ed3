"""``java -jar`` of the mock for real: the stock app on a free local port, Ctrl-C, errors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tools_support import Running, curl, free_port, in_mock, mock_env


@pytest.fixture
def built(home: Path) -> tuple[Path, dict[str, str]]:
    """The cloned and built stock project and the mock shell's environment."""
    done = in_mock(
        home, "git clone -q https://github.com/a/stock.git && cd stock && mvn -q clean install"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return home / "work/stock", mock_env(home)


def test_jar_serves_the_stock_app_until_ctrl_c(built: tuple[Path, dict[str, str]]) -> None:
    project, env = built
    port = free_port()
    app = Running(
        ["java", "-jar", "target/stock-1.0-SNAPSHOT.jar"],
        project,
        {**env, "SERVER_PORT": str(port), "ENVIRONMENT_VARIABLE": "from_env"},
    )
    try:
        app.wait_for("Started StockSpringBootStarter in ")
        assert ":: Spring Boot ::        (v1.3.0.RELEASE)" in app.output
        assert "Starting StockSpringBootStarter v1.0-SNAPSHOT on " in app.output
        assert curl(port, "/stock/ping") == "Ping from_env"  # Spring's relaxed env lookup
        assert curl(port, "/stock/factor7") == " From ip null and ports null"  # not on CF
        assert '"status":500' in curl(port, "/stock/1")  # no MySQL bound to a local run
        app.wait_for("!!!!!! Starting search of stock item(id=1) search")
        # the skeleton's logback.xml: its pattern, and only the app's INFO lines
        assert "c.a.s.r.StockSpringBootStarter - Started StockSpringBootStarter" in app.output
        assert "Tomcat started" not in app.output
        # a second run on the same port fails like Tomcat's connector
        second = subprocess.run(
            ["java", "-jar", "target/stock-1.0-SNAPSHOT.jar", f"--server.port={port}"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert second.returncode == 1
        assert "java.net.BindException: Address already in use" in second.stdout
        assert "Application startup failed" in second.stdout
        assert "Traceback" not in second.stdout + second.stderr
        code, err = app.interrupt()
    finally:
        app.kill()
    assert code == 130
    assert "Traceback" not in err
    assert curl(port, "/stock/ping") == ""  # nothing listens any more


def test_without_logback_the_default_spring_boot_log(built: tuple[Path, dict[str, str]]) -> None:
    project, env = built
    (project / "src/main/resources/logback.xml").unlink()
    done = subprocess.run(
        ["mvn", "-q", "clean", "package"], cwd=project, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
    port = free_port()
    app = Running(
        ["java", f"-Dserver.port={port}", "-jar", "target/stock-1.0-SNAPSHOT.jar"], project, env
    )
    try:
        app.wait_for(f"Tomcat started on port(s): {port} (http)")
        assert curl(port, "/stock/ping") == "Ping null"
        app.wait_for("Initializing Spring FrameworkServlet 'dispatcherServlet'")
        code, err = app.interrupt()
    finally:
        app.kill()
    assert code == 130, err
    lines = app.output.splitlines()
    assert any(
        " INFO " in line
        and " --- [           main] c.a.s.resources.StockSpringBootStarter   : Started " in line
        for line in lines
    )
    assert "Unregistering JMX-exposed beans on shutdown" in lines[-1]


def test_launcher_errors(home: Path) -> None:
    done = in_mock(
        home,
        "java -jar target/nope-1.0-SNAPSHOT.jar; echo rc=$?\n"
        "java -jar; echo rc=$?\n"
        "java com.example.App; echo rc=$?\n"
        "java --version; echo rc=$?\n",
    )
    assert done.stdout.splitlines() == ["rc=1", "rc=1", "rc=1", "rc=1"]
    err = done.stderr
    assert "Error: Unable to access jarfile target/nope-1.0-SNAPSHOT.jar\n" in err
    assert (
        "Error: -jar requires jar file specification\nUsage: java [-options] class [args...]" in err
    )
    assert "Error: Could not find or load main class com.example.App" in err
    assert (
        "Unrecognized option: --version\nError: Could not create the Java Virtual Machine." in err
    )
    assert "Traceback" not in err


def test_a_placeholder_jar_still_runs_the_stock_app(home: Path) -> None:
    """The lessons' starting files hold a text placeholder for the built jar."""
    env = mock_env(home, "port-binding")
    jar = home / "work/target/stock-1.0-SNAPSHOT.jar"
    assert not jar.read_bytes().startswith(b"PK")
    port = free_port()
    app = Running(["java", "-jar", str(jar), f"--server.port={port}"], home / "work", env)
    try:
        app.wait_for("Started StockSpringBootStarter in ")
        assert curl(port, "/stock/ping") == "Ping null"
    finally:
        app.kill()
    assert shutil.which("java", path=env["PATH"]) == str(home / "bin/java")
