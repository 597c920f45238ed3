"""A broken settings file (bad YAML, wrong shapes) is reported as ``file:line: message`` in
one line, never as a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workshop import cli, paths


def _write_settings(text: str) -> Path:
    file = paths.settings_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def test_classroom_that_is_not_a_mapping_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = _write_settings("classroom: http://127.0.0.1:9/\nname: Ada\n")
    status = cli.main(["run", "--plain"])
    err = capsys.readouterr().err
    assert status == 2
    assert f"{file}: 'classroom' must be a mapping" in err
    assert "Traceback" not in err


def test_yaml_syntax_error_names_the_line_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = _write_settings("name: Ada\nvariables: [unclosed\n")
    status = cli.main(["settings"])
    err = capsys.readouterr().err
    assert status == 2
    message = err.strip()
    assert message.startswith(f"workshop: {file}:")
    assert "YAML syntax error" in message
    assert "\n" not in message


def test_the_help_lists_every_key_settings_set_takes() -> None:
    """theme and layout were missing from `workshop settings --help`."""
    from workshop.commands.settings import KEYS

    done = subprocess.run(
        [sys.executable, "-m", "workshop", "settings", "--help"],
        capture_output=True, text=True, timeout=30, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0
    for key in KEYS:
        assert f"{key}: " in done.stdout, key
