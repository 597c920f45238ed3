"""Each built-in check, passing and failing, plus run_checks' aggregation rules."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from check_support import SEED_TARGET, http_server, make_context, write_script

from workshop.checking import all_passed, run_check, run_checks
from workshop.content.model import CheckSpec, Step


def test_exit_code(tmp_path: Path) -> None:
    spec = CheckSpec("exit_code", {"code": 0})
    assert run_check(spec, make_context(tmp_path, exit_code=0)).status == "pass"
    bad = run_check(spec, make_context(tmp_path, exit_code=1, output="FAILED\nSpace x not found\n"))
    assert bad.status == "fail"
    assert bad.reason == "the command exited with status 1, expected 0"
    assert bad.hint == "FAILED\nSpace x not found"
    assert run_check(
        CheckSpec("exit_code", {"code": 1}), make_context(tmp_path, exit_code=1)
    ).passed
    none = run_check(spec, make_context(tmp_path, exit_code=None))
    assert none.status == "fail" and "no command" in none.reason


def test_output_matches_ignores_colour(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    assert run_check(CheckSpec("output_matches", {"pattern": "^Space: +development$"}), ctx).passed
    miss = run_check(CheckSpec("output_matches", {"pattern": "Space: +production_test"}), ctx)
    assert miss.status == "fail" and "production_test" in miss.reason
    custom = run_check(
        CheckSpec("output_matches", {"pattern": "Space: +production_test"}, message="Target it"),
        ctx,
    )
    assert custom.reason == "Target it"
    broken = run_check(CheckSpec("output_matches", {"pattern": "("}), ctx)
    assert broken.status == "error"


def test_output_similar_pass_and_fail(tmp_path: Path) -> None:
    spec = CheckSpec("output_similar", {})
    ok = run_check(spec, make_context(tmp_path, expected_output=SEED_TARGET))
    assert ok.status == "pass", ok.reason
    failed = make_context(
        tmp_path, expected_output=SEED_TARGET, exit_code=1,
        output="\x1b[1;31mFAILED\x1b[0m\r\nSpace production_test not found\r\n",
    )  # fmt: skip
    bad = run_check(spec, failed)
    assert bad.status == "fail"
    assert "FAILED: Space production_test not found" in bad.reason
    none = run_check(spec, make_context(tmp_path, expected_output=None))
    assert none.status == "error"


def test_output_similar_takes_the_expected_block_from_the_step(tmp_path: Path) -> None:
    step = Step("cf-target", "Check the target", "", commands=["cf target"],
                expected_output=SEED_TARGET, checks=[CheckSpec("output_similar", {})])  # fmt: skip
    results = run_checks(step, make_context(tmp_path))
    assert all_passed(results), results[0].reason


def test_command_check_uses_shell_env_and_cwd(tmp_path: Path) -> None:
    workdir = tmp_path / "app"
    workdir.mkdir()
    (workdir / "manifest.yml").write_text("applications: []\n")
    ctx = make_context(tmp_path, cwd=workdir)
    spec = CheckSpec(
        "command",
        {"command": "echo $LEARNER_VAR; ls", "matches": "^manifest.yml$", "exit_code": None},
    )
    result = run_check(spec, ctx)
    assert result.status == "pass", result.reason
    assert "from-the-shell" in result.output


def test_command_check_failures(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    fake_cf = write_script(
        tmp_path,
        "spaces",
        "#!/bin/bash\necho 'Getting spaces...'\necho\necho name\necho development\n",
    )
    no_match = run_check(
        CheckSpec(
            "command", {"command": str(fake_cf), "matches": "^production_test$", "exit_code": None}
        ),
        ctx,
    )
    assert no_match.status == "fail"
    assert "does not show '^production_test$'" in no_match.reason
    assert no_match.hint and "development" in no_match.hint
    status = run_check(
        CheckSpec("command", {"command": "exit 3", "matches": None, "exit_code": None}), ctx
    )
    assert status.status == "fail" and "status 3, expected 0" in status.reason
    want_1 = run_check(
        CheckSpec("command", {"command": "false", "matches": None, "exit_code": 1}), ctx
    )
    assert want_1.status == "pass"
    started = time.monotonic()
    hang = run_check(
        CheckSpec("command", {"command": "sleep 30", "matches": None}, timeout=0.3), ctx
    )
    assert hang.status == "error" and "timed out" in hang.reason
    assert time.monotonic() - started < 3


def test_a_command_check_whose_program_is_missing_is_broken_not_failed(tmp_path: Path) -> None:
    """``gti log`` (a typo) fails with bash's "command not found": the check is broken, said
    as such; it read as the learner's failure, with the author's message, forever."""
    ctx = make_context(tmp_path)
    spec = CheckSpec("command", {"command": "gti log --oneline", "matches": "First commit"},
                     message="No commit called 'First commit' yet.")  # fmt: skip
    broken = run_check(spec, ctx)
    assert broken.status == "error", broken
    assert broken.reason == "'gti log --oneline' could not run: gti: command not found"
    asked = CheckSpec("command", {"command": "gti", "exit_code": 127})  # the author means it
    assert run_check(asked, ctx).status == "pass"


def test_http_check_direct(tmp_path: Path) -> None:
    def answer(handler: object) -> tuple[int, str]:
        path = handler.path  # type: ignore[attr-defined]
        if path == "/empty":
            return (200, "")
        return (
            (200, "Ping null")
            if path == "/stock/ping"
            else (404, "404 Not Found: Requested route does not exist.")
        )

    with http_server(answer) as (url, _seen):
        ctx = make_context(tmp_path, env={"PATH": "/usr/bin:/bin"})
        ok = run_check(
            CheckSpec(
                "http", {"url": f"{url}/stock/ping", "status": 200, "body_matches": "Ping null"}
            ),
            ctx,
        )
        assert ok.status == "pass", ok.reason
        body = run_check(
            CheckSpec(
                "http",
                {"url": f"{url}/stock/ping", "status": 200, "body_matches": "Ping some_value"},
            ),
            ctx,
        )
        assert body.status == "fail" and "'Ping null'" in body.reason
        missing = run_check(
            CheckSpec("http", {"url": f"{url}/nope", "status": 200, "body_matches": None}), ctx
        )
        assert missing.status == "fail" and "answered 404, expected 200" in missing.reason
        assert missing.hint and "Requested route does not exist" in missing.hint
        empty = run_check(
            CheckSpec("http", {"url": f"{url}/empty", "status": 200, "body_matches": "Ping"}), ctx
        )
        assert empty.status == "fail" and "answered with an empty body" in empty.reason
        assert "None" not in empty.reason


def test_http_check_goes_through_the_mock_proxy(tmp_path: Path) -> None:
    app_url = "http://workshop-12f-stock-production_test.cfapps.test/stock/ping"

    def router(handler: object) -> tuple[int, str]:
        # a proxy sees the absolute URL in the request line
        return (200, "Ping null") if handler.path == app_url else (404, "unknown route")  # type: ignore[attr-defined]

    with http_server(router) as (proxy, seen):
        ctx = make_context(tmp_path, env={"PATH": "/usr/bin:/bin", "http_proxy": proxy})
        result = run_check(
            CheckSpec("http", {"url": app_url, "status": 200, "body_matches": "^Ping null$"}), ctx
        )
        assert result.status == "pass", result.reason
        assert seen == [
            f"GET {app_url} HTTP/1.1 Host=workshop-12f-stock-production_test.cfapps.test"
        ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_http_unreachable_app_fails_but_a_dead_proxy_is_an_error(tmp_path: Path) -> None:
    port = _free_port()
    direct = make_context(tmp_path, env={"PATH": "/usr/bin:/bin"})
    gone = run_check(CheckSpec("http", {"url": f"http://127.0.0.1:{port}/", "status": 200}), direct)
    assert gone.status == "fail" and "could not reach" in gone.reason
    proxied = make_context(
        tmp_path, env={"PATH": "/usr/bin:/bin", "http_proxy": f"http://127.0.0.1:{port}"}
    )
    dead = run_check(CheckSpec("http", {"url": "http://app.cfapps.test/", "status": 200}), proxied)
    assert dead.status == "error" and "via proxy" in dead.reason


def test_http_no_proxy_bypasses_the_proxy(tmp_path: Path) -> None:
    with http_server(lambda h: (200, "direct")) as (url, _seen):
        env = {
            "PATH": "/usr/bin:/bin",
            "http_proxy": f"http://127.0.0.1:{_free_port()}",
            "no_proxy": "127.0.0.1",
        }
        result = run_check(
            CheckSpec("http", {"url": url, "status": 200, "body_matches": "direct"}),
            make_context(tmp_path, env=env),
        )
        assert result.status == "pass", result.reason


def test_unknown_kind_is_an_error(tmp_path: Path) -> None:
    result = run_check(CheckSpec("telepathy", {}), make_context(tmp_path))
    assert result.status == "error" and "unknown check kind" in result.reason


def test_run_checks_passes_only_when_every_check_passes_or_warns(tmp_path: Path) -> None:
    warn = write_script(tmp_path, "warn", "#!/bin/bash\necho 'slow'\nexit 2\n")
    step = Step(
        "cf-target", "t", "", commands=["cf target"],
        checks=[CheckSpec("exit_code", {"code": 0}),
                CheckSpec("script", {"path": str(warn), "args": []}),
                CheckSpec("output_matches", {"pattern": "Space: +development"})],
    )  # fmt: skip
    results = run_checks(step, make_context(tmp_path))
    assert [r.status for r in results] == ["pass", "warn", "pass"] and all_passed(results)
    step.checks.insert(1, CheckSpec("output_matches", {"pattern": "production_test"}))
    stopped = run_checks(step, make_context(tmp_path))
    assert [r.status for r in stopped] == ["pass", "fail"] and not all_passed(stopped)
    every = run_checks(step, make_context(tmp_path), stop_on_failure=False)
    assert [r.status for r in every] == ["pass", "fail", "warn", "pass"] and not all_passed(every)
    assert not all_passed([])


def test_a_step_without_checks_has_no_results(tmp_path: Path) -> None:
    """What such a step needs to pass is the engine's policy (tests/engine/test_evaluate.py)."""
    step = Step("cf-target", "t", "", commands=["cf target"], expected_output=SEED_TARGET)
    assert run_checks(step, make_context(tmp_path)) == []
    assert not all_passed([])
