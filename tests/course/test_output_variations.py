"""Steps pass on what they are for, however the learner ran the command (issue 10, case 6).

`mvn -q clean install`, `mvn clean install | tail -3`, `cf push >/dev/null` and
`cf restage workshop-12f-stock | tail -2` print little or nothing of what a check could
read; the build step checks that the jar is newer than the project's sources, the push step
that the running app got the new jar, the restart step that the app answers with its new
environment. A jar left from before an edit does not pass the build step.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from course_support import LessonWalk, failure, verdict

JAR = "target/stock-1.0-SNAPSHOT.jar"
SOURCE = "src/main/java/com/altoros/shop/StockResource.java"
RESOURCE = "src/main/java/com/altoros/stock/resources/StockResource.java"
EDIT = (  # chapter III's edit of the lesson's StockResource: the ping reads the environment
    f'sed -i \'s|return "Ping";|return "Ping " + '
    f'environment.getProperty("environment.variable");|\' {RESOURCE}'
)


@pytest.fixture
def config(tmp_path: Path) -> Iterator[LessonWalk]:
    walk = LessonWalk("config", tmp_path)
    yield walk
    walk.close()


def passes(walk: LessonWalk, step_id: str, command: str) -> None:
    """``command`` succeeds and the step's checks then pass."""
    assert walk.run(command).exit_code == 0, walk.last.output if walk.last else command
    results = walk.check(walk.step(step_id))
    assert failure(results) is None, f"{step_id} after `{command}`: {verdict(results)}"


def test_quiet_and_piped_builds_pass_and_a_stale_jar_does_not(config: LessonWalk) -> None:
    build = config.step("build")
    unedited = failure(config.check(build))
    assert unedited is not None and unedited.reason.startswith(
        "StockResource does not read environment.variable yet"
    )
    config.run(EDIT)
    stale = failure(config.check(build))  # the lesson starts after an edit of pom.xml
    assert (
        stale is not None
        and stale.reason == f"{JAR} is older than pom.xml: it was built before your last edit."
    )

    passes(config, "build", "mvn -q clean install")
    assert config.last is not None and "BUILD SUCCESS" not in config.last.output

    config.run(f"mkdir -p {Path(SOURCE).parent} && echo 'class StockResource {{}}' > {SOURCE}")
    edited = failure(config.check(build))
    assert edited is not None, "an old jar passed the build step after an edit"
    assert edited.reason == f"{JAR} is older than {SOURCE}: it was built before your last edit."
    assert edited.hint == "Build again: `mvn clean install`"

    passes(config, "build", "mvn clean install | tail -3")


def test_silent_push_and_piped_restage_pass(config: LessonWalk) -> None:
    config.run(EDIT)
    config.run("mvn -q clean install")
    push = config.step("push")
    old = failure(config.check(push))  # the app still runs what the lesson started with
    assert old is not None and "uploaded before" in old.reason, old

    passes(config, "push", f"cf push workshop-12f-stock -p {JAR} -n workshop-12f-stock >/dev/null")
    config.run("cf set-env workshop-12f-stock environment.variable some_value")
    passes(config, "restart", "cf restage workshop-12f-stock | tail -2")


def test_bare_push_and_piped_restage_in_the_processes_chapter(tmp_path: Path) -> None:
    walk = LessonWalk("processes", tmp_path)
    try:
        walk.run("mvn -q clean install")
        passes(walk, "build-and-push", "cf push >/dev/null")
        walk.solve(walk.step("try-secured"))
        restart = walk.step("restart")
        walk.run("cf apps")
        not_yet = failure(walk.check(restart))
        assert not_yet is not None and not_yet.reason == "workshop-12f-stock was not restarted."
        passes(walk, "restart", "cf restage workshop-12f-stock | tail -2")
    finally:
        walk.close()
