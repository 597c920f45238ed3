"""The course's tool chain offline, as a learner's shell runs it: shims on PATH, then
``git clone`` → ``mvn clean install`` → ``cf push`` of the jar → the app answers."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tools_support import in_mock

from workshop.mock import state as mock_state


def test_shims_answer_like_the_2016_tools(home: Path) -> None:
    done = in_mock(
        home,
        'for t in cf git mvn java; do test "$(command -v $t)" = "$WORKSHOP_MOCK_HOME/bin/$t" || exit 9$t; done\n'
        "git --version\nmvn --version\njava -version 2>/dev/null\necho ---\njava -version 2>&1 >/dev/null\n",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out, err_part = done.stdout.split("---\n")
    lines = out.splitlines()
    assert lines[0] == "git version 2.7.0"
    assert lines[1].startswith("Apache Maven 3.3.9 (")
    assert "Java version: 1.8.0_71, vendor: Oracle Corporation" in lines
    assert 'java version "1.8.0_71"' not in out  # java -version writes to stderr
    assert err_part.splitlines()[0] == 'java version "1.8.0_71"'
    assert "Java HotSpot(TM) 64-Bit Server VM (build 25.71-b15, mixed mode)" in err_part


def test_clone_build_push_and_curl(home: Path) -> None:
    done = in_mock(
        home,
        "set -e\n"
        "git clone https://github.com/learner/my-stock.git\n"
        "git clone https://github.com/VladimirZenkevich/workshop-12-factors.git stock\n"
        "cd stock\n"
        "mvn clean install > ../build.log\n"
        "cf push > ../push.log\n"
        "curl -s http://workshop-12f-stock.cfapps.io/stock/ping\n",
        lesson="port-binding",  # mysql and redis exist: the skeleton's manifest binds both
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "Ping some_value"  # set by the lesson's starting state
    assert done.stderr.splitlines() == [
        "Cloning into 'my-stock'...",
        "Cloning into 'stock'...",
    ]
    work = home / "work"
    for project in (work / "my-stock", work / "stock"):
        assert "<artifactId>stock</artifactId>" in (project / "pom.xml").read_text()
        assert (project / ".git" / "HEAD").is_file()
        starter = project / "src/main/java/com/altoros/stock/resources/StockSpringBootStarter.java"
        assert "@SpringBootApplication" in starter.read_text()
        assert "path: target/stock-1.0-SNAPSHOT.jar" in (project / "manifest.yml").read_text()
    build = (work / "build.log").read_text()
    assert "[INFO] Building stock 1.0-SNAPSHOT" in build
    assert "Tests run: 1, Failures: 0, Errors: 0, Skipped: 0" in build
    assert "--- spring-boot-maven-plugin:1.3.2.RELEASE:repackage (default) @ stock ---" in build
    assert "[INFO] BUILD SUCCESS" in build
    assert "[INFO] Final Memory: " in build
    jar = work / "stock/target/stock-1.0-SNAPSHOT.jar"
    with zipfile.ZipFile(jar) as zf:
        manifest = zf.read("META-INF/MANIFEST.MF").decode()
        assert "Start-Class: com.altoros.stock.resources.StockSpringBootStarter" in manifest
        assert "application.yml" in zf.namelist()
    push = (work / "push.log").read_text()
    assert "Using manifest file" in push and "manifest.yml" in push
    app = mock_state.load(home)["orgs"]["your-org"]["spaces"]["development"]["apps"][
        "workshop-12f-stock"
    ]
    assert app["state"] == "started"
    assert Path(app["path"]) == jar
    assert app["memory"] == 512


def test_second_clone_into_the_same_folder_fails_like_git(home: Path) -> None:
    done = in_mock(
        home,
        "git clone https://github.com/someone/stock.git >/dev/null 2>&1\n"
        "git clone https://github.com/someone/stock.git; echo rc=$?\n"
        "mkdir empty && git clone -q git@github.com:someone/stock.git empty; echo rc=$?\n",
    )
    assert done.stdout.splitlines() == ["rc=128", "rc=0"]
    assert done.stderr == (
        "fatal: destination path 'stock' already exists and is not an empty directory.\n"
    )
    assert (home / "work/empty/pom.xml").is_file()


def test_a_lessons_bare_pom_builds_a_runnable_jar(home: Path) -> None:
    """The lessons' starting files hold a pom (Spring Boot parent) without sources."""
    done = in_mock(home, "mvn clean install; echo rc=$?", lesson="port-binding")
    assert done.stdout.endswith("rc=0\n"), done.stdout + done.stderr
    out = done.stdout
    assert "[WARNING]" not in out.split("Building stock")[0]  # versions come from the parent
    assert "[INFO] No sources to compile" in out
    assert "[INFO] No tests to run." in out
    assert "spring-boot-maven-plugin:1.3.2.RELEASE:repackage" in out
    with zipfile.ZipFile(home / "work/target/stock-1.0-SNAPSHOT.jar") as zf:
        manifest = zf.read("META-INF/MANIFEST.MF").decode()
    assert "Start-Class: com.altoros.stock.resources.StockSpringBootStarter" in manifest
    assert (home / "work/target/stock-1.0-SNAPSHOT.jar.original").is_file()
