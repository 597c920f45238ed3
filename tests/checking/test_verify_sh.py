"""Classic `.verify.sh` scripts: any stdout or a non-zero exit fails; the `check` helper works."""

from __future__ import annotations

import time
from pathlib import Path

from check_support import make_context, write_script

from workshop.checking import run_check
from workshop.content.model import CheckSpec


def verify(path: Path, **kw: object) -> CheckSpec:
    return CheckSpec("verify_sh", {"path": str(path)}, **kw)  # type: ignore[arg-type]


def test_check_helper_passes_silently(tmp_path: Path) -> None:
    # the original files have no exec bit and only a bare shebang
    path = write_script(
        tmp_path, "11_Factor_10_Dev_Prod_Parity.verify.sh",
        "#!/bin/bash\ncheck 'echo Ping null' 'Ping null' true #> Please push your application.\n",
        executable=False,
    )  # fmt: skip
    result = run_check(verify(path), make_context(tmp_path))
    assert (result.status, result.reason) == ("pass", "passed")


def test_check_helper_failure_gives_the_comment_as_reason(tmp_path: Path) -> None:
    path = write_script(
        tmp_path, "x.verify.sh",
        "#!/bin/bash\n"
        "check 'echo Ping some_value' 'Ping null' true #> Please create production_test space and push your application.\n",
    )  # fmt: skip
    result = run_check(verify(path), make_context(tmp_path))
    assert result.status == "fail"
    assert result.reason == "Please create production_test space and push your application."
    assert result.hint == "Cmd output: Ping some_value"


def test_check_helper_negated_and_env(tmp_path: Path) -> None:
    path = write_script(
        tmp_path, "neg.verify.sh",
        "#!/bin/bash\ncheck 'echo $CF_DOMAIN' 'cfapps\\.test' true #> domain\n"
        "check 'echo FAILED' 'OK' false #> must not say OK\n",
    )  # fmt: skip
    result = run_check(verify(path), make_context(tmp_path))
    assert result.status == "pass", result.reason


def test_plain_echo_is_a_failure(tmp_path: Path) -> None:
    path = write_script(
        tmp_path, "echo.verify.sh", "#!/bin/bash\n[ -e /nonexistent ] || echo 'no match'\n"
    )
    result = run_check(verify(path), make_context(tmp_path))
    assert (result.status, result.reason) == ("fail", "no match")


def test_silent_non_zero_exit_is_a_failure(tmp_path: Path) -> None:
    path = write_script(tmp_path, "exit.verify.sh", "#!/bin/bash\nexit 4\n")
    result = run_check(
        verify(path, message="Please push your Application."), make_context(tmp_path)
    )
    assert (result.status, result.reason) == ("fail", "Please push your Application.")
    plain = run_check(verify(path), make_context(tmp_path))
    assert plain.status == "fail" and "status 4" in plain.reason


def test_stderr_alone_is_not_a_failure(tmp_path: Path) -> None:
    path = write_script(tmp_path, "warn.verify.sh", "#!/bin/bash\necho 'curl: noise' >&2\n")
    assert run_check(verify(path), make_context(tmp_path)).status == "pass"


def test_missing_and_hanging_verify_scripts_are_errors(tmp_path: Path) -> None:
    missing = run_check(verify(tmp_path / "gone.verify.sh"), make_context(tmp_path))
    assert missing.status == "error"
    path = write_script(tmp_path, "hang.verify.sh", "#!/bin/bash\nsleep 30\n")
    started = time.monotonic()
    hung = run_check(verify(path, timeout=0.3), make_context(tmp_path))
    assert hung.status == "error" and "timed out" in hung.reason
    assert time.monotonic() - started < 3
