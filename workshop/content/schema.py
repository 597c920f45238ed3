"""The JSON Schema of ``workshop.yaml``, derived from :mod:`workshop.content.manifest`.

For editors (yaml-language-server: ``# yaml-language-server: $schema=workshop.schema.json``)
and for ``workshop schema``. msgspec writes the schema of the typed model; three things are
then said as authors write them rather than as the model converts them:

- a check holds its kind as a key (``- exit_code: 0``), so the ``kind`` tag and msgspec's
  discriminator go: the check structs already exclude each other (each requires its own key
  and allows no other kind's);
- ``title`` and ``lessons`` are required (the loader reports them missing in its own words);
- keys starting with ``x-`` are allowed at the top (room for YAML anchors).
"""

from __future__ import annotations

from typing import Any

import msgspec.json

from workshop.content.manifest import CHECK_TYPES, REQUIRED_AT_TOP, Manifest

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
"""Draft 7: what editors' YAML and JSON support reads best (``$defs`` are plain JSON pointers)."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of ``workshop.yaml``."""
    schema: dict[str, Any] = msgspec.json.schema(Manifest)
    defs: dict[str, Any] = schema["$defs"]
    for check in CHECK_TYPES:
        component = defs[check.__name__]
        tag_field = check.__struct_config__.tag_field
        component["properties"].pop(tag_field, None)
        component["required"] = [k for k in component.get("required", []) if k != tag_field]
    _drop_discriminators(schema)
    top = defs[Manifest.__name__]
    top["required"] = list(REQUIRED_AT_TOP)
    for key in REQUIRED_AT_TOP:
        top["properties"][key].pop("default", None)
    top["patternProperties"] = {"^x-": {"description": "Ignored: room for YAML anchors."}}
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "workshop.yaml",
        "description": "A hands-on command-line workshop for the `workshop` runner.",
        **schema,
    }


def _drop_discriminators(node: Any) -> None:
    """Remove msgspec's ``discriminator`` (it names the ``kind`` tag authors do not write)."""
    if isinstance(node, dict):
        node.pop("discriminator", None)
        for value in node.values():
            _drop_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            _drop_discriminators(value)
