"""The classic layout's ``{{ command }}`` templates, run where the learner's shell stands.

A real session (real bash in a PTY) on a small classic folder of the project's own: a
template's output appears in the text as the learner's shell would print it (its exports,
its folder), one that fails or hangs leaves a marker, the cf mock's environment answers
``{{echo $CF_DOMAIN}}`` and ``{{cf target ...}}``-like commands, a learner who types
``$CF_DOMAIN`` where the page shows the domain ran the step's command, and ``workshop test``
renders the same templates in its sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import Events, cli
from test_learner_path import run

from workshop.content import load_workshop
from workshop.engine import events as ev
from workshop.engine import shell_templates
from workshop.engine.session import LearnerSession
from workshop.mock.router import stop_router

PAGE_ONE = """# Where you are

You stand in {{ basename "$PWD" }}, and your shell says {{ echo "$GREETING" | tr a-z A-Z }}.

Broken: {{ exit 3 }}. Slow: {{ sleep 5 }}.

```sh
$ export GREETING=hello
```
"""
PAGE_TWO = """# The API

Your domain is {{echo $CF_DOMAIN}}; your greeting was {{ printf %s "$GREETING" }}.

```sh
$ cf api https://api.{{echo $CF_DOMAIN}}
```
"""


@pytest.fixture
def classic(tmp_path: Path) -> Path:
    root = tmp_path / "unit"
    root.mkdir()
    (root / "01_Where.md").write_text(PAGE_ONE)
    (root / "02_Api.md").write_text(PAGE_TWO)
    return root


@pytest.fixture
def session(
    classic: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[LearnerSession, Events]]:
    # the hanging template is given up on after 1 s (2 s for learners): the same marker
    monkeypatch.setattr(shell_templates, "TIMEOUT", 1.0)
    events = Events()
    opened = LearnerSession(load_workshop(classic), None, listener=events, rows=30, cols=100)
    opened.start()
    events.wait(ev.StepStarted)
    opened.settle()
    yield opened, events
    opened.close()
    if opened.mock_home.is_dir():
        stop_router(opened.mock_home)


def test_templates_run_in_the_learners_shell_and_failures_leave_a_marker(
    session: tuple[LearnerSession, Events],
) -> None:
    learner, events = session
    shown = learner.step_view().text
    folder = learner.shell.cwd.name if learner.shell and learner.shell.cwd else ""
    assert f"You stand in {folder}, and your shell says ." in shown
    assert "Broken: [{{exit 3}}: exit 3]." in shown
    assert "Slow: [{{sleep 5}}: no answer in 1 s]." in shown
    assert run(learner, events, "export GREETING=hello").passed
    learner.switch_lesson("the-api")
    learner.settle()
    shown = learner.step_view().text
    assert "Your domain is cfapps.io; your greeting was hello." in shown


def test_a_learner_who_types_the_variable_ran_the_steps_command(
    session: tuple[LearnerSession, Events],
) -> None:
    learner, events = session
    assert run(learner, events, "export GREETING=hello").passed
    learner.switch_lesson("the-api")
    learner.settle()
    assert learner.step_view().commands == ["cf api https://api.cfapps.io"]
    verdict = run(learner, events, "cf api https://api.$CF_DOMAIN")
    assert verdict.passed, verdict


def test_workshop_test_renders_the_templates_in_its_sandbox(classic: Path, tmp_path: Path) -> None:
    done = cli("test", str(classic), home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("2 passed, 0 failed in ")
