"""A settings file that is not valid YAML is reported at its line, in one line of text."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop import cli, paths


def _write_settings(text: str) -> Path:
    file = paths.settings_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


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
