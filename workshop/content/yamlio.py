"""YAML reading that remembers line numbers, so lint can point at ``workshop.yaml:12``.

Mappings load as :class:`LineDict` and sequences as :class:`LineList`; both carry the
1-based ``line`` where they start and ``key_lines`` / ``item_lines`` for their entries.
The parser is libyaml's (``yaml.CSafeLoader``) when PyYAML was built with it, several times
faster than the pure-Python one; both give the same nodes, marks and so the same lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _CSafeLoader
except ImportError:  # PyYAML built without libyaml: the pure-Python loader again
    from yaml import SafeLoader as _CSafeLoader  # type: ignore[assignment]

from workshop.content.lines import LineDict, LineList
from workshop.content.model import ContentError
from workshop.content.pagetext import read_page


class PureLoader(yaml.SafeLoader):
    """SafeLoader (pure-Python parser) that builds LineDict/LineList."""


class CLoader(_CSafeLoader):
    """CSafeLoader (libyaml's parser) that builds LineDict/LineList."""


YamlLoader = type[yaml.SafeLoader] | type[_CSafeLoader]
"""Either loader class."""

Loader: YamlLoader = CLoader if getattr(yaml, "__with_libyaml__", False) else PureLoader
"""The loader :func:`parse_yaml` uses by default: libyaml's when it is there."""


def _mapping(loader: yaml.SafeLoader | _CSafeLoader, node: yaml.MappingNode) -> LineDict:
    # the mapping's own keys: those a merge key (`<<: *anchor`) brings may be overridden
    own = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
    loader.flatten_mapping(node)  # YAML merge keys as SafeLoader has them
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    written: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise ContentError("a mapping key must be plain text", None, line)
        key = str(key)
        if id(key_node) in own:
            if key in written:  # YAML keeps the last silently: the first would be lost
                raise ContentError(
                    f"'{key}' is given twice in this mapping (first at line {written[key]})",
                    None,
                    line,
                )
            written[key] = line
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _sequence(loader: yaml.SafeLoader | _CSafeLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


PureLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
PureLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
CLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
CLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(path: Path) -> Any:
    """Parse ``path``; any problem (size, bytes that are not UTF-8, YAML) becomes a
    ContentError at its line."""
    return parse_yaml(read_page(path), path)


def parse_yaml(text: str, path: Path, loader: YamlLoader | None = None) -> Any:
    """Parse YAML text that came from ``path`` (used for messages only), with ``loader``
    (:data:`Loader` by default)."""
    try:
        return yaml.load(text, Loader=loader or Loader)  # noqa: S506 - SafeLoader subclasses
    except ContentError as exc:
        raise ContentError(exc.message, path, exc.line) from None
    except yaml.MarkedYAMLError as exc:
        raise syntax_error(exc, path) from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise ContentError(f"YAML error: {exc}", path) from None


def syntax_error(exc: yaml.MarkedYAMLError, path: Path) -> ContentError:
    """PyYAML's several-line report as one ``file:line: YAML syntax error: …`` message."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = exc.problem or exc.context or "invalid YAML"
    return ContentError(f"YAML syntax error: {what}", path, line)
