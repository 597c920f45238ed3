"""The offline ``java`` of mock mode: Oracle Java 1.8.0_71 (early 2016), simulated.

``java -version`` prints the JDK's banner (to stderr, like the real one). ``java -jar X.jar``
fails like the launcher when X is missing and otherwise runs the ``stock`` app emulation of
:mod:`workshop.mock.tools.javaapp` on 127.0.0.1 until Ctrl-C, whatever the jar holds (see
:func:`run_jar`). No JVM exists: ``java SomeClass`` is refused with a message saying so.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

VERSION_TEXT = (
    'java version "1.8.0_71"\n'
    "Java(TM) SE Runtime Environment (build 1.8.0_71-b15)\n"
    "Java HotSpot(TM) 64-Bit Server VM (build 25.71-b15, mixed mode)\n"
)
USAGE = """\
Usage: java [-options] class [args...]
           (to execute a class)
   or  java [-options] -jar jarfile [args...]
           (to execute a jar file)
where options include:
    -d32	  use a 32-bit data model if available
    -d64	  use a 64-bit data model if available
    -server	  to select the "server" VM
                  The default VM is server.

    -cp <class search path of directories and zip/jar files>
    -classpath <class search path of directories and zip/jar files>
                  A : separated list of directories, JAR archives,
                  and ZIP archives to search for class files.
    -D<name>=<value>
                  set a system property
    -version      print product version and exit
    -showversion  print product version and continue
    -? -help      print this help message
    -X            print help on non-standard options
"""
_VALUED = {"-cp", "-classpath"}


def err(text: str) -> None:
    """Write ``text`` to stderr as the launcher does."""
    sys.stderr.write(text)
    sys.stderr.flush()


def main(argv: list[str]) -> int:
    """Run ``java ARGV``; the exit status (130 after Ctrl-C, as the JVM)."""
    props: dict[str, str] = {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "-version":
            err(VERSION_TEXT)
            return 0
        if arg == "-showversion":
            err(VERSION_TEXT)
        elif arg in ("-help", "-?", "-h"):
            err(USAGE)
            return 0
        elif arg.startswith("-D"):
            key, _, value = arg[2:].partition("=")
            props[key] = value
        elif arg in _VALUED:
            if args:
                args.pop(0)
        elif arg == "-jar":
            if not args:
                err("Error: -jar requires jar file specification\n" + USAGE)
                return 1
            return run_jar(args[0], args[1:], props)
        elif arg.startswith("-X") or arg in ("-server", "-client", "-d64", "-ea", "-da"):
            pass
        elif arg.startswith("-"):
            err(
                f"Unrecognized option: {arg}\nError: Could not create the Java Virtual Machine.\n"
                "Error: A fatal exception has occurred. Program will exit.\n"
            )
            return 1
        else:
            err(f"Error: Could not find or load main class {arg}\n")
            err("(the workshop's offline mock runs only the Spring Boot jars its mvn builds)\n")
            return 1
    err(USAGE)
    return 1


def read_manifest(jar: zipfile.ZipFile) -> dict[str, str]:
    """The main attributes of ``META-INF/MANIFEST.MF`` (continuation lines joined)."""
    try:
        text = jar.read("META-INF/MANIFEST.MF").decode("utf-8", "replace")
    except KeyError:
        return {}
    attrs: dict[str, str] = {}
    last = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line:
            if attrs:
                break
            continue
        if line.startswith(" ") and last:
            attrs[last] += line[1:]
        else:
            key, _, value = line.partition(":")
            last = key.strip()
            attrs[last] = value.strip()
    return attrs


DEFAULT_START = "com.altoros.stock.resources.StockSpringBootStarter"
"""The main class assumed for a jar that names none (see :func:`run_jar`)."""


def run_jar(name: str, app_args: list[str], props: dict[str, str]) -> int:
    """``java -jar NAME APP_ARGS``: a missing file fails like the launcher; any other file
    runs the course's ``stock`` app emulation. The mock has no JVM and the course only ever
    runs the stock jar, so a jar without Spring Boot's ``Start-Class`` (the untouched
    quickstart, a lesson's placeholder file) still starts the stock app, under the course's
    ``StockSpringBootStarter``; the artifact version and Spring Boot version come from the
    jar's Maven metadata when it has some."""
    path = Path(name)
    if not path.exists():
        err(f"Error: Unable to access jarfile {name}\n")
        return 1
    if path.is_dir():
        err(f"Error: Invalid or corrupt jarfile {name}\n")
        return 1
    manifest: dict[str, str] = {}
    names: set[str] = set()
    pom_props = pom_xml = ""
    try:
        with zipfile.ZipFile(path) as jar:
            manifest = read_manifest(jar)
            names = set(jar.namelist())
            pom_props, pom_xml = (
                next(
                    (
                        jar.read(n).decode("utf-8", "replace")
                        for n in sorted(names)
                        if n.endswith(suffix)
                    ),
                    "",
                )
                for suffix in ("/pom.properties", "/pom.xml")
            )
    except (zipfile.BadZipFile, OSError):
        pass  # not a zip: a lesson's placeholder for the jar; run the stock app all the same
    version = next(
        (line.split("=", 1)[1] for line in pom_props.splitlines() if line.startswith("version=")),
        None,
    )
    boot = re.search(
        r"<artifactId>spring-boot-starter[\w-]*</artifactId>\s*<version>([^<]+)</version>", pom_xml
    )
    from workshop.mock.tools.javaapp import run_app

    return run_app(
        path,
        manifest.get("Start-Class") or DEFAULT_START,
        version,
        boot.group(1) if boot else manifest.get("Spring-Boot-Version", "1.3.0.RELEASE"),
        "logback.xml" in names,
        app_args,
        props,
    )


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(141)
