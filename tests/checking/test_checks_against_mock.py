"""The 12-factor lesson's own checks against the real offline mock, with other names.

Every step's checks fail before the step and pass after its commands run (through real
bash and the real fake ``cf``); a slip gets a near-miss message and the matching hint; the
``cf target`` transcript (coloured, another user, org, endpoint and version) is similar to
the seed's block; a step reset rewinds the mock through the progress store's checkpoint.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workshop.checking import CheckContext, HintBook, all_passed, closest_near_miss, run_checks
from workshop.content.loader import load_workshop
from workshop.content.model import Lesson, Step
from workshop.mock.env import mock_environment
from workshop.mock.router import stop_router
from workshop.progress import ProgressStore

REPO = Path(__file__).resolve().parents[2]
DOMAIN = "local.pcfdev.io"
W = "12factor"


@pytest.fixture
def lesson() -> Lesson:
    workshop = load_workshop(REPO / "workshop" / "bundled" / "12factor")
    return workshop.lesson("dev-prod-parity")


@pytest.fixture
def mock(tmp_path: Path, lesson: Lesson) -> Iterator[tuple[Path, dict[str, str]]]:
    """A mock home started from the lesson's state, but with another user, org and API."""
    start: dict[str, Any] = copy.deepcopy(lesson.start or {})
    start.update(user="admin", password="admin", org="default_organization")
    settings = {"api": "https://api.local.pcfdev.io", "api_version": "2.54.0", "domain": DOMAIN}
    home = tmp_path / "mock-home"
    env = {
        k: v
        for k, v in os.environ.items()
        if k.lower() not in ("http_proxy", "no_proxy", "cf_color", "cf_home")
    }
    env.update(mock_environment(home, start, settings))
    env["CF_COLOR"] = "true"  # coloured output, as on the learner's terminal
    try:
        yield home, env
    finally:
        stop_router(home)


def resolve(step: Step) -> Step:
    """The caller's job: templates in commands and check params resolved."""
    step = copy.deepcopy(step)
    step.commands = [c.replace("{{CF_DOMAIN}}", DOMAIN) for c in step.commands]
    for check in step.checks:
        check.params = {
            k: v.replace("{{CF_DOMAIN}}", DOMAIN) if isinstance(v, str) else v
            for k, v in check.params.items()
        }
        check.retries = 0
    return step


def run(command: str, home: Path, env: dict[str, str]) -> tuple[int, str]:
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", command],
        cwd=home / "work", env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    return proc.returncode, proc.stdout + proc.stderr


def context(home: Path, env: dict[str, str], step: Step, command: str = "",
            exit_code: int | None = None, output: str = "") -> CheckContext:  # fmt: skip
    return CheckContext(
        env=env, cwd=home / "work", variables={"CF_DOMAIN": DOMAIN}, mode="mock",
        command=command, exit_code=exit_code, output=output, step_id=step.id,
    )  # fmt: skip


def test_every_step_fails_before_and_passes_after(
    lesson: Lesson, mock: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    home, env = mock
    store = ProgressStore(tmp_path / "progress.sqlite3")
    last: tuple[str, int | None, str] = ("", None, "")
    assert [s.id for s in lesson.steps][0] == "cf-target"
    for raw in lesson.steps:
        step = resolve(raw)
        store.start_step(W, lesson.id, step.id)
        store.checkpoint(W, lesson.id, step.id, home)
        before = run_checks(step, context(home, env, step, *last))
        assert not all_passed(before), f"{step.id}: checks pass before the step"
        for command in step.commands:
            code, output = run(command, home, env)
            last = (command, code, output)
            store.record_command(W, lesson.id, step.id, command, code, output)
        after = run_checks(step, context(home, env, step, *last))
        assert all_passed(after), f"{step.id}: {[r.reason for r in after]}"
        assert store.record_checks(W, lesson.id, step.id, after)
    summary = store.summary(W)
    assert summary["passed"] == len(lesson.steps)

    # reset the create-space step: the simulated foundation forgets production_test
    assert store.reset_step(W, lesson.id, "cf-create-space-production-test", home)
    code, spaces = run("cf spaces", home, env)
    assert code == 0 and "production_test" not in spaces and "development" in spaces
    step = resolve(lesson.step("cf-create-space-production-test"))
    assert not all_passed(run_checks(step, context(home, env, step)))
    assert store.step_status(W, lesson.id, "open-stock-ping").status == "locked"
    store.close()


def test_cf_target_transcript_is_similar_and_a_slip_gets_taught(
    lesson: Lesson, mock: tuple[Path, dict[str, str]]
) -> None:
    home, env = mock
    target = resolve(lesson.step("cf-target"))
    code, output = run("cf target", home, env)
    assert "\x1b[" in output and "default_organization" in output and "2.54.0" in output
    results = run_checks(target, context(home, env, target, "cf target", code, output))
    # the place (development), the exit status, the similar output
    assert [r.status for r in results] == ["pass"] * 3, [r.reason for r in results]

    code, wrong = run("cf target -s nope", home, env)
    failed = run_checks(target, context(home, env, target, "cf target -s nope", code, wrong))
    assert not all_passed(failed)

    services = resolve(lesson.step("cf-create-service-cleardb-spark-mysql"))
    run("cf create-space production_test && cf target -s production_test", home, env)
    typed = "cf create-service cleardb spak mysql"
    code, output = run(typed, home, env)
    assert code == 1 and "Could not find plan" in output
    results = run_checks(services, context(home, env, services, typed, code, output))
    assert not all_passed(results)
    assert closest_near_miss(typed, services.commands) == "you typed 'spak', the plan is 'spark'"
    book = HintBook(services)
    hint = book.on_failure(output)
    assert hint is not None and "plan name is wrong" in hint[1].text


def test_the_services_step_runs_cf_services_once_for_its_two_checks(
    lesson: Lesson, mock: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    home, env = mock
    code, _ = run(
        "cf create-space production_test && cf target -s production_test"
        " && cf create-service cleardb spark mysql && cf create-service rediscloud 30mb redis",
        home, env,
    )  # fmt: skip
    assert code == 0
    real = shutil.which("cf", path=env["PATH"])
    assert real is not None
    calls = tmp_path / "cf-calls.log"
    shims = tmp_path / "counting-bin"
    shims.mkdir()
    shim = shims / "cf"
    shim.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{real}" "$@"\n')
    shim.chmod(0o755)
    counted = {**env, "PATH": f"{shims}{os.pathsep}{env['PATH']}"}
    step = resolve(lesson.step("cf-create-service-cleardb-spark-mysql"))
    commands = [c.params["command"] for c in step.checks if c.kind == "command"]
    assert commands == ["cf services", "cf services"]
    results = run_checks(step, context(home, counted, step, step.commands[-1], 0, ""))
    assert [r.status for r in results] == ["pass"] * len(step.checks), [r.reason for r in results]
    # the place check asks `cf target` once; the two service checks share one `cf services`
    assert calls.read_text().splitlines().count("services") == 1
