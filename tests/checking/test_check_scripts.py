"""Script checks through the real runner: the exit-status contract, env, timeouts, retries."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from check_support import (
    make_context,
    python_shebang,
    running_in_group,
    script_spec,
    wait_group_stopped,
    write_script,
)

from workshop.checking import run_check

BASH = "#!/bin/bash\n"


@pytest.mark.parametrize("lang", ["bash", "python"])
def test_pass_fail_warn_by_exit_status(tmp_path: Path, lang: str) -> None:
    ctx = make_context(tmp_path)
    bodies = {
        "bash": {
            "pass": BASH + "echo 'space is there'\nexit 0\n",
            "fail": BASH + "echo 'Space production_test not found'\n"
            "echo 'Run cf create-space production_test'\necho 'then cf target -s production_test'\nexit 1\n",
            "warn": BASH + "echo 'the app is slow to start'\nexit 2\n",
        },
        "python": {
            "pass": python_shebang() + "print('space is there')\n",
            "fail": python_shebang() + "import sys\nprint('Space production_test not found')\n"
            "print('Run cf create-space production_test')\nprint('then cf target -s production_test')\n"
            "sys.exit(1)\n",
            "warn": python_shebang()
            + "import sys\nprint('the app is slow to start')\nsys.exit(2)\n",
        },
    }[lang]
    ok = run_check(script_spec(write_script(tmp_path, f"{lang}-pass", bodies["pass"])), ctx)
    assert (ok.status, ok.reason, ok.passed) == ("pass", "space is there", True)

    bad = run_check(script_spec(write_script(tmp_path, f"{lang}-fail", bodies["fail"])), ctx)
    assert bad.status == "fail" and not bad.passed
    assert bad.reason == "Space production_test not found"
    assert bad.hint == "Run cf create-space production_test\nthen cf target -s production_test"

    warn = run_check(script_spec(write_script(tmp_path, f"{lang}-warn", bodies["warn"])), ctx)
    assert (warn.status, warn.reason, warn.passed) == ("warn", "the app is slow to start", True)


def test_fail_without_output_uses_the_spec_message(tmp_path: Path) -> None:
    path = write_script(tmp_path, "quiet-fail", BASH + "exit 1\n")
    result = run_check(script_spec(path, message="Create the space first"), make_context(tmp_path))
    assert (result.status, result.reason, result.hint) == ("fail", "Create the space first", None)


@pytest.mark.parametrize("lang", ["bash", "python"])
def test_other_exit_status_is_an_error_never_a_pass(tmp_path: Path, lang: str) -> None:
    body = (
        BASH + "echo 'looks fine' ; echo 'boom: cannot parse' >&2 ; exit 3\n"
        if lang == "bash"
        else python_shebang() + "import sys\nprint('looks fine')\nraise SystemExit(3)\n"
    )
    result = run_check(script_spec(write_script(tmp_path, "crash", body)), make_context(tmp_path))
    assert result.status == "error" and not result.passed
    assert "exited with status 3" in result.reason
    if lang == "bash":
        assert result.reason.endswith("boom: cannot parse")


def test_python_traceback_is_an_error(tmp_path: Path) -> None:
    body = python_shebang() + "raise RuntimeError('check bug')\n"
    result = run_check(script_spec(write_script(tmp_path, "bug.py", body)), make_context(tmp_path))
    assert result.status == "error"
    assert "RuntimeError: check bug" in result.reason


def test_not_executable_and_missing_are_errors(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    plain = write_script(tmp_path, "plain.sh", BASH + "exit 0\n", executable=False)
    result = run_check(script_spec(plain), ctx)
    assert result.status == "error" and "not executable" in result.reason

    missing = run_check(script_spec(tmp_path / "nope.sh"), ctx)
    assert missing.status == "error" and "not found" in missing.reason


def test_killed_by_a_signal_is_an_error(tmp_path: Path) -> None:
    path = write_script(tmp_path, "selfkill", BASH + "kill -9 $$\n")
    result = run_check(script_spec(path), make_context(tmp_path))
    assert result.status == "error" and "signal 9" in result.reason


@pytest.mark.parametrize("lang", ["bash", "python"])
def test_hanging_check_times_out_and_its_process_group_is_killed(tmp_path: Path, lang: str) -> None:
    pids = tmp_path / "pids"
    if lang == "bash":
        body = BASH + f"sleep 60 &\necho $$ $! > {pids}\nsleep 60\n"
    else:
        body = python_shebang() + (
            "import os, subprocess, time\n"
            "child = subprocess.Popen(['sleep', '60'])\n"
            f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
            "time.sleep(60)\n"
        )
    path = write_script(tmp_path, "hang", body)
    started = time.monotonic()
    result = run_check(script_spec(path, timeout=0.5), make_context(tmp_path))
    elapsed = time.monotonic() - started
    assert result.status == "error" and "timed out after 0.5 s" in result.reason
    assert elapsed < 3.0
    leader, child = (int(p) for p in pids.read_text().split())
    assert wait_group_stopped(leader) == [], "the check's process group survived"
    assert child not in running_in_group(leader)


def test_background_child_holding_stdout_does_not_hang_the_runner(tmp_path: Path) -> None:
    path = write_script(tmp_path, "daemon", BASH + "(sleep 60) &\necho done\nexit 0\n")
    started = time.monotonic()
    result = run_check(script_spec(path, timeout=5), make_context(tmp_path))
    assert result.status == "pass" and result.reason == "done"
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("lang", ["bash", "python"])
def test_retries_pass_on_the_third_try(tmp_path: Path, lang: str) -> None:
    counter = tmp_path / f"count-{lang}"
    if lang == "bash":
        body = BASH + (
            f"n=$(( $(cat {counter} 2>/dev/null || echo 0) + 1 )); echo $n > {counter}\n"
            'if [ "$n" -lt 3 ]; then echo "not yet ($n)"; exit 1; fi\necho ready\n'
        )
    else:
        body = python_shebang() + (
            "import pathlib, sys\n"
            f"p = pathlib.Path({str(counter)!r})\n"
            "n = int(p.read_text()) + 1 if p.exists() else 1\n"
            "p.write_text(str(n))\n"
            "if n < 3:\n    print(f'not yet ({n})'); sys.exit(1)\n"
            "print('ready')\n"
        )
    path = write_script(tmp_path, f"slow-{lang}", body)
    result = run_check(script_spec(path, retries=5, interval=0.02), make_context(tmp_path))
    assert (result.status, result.reason, result.attempts) == ("pass", "ready", 3)
    assert counter.read_text().strip() == "3"


def test_retries_give_up_with_the_last_reason(tmp_path: Path) -> None:
    counter = tmp_path / "count"
    body = (
        BASH
        + f'n=$(( $(cat {counter} 2>/dev/null || echo 0) + 1 )); echo $n > {counter}\necho "try $n"; exit 1\n'
    )
    path = write_script(tmp_path, "never", body)
    result = run_check(script_spec(path, retries=2, interval=0.01), make_context(tmp_path))
    assert (result.status, result.reason, result.attempts) == ("fail", "try 3", 3)


def test_errors_are_not_retried(tmp_path: Path) -> None:
    counter = tmp_path / "count"
    body = BASH + f"echo x >> {counter}\nexit 7\n"
    path = write_script(tmp_path, "broken", body)
    result = run_check(script_spec(path, retries=4, interval=0.01), make_context(tmp_path))
    assert result.status == "error" and result.attempts == 1
    assert counter.read_text().count("x") == 1


@pytest.mark.parametrize("lang", ["bash", "python"])
def test_script_sees_the_workshop_environment(tmp_path: Path, lang: str) -> None:
    dump = tmp_path / f"env-{lang}.json"
    names = [
        "WORKSHOP_STEP", "WORKSHOP_COMMAND", "WORKSHOP_EXIT_CODE", "WORKSHOP_OUTPUT",
        "WORKSHOP_MODE", "CF_DOMAIN", "LEARNER_VAR",
    ]  # fmt: skip
    if lang == "bash":
        fields = ", ".join(f'"{n}": "${n}"' for n in names)
        body = BASH + (
            f"out=$(cat \"$WORKSHOP_OUTPUT\" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')\n"
            f'cat > {dump} <<JSON\n{{{fields}, "output": $out, "cwd": "$PWD"}}\nJSON\n'
        )
    else:
        body = python_shebang() + (
            "import json, os\n"
            f"data = {{n: os.environ.get(n) for n in {names!r}}}\n"
            "data['output'] = open(os.environ['WORKSHOP_OUTPUT']).read()\n"
            "data['cwd'] = os.getcwd()\n"
            f"open({str(dump)!r}, 'w').write(json.dumps(data))\n"
        )
    workdir = tmp_path / "learner-cwd"
    workdir.mkdir()
    ctx = make_context(tmp_path, cwd=workdir, command="cf target -s production_test", exit_code=1,
                       step_id="cf-target-s", mode="live")  # fmt: skip
    result = run_check(script_spec(write_script(tmp_path, f"env-{lang}", body)), ctx)
    assert result.status == "pass", result.reason
    data = json.loads(dump.read_text())
    assert data["WORKSHOP_STEP"] == "cf-target-s"
    assert data["WORKSHOP_COMMAND"] == "cf target -s production_test"
    assert data["WORKSHOP_EXIT_CODE"] == "1"
    assert data["WORKSHOP_MODE"] == "live"
    assert data["CF_DOMAIN"] == "cfapps.test"
    assert data["LEARNER_VAR"] == "from-the-shell"
    assert Path(data["cwd"]).resolve() == workdir.resolve()
    assert "\x1b" not in data["output"] and "\r" not in data["output"]
    assert "API endpoint:   https://api.local.workshop.test" in data["output"]
    assert "User:           admin" in data["output"]
    assert not Path(data["WORKSHOP_OUTPUT"]).exists(), "the output file outlives the check"


def test_script_arguments_are_passed(tmp_path: Path) -> None:
    path = write_script(tmp_path, "args", BASH + 'echo "$1|$2"\n[ "$2" = "two words" ]\n')
    result = run_check(script_spec(path, args=["one", "two words"]), make_context(tmp_path))
    assert (result.status, result.reason) == ("pass", "one|two words")
