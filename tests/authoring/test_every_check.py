"""The authoring guide's runnable examples: ``examples/every-check`` (a step for every kind of
check) passes ``workshop test`` and lints clean, and every file the guide names exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

from authoring_support import REPO, workshop

EXAMPLE = REPO / "examples" / "every-check"
GUIDE = REPO / "docs" / "authoring.md"


def test_every_check_example_passes_workshop_test(tmp_path: Path) -> None:
    linted = workshop("lint", str(EXAMPLE), cwd=tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    tested = workshop("test", str(EXAMPLE), "--json", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    kinds = {
        check["kind"]
        for lesson in json.loads(workshop("show", str(EXAMPLE), "--json", cwd=tmp_path).stdout)[
            "lessons"
        ]
        for step in lesson["steps"]
        for check in step["checks"]
    }
    assert kinds >= {
        "exit_code", "output_matches", "output_similar", "command", "http", "script", "verify_sh"
    }  # fmt: skip


def test_the_guide_names_only_files_that_exist() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:examples|checks)/[\w./-]+\.\w+)`", text))
    assert named, "the guide points at its examples"
    for name in named:
        path = REPO / name if name.startswith("examples/") else EXAMPLE / name
        assert path.is_file(), name
    for kind in ("exit_code", "output_matches", "output_similar", "command", "http", "script",
                 "verify_sh"):  # fmt: skip
        assert f"`{kind}`" in text, kind
