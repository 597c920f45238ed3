"""Every step of the course, replayed in a wrong place, fails and names both places.

Issue 10, case 1, for all 13 lessons. For each step whose subject has a place (the space the
CLI targets, the folder the shell stands in, the space a URL's route leads to), a learner
goes to a wrong place (a space `elsewhere`, or a folder outside the lesson's), does the
step there, and the step's checks must fail with a reason naming the wrong place and the
right one and a hint that leads back; then the learner comes back, does the step in the
right place, and its checks pass. Steps are walked in order in one shell per lesson, from
the lesson's own starting state, so each step starts where the ones before it leave off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from course_support import LessonWalk, course, failure, verdict

APP = "workshop-12f-stock"
JAR = "target/stock-1.0-SNAPSHOT.jar"
OTHER_SPACE = ("cf create-space elsewhere", "cf target -s elsewhere")
"""Commands that put the learner in a space of the org that no step is about."""


@dataclass(frozen=True)
class Wrong:
    """One way of doing a step in the wrong place, and the way back."""

    go: tuple[str, ...]
    """Commands that take the learner to the wrong place ({tmp}, {work} are filled in)."""
    wrong: str
    """The wrong place, as the reason must name it (between backquotes)."""
    right: str
    """The right place, as the reason must name it."""
    hint: str
    """What the hint must hold: the command that leads back."""
    back: tuple[str, ...]
    """Commands that undo the wrong attempt, before the step is done in the right place."""
    do_step: bool = True
    """Run the step's own commands in the wrong place (False: the step is the move itself)."""


def elsewhere(right: str = "development", do_step: bool = True) -> Wrong:
    """The step done while targeting the space `elsewhere` instead of ``right``."""
    return Wrong(
        go=OTHER_SPACE,
        wrong="elsewhere",
        right=right,
        hint=f"cf target -s {right}",
        back=(f"cf target -s {right}", "cf delete-space elsewhere -f"),
        do_step=do_step,
    )


def folder(right: str = "{work}", back_to: str | None = None) -> Wrong:
    """The step done in a folder outside the lesson's (``right`` is where it happens)."""
    return Wrong(
        go=("mkdir -p {tmp}/wrong", "cd {tmp}/wrong"),
        wrong="{tmp}/wrong",
        right=right,
        hint=f"cd {right}",
        back=(f"cd {back_to or right}", "rm -rf {tmp}/wrong"),
    )


def route_elsewhere(push: str, *after: str, space: str = "development") -> Wrong:
    """A URL step whose route leads to the app pushed in `elsewhere` (the app of ``space``
    deleted with its route first); back: the app pushed again in ``space`` by ``push``, and
    ``after`` (what the lesson had done to it since)."""
    return Wrong(
        go=(
            f"cf delete {APP} -f -r",
            *OTHER_SPACE,
            f"cf push {APP} --no-manifest -p {JAR} -n {APP}{'-production_test' if space == 'production_test' else ''}",
        ),
        wrong="elsewhere",
        right=space,
        hint=f"cf target -s {space}",
        back=(f"cf target -s {space}", "cf delete-space elsewhere -f", push, *after),
    )


PUSH = f"cf push {APP} -p {JAR} -n {APP}"
"""The push of chapters II and III (no manifest yet)."""

NO_PLACE = None
"""A step whose subject has no place to be wrong about (each says why in a comment)."""

PLACES: dict[str, dict[str, tuple[Wrong, ...] | None]] = {
    "objective": {
        "check-tools": NO_PLACE,  # the local tools' versions: no space, no folder
        "set-api": NO_PLACE,  # the API endpoint is itself the subject
        "log-in": NO_PLACE,  # the account is the subject; no space is targeted yet
        # happens in the targeted org: the course names no org, any of the learner's is right
        "create-space": NO_PLACE,
        "target-space": (elsewhere(do_step=False),),  # the target is the subject
    },
    "codebase": {"clone": (folder(),)},
    "dependencies": {
        "generate-project": (folder(),),
        "enter-project": (
            Wrong(
                go=("mkdir -p {tmp}/wrong/stock", "cd {tmp}/wrong"),
                wrong="{tmp}/wrong/stock",
                right="{work}/stock",
                hint="cd {work}/stock",
                back=("cd {work}", "rm -rf {tmp}/wrong"),
            ),
        ),
        "build": (folder("{work}/stock"),),
        "run-locally": (folder("{work}/stock"),),
        "push": (elsewhere(),),
        "open-stock-ping": (route_elsewhere(PUSH),),
    },
    "config": {
        "build": (folder(),),
        "push": (elsewhere(),),
        "open-stock-ping": (route_elsewhere(PUSH),),
        "set-env": (elsewhere(),),
        "restart": (elsewhere(),),
        "open-stock-ping-2": (
            route_elsewhere(
                PUSH, f"cf set-env {APP} environment.variable some_value", f"cf restart {APP}"
            ),
        ),
    },
    "backing-services": {
        "create-mysql": (elsewhere(),),
        "bind-mysql": (elsewhere(),),
        "write-manifest": (folder(),),
        "build-and-push": (folder(), elsewhere()),
        "store-item": (route_elsewhere("cf push"),),
    },
    "build-release-run": {"read": NO_PLACE},  # a chapter to read
    "processes": {
        "build-and-push": (folder(), elsewhere()),
        "try-secured": (route_elsewhere("cf push"),),
        "restart": (elsewhere(),),
        "create-redis": (elsewhere(),),
        "add-redis-to-manifest": (folder(),),
        "push-with-redis": (folder(), elsewhere()),
    },
    "port-binding": {
        "build-and-push": (folder(), elsewhere()),
        "open-stock-factor7": (route_elsewhere("cf push"),),
    },
    "concurrency": {
        "scale": (elsewhere(),),
        "compare-instances": (route_elsewhere("cf push", f"cf scale {APP} -i 2"),),
    },
    "disposability": {"read": NO_PLACE},  # a chapter to read
    "dev-prod-parity": {
        "cf-target": (elsewhere(),),  # the step looks at the target: development
        # happens in the targeted org, whichever it is (see objective/create-space)
        "cf-create-space-production-test": NO_PLACE,
        "cf-target-s-production-test": (
            # still in development, where the lesson starts: the move is the step
            Wrong((), "development", "production_test", "cf target -s production_test", (), False),
        ),
        "cf-create-service-cleardb-spark-mysql": (
            Wrong(
                ("cf target -s development",),
                "development",
                "production_test",
                "cf target -s production_test",
                ("cf target -s production_test",),
            ),
        ),
        "cf-push-n-workshop-12f-stock-production-test": (elsewhere("production_test"),),
        "open-stock-ping": (
            route_elsewhere(
                "cf push -n workshop-12f-stock-production_test", space="production_test"
            ),
        ),
    },
    "logs": {
        "build": (folder(),),
        # the lesson starts in production_test: staying there is the wrong place
        "target-development": (
            Wrong((), "production_test", "development", "cf target -s development", (), False),
        ),
        "push": (folder(), elsewhere()),
        "request-item": (elsewhere(),),
        "read-logs": (elsewhere(),),
        "drain-logs": (elsewhere(),),
    },
    "admin-processes": {"read": NO_PLACE},  # a chapter to read
}


def test_the_table_covers_every_step_of_the_course() -> None:
    assert {lesson.id: [s.id for s in lesson.steps] for lesson in course().lessons} == {
        lesson: list(steps) for lesson, steps in PLACES.items()
    }


@pytest.mark.parametrize("lesson_id", list(PLACES))
def test_each_step_in_a_wrong_place_fails_naming_it(lesson_id: str, tmp_path: Path) -> None:
    walk = LessonWalk(lesson_id, tmp_path)
    fill = {"tmp": str(tmp_path.resolve()), "work": str(walk.work_dir)}
    try:
        for step_id, wrongs in PLACES[lesson_id].items():
            step = walk.step(step_id)
            if step.kind == "read":
                continue
            for wrong in wrongs or ():
                for command in wrong.go:
                    walk.run(command.format(**fill))
                if wrong.do_step:
                    walk.solve(step)
                results = walk.check(step)
                failed = failure(results)
                where = f"{step_id} while in {wrong.wrong.format(**fill)}"
                assert failed is not None, f"{where}: passed ({verdict(results)})"
                assert failed.status == "fail", f"{where}: {verdict(results)}"
                for place in (wrong.wrong, wrong.right):
                    assert f"`{place.format(**fill)}`" in failed.reason, (
                        f"{where}: {verdict(results)}"
                    )
                assert wrong.hint.format(**fill) in (failed.hint or ""), (
                    f"{where}: {verdict(results)}"
                )
                for command in wrong.back:
                    walk.run(command.format(**fill))
            walk.solve(step)
            results = walk.check(step)
            assert failure(results) is None, f"{step_id} in the right place: {verdict(results)}"
    finally:
        walk.close()
