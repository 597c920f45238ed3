"""The mock against the real cf CLI v6.16.1: its golden transcripts, byte for byte.

``golden/cf_v6.json`` is what the real CLI printed (``scripts/cf_oracle.py golden``) for
every command and alias with no, too few, too many and wrong arguments, ``-h`` in several
positions, each requirement failing, and broken manifests, in five starting states. Only
answers the real CLI gave without a Cloud Controller are there. The mock runs in process
(the same ``main`` as the executable) for speed; colour is off as in the transcripts.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from workshop.mock import state as st
from workshop.mock.cf import config, main

GOLDEN = json.loads((Path(__file__).parent / "golden" / "cf_v6.json").read_text())
CLOCK = "1454418705.0"

INTENDED: dict[tuple[str, ...], tuple[str, str]] = {
    ("full", "-b"): (
        "The transcripts' CLI was rebuilt from the v6.16.1 tag with a recent Go; the released "
        "v6.16.1 of February 2016 was built with Go 1.5, and the mock says so.",
        "cf was built with Go version: go1.5.3\n",
    ),
}
"""(state, *argv) → (why the mock answers differently from the transcripts there, on
purpose; what it prints instead).

Differences outside the transcripts, on purpose too: commands that need a Cloud Controller
are simulated from the v6.16.1 sources (the transcripts hold only what the CLI decides
alone); those the mock does not simulate end with "'cf NAME' is not available in the offline
workshop mock." after cf's own checks and prompts; network errors are worded as Go 1.5 did
(``Get /v2/…: unsupported protocol scheme ""``, where a recent Go quotes the URL)."""


def _key(case: dict[str, Any]) -> tuple[str, ...]:
    return (case["state"], *case["argv"])


def _id(case: dict[str, Any]) -> str:
    words = " ".join(case["argv"]) or "(none)"
    return f"{case['state']}:{'manifest:' if 'manifest' in case else ''}{words}"[:120]


CASES = [c for c in GOLDEN["cases"] if _key(c) not in INTENDED or "manifest" in c]
DIFFERENT = [c for c in GOLDEN["cases"] if _key(c) in INTENDED and "manifest" not in c]


def test_the_golden_suite_is_big_enough_and_the_differences_are_few() -> None:
    assert len(GOLDEN["cases"]) >= 1500
    assert len(INTENDED) <= 20
    keys = {_key(c) for c in GOLDEN["cases"]}
    assert set(INTENDED) <= keys, "an intended difference no longer in the transcripts"


@pytest.fixture
def run_mock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run a case's ``cf`` in process, from a home and an app folder of its own."""
    made = iter(range(1_000_000))

    def run(case: dict[str, Any]) -> tuple[str, int]:
        folder = tmp_path / str(next(made))
        home = folder / "home"
        work = folder / "app"
        work.mkdir(parents=True)
        state = json.loads(json.dumps(GOLDEN["states"][case["state"]]))
        st.save(home, state)
        config.write(home, state, cf_home=home)
        if "manifest" in case:
            (work / "manifest.yml").write_text(case["manifest"])
        for name in [n for n in list(os.environ) if n.startswith(("CF_", "WORKSHOP_"))]:
            monkeypatch.delenv(name)
        monkeypatch.setenv("WORKSHOP_MOCK_HOME", str(home))
        monkeypatch.setenv("CF_HOME", str(home))
        monkeypatch.setenv("CF_COLOR", "false")
        monkeypatch.setenv("WORKSHOP_MOCK_CLOCK", CLOCK)
        monkeypatch.setenv("TZ", "UTC")
        monkeypatch.chdir(work)
        out = io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stdin", io.StringIO(case.get("stdin", "")))
        code = main.main(list(case["argv"]))
        return out.getvalue(), code

    return run


BY_COMMAND: dict[str, list[dict[str, Any]]] = {}
"""The cases of :data:`CASES` by the command they call (its first word; ``(none)``)."""
for _case in CASES:
    BY_COMMAND.setdefault(_case["argv"][0] if _case["argv"] else "(none)", []).append(_case)


def _difference(case: dict[str, Any], stdout: str, code: int, expected: str) -> str:
    """How the mock's answer to ``case`` differs from the transcript's."""
    lines = [f"- {_id(case)}:"]
    if code != case["code"]:
        lines.append(f"  exit status {code}, the real cf's {case['code']}")
    if stdout != expected:
        diff = list(
            difflib.unified_diff(
                expected.splitlines(), stdout.splitlines(), "real cf", "mock", lineterm="", n=1
            )
        )
        if not diff:  # the same lines, ended differently
            diff = [f"real cf: {expected!r}", f"mock:    {stdout!r}"]
        lines.extend("  " + line for line in diff)
    return "\n".join(lines)


@pytest.mark.parametrize("command", sorted(BY_COMMAND))
def test_the_mock_answers_as_cf_v6_16_1(command: str, run_mock: Any) -> None:
    """Every transcript of a command (its forms, its arguments, each starting state),
    byte for byte and with the same exit status; each one that differs is shown.

    One test per command, not per transcript: pytest's own cost per test was five times
    that of the mock's answer (``-k push`` runs one command's). A transcript whose command
    raises is said too, and the others still run."""
    cases = BY_COMMAND[command]
    different = []
    for case in cases:
        try:
            stdout, code = run_mock(case)
        except Exception as exc:  # noqa: BLE001 - said with the others, the rest still run
            different.append(f"- {_id(case)}: raised {exc!r}")
            continue
        expected = case["stdout"].replace("{cwd}", os.getcwd())
        if stdout != expected or code != case["code"]:
            different.append(_difference(case, stdout, code, expected))
    if different:
        summary = f"{len(different)} of {len(cases)} answers of cf {command} differ:\n"
        pytest.fail(summary + "\n".join(different), pytrace=False)


@pytest.mark.parametrize("case", DIFFERENT, ids=[_id(c) for c in DIFFERENT])
def test_the_intended_differences_are_what_the_mock_prints(
    case: dict[str, Any], run_mock: Any
) -> None:
    stdout, _ = run_mock(case)
    assert stdout != case["stdout"]
    assert stdout == INTENDED[_key(case)][1]
