"""Any manifest a learner can write gets cf v6.16.1's answer, never an internal error.

The golden transcripts pin cf's exact words for common mistakes; here hypothesis writes
random manifests (valid YAML of every type in every place, and broken text: tabs, stray
indentation, unclosed brackets and quotes) and the mock's reader must either return
applications push can use, or refuse with a message, and ``cf push`` itself must never
print an internal error.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s

from workshop.mock import state as st
from workshop.mock.cf import config, main, manifest

GOLDEN = Path(__file__).parent / "golden" / "cf_v6.json"
KEYS = [
    "name", "memory", "disk_quota", "instances", "timeout", "buildpack", "command", "path",
    "host", "hosts", "domain", "domains", "services", "env", "no-route", "no-hostname",
    "random-route", "stack", "health-check-type", "inherit", "applications",
]  # fmt: skip
scalars = s.one_of(
    s.none(),
    s.booleans(),
    s.integers(min_value=-(2**70), max_value=2**70),
    s.floats(allow_nan=True, allow_infinity=True),
    s.sampled_from(["512M", "1G", "two", "${host}", "${random-word}", "1 G", "-1M", "", "true"]),
    s.text(max_size=12),
)
values = s.recursive(
    scalars,
    lambda inner: s.one_of(
        s.lists(inner, max_size=3),
        s.dictionaries(s.one_of(s.sampled_from(KEYS), s.text(max_size=5)), inner, max_size=3),
    ),
    max_leaves=8,
)
apps = s.dictionaries(s.sampled_from(KEYS[:-2]), values, max_size=6)
documents = s.one_of(
    values,
    s.builds(
        lambda a, g: {"applications": a, **g}, s.one_of(s.lists(apps, max_size=3), values), apps
    ),
)


def _breakage(text: str, data: s.DataObject) -> str:
    """Typical hand-editing mistakes, applied to a well-formed document."""
    lines = text.splitlines() or [""]
    i = data.draw(s.integers(0, len(lines) - 1))
    how = data.draw(
        s.sampled_from(["tab", "indent", "dedent", "bracket", "quote", "colon", "none"])
    )
    line = lines[i]
    lines[i] = {
        "tab": "\t" + line.lstrip(),
        "indent": " " + line,
        "dedent": line[1:],
        "bracket": line + " [",
        "quote": line + ' "',
        "colon": line + ": :",
        "none": line,
    }[how]
    return "\n".join(lines) + "\n"


def _check_usable(result: list[dict[str, Any]]) -> None:
    """What push reads from an application must have the type push expects."""
    for app in result:
        assert isinstance(app, dict)
        for key in ("name", "path", "host", "stack", "health-check-type", "domain"):
            assert app.get(key) is None or isinstance(app[key], str)
        for key in ("memory", "disk_quota"):
            assert app.get(key) is None or manifest.to_megabytes(app[key]) is not None
        for key in ("instances", "timeout"):
            assert app.get(key) is None or type(app[key]) is int
        for key in ("services", "hosts", "domains"):
            assert all(isinstance(v, str) for v in app.get(key) or [])
        assert all(
            isinstance(k, str) and isinstance(v, str) for k, v in (app.get("env") or {}).items()
        )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents, data=s.data())
def test_any_manifest_is_read_or_refused_with_a_message(
    doc: Any, data: s.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = yaml.safe_dump(doc, default_flow_style=data.draw(s.booleans()), allow_unicode=True)
    if data.draw(s.booleans()):
        text = _breakage(text, data)
    path = tmp_path_factory.mktemp("m") / "manifest.yml"
    path.write_text(text)
    try:
        result = manifest.load(path)
    except manifest.ManifestError as problem:
        assert str(problem).strip()
        return
    _check_usable(result)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(doc=documents, data=s.data())
def test_cf_push_never_fails_internally_on_a_manifest(
    doc: Any, data: s.DataObject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    golden = json.loads(GOLDEN.read_text())
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir(exist_ok=True)
    state = golden["states"]["full"]
    st.save(home, state)
    config.write(home, state, cf_home=home)
    text = yaml.safe_dump(doc, default_flow_style=data.draw(s.booleans()))
    if data.draw(s.booleans()):
        text = _breakage(text, data)
    (work / "manifest.yml").write_text(text)
    for name in [n for n in os.environ if n.startswith(("CF_", "WORKSHOP_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("WORKSHOP_MOCK_HOME", str(home))
    monkeypatch.setenv("CF_HOME", str(home))
    monkeypatch.setenv("CF_COLOR", "false")
    monkeypatch.setenv("WORKSHOP_MOCK_CLOCK", "1454418705.0")
    monkeypatch.chdir(work)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    main.main(["push", "--no-start"])
    assert "Internal error" not in out.getvalue()


def test_the_usual_mistakes_read_as_cf_words_them(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yml"
    for text, expected in [
        ("applications:\n- name: a\n  memory: 512\n", "Invalid value for 'memory': 512\n"),
        ("applications:\n- name: a\n\tmemory: 1G\n", "yaml: line 2: found a tab character that violate intendation"),
        ("applications:\n- name: a\n  services: mysql\n", "Expected services to be a list of strings.\n\n"),
        ("applications:\n- name: a\n  instances: two\n", 'strconv.Atoi: parsing "two": invalid syntax\n\n'),
        ("", "Invalid manifest. Expected a map"),
    ]:  # fmt: skip
        path.write_text(text)
        with pytest.raises(manifest.ManifestError) as problem:
            manifest.load(path)
        assert str(problem.value).startswith(expected.split("\n")[0])
        assert expected in str(problem.value)
