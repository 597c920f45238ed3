"""The mock's JSON helper answers exactly as the ``json`` module does, errors included."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.mock import jsonlite

DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


@given(DOCUMENTS)
def test_any_document_is_written_and_read_as_json_does(value: Any) -> None:
    for options in (
        {},
        {"ensure_ascii": False, "separators": (",", ":")},
        {"sort_keys": True},
        {"indent": 2},
        {"indent": 1, "sort_keys": True, "ensure_ascii": False},
    ):
        text = jsonlite.dumps(value, **options)
        assert text == json.dumps(value, **options)
        assert jsonlite.loads(text) == json.loads(text)
        assert jsonlite.loads(f" \n{text}\t\r\n") == json.loads(text)


def test_the_state_file_s_compact_form_is_the_json_module_s() -> None:
    state = {"version": 1, "orgs": {"é": {"spaces": {"dev": [1, 2.5, None, True]}}}}
    compact = jsonlite.dumps(state, ensure_ascii=False, separators=(",", ":"))
    assert compact == '{"version":1,"orgs":{"é":{"spaces":{"dev":[1,2.5,null,true]}}}}'


def test_special_numbers_read_as_json_reads_them() -> None:
    values = jsonlite.loads("[NaN, Infinity, -Infinity, 1e400, 12345678901234567890]")
    assert math.isnan(values[0]) and values[1:4] == [math.inf, -math.inf, math.inf]
    assert values[4] == 12345678901234567890


@pytest.mark.parametrize(
    "text", ["", "  ", "{", '{"a": 1} x', '{"a": 1}{}', "[1,]", '"\x01"', "nul", b"\xff"]
)
def test_a_broken_document_is_the_json_module_s_error(text: str | bytes) -> None:
    with pytest.raises(ValueError) as expected:
        json.loads(text)
    with pytest.raises(ValueError) as got:
        jsonlite.loads(text)
    assert type(got.value) is type(expected.value) and str(got.value) == str(expected.value)


def test_what_json_cannot_write_is_the_json_module_s_error() -> None:
    circular: list[Any] = []
    circular.append(circular)
    for value in ({"a": object()}, circular, {(1, 2): 3}):
        with pytest.raises((TypeError, ValueError)) as expected:
            json.dumps(value)
        with pytest.raises((TypeError, ValueError)) as got:
            jsonlite.dumps(value)
        assert type(got.value) is type(expected.value) and str(got.value) == str(expected.value)
