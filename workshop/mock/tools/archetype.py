"""``mvn archetype:generate`` of the offline mock: the ``maven-archetype-quickstart`` project.

Chapter II creates a project with ``-DarchetypeArtifactId=maven-archetype-quickstart
-DinteractiveMode=false``. The simulation writes what maven-archetype-plugin 2.4 wrote from
the quickstart 1.0 archetype (pom with junit 3.8.1, ``App.java``, ``AppTest.java``) and
prints its batch-mode log. Interactive mode (listing and prompting) is not simulated: the
project is generated from the ``-D`` properties as in batch mode. Only the quickstart
archetype is known; any other one fails as an archetype that cannot be found.
"""

from __future__ import annotations

from pathlib import Path

from workshop.mock.tools.mvnlog import Log
from workshop.mock.tools.pom import Pom
from workshop.mock.tools.skeleton import quickstart_files, write_files

PLUGIN = "maven-archetype-plugin:2.4"
GOAL_ID = f"org.apache.maven.plugins:{PLUGIN}:generate (default-cli)"


def generate(props: dict[str, str], log: Log, pom: Pom | None) -> int:
    """Generate the project into the current folder; Maven's exit status.
    ``pom`` is the project in the current folder, if any (else Maven's stub project)."""
    on = pom.artifact if pom else "standalone-pom"
    log.header(f"{pom.display_name} {pom.version}" if pom else "Maven Stub Project (No POM) 1")
    log.info()
    log.info(f">>> {PLUGIN}:generate (default-cli) > generate-sources @ {on} >>>")
    log.info()
    log.info(f"<<< {PLUGIN}:generate (default-cli) < generate-sources @ {on} <<<")
    log.mojo("maven-archetype-plugin:2.4", "generate", "default-cli", on)
    log.info("Generating project in Batch mode")
    archetype = props.get("archetypeArtifactId", "maven-archetype-quickstart")
    if archetype != "maven-archetype-quickstart":
        group = props.get("archetypeGroupId", "org.apache.maven.archetypes")
        version = props.get("archetypeVersion", "1.0")
        return _fail(
            log,
            on,
            f"The desired archetype does not exist ({group}:{archetype}:{version}) "
            "(the workshop's offline mock knows only maven-archetype-quickstart)",
        )
    for key in ("groupId", "artifactId"):
        if not props.get(key):
            return _fail(log, on, f"Property {key} is missing. Add a -D{key}=... option")
    group, artifact = props["groupId"], props["artifactId"]
    version = props.get("version", "1.0-SNAPSHOT")
    package = props.get("package", group)
    basedir = Path.cwd()
    target = basedir / artifact
    if target.exists():
        return _fail(
            log, on, f"Directory {artifact} already exists - please run from a clean directory"
        )
    log.info("-" * 76)
    log.info(
        "Using following parameters for creating project from Old (1.x) Archetype: "
        "maven-archetype-quickstart:1.0"
    )
    log.info("-" * 76)
    for name, value in (
        ("basedir", str(basedir)),
        ("package", package),
        ("groupId", group),
        ("artifactId", artifact),
        ("packageName", package),
        ("version", version),
    ):
        log.info(f"Parameter: {name}, Value: {value}")
    try:
        write_files(target, quickstart_files(group, artifact, version, package))
    except OSError as exc:
        return _fail(log, on, f"Cannot create {target}: {exc.strerror}")
    log.info(f"project created from Old (1.x) Archetype in dir: {target}")
    log.footer(True, 1.2)
    return 0


def _fail(log: Log, on: str, message: str) -> int:
    log.footer(False, 0.9)
    return log.failure(f"Failed to execute goal {GOAL_ID} on project {on}: {message}", None)
