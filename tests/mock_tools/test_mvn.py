"""The offline ``mvn`` for real: the quickstart archetype, builds, and Maven's failures."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tools_support import in_mock

ARCHETYPE = (
    "mvn archetype:generate -DgroupId=com.altoros.shop -DartifactId=stock "
    "-DarchetypeArtifactId=maven-archetype-quickstart -DinteractiveMode=false"
)


def test_quickstart_generated_then_built(home: Path) -> None:
    done = in_mock(home, f"{ARCHETYPE}; echo rc=$?\ncd stock && mvn clean install; echo rc=$?\n")
    generate, build = done.stdout.split("rc=0\n")[:2]
    assert "[INFO] Building Maven Stub Project (No POM) 1" in generate
    assert "[INFO] Generating project in Batch mode" in generate
    assert "[INFO] Parameter: packageName, Value: com.altoros.shop" in generate
    assert "[INFO] BUILD SUCCESS" in generate
    project = home / "work/stock"
    assert "<version>3.8.1</version>" in (project / "pom.xml").read_text()
    assert (
        "package com.altoros.shop;"
        in (project / "src/main/java/com/altoros/shop/App.java").read_text()
    )
    assert (project / "src/test/java/com/altoros/shop/AppTest.java").is_file()
    assert "[INFO] Compiling 1 source file to " in build
    assert (
        "Running com.altoros.shop.AppTest\nTests run: 1, Failures: 0, Errors: 0, Skipped: 0"
        in build
    )
    assert "spring-boot" not in build  # the quickstart pom declares no repackaging
    assert f"[INFO] Building jar: {project}/target/stock-1.0-SNAPSHOT.jar" in build
    assert "[INFO] BUILD SUCCESS" in build
    with zipfile.ZipFile(project / "target/stock-1.0-SNAPSHOT.jar") as zf:
        assert "META-INF/maven/com.altoros.shop/stock/pom.properties" in zf.namelist()
    again = in_mock(home, f"{ARCHETYPE}; echo rc=$?\n")
    assert "Directory stock already exists - please run from a clean directory" in again.stdout
    assert again.stdout.endswith("rc=1\n")


def test_no_pom_fails_like_maven(home: Path) -> None:
    done = in_mock(home, "mvn clean install; echo rc=$?\n")
    out = done.stdout
    assert out.startswith("[INFO] Scanning for projects...\n")
    assert "[INFO] BUILD FAILURE" in out
    assert (
        "[ERROR] The goal you specified requires a project to execute but there is no POM in "
        f"this directory ({home / 'work'}). Please verify you invoked Maven from the correct "
        "directory. -> [Help 1]"
    ) in out
    assert out.endswith("MissingProjectException\nrc=1\n")


def test_clean_build_is_an_unknown_phase(home: Path) -> None:
    done = in_mock(
        home,
        "git clone -q https://github.com/a/stock.git && cd stock && mvn clean build; echo rc=$?\n",
    )
    out = done.stdout
    assert (
        '[ERROR] Unknown lifecycle phase "build". You must specify a valid lifecycle phase' in out
    )
    assert "Building stock" not in out  # fails before the build starts
    assert out.endswith("LifecyclePhaseNotFoundException\nrc=1\n")
    assert not (home / "work/stock/target").exists()


def test_unparseable_pom_and_unsimulated_goals(home: Path) -> None:
    done = in_mock(
        home,
        "mkdir broken && cd broken && printf '<project>\\n  <groupId>x</group>\\n' > pom.xml\n"
        "mvn install; echo rc=$?\ncd ..\n"
        "git clone -q https://github.com/a/stock.git && cd stock\n"
        "mvn spring-boot:run; echo rc=$?\n"
        "mvn -DskipTests package | grep -E 'Tests are skipped|BUILD'\n",
    )
    out = done.stdout
    assert "[FATAL] Non-parseable POM " in out and "@ line 2, column" in out
    assert "The goal spring-boot:run is not simulated" in out
    assert out.count("rc=1\n") == 2
    assert out.endswith("[INFO] Tests are skipped.\n[INFO] BUILD SUCCESS\n")
