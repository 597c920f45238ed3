"""``workshop schema``: the JSON Schema of workshop.yaml, checked with a real validator
against every clean workshop.yaml of the repository and against the typos lint reports."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from content_support import FIXTURES, REPO, SEED_WORKSHOP, CliRunner

from workshop.content import load_workshop
from workshop.content.schema import json_schema
from workshop.content.yamlio import load_yaml


def clean_manifests() -> list[Path]:
    """Every workshop.yaml of the repository that lint finds clean (the broken ones aside)."""
    found = [
        SEED_WORKSHOP / "workshop.yaml",
        *sorted((REPO / "examples").rglob("workshop.yaml")),
        *sorted((REPO / "tests").rglob("workshop.yaml")),
    ]
    return [path for path in found if "broken" not in path.parts]


def test_clean_manifests_are_found() -> None:
    names = {path.relative_to(REPO).as_posix() for path in clean_manifests()}
    assert "workshop/bundled/12factor/workshop.yaml" in names
    assert "tests/content/fixtures/yaml_settings/workshop.yaml" in names
    assert {"examples/git-basics/workshop.yaml", "examples/every-check/workshop.yaml"} <= names
    assert len(names) >= 6


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("manifest", clean_manifests(), ids=lambda p: p.parent.name)
def test_every_clean_workshop_yaml_is_valid_under_the_schema(
    validator: jsonschema.protocols.Validator, manifest: Path
) -> None:
    # The YAML loader resolves anchors and merge keys (`<<: *account`) first, as editors do.
    assert not load_workshop(manifest.parent, strict=False).problems
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load_yaml(manifest))
    ]
    assert errors == []


def test_the_schema_rejects_what_lint_rejects(validator: jsonschema.protocols.Validator) -> None:
    data = load_yaml(FIXTURES / "broken" / "typos" / "workshop.yaml")
    failing = {tuple(e.absolute_path) for e in validator.iter_errors(data)}
    assert {(), ("mock",), ("lessons", 0), ("lessons", 1)} <= failing  # varaibles at the top
    for wrong in (
        {
            "title": "T",
            "lessons": [{"file": "a.md", "steps": {"s": {"checks": [{"exit_code": "0"}]}}}],
        },
        {
            "title": "T",
            "lessons": [{"file": "a.md", "steps": {"s": {"checks": [{"exti_code": 0}]}}}],
        },
        {
            "title": "T",
            "lessons": [
                {"file": "a.md", "steps": {"s": {"hints": [{"text": "t", "when_ouput": "x"}]}}}
            ],
        },
        {"lessons": []},
        {"title": "T", "lessons": [], "x-anchors": 1, "y-not": 2},
    ):
        assert not validator.is_valid(wrong), wrong
    assert validator.is_valid({"title": "T", "lessons": ["a.md"], "x-anchors": {"any": 1}})
    assert validator.is_valid(
        {
            "title": "T",
            "lessons": [
                {
                    "file": "a.md",
                    "steps": {
                        "s": {
                            "checks": [
                                "script.sh",
                                {"command": "cf spaces", "exit_code": 0, "matches": "x"},
                                {"output_similar": True, "threshold": 0.5},
                                {"http": "http://h/", "status": 404},
                            ]
                        }
                    },
                }
            ],
        }
    )


def test_workshop_schema_prints_the_schema(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("schema")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json_schema()
    out = tmp_path / "workshop.schema.json"
    written = cli("schema", "--out", str(out))
    assert written.returncode == 0, written.stderr
    assert json.loads(out.read_text()) == json_schema()
    assert written.stdout == ""


def test_workshop_schema_to_an_unwritable_place_is_a_message(
    cli: CliRunner, tmp_path: Path
) -> None:
    result = cli("schema", "--out", str(tmp_path / "no-such-folder" / "schema.json"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cannot write" in result.stderr and "no-such-folder" in result.stderr
