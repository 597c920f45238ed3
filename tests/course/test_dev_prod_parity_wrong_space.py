"""Issue 10, case 1, exactly as a learner met it in chapter X (dev/prod parity).

Steps 1-3 done, then `cf target -s development` and both `cf create-service` commands: the
services step must not pass, and say so naming `development`; the push then lands in
development and must not pass either; the ping of the production_test URL answers from the
development app and must name the space that app lives in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from course_support import LessonWalk, failure, verdict

LESSON = "dev-prod-parity"


@pytest.fixture
def walk(tmp_path: Path) -> Iterator[LessonWalk]:
    walk = LessonWalk(LESSON, tmp_path)
    yield walk
    walk.close()


def test_steps_done_in_development_do_not_pass_and_name_it(walk: LessonWalk) -> None:
    for step_id in ("cf-target", "cf-create-space-production-test", "cf-target-s-production-test"):
        step = walk.step(step_id)
        walk.solve(step)
        assert failure(walk.check(step)) is None, step_id
    walk.run("cf target -s development")

    services = walk.step("cf-create-service-cleardb-spark-mysql")
    walk.run("cf create-service cleardb spark mysql")
    walk.run("cf create-service rediscloud 30mb redis")
    failed = failure(walk.check(services))
    assert failed is not None, "the services step passed in development"
    assert failed.reason == (
        "You are targeting the space `development`; this step happens in `production_test`."
    )
    assert failed.hint == "`cf target -s production_test`"

    push = walk.step("cf-push-n-workshop-12f-stock-production-test")
    assert walk.run("cf push -n workshop-12f-stock-production_test").exit_code == 0
    failed = failure(walk.check(push))
    assert failed is not None, "the push step passed in development"
    assert "`development`" in failed.reason and "`production_test`" in failed.reason
    assert "cf target -s production_test" in (failed.hint or "")

    ping = walk.step("open-stock-ping")
    answer = walk.run("curl -s http://workshop-12f-stock-production_test.cfapps.io/stock/ping")
    assert answer.output.strip() == "Ping some_value"  # the development app answers
    results = walk.check(ping)
    failed = failure(results)
    assert failed is not None, verdict(results)
    assert failed.reason == (
        "The route `workshop-12f-stock-production_test.cfapps.io` belongs to an app in the"
        " space `development`; this step is about the app in `production_test`."
    )
    assert "cf target -s production_test" in (failed.hint or "")
