"""The offline ``mvn`` of mock mode: Apache Maven 3.3.9 on Java 1.8.0_71, simulated.

What the course runs: ``mvn --version``, ``mvn archetype:generate`` (see
:mod:`workshop.mock.tools.archetype`), ``mvn clean install`` and, by the original's
mistake, ``mvn clean build``. The build reads ``pom.xml`` (:mod:`workshop.mock.tools.pom`)
and walks the default lifecycle up to the phase asked for, printing each plugin execution
as Maven 3.3.9 with the super POM's plugin versions did. What is real: ``clean`` deletes
``target/``, resources are copied to ``target/classes``, the surefire reports are written
from the test sources found (tests counted from ``@Test`` / ``testXxx`` methods, all
passing), and ``package`` writes ``target/<artifactId>-<version>.jar``, a zip with a jar
manifest (``Main-Class``/``Start-Class`` when the pom uses spring-boot-maven-plugin, which
``java -jar`` of the mock reads; any jar runs the stock app emulation there). What is simulated: compilation (nothing compiles, no
``.class`` files), the test run, dependency downloads (a warm ``~/.m2`` is assumed) and
``install`` (the lines are printed, nothing is written to ``~/.m2``); the times shown are
plausible figures, not measured ones.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

from workshop.mock.tools import pom as pommod
from workshop.mock.tools.features import detect as detect_features
from workshop.mock.tools.features import manifest_line as feature_lines
from workshop.mock.tools.java import DEFAULT_START
from workshop.mock.tools.mvnlog import GOAL_FORMAT, WIKI, Log, version_banner

CLEAN_PHASES = ("pre-clean", "clean", "post-clean")
DEFAULT_PHASES = (
    "validate", "initialize", "generate-sources", "process-sources", "generate-resources",
    "process-resources", "compile", "process-classes", "generate-test-sources",
    "process-test-sources", "generate-test-resources", "process-test-resources",
    "test-compile", "process-test-classes", "test", "prepare-package", "package",
    "pre-integration-test", "integration-test", "post-integration-test", "verify",
    "install", "deploy",
)  # fmt: skip
SITE_PHASES = ("pre-site", "site", "post-site", "site-deploy")
# The plugin bound to each phase for jar packaging, with Maven 3.3.9's super-POM versions.
BINDINGS = (
    ("process-resources", "maven-resources-plugin:2.6", "resources", "default-resources"),
    ("compile", "maven-compiler-plugin:3.1", "compile", "default-compile"),
    ("process-test-resources", "maven-resources-plugin:2.6", "testResources", "default-testResources"),
    ("test-compile", "maven-compiler-plugin:3.1", "testCompile", "default-testCompile"),
    ("test", "maven-surefire-plugin:2.12.4", "test", "default-test"),
    ("package", "maven-jar-plugin:2.4", "jar", "default-jar"),
    ("install", "maven-install-plugin:2.4", "install", "default-install"),
    ("deploy", "maven-deploy-plugin:2.7", "deploy", "default-deploy"),
)  # fmt: skip
SPRING_BOOT_PLUGIN = "spring-boot-maven-plugin:1.3.2.RELEASE"  # newest when none is given
_VALUED = {"-f", "--file", "-P", "--activate-profiles", "-T", "--threads", "-s", "--settings",
           "-pl", "--projects", "-rf", "--resume-from", "-l", "--log-file"}  # fmt: skip


def main(argv: list[str]) -> int:
    """Run ``mvn ARGV``; Maven's exit status."""
    props: dict[str, str] = {}
    tasks: list[str] = []
    quiet = False
    pom_file = "pom.xml"
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("-v", "--version", "-version"):
            sys.stdout.write(version_banner())
            return 0
        if arg in ("-h", "--help"):
            print(
                "usage: mvn [options] [<goal(s)>] [<phase(s)>]\n\n(simulated by the workshop's offline mock)"
            )
            return 0
        if arg in ("-q", "--quiet"):
            quiet = True
        elif arg.startswith("-D"):
            spec = arg[2:] or (args.pop(0) if args else "")
            key, _, value = spec.partition("=")
            props[key] = value or "true"
        elif arg in _VALUED:
            value = args.pop(0) if args else ""
            if arg in ("-f", "--file"):
                pom_file = value
        elif arg.startswith("-"):
            pass  # -B, -o, -e, -X, -U ...: no effect on the simulation
        else:
            tasks.append(arg)
    log = Log(quiet)
    log.info("Scanning for projects...")
    pom_path = Path(pom_file)
    if pom_path.is_dir():
        pom_path = pom_path / "pom.xml"
    project = None
    if pom_path.is_file():
        try:
            project = pommod.load(pom_path.absolute())
        except pommod.PomError as exc:
            return _bad_pom(log, pom_path.absolute(), str(exc))
        if project.unversioned:
            _model_warnings(log, project)
    if not tasks:
        log.footer(False, 0.1)
        return log.failure(
            f"No goals have been specified for this build. {GOAL_FORMAT}",
            "NoGoalSpecifiedException",
        )
    if tasks[0] in (
        "archetype:generate",
        "org.apache.maven.plugins:maven-archetype-plugin:generate",
    ):
        from workshop.mock.tools.archetype import generate

        return generate(props, log, project)
    for task in tasks:
        if ":" in task:
            log.footer(False, 0.2)
            log.error(
                f"The goal {task} is not simulated by the workshop's offline mock; it builds the"
            )
            log.error(
                "lifecycle phases (clean, compile, test, package, install ...). Live mode runs real Maven."
            )
            return 1
        if task not in CLEAN_PHASES + DEFAULT_PHASES + SITE_PHASES:
            if project is not None:
                log.footer(False, 0.2)
                return log.failure(
                    f'Unknown lifecycle phase "{task}". {GOAL_FORMAT}',
                    "LifecyclePhaseNotFoundException",
                )
    if project is None:
        where = Path.cwd() if pom_file == "pom.xml" else pom_path.absolute().parent
        log.footer(False, 0.092)
        return log.failure(
            "The goal you specified requires a project to execute but there is no POM in this "
            f"directory ({where}). Please verify you invoked Maven from the correct directory.",
            "MissingProjectException",
        )
    return Build(project, props, log).run(tasks)


def _bad_pom(log: Log, path: Path, message: str) -> int:
    log.error("[ERROR] Some problems were encountered while processing the POMs:")
    print(f"[FATAL] {message}\n @ ")
    log.error("The build could not read 1 project -> [Help 1]")
    log.error("  ")
    log.error(f"  The project  ({path}) has 1 error")
    log.error(f"    {message} -> [Help 2]")
    log.error()
    log.error("To see the full stack trace of the errors, re-run Maven with the -e switch.")
    log.error("Re-run Maven using the -X switch to enable full debug logging.")
    log.error()
    log.error(
        "For more information about the errors and possible solutions, please read the following articles:"
    )
    log.error(f"[Help 1] {WIKI}ProjectBuildingException")
    log.error(f"[Help 2] {WIKI}ModelParseException")
    return 1


def _model_warnings(log: Log, project: pommod.Pom) -> None:
    log.warn()
    log.warn(f"Some problems were encountered while building the effective model for {project.gav}")
    for plugin, line, col in project.unversioned:
        log.warn(
            f"'build.plugins.plugin.version' for {plugin} is missing. @ line {line}, column {col}"
        )
    log.warn()
    log.warn(
        "It is highly recommended to fix these problems because they threaten the stability of your build."
    )
    log.warn()
    log.warn(
        "For this reason, future Maven versions might no longer support building such malformed projects."
    )
    log.warn()


class Build:
    """One simulated ``mvn PHASES`` run over a single-module project."""

    def __init__(self, project: pommod.Pom, props: dict[str, str], log: Log) -> None:
        self.project = project
        self.base = project.path.parent
        self.target = self.base / "target"
        self.props = props
        self.log = log
        self.seconds = 0.6  # the simulated time the build would take

    def run(self, tasks: list[str]) -> int:
        """Execute each phase in order; the exit status."""
        self.log.header(f"{self.project.display_name} {self.project.version}")
        for task in tasks:
            if task in CLEAN_PHASES:
                if task != "pre-clean":
                    self.clean()
            elif task in DEFAULT_PHASES:
                upto = DEFAULT_PHASES.index(task)
                for phase, plugin, goal, execution in BINDINGS:
                    if DEFAULT_PHASES.index(phase) <= upto:
                        if not getattr(self, "do_" + goal)(plugin, goal, execution):
                            return 1
            # site phases: nothing bound for the mock
        self.log.footer(True, self.seconds)
        return 0

    def mojo(self, plugin: str, goal: str, execution: str) -> None:
        """Print an execution's header."""
        self.log.mojo(plugin, goal, execution, self.project.artifact)

    def clean(self) -> None:
        """``maven-clean-plugin:2.5:clean``: delete target/."""
        self.mojo("maven-clean-plugin:2.5", "clean", "default-clean")
        if self.target.exists():
            self.log.info(f"Deleting {self.target}")
            shutil.rmtree(self.target, ignore_errors=True)
        self.seconds += 0.1

    def _resources(self, src: Path, dest: Path) -> None:
        self.log.warn(
            "Using platform encoding (UTF-8 actually) to copy filtered resources, i.e. build is platform dependent!"
        )
        if not src.is_dir():
            self.log.info(f"skip non existing resourceDirectory {src}")
            return
        files = [p for p in src.rglob("*") if p.is_file()]
        self.log.info(f"Copying {len(files)} resource{'s' if len(files) != 1 else ''}")
        for f in files:
            out = dest / f.relative_to(src)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, out)

    def do_resources(self, plugin: str, goal: str, execution: str) -> bool:
        """Copy src/main/resources to target/classes."""
        self.mojo(plugin, goal, execution)
        self._resources(self.base / "src/main/resources", self.target / "classes")
        return True

    def do_testResources(self, plugin: str, goal: str, execution: str) -> bool:  # noqa: N802
        """Copy src/test/resources to target/test-classes."""
        self.mojo(plugin, goal, execution)
        self._resources(self.base / "src/test/resources", self.target / "test-classes")
        return True

    def _compile(self, src: Path, dest: Path) -> None:
        sources = sorted(src.rglob("*.java")) if src.is_dir() else []
        if not sources:
            self.log.info("No sources to compile")
            return
        self.log.info("Changes detected - recompiling the module!")
        self.log.warn(
            "File encoding has not been set, using platform encoding UTF-8, i.e. build is platform dependent!"
        )
        n = len(sources)
        self.log.info(f"Compiling {n} source file{'s' if n != 1 else ''} to {dest}")
        dest.mkdir(parents=True, exist_ok=True)
        self.seconds += 0.4 + 0.12 * n

    def do_compile(self, plugin: str, goal: str, execution: str) -> bool:
        """Compile (simulated) src/main/java."""
        self.mojo(plugin, goal, execution)
        self._compile(self.base / "src/main/java", self.target / "classes")
        return True

    def do_testCompile(self, plugin: str, goal: str, execution: str) -> bool:  # noqa: N802
        """Compile (simulated) src/test/java, unless -Dmaven.test.skip."""
        self.mojo(plugin, goal, execution)
        if _true(self.props.get("maven.test.skip")):
            self.log.info("Not compiling test sources")
            return True
        self._compile(self.base / "src/test/java", self.target / "test-classes")
        return True

    def do_test(self, plugin: str, goal: str, execution: str) -> bool:
        """Surefire: every test class found passes; reports in target/surefire-reports."""
        self.mojo(plugin, goal, execution)
        if _true(self.props.get("skipTests")) or _true(self.props.get("maven.test.skip")):
            self.log.info("Tests are skipped.")
            return True
        classes = test_classes(self.base / "src/test/java")
        if not classes:
            self.log.info("No tests to run.")
            return True
        reports = self.target / "surefire-reports"
        self.log.info(f"Surefire report directory: {reports}")
        reports.mkdir(parents=True, exist_ok=True)
        log = self.log
        log.raw("\n-------------------------------------------------------")
        log.raw(" T E S T S\n-------------------------------------------------------")
        total = 0
        for name, count in classes:
            elapsed = 0.004 if count < 2 else 0.01 * count
            line = f"Tests run: {count}, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: {elapsed:.3f} sec"
            log.raw(f"Running {name}\n{line}")
            (reports / f"{name}.txt").write_text(
                f"{'-' * 79}\nTest set: {name}\n{'-' * 79}\n{line}\n"
            )
            total += count
            self.seconds += 0.3
        log.raw(f"\nResults :\n\nTests run: {total}, Failures: 0, Errors: 0, Skipped: 0\n")
        return True

    def do_jar(self, plugin: str, goal: str, execution: str) -> bool:
        """maven-jar-plugin, then spring-boot:repackage when the pom uses the plugin."""
        self.mojo(plugin, goal, execution)
        jar = self.target / f"{self.project.artifact}-{self.project.version}.jar"
        self.log.info(f"Building jar: {jar}")
        write_jar(jar, self.project, self.target / "classes", None)
        self.seconds += 0.3
        if self.project.spring_boot:
            self.log.info()
            self.log.info(
                f"--- {SPRING_BOOT_PLUGIN}:repackage (default) @ {self.project.artifact} ---"
            )
            os.replace(jar, jar.with_name(jar.name + ".original"))
            # Real repackaging fails without a main class; the mock's projects may be a bare
            # pom (a lesson's starting files), so it falls back on the course's starter.
            start = start_class(self.base / "src/main/java") or DEFAULT_START
            edits = detect_features(self.base, self.project.path.read_text(errors="replace"))
            write_jar(jar, self.project, self.target / "classes", start, edits)
            self.seconds += 0.6
        return True

    def do_install(self, plugin: str, goal: str, execution: str) -> bool:
        """Print what maven-install-plugin copies to ~/.m2 (simulated: nothing is written)."""
        self.mojo(plugin, goal, execution)
        p = self.project
        repo = Path.home() / ".m2/repository" / p.group.replace(".", "/") / p.artifact / p.version
        jar = self.target / f"{p.artifact}-{p.version}.jar"
        self.log.info(f"Installing {jar} to {repo / jar.name}")
        self.log.info(f"Installing {p.path} to {repo / f'{p.artifact}-{p.version}.pom'}")
        return True

    def do_deploy(self, plugin: str, goal: str, execution: str) -> bool:
        """maven-deploy-plugin fails: the workshop's poms have no distributionManagement."""
        self.mojo(plugin, goal, execution)
        self.log.footer(False, self.seconds)
        self.log.failure(
            f"Failed to execute goal org.apache.maven.plugins:{plugin}:deploy ({execution}) on "
            f"project {self.project.artifact}: Deployment failed: repository element was not "
            "specified in the POM inside distributionManagement element or in "
            "-DaltDeploymentRepository=id::layout::url parameter",
            "MojoExecutionException",
        )
        return False


def _true(value: str | None) -> bool:
    return value is not None and value.lower() in ("", "true")


def test_classes(src: Path) -> list[tuple[str, int]]:
    """(class name, number of tests) of the surefire-included test classes under ``src``."""
    found = []
    for path in sorted(src.rglob("*.java")) if src.is_dir() else []:
        stem = path.stem
        if not (stem.startswith("Test") or stem.endswith(("Test", "TestCase"))):
            continue
        text = path.read_text(errors="replace")
        count = len(re.findall(r"@Test\b", text)) or len(
            re.findall(r"public\s+void\s+test\w*\s*\(", text)
        )
        if count:
            found.append((".".join(path.relative_to(src).with_suffix("").parts), count))
    return found


def start_class(src: Path) -> str | None:
    """The ``@SpringBootApplication`` class with a ``main`` under ``src``, as Spring Boot's
    repackager finds it."""
    for path in sorted(src.rglob("*.java")) if src.is_dir() else []:
        text = path.read_text(errors="replace")
        if "@SpringBootApplication" in text and "static void main" in text:
            return ".".join(path.relative_to(src).with_suffix("").parts)
    return None


def write_jar(
    jar: Path,
    project: pommod.Pom,
    classes: Path,
    start: str | None,
    features: list[str] | None = None,
) -> None:
    """A jar (zip) with Maven's manifest and metadata, the copied resources, for a Spring
    Boot repackage ``Main-Class: JarLauncher`` / ``Start-Class``, and the course's edits the
    sources carry (:mod:`workshop.mock.tools.features`). No bytecode."""
    manifest = [
        "Manifest-Version: 1.0",
        "Archiver-Version: Plexus Archiver",
        "Built-By: " + os.environ.get("USER", "workshop"),
        "Created-By: Apache Maven 3.3.9",
        "Build-Jdk: 1.8.0_71",
    ]
    if start:
        manifest += [
            f"Start-Class: {start}",
            "Spring-Boot-Version: 1.3.2.RELEASE",
            "Main-Class: org.springframework.boot.loader.JarLauncher",
        ]
    manifest += feature_lines(features)
    meta = f"META-INF/maven/{project.group}/{project.artifact}"
    jar.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("META-INF/MANIFEST.MF", "\r\n".join(manifest) + "\r\n\r\n")
        zf.writestr(f"{meta}/pom.xml", project.path.read_bytes())
        zf.writestr(
            f"{meta}/pom.properties",
            f"#Created by Apache Maven 3.3.9\nversion={project.version}\n"
            f"groupId={project.group}\nartifactId={project.artifact}\n",
        )
        zf.writestr(
            "META-INF/workshop-mock.txt",
            "Built by the workshop's offline mvn: no bytecode; `java -jar` of the mock runs it.\n",
        )
        if classes.is_dir():
            for f in sorted(classes.rglob("*")):
                if f.is_file():
                    zf.write(f, f.relative_to(classes).as_posix())


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(141)
