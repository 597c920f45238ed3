"""What the course's edits put into the stock app, as the offline build sees them.

Why: chapters III, IV and XI ask the learner to change the code (read
``environment.variable`` in ``/stock/ping``; a JPA repository and the ``/stock`` CRUD
methods; log the search of ``GET /stock/{id}`` through Logback). Nothing compiles
offline, so ``mvn`` looks at the sources and records which of these edits the built jar
carries (a line of its manifest); ``cf push`` keeps that with the app, and the emulated app
behaves accordingly: without the edit ``/stock/ping`` answers a bare ``Ping``, ``/stock``
has no handler (404) and the search logs nothing. A project without Java sources (a lesson's bare ``pom.xml``) records
nothing, and its app has every feature, as before.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MANIFEST_KEY = "X-Workshop-Features"
ENV_PING = "env-ping"
CRUD = "crud"
SEARCH_LOGGING = "search-logging"
_ENV_READ = re.compile(r'getProperty\(\s*"environment\.variable"\s*\)')
_REPOSITORY = re.compile(r"\bextends\s+CrudRepository\s*<")
_POST = re.compile(r"RequestMethod\.POST\b|@PostMapping\b")
_SEARCH_LOG = re.compile(r'\b\w+\.(?:info|debug|warn)\(\s*"[^"]*search of stock item', re.I)
_MAX_SOURCE = 2_000_000
"""Bytes of Java read at most (a learner's stray folder must not slow the build)."""


def detect(base: Path, pom_text: str) -> list[str] | None:
    """The edits the project at ``base`` carries; None when it has no Java sources."""
    src = base / "src" / "main" / "java"
    if not src.is_dir():
        return None
    java, size = [], 0
    for path in sorted(src.rglob("*.java")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        java.append(text)
        size += len(text)
        if size > _MAX_SOURCE:
            break
    code = "\n".join(java)
    found = []
    if _ENV_READ.search(code):
        found.append(ENV_PING)
    jpa = "spring-boot-starter-data-jpa" in pom_text
    if jpa and _REPOSITORY.search(code) and _POST.search(code):
        found.append(CRUD)
    logback = (base / "src" / "main" / "resources" / "logback.xml").is_file()
    if logback and "logback-classic" in pom_text and _SEARCH_LOG.search(code):
        found.append(SEARCH_LOGGING)
    return found


def manifest_line(features: list[str] | None) -> list[str]:
    """The jar manifest's line for ``features`` (none when unknown)."""
    return [] if features is None else [f"{MANIFEST_KEY}: {' '.join(features)}".rstrip()]


def read_jar(path: Path) -> list[str] | None:
    """The features a jar built by the offline mvn records; None when it records none
    (not such a jar, a bare project, or not a zip at all)."""
    try:
        with zipfile.ZipFile(path) as jar:
            manifest = jar.read("META-INF/MANIFEST.MF").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None
    for line in manifest.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == MANIFEST_KEY:
            return value.split()
    return None


def has(features: list[str] | None, feature: str) -> bool:
    """True when an app with ``features`` (None: unknown, so all) has ``feature``."""
    return features is None or feature in features
