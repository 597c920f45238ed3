"""``workshop test`` fills templates with the values a learner's mock session uses: the
mock's own ``mock.variables`` win over the workshop's (live) defaults."""

from __future__ import annotations

from pathlib import Path

from workshop.content import load_workshop
from workshop.engine.selftest import run_selftest

MANIFEST = """\
title: Domains
variables:
  CF_DOMAIN: apps.live.example
mock:
  tools: [cf]
  variables:
    CF_DOMAIN: cfapps.io
lessons:
  - id: first
    file: first.md
    steps:
      echo-domain:
        checks:
          - output_matches: "^cfapps\\\\.io"
"""


def test_selftest_uses_the_mock_values_of_a_mock_session(tmp_path: Path) -> None:
    root = tmp_path / "domains"
    root.mkdir()
    (root / "workshop.yaml").write_text(MANIFEST)
    (root / "first.md").write_text("# First\n\n```sh {id=echo-domain}\necho {{CF_DOMAIN}}\n```\n")
    report = run_selftest(load_workshop(root), timeout=20)
    [outcome] = report.outcomes
    assert (outcome.before, outcome.after, outcome.ok) == ("fail", "pass", True), outcome.reason
