"""Only a command that belongs to the step is an attempt; which step command the learner ran.

The cases use the 12-factor course's own step commands (rendered as the learner sees them)
and the workshop's vocabulary (the lessons' commands plus the mock's cf table).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.checking.attempts import is_attempt, matching_command
from workshop.checking.vocabulary import Vocabulary
from workshop.content import load_workshop
from workshop.content.templates import render, variables
from workshop.engine.vocabulary import vocabulary_for

REPO = Path(__file__).resolve().parents[2]


@cache
def course() -> tuple[Vocabulary, dict[tuple[str, str], list[str]]]:
    """The 12-factor vocabulary and every step's rendered commands by (lesson, step)."""
    workshop = load_workshop(REPO / "workshop" / "bundled" / "12factor")
    values = variables(workshop.variables, environ={})
    steps = {
        (lesson.id, step.id): [render(c, values) for c in step.commands]
        for lesson in workshop.lessons
        for step in lesson.steps
    }
    return vocabulary_for(workshop), steps


def commands(lesson: str, step: str) -> list[str]:
    return course()[1][(lesson, step)]


SERVICES = ("dev-prod-parity", "cf-create-service-cleardb-spark-mysql")
BUILD = ("dependencies", "build")


@pytest.mark.parametrize(
    "step, typed, attempt",
    [
        # what learners type between tries is not an attempt
        (SERVICES, "clear", False),
        (SERVICES, "ls", False),
        (SERVICES, "ls -la", False),
        (SERVICES, "cd stock", False),
        (SERVICES, "pwd", False),
        (SERVICES, "history", False),
        (SERVICES, "man cf", False),
        (SERVICES, "echo $CF_DOMAIN", False),
        (SERVICES, "exit", False),
        (SERVICES, "", False),
        # other cf commands are not this step's
        (SERVICES, "cf services", False),
        (SERVICES, "cf marketplace -s cleardb", False),
        (SERVICES, "cf target -s production_test", False),
        (SERVICES, "cf", False),
        # the step's own command, its alias, a slip in it, wrapped or combined
        (SERVICES, "cf create-service cleardb spak mysql", True),
        (SERVICES, "cf cs rediscloud 30mb redis", True),
        (SERVICES, "cf create-servce cleardb spark mysql", True),
        (SERVICES, "$ cf create-service cleardb spark mysql", True),
        (SERVICES, "CF_TRACE=true cf create-service cleardb spark mysql", True),
        (SERVICES, "time cf cs cleardb spark mysql", True),
        (SERVICES, "cf -v create-service cleardb spark mysql", True),
        (SERVICES, "cf services; cf create-service cleardb spark mysql", True),
        (SERVICES, "cf create-service cleardb spark 'mysql", True),
        (SERVICES, 'cf create-service cleardb "spark mysql', True),
        # mvn: options before the goal, pipelines and lists
        (BUILD, "mvn clean install", True),
        (BUILD, "mvn -q clean install", True),
        (BUILD, "mvn clean install | tail -3", True),
        (BUILD, "cd stock && mvn clean install", True),
        (BUILD, "mvn -f pom.xml clean install", True),
        (BUILD, "./mvnw clean install", False),
        (BUILD, "mvn --version", False),
        (BUILD, "mvn archetype:generate -DgroupId=x", False),
        (BUILD, "cd stock", False),
        # programs without sub-commands: the same program
        (("dependencies", "open-stock-ping"), "curl -i http://workshop-12f-stock.cfapps.io/stock/ping", True),
        (("dependencies", "open-stock-ping"), "curl http://elsewhere/", True),
        (("dependencies", "open-stock-ping"), "cf apps", False),
        (("dependencies", "enter-project"), "cd stock", True),
        (("dependencies", "enter-project"), "cd ..", True),
        (("dependencies", "enter-project"), "ls", False),
        (("dependencies", "run-locally"), "java -jar target/stock-1.0-SNAPSHOT.jar", True),
        (("codebase", "clone"), "git clone https://github.com/me/stock.git", True),
        (("codebase", "clone"), "git status", True),  # the lessons give git one sub-command only
        # the echo of a loop and the cat of a here-document
        (("concurrency", "compare-instances"), "curl -s http://workshop-12f-stock.cfapps.io/stock/factor7", True),
        (("concurrency", "compare-instances"), "echo", False),
        (("concurrency", "compare-instances"), "for i in 1 2; do echo $i; done", False),
        (("backing-services", "write-manifest"), "cat manifest.yml", True),
        (("backing-services", "write-manifest"), "vi manifest.yml", False),
        # several commands in one step: any of them
        (("logs", "drain-logs"), "cf create-user-provided-service logstash-drain -l syslog://x:5000", True),
        (("logs", "drain-logs"), "cf bs workshop-12f-stock logstash-drain", True),
        (("logs", "drain-logs"), "cf rs workshop-12f-stock", True),
        (("logs", "drain-logs"), "cf logs workshop-12f-stock --recent", False),
        (("objective", "check-tools"), "cf --version", True),
        (("objective", "check-tools"), "java -version", True),
        (("objective", "check-tools"), "git --version", True),
        (("objective", "check-tools"), "cf target", False),
        (("objective", "log-in"), "cf l -a https://api.cfapps.io", True),
        (("objective", "log-in"), "cf logout", False),
    ],
)  # fmt: skip
def test_is_attempt_on_the_courses_steps(step: tuple[str, str], typed: str, attempt: bool) -> None:
    vocabulary, _ = course()
    assert is_attempt(typed, commands(*step), vocabulary) is attempt


def test_options_before_a_sub_command_of_a_tool_the_lessons_define() -> None:
    vocabulary = Vocabulary.from_commands(["git status", "git log", "git clone URL"])
    assert is_attempt("git -C stock status", ["git status"], vocabulary)
    assert is_attempt("git --no-pager log -3", ["git log --oneline"], vocabulary)
    assert not is_attempt("git -C stock log", ["git status"], vocabulary)
    assert is_attempt("git stauts", ["git status"], vocabulary)  # a slip in the sub-command


@pytest.mark.parametrize(
    "step, typed, index",
    [
        (SERVICES, "cf create-service cleardb spark mysql", 0),
        (SERVICES, "cf cs cleardb spark mysql", 0),
        (SERVICES, "$ cf  cs  rediscloud 30mb 'redis'", 1),
        (SERVICES, "time cf create-service rediscloud 30mb redis", 1),
        (SERVICES, "cf create-service cleardb spak mysql", None),
        (SERVICES, "cf services", None),
        (SERVICES, "cf create-service cleardb spark mysql | tail -1", None),
        (SERVICES, "cf target -s production_test && cf cs cleardb spark mysql", 0),
        (SERVICES, "cf create-service cleardb spark 'mysql", None),
        (("dev-prod-parity", "cf-push-n-workshop-12f-stock-production-test"),
         "cf p --hostname workshop-12f-stock-production_test", 0),
        (("logs", "drain-logs"), "cf create-user-provided-service logstash-drain -l syslog://logstash.example.com:5000", 0),
        (("logs", "drain-logs"), "cf bind-service workshop-12f-stock logstash-drain", 1),
        (("logs", "drain-logs"), "cf rs workshop-12f-stock", 2),
        (("backing-services", "build-and-push"), "cd . && mvn clean install", 0),
        (("backing-services", "build-and-push"), "mvn clean install && cf push", 0),
        (("backing-services", "build-and-push"), "cf push # again", 1),
        (("concurrency", "compare-instances"),
         "for i in 1 2 3 4; do curl -s http://workshop-12f-stock.cfapps.io/stock/factor7; echo; done", 0),
        (("concurrency", "compare-instances"),
         "for i in 1 2; do curl -s http://workshop-12f-stock.cfapps.io/stock/factor7; echo; done", None),
        (("concurrency", "compare-instances"), "curl -s http://workshop-12f-stock.cfapps.io/stock/factor7", None),
    ],
)  # fmt: skip
def test_matching_command_treats_aliases_as_the_same(
    step: tuple[str, str], typed: str, index: int | None
) -> None:
    vocabulary, _ = course()
    assert matching_command(typed, commands(*step), vocabulary) == index


def test_the_here_document_step_matches_its_whole_text() -> None:
    vocabulary, _ = course()
    step = commands("backing-services", "write-manifest")
    assert matching_command(step[0], step, vocabulary) == 0
    other = step[0].replace("memory: 512M", "memory: 1G")
    assert matching_command(other, step, vocabulary) is None
    assert is_attempt(other, step, vocabulary)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_never_raises(typed: str) -> None:
    vocabulary, _ = course()
    assert is_attempt(typed, commands(*SERVICES), vocabulary) in (True, False)
    assert matching_command(typed, commands(*BUILD), vocabulary) in (None, 0)
