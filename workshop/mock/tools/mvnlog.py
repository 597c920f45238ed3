"""Maven 3.3.9's console output: the ``[INFO]`` lines, headers, footers and error endings.

Shared by the simulated build (:mod:`workshop.mock.tools.mvn`) and the simulated
``archetype:generate`` (:mod:`workshop.mock.tools.archetype`). Maven 3.3 printed no colours.
"""

from __future__ import annotations

import os
import sys
import time

LINE = "-" * 72
BLANK = "[INFO] " + " " * 72  # Maven's blank INFO line before each project header
MAVEN_VERSION = "3.3.9"
PHASES = (
    "validate, initialize, generate-sources, process-sources, generate-resources, "
    "process-resources, compile, process-classes, generate-test-sources, "
    "process-test-sources, generate-test-resources, process-test-resources, test-compile, "
    "process-test-classes, test, prepare-package, package, pre-integration-test, "
    "integration-test, post-integration-test, verify, install, deploy, pre-clean, clean, "
    "post-clean, pre-site, site, post-site, site-deploy"
)
GOAL_FORMAT = (
    "You must specify a valid lifecycle phase or a goal in the format <plugin-prefix>:<goal> "
    "or <plugin-group-id>:<plugin-artifact-id>[:<plugin-version>]:<goal>. "
    f"Available lifecycle phases are: {PHASES}."
)
WIKI = "http://cwiki.apache.org/confluence/display/MAVEN/"


class Log:
    """Writes Maven's log to stdout; ``-q`` keeps only errors."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.started = time.monotonic()

    def info(self, text: str = "") -> None:
        """An ``[INFO]`` line (``[INFO] `` alone for an empty one, as Maven prints it)."""
        if not self.quiet:
            print(f"[INFO] {text}")

    def warn(self, text: str = "") -> None:
        """A ``[WARNING]`` line."""
        if not self.quiet:
            print(f"[WARNING] {text}")

    def error(self, text: str = "") -> None:
        """An ``[ERROR]`` line."""
        print(f"[ERROR] {text}")

    def raw(self, text: str) -> None:
        """A line without a level (surefire's test report)."""
        if not self.quiet:
            print(text)

    def header(self, name: str) -> None:
        """``Building NAME`` between rulers."""
        if not self.quiet:
            print(BLANK)
        self.info(LINE)
        self.info(f"Building {name}")
        self.info(LINE)

    def mojo(self, plugin: str, goal: str, execution: str, project: str) -> None:
        """``--- maven-x-plugin:V:goal (execution) @ project ---``."""
        self.info()
        self.info(f"--- {plugin}:{goal} ({execution}) @ {project} ---")

    def footer(self, success: bool, simulated_seconds: float) -> None:
        """BUILD SUCCESS/FAILURE, total time, finish time and memory. The time shown is a
        plausible figure for a real build (the simulation itself takes milliseconds)."""
        self.info(LINE)
        self.info("BUILD SUCCESS" if success else "BUILD FAILURE")
        self.info(LINE)
        self.info(f"Total time: {simulated_seconds:.3f} s")
        self.info(f"Finished at: {finished_at()}")
        used = 8 + int(simulated_seconds * 7) if success else 6
        self.info(f"Final Memory: {used}M/{max(123, used * 9 + 40)}M")
        self.info(LINE)

    def failure(self, message: str, exception: str | None, help_url: str | None = None) -> int:
        """The ``[ERROR]`` ending of a failed build; returns Maven's exit status, 1."""
        self.error(f"{message} -> [Help 1]")
        self.error()
        self.error("To see the full stack trace of the errors, re-run Maven with the -e switch.")
        self.error("Re-run Maven using the -X switch to enable full debug logging.")
        self.error()
        self.error(
            "For more information about the errors and possible solutions, "
            "please read the following articles:"
        )
        self.error(f"[Help 1] {help_url or WIKI + (exception or 'MojoExecutionException')}")
        return 1


def finished_at() -> str:
    """Maven's ``Finished at`` stamp (local time with offset), from the mock's clock."""
    clock = os.environ.get("WORKSHOP_MOCK_CLOCK")
    try:
        now = float(clock) if clock else time.time()
    except ValueError:
        now = time.time()
    local = time.localtime(now)
    offset = time.strftime("%z", local)
    return time.strftime("%Y-%m-%dT%H:%M:%S", local) + offset[:3] + ":" + offset[3:]


def version_banner() -> str:
    """``mvn --version``: Maven 3.3.9 on Oracle's Java 1.8.0_71 (simulated)."""
    uname = os.uname()
    return (
        f"Apache Maven {MAVEN_VERSION} (bb52d8502b132ec0a5a3f4c09453c07478323dc5; "
        "2015-11-10T16:41:47+00:00)\n"
        "Maven home: /usr/share/maven\n"
        "Java version: 1.8.0_71, vendor: Oracle Corporation\n"
        "Java home: /usr/lib/jvm/java-8-oracle/jre\n"
        "Default locale: en_US, platform encoding: UTF-8\n"
        f'OS name: "{sys.platform}", version: "{uname.release}", arch: "amd64", family: "unix"\n'
    )
