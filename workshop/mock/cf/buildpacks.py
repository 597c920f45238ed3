"""What staging and starting an app on PWS (Diego, Feb–Mar 2016) prints and records: the
course's Java jar, and the Ruby app of the original platform's units.

Why: ``cf push``, ``cf start`` of an unstaged app and ``cf restage`` stream the staging
log (reference §6.5); the detected buildpack and start command then show in ``cf app``
and the push tail. Stdlib only, no state: plain functions of the app's settings.
"""

from __future__ import annotations

DETECTED_JAVA = (
    "java-buildpack=v3.5.1-http://github.com/pivotal-cf/pcf-java-buildpack.git#d6c19f8 java-main "
    "open-jdk-like-jre=1.8.0_71 open-jdk-like-memory-calculator=2.0.1_RELEASE "
    "spring-auto-reconfiguration=1.10.0_RELEASE"
)

_AUTO_DOWNLOADS = [
    "Downloading nodejs_buildpack...",
    "Downloading staticfile_buildpack...",
    "Downloading ruby_buildpack...",
    "Downloading java_buildpack...",
    "Downloading go_buildpack...",
    "Downloading python_buildpack...",
    "Downloading php_buildpack...",
    "Downloading liberty_buildpack...",
    "Downloading binary_buildpack...",
    "Downloaded staticfile_buildpack",
    "Downloaded go_buildpack",
    "Downloaded binary_buildpack",
    "Downloaded nodejs_buildpack",
    "Downloaded java_buildpack",
    "Downloaded ruby_buildpack",
    "Downloaded liberty_buildpack",
    "Downloaded php_buildpack",
    "Downloaded python_buildpack",
]


def memory_settings(memory_mb: int) -> str:
    """The memory calculator's line for an app of ``memory_mb``.

    512M is the workshop's (``-Xmx382293K`` as the original lesson shows) and 1G the
    reference's; other sizes scale the heap at 75 % (UNVERIFIED: calculator 2.0.1's
    real weighting is more involved).
    """
    if memory_mb == 1024:
        return "-Xms768M -Xss1M -Xmx768M -XX:MaxMetaspaceSize=104857K -XX:MetaspaceSize=104857K"
    if memory_mb == 512:
        return "-Xss1M -Xmx382293K -XX:MaxMetaspaceSize=64M -Xms382293K -XX:MetaspaceSize=64M"
    heap = memory_mb * 1024 * 3 // 4
    meta = max(64 * 1024, memory_mb * 1024 // 10)
    return f"-Xms{heap}K -Xss1M -Xmx{heap}K -XX:MaxMetaspaceSize={meta}K -XX:MetaspaceSize={meta}K"


def staging_lines(memory_mb: int, *, auto_detect: bool, warm_cache: bool) -> list[str]:
    """The STG lines ``cf push`` shows while staging a Java jar."""
    cached = " (found in cache)"
    lines = list(_AUTO_DOWNLOADS) if auto_detect else []
    lines += [
        "Creating container",
        "Successfully created container",
        "Downloading app package...",
        "Downloaded app package (11.4M)",
    ]
    if warm_cache:
        lines += [
            "Downloading build artifacts cache...",
            "Downloaded build artifacts cache (44.7M)",
        ]
    lines += [
        "Staging...",
        "-----> Java Buildpack Version: v3.6 | https://github.com/cloudfoundry/java-buildpack.git#5194155",
        "-----> Downloading Open Jdk JRE 1.8.0_73 from https://download.run.pivotal.io/openjdk/trusty/x86_64/openjdk-1.8.0_73.tar.gz"
        + (cached if warm_cache else " (1.4s)"),
        "       Expanding Open Jdk JRE to .java-buildpack/open_jdk_jre (1.0s)",
        "-----> Downloading Open JDK Like Memory Calculator 2.0.1_RELEASE from https://download.run.pivotal.io/memory-calculator/trusty/x86_64/memory-calculator-2.0.1_RELEASE.tar.gz"
        + (cached if warm_cache else " (0.1s)"),
        "       Memory Settings: " + memory_settings(memory_mb),
        "-----> Downloading Spring Auto Reconfiguration 1.10.0_RELEASE from https://download.run.pivotal.io/auto-reconfiguration/auto-reconfiguration-1.10.0_RELEASE.jar"
        + (cached if warm_cache else " (0.2s)"),
        "Exit status 0",
        "Staging complete",
        "Uploading droplet, build artifacts cache...",
        "Uploading droplet...",
        "Uploading build artifacts cache...",
        "Uploaded build artifacts cache (44.7M)",
        "Uploaded droplet (56.4M)",
        "Uploading complete",
    ]
    return lines


NO_APP_DETECTED = [
    "Creating container",
    "Successfully created container",
    "Downloading app package...",
    "Downloaded app package (1K)",
    "Staging...",
    "None of the buildpacks detected a compatible application",
    "Exit status 222",
    "Staging failed: Exited with status 222",
    "Destroying container",
    "Successfully destroyed container",
]


def start_command() -> str:
    """The Java buildpack v3.5/3.6 start command (reference §6.2)."""
    return (
        "CALCULATED_MEMORY=$($PWD/.java-buildpack/open_jdk_jre/bin/java-buildpack-memory-calculator-2.0.1_RELEASE "
        "-memorySizes=metaspace:64m.. -memoryWeights=heap:75,metaspace:10,native:10,stack:5 "
        "-memoryInitials=heap:100%,metaspace:100% -totMemory=$MEMORY_LIMIT) && "
        'JAVA_OPTS="-Djava.io.tmpdir=$TMPDIR -XX:OnOutOfMemoryError=$PWD/.java-buildpack/open_jdk_jre/bin/killjava.sh '
        '$CALCULATED_MEMORY" && SERVER_PORT=$PORT eval exec $PWD/.java-buildpack/open_jdk_jre/bin/java $JAVA_OPTS '
        "-cp $PWD/.:$PWD/.java-buildpack/spring_auto_reconfiguration/spring_auto_reconfiguration-1.10.0_RELEASE.jar "
        "org.springframework.boot.loader.JarLauncher"
    )


def app_boot_lines(index: int, port: int) -> list[str]:
    """What a Spring Boot 1.3 ``stock`` instance logs while starting (APP source)."""
    return [
        "",
        "  .   ____          _            __ _ _",
        " /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\",
        "( ( )\\___ | '_ | '_| | '_ \\/ _` | \\ \\ \\ \\",
        " \\\\/  ___)| |_)| | | | | || (_| |  ) ) ) )",
        "  '  |____| .__|_| |_|_| |_\\__, | / / / /",
        " =========|_|==============|___/=/_/_/_/",
        " :: Spring Boot ::        (v1.3.0.RELEASE)",
        f"INFO {14 + index} --- [           main] c.a.stock.StockSpringBootStarter         : Starting StockSpringBootStarter on {index:02x}3fc8e1-57b4 with PID {14 + index}",
        f"INFO {14 + index} --- [           main] s.b.c.e.t.TomcatEmbeddedServletContainer : Tomcat initialized with port(s): 8080 (http)",
        f"INFO {14 + index} --- [           main] o.f.core.internal.util.VersionPrinter    : Flyway 3.2.1 by Boxfuse",
        f"INFO {14 + index} --- [           main] s.b.c.e.t.TomcatEmbeddedServletContainer : Tomcat started on port(s): 8080 (http)",
        f"INFO {14 + index} --- [           main] c.a.stock.StockSpringBootStarter         : Started StockSpringBootStarter in 9.214 seconds (JVM running for 10.307)",
    ]


# --- Ruby (the original platform's Sinatra example) ---------------------------------------

DETECTED_RUBY = "ruby 1.6.16"
"""What ``cf app`` shows as the buildpack of a detected Ruby app (PWS, early 2016)."""

RUBY_COMMAND = "bundle exec rackup config.ru -p $PORT"
"""The Ruby buildpack's default start command for a Rack app without a Procfile."""


def language(names: set[str]) -> str:
    """The buildpack that detects an uploaded folder holding files ``names`` (top level):
    ``ruby`` for a Gemfile (the Ruby buildpack's detect), else ``java``."""
    return "ruby" if "Gemfile" in names else "java"


def ruby_staging_lines(*, auto_detect: bool, warm_cache: bool) -> list[str]:
    """The STG lines of staging a Rack app without a Procfile with Ruby buildpack 1.6.16
    (UNVERIFIED in its download URLs and timings)."""
    lines = list(_AUTO_DOWNLOADS) if auto_detect else []
    lines += [
        "Creating container",
        "Successfully created container",
        "Downloading app package...",
        "Downloaded app package (3.4K)",
    ]
    if warm_cache:
        lines += ["Downloading build artifacts cache...", "Downloaded build artifacts cache (1.5M)"]
    lines += [
        "Staging...",
        "-------> Buildpack version 1.6.16",
        "       Downloaded [https://pivotal-buildpacks.s3.amazonaws.com/concourse-binaries/bundler/bundler-1.11.2.tgz]",
        "-----> Compiling Ruby/Rack",
        "       Downloaded [https://pivotal-buildpacks.s3.amazonaws.com/concourse-binaries/ruby/ruby-2.2.4-linux-x64.tgz]",
        "-----> Using Ruby version: ruby-2.2.4",
        "-----> Installing dependencies using bundler 1.11.2",
        "       Running: bundle install --without development:test --path vendor/bundle --binstubs vendor/bundle/bin -j4 --deployment",
        "       "
        + ("Using" if warm_cache else "Installing")
        + " rack 1.5.1, rack-protection 1.3.2, tilt 1.3.3, backports 3.6.7, sinatra 1.3.4, sinatra-contrib 1.3.2",
        "       Bundle complete! 2 Gemfile dependencies, 7 gems now installed.",
        "       Bundled gems are installed into ./vendor/bundle.",
        "       Bundle completed (" + ("0.41s)" if warm_cache else "3.62s)"),
        "       Cleaning up the bundler cache.",
        "###### WARNING:",
        "       You have not declared a Ruby version in your Gemfile.",
        "       To set your Ruby version add this line to your Gemfile:",
        "       ruby '2.2.4'",
        "###### WARNING:",
        "       No Procfile detected, using the default web server (webrick)",
        "Exit status 0",
        "Staging complete",
        "Uploading droplet, build artifacts cache...",
        "Uploading droplet...",
        "Uploading build artifacts cache...",
        "Uploaded build artifacts cache (1.5M)",
        "Uploaded droplet (21.7M)",
        "Uploading complete",
    ]
    return lines


def ruby_boot_lines(index: int, port: int) -> list[str]:
    """What a WEBrick-served Rack app logs while starting (APP source)."""
    stamp = f"[2016-03-01 12:00:0{index % 10}]"
    return [
        f"{stamp} INFO  WEBrick 1.3.1",
        f"{stamp} INFO  ruby 2.2.4 (2015-12-16) [x86_64-linux]",
        f"{stamp} INFO  WEBrick::HTTPServer#start: pid={14 + index} port=8080",
    ]
