"""``evaluate_step``, the one policy for "did this step pass", as the session and ``workshop
test`` both ask it: reading steps, steps without checks, multi-command steps part way, URL
steps, and the verdict of declared checks (a script's own hint, a broken check)."""

from __future__ import annotations

from pathlib import Path

from workshop.checking import CheckContext
from workshop.content.model import CheckSpec, Step
from workshop.engine.evaluate import evaluate_step


def context(tmp_path: Path, command: str = "", exit_code: int | None = None) -> CheckContext:
    """What the checks see after ``command`` (none: before any)."""
    return CheckContext(
        cwd=tmp_path, command=command, exit_code=exit_code, output="", step_id="s", mode="mock"
    )


def test_a_reading_step_passes_when_acknowledged_or_on_true(tmp_path: Path) -> None:
    step = Step("read", "Read", "text", kind="read")
    assert evaluate_step(step, context(tmp_path), acknowledged=True).passed
    assert evaluate_step(step, context(tmp_path, "true", 0)).passed
    other = evaluate_step(step, context(tmp_path, "ls", 0))
    assert not other.passed and "Read the text" in other.reason


def test_a_step_without_checks_needs_its_own_command_to_succeed(tmp_path: Path) -> None:
    step = Step("t", "Target", "", commands=["cf target"])
    assert evaluate_step(step, context(tmp_path, "cf target", 0), matched=0).passed
    wrong = evaluate_step(step, context(tmp_path, "cf spaces", 0), matched=None)
    assert (wrong.passed, wrong.reason) == (False, "That is not the command this step asks for.")
    failed = evaluate_step(step, context(tmp_path, "cf target", 1), matched=0)
    assert failed.reason == "The command exited with status 1." and failed.pending is None
    nothing = evaluate_step(step, context(tmp_path))
    assert nothing.reason == "Run the step's command first: `cf target`."


def test_a_multi_command_step_is_pending_until_every_command_ran(tmp_path: Path) -> None:
    step = Step("two", "Two", "", commands=["cf cs a b c", "cf cs d e f"])
    first = evaluate_step(step, context(tmp_path, "cf cs d e f", 0), matched=1)
    assert not first.passed and first.pending == "1 of 2 commands done"
    done = evaluate_step(step, context(tmp_path, "cf cs a b c", 0), seen=frozenset({1}), matched=0)
    assert done.passed
    broken = evaluate_step(step, context(tmp_path, "cf cs a b c", 1), matched=0)
    assert not broken.passed and broken.pending is None  # a failed command is no progress


def test_a_url_step_passes_when_its_url_was_fetched(tmp_path: Path) -> None:
    url = "http://app.example.test/ping"
    step = Step("open", "Open", "", kind="url", url=url, commands=[f"curl {url}"])
    assert evaluate_step(step, context(tmp_path, "curl -s app.example.test/ping", 0)).passed
    assert not evaluate_step(step, context(tmp_path, "curl -s other.test/", 0)).passed


def test_a_failing_script_gives_its_own_hint_and_a_built_in_none(tmp_path: Path) -> None:
    script = tmp_path / "place.sh"
    script.write_text("#!/bin/sh\necho 'You are in the wrong place.'\necho 'cd right'\nexit 1\n")
    script.chmod(0o755)
    step = Step(
        "s", "S", "", commands=["make"], checks=[CheckSpec("script", {"path": str(script)})]
    )
    verdict = evaluate_step(step, context(tmp_path, "make", 0), matched=0)
    assert (verdict.passed, verdict.reason, verdict.hint) == (
        False,
        "You are in the wrong place.",
        "cd right",
    )
    built_in = Step("s", "S", "", commands=["make"], checks=[CheckSpec("exit_code", {"code": 0})])
    failed = evaluate_step(built_in, context(tmp_path, "make", 2), matched=0)
    assert not failed.passed and failed.hint is None


def test_a_broken_check_is_an_error_never_a_pass_nor_part_way(tmp_path: Path) -> None:
    step = Step(
        "s",
        "S",
        "",
        commands=["a", "b"],
        checks=[CheckSpec("script", {"path": str(tmp_path / "missing.sh")})],
    )
    verdict = evaluate_step(step, context(tmp_path, "a", 0), matched=0)
    assert not verdict.passed and verdict.error and verdict.pending is None
    assert verdict.reason.startswith("The check itself failed (not your fault): ")
