"""The seed lesson: workshop/bundled/12factor loads as `dev-prod-parity` with exactly its 6 steps."""

from __future__ import annotations

import hashlib
import json

from content_support import SEED_LESSON, SEED_WORKSHOP, CliRunner

from workshop.content import load_workshop

# sha256 of the seed file as it was given; the lesson must stay byte-identical to it.
SEED_SHA256 = "1bed16e18153bb7858372d4b8ee02eebb13039e0b0978e2f4629c369d90f0084"

SEED_COMMANDS = [
    ["cf target"],
    ["cf create-space production_test"],
    ["cf target -s production_test"],
    ["cf create-service cleardb spark mysql", "cf create-service rediscloud 30mb redis"],
    ["cf push -n workshop-12f-stock-production_test"],
    ["curl http://workshop-12f-stock-production_test.{{CF_DOMAIN}}/stock/ping"],
]
CF_TARGET_OUTPUT = (
    "API endpoint:   https://api.run.pivotal.io (API version: 2.46.0)\n"
    "User:           user_name\n"
    "Org:            your-org\n"
    "Space:          development"
)
PING_URL = "http://workshop-12f-stock-production_test.{{CF_DOMAIN}}/stock/ping"


def test_seed_file_is_unchanged() -> None:
    assert hashlib.sha256(SEED_LESSON.read_bytes()).hexdigest() == SEED_SHA256


def test_seed_lesson_loads_with_its_six_steps() -> None:
    workshop = load_workshop(SEED_WORKSHOP)
    assert workshop.problems == []
    lesson = workshop.lesson("dev-prod-parity")
    assert lesson.file == SEED_LESSON
    assert [step.commands for step in lesson.steps] == SEED_COMMANDS
    assert [step.kind for step in lesson.steps] == ["command"] * 5 + ["url"]
    assert lesson.steps[0].expected_output == CF_TARGET_OUTPUT
    assert [step.expected_output for step in lesson.steps[1:]] == [None] * 5
    assert lesson.steps[5].url == PING_URL
    assert len({step.id for step in lesson.steps}) == 6


def test_seed_lesson_loads_as_a_single_file() -> None:
    (lesson,) = load_workshop(SEED_LESSON, strict=False).lessons
    assert lesson.id == "dev-prod-parity"
    assert [step.commands for step in lesson.steps] == SEED_COMMANDS


def test_show_json_gives_the_six_steps(cli: CliRunner) -> None:
    result = cli("show", str(SEED_WORKSHOP), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"]
    lessons = {lesson["id"]: lesson for lesson in data["lessons"]}
    steps = lessons["dev-prod-parity"]["steps"]
    assert [step["commands"] for step in steps] == SEED_COMMANDS
    assert steps[0]["expected_output"] == CF_TARGET_OUTPUT
    assert [step["expected_output"] for step in steps[1:]] == [None] * 5
    for step in steps:
        assert {"id", "title", "commands", "expected_output", "checks"} <= set(step)
        assert isinstance(step["checks"], list)
    assert steps[5]["kind"] == "url"


def test_show_lesson_option_and_outline(cli: CliRunner) -> None:
    result = cli("show", str(SEED_WORKSHOP), "--lesson", "dev-prod-parity", "--json")
    assert result.returncode == 0, result.stderr
    assert [lesson["id"] for lesson in json.loads(result.stdout)["lessons"]] == ["dev-prod-parity"]
    outline = cli("show", str(SEED_WORKSHOP))
    assert outline.returncode == 0, outline.stderr
    for commands in SEED_COMMANDS:
        for command in commands:
            assert f"$ {command}" in outline.stdout
    # steps by the titles learners read, their ids beside; a lesson keeps its number
    bundled = cli("show", "--lesson", "config")
    lines = bundled.stdout.splitlines()
    assert "4. III. Config  [config]" in lines, bundled.stdout
    assert any(line.startswith("   4.1 ") and line.endswith("[build]  (command, 3 check(s))")
               for line in lines), bundled.stdout  # fmt: skip


def test_seed_workshop_lints_clean(cli: CliRunner) -> None:
    result = cli("lint", str(SEED_WORKSHOP))
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
