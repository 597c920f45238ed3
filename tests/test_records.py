"""The light frozen records behind the engine's events behave as frozen dataclasses do."""

from __future__ import annotations

from typing import ClassVar

import pytest

from workshop.engine import events as ev
from workshop.records import FrozenRecordError, Record


class Point(Record):
    x: int
    y: int = 0
    label: str = ""
    KIND: ClassVar[str] = "point"


class Point3(Point):
    z: int = 0


def test_fields_in_order_with_defaults() -> None:
    p = Point(1, label="a")
    assert (p.x, p.y, p.label) == (1, 0, "a")
    assert Point._fields == ("x", "y", "label")
    assert Point3(1, 2, "b", 3).z == 3
    assert Point3._fields == ("x", "y", "label", "z")


def test_equality_hash_and_repr() -> None:
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(1, 3)
    assert Point3(1, 2) != Point(1, 2)  # another class is never equal
    assert len({Point(1, 2), Point(1, 2), Point(2, 1)}) == 2
    assert repr(Point(1)) == "Point(x=1, y=0, label='')"


def test_frozen() -> None:
    p = Point(1)
    with pytest.raises(FrozenRecordError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenRecordError):
        del p.x
    assert p.x == 1


def test_wrong_arguments_are_type_errors() -> None:
    with pytest.raises(TypeError, match="missing the argument 'x'"):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected argument 'w'"):
        Point(1, w=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="two values for 'x'"):
        Point(1, x=2)  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes 3 arguments"):
        Point(1, 2, "a", 4)  # type: ignore[call-arg]


def test_a_field_without_default_after_one_with_default_is_refused() -> None:
    with pytest.raises(TypeError, match="'b' has no default"):

        class Bad(Record):
            a: int = 0
            b: int  # type: ignore[misc]  # what mypy refuses too


def test_match_by_position() -> None:
    match ev.StepStarted("lesson", "step-2", ("step-1", "step-2")):
        case ev.StepStarted(lesson_id, step_id):
            assert (lesson_id, step_id) == ("lesson", "step-2")
        case _:
            pytest.fail("no match")


def test_events_are_records_with_their_defaults() -> None:
    done = ev.CheckCompleted("s1", True)
    assert done.results == () and done.reason == "" and done.attempt is True
    assert done == ev.CheckCompleted(step_id="s1", passed=True)
