"""What the offline ``mvn`` needs from a ``pom.xml``: coordinates, packaging, build plugins.

Read with the stdlib XML parser (namespaced or not). Coordinates missing in the project are
inherited from ``<parent>`` like Maven does; a build plugin without ``<version>`` is noted
with the line and column Maven 3 reports in its "effective model" warning.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path


class PomError(Exception):
    """The pom cannot be read; ``str()`` is Maven's message ("Non-parseable POM ...")."""


@dataclass
class Pom:
    """The parts of a project model the simulated build uses."""

    path: Path
    group: str
    artifact: str
    version: str
    packaging: str = "jar"
    name: str | None = None
    has_parent: bool = False
    plugins: list[str] = field(default_factory=list)  # "groupId:artifactId"
    unversioned: list[tuple[str, int, int]] = field(default_factory=list)  # plugin, line, col

    @property
    def gav(self) -> str:
        """``group:artifact:packaging:version`` as Maven names the model in its warnings."""
        return f"{self.group}:{self.artifact}:{self.packaging}:{self.version}"

    @property
    def display_name(self) -> str:
        """What ``Building ...`` shows: the ``<name>``, else the artifactId."""
        return self.name or self.artifact

    @property
    def spring_boot(self) -> bool:
        """True when the build repackages an executable Spring Boot jar."""
        return any(p.endswith(":spring-boot-maven-plugin") for p in self.plugins)


def _strip(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: ET.Element | None, name: str) -> ET.Element | None:
    if elem is None:
        return None
    return next((c for c in elem if _strip(c.tag) == name), None)


def _text(elem: ET.Element | None, name: str) -> str | None:
    child = _child(elem, name)
    return child.text.strip() if child is not None and child.text else None


def load(path: Path) -> Pom:
    """Read ``path``; :class:`PomError` with Maven's wording when it is not a usable pom."""
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise PomError(f"Non-readable POM {path}: {exc}") from None
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        message = str(exc).split(":", 1)[0]
        raise PomError(
            f"Non-parseable POM {path}: {message} @ line {line}, column {col + 1}"
        ) from None
    if _strip(root.tag) != "project":
        raise PomError(
            f"Non-parseable POM {path}: Unrecognised tag: '{_strip(root.tag)}' @ line 1, column 1"
        )
    parent = _child(root, "parent")
    group = _text(root, "groupId") or _text(parent, "groupId")
    artifact = _text(root, "artifactId")
    version = _text(root, "version") or _text(parent, "version")
    for key, value in (("groupId", group), ("artifactId", artifact), ("version", version)):
        if not value:
            raise PomError(f"'{key}' is missing. @ line 1, column 1")
    assert group and artifact and version
    pom = Pom(
        path,
        group,
        artifact,
        version,
        _text(root, "packaging") or "jar",
        _text(root, "name"),
        parent is not None,
    )
    plugins = _child(_child(root, "build"), "plugins")
    for plugin in plugins if plugins is not None else []:
        pid = f"{_text(plugin, 'groupId') or 'org.apache.maven.plugins'}:{_text(plugin, 'artifactId')}"
        pom.plugins.append(pid)
        if _text(plugin, "version") is None and not pom.has_parent:
            line, col = _plugin_position(text, pid.split(":")[1])
            pom.unversioned.append((pid, line, col))
    return pom


def _plugin_position(text: str, artifact: str) -> tuple[int, int]:
    """Line and column just after the ``<plugin>`` tag holding ``artifact`` (Maven's way)."""
    at = text.find(f"<artifactId>{artifact}</artifactId>")
    tags = [m for m in re.finditer(r"<plugin\s*>", text[: max(at, 0)])]
    if at < 0 or not tags:
        return 1, 1
    end = tags[-1].end()
    line = text.count("\n", 0, end) + 1
    col = end - (text.rfind("\n", 0, end) + 1) + 1
    return line, col
