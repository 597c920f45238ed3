"""The other tools of the 12-factor course, simulated for mock mode: ``git``, ``mvn``, ``java``
(and ``apt-get``, package installs answered as already done, for the original platform's
units).

The course's chapters run ``git clone`` (the ``stock`` project), ``mvn clean install`` (its
jar) and ``java -jar`` (the app on localhost:8080) besides ``cf``. Offline there is no
GitHub, no Maven Central and perhaps no JDK, so the mock home's ``bin`` gets shims for
these three, beside the ``cf`` one, that run :mod:`workshop.mock.tools.git`,
:mod:`~workshop.mock.tools.mvn` and :mod:`~workshop.mock.tools.java` with this Python. They
print what git 2.7, Maven 3.3.9 and Java 1.8.0_71 printed in early 2016 and leave the files
the real tools would leave; nothing is fetched, compiled or run on a JVM. The shims exist
only in a mock home's ``bin``, and only for the programs a workshop names in its
``mock: {tools: [...]}``: a workshop that names none runs the real programs, and live mode
always does.

Public: :func:`write_shims` ``(home, tools) -> list[Path]``, :func:`declared_tools`
``(mock_settings) -> tuple[str, ...]``; :data:`TOOLS`, :data:`SIMULATED`.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from workshop.errors import WorkshopError

TOOLS = ("git", "mvn", "java", "apt-get")
"""The tools that get shims in ``DIR/bin``; each runs ``workshop.mock.tools.<name>`` unless
:data:`SHIMS` says otherwise."""

SHIMS: dict[str, tuple[tuple[str, str], ...]] = {
    "apt-get": (("apt-get", "apt apt-get"), ("sudo", "apt sudo")),
}
"""Per tool, its shims when they differ from one of its own name: (program, module and its
first arguments). ``apt-get`` brings ``sudo``, which answers ``sudo apt-get`` offline and
hands any other command to the machine's sudo."""

SIMULATED = ("cf", *TOOLS)
"""Every program the offline mock can provide: what ``mock: {tools: [...]}`` may name."""


def declared_tools(mock_settings: Mapping[str, object] | None) -> tuple[str, ...]:
    """The programs a workshop's ``mock:`` block names in ``tools:`` (none when absent).

    A :class:`WorkshopError` names the key when it is not a list of simulated programs."""
    value = (mock_settings or {}).get("tools")
    if value is None:
        return ()
    known = ", ".join(SIMULATED)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WorkshopError(f"mock.tools must be a list of program names (any of {known})")
    unknown = [v for v in value if v not in SIMULATED]
    if unknown:
        raise WorkshopError(
            f"mock.tools: the offline mock has no {unknown[0]!r} (it simulates {known})"
        )
    return tuple(dict.fromkeys(value))


def python_lines(
    module: str, first: Sequence[str] = (), main: str | None = None, before: str = ""
) -> str:
    """The end of a shim: ``exec`` this Python on ``module`` with the arguments; with
    ``main`` (a module that has a ``main(argv) -> int``), that function is called instead.

    ``main`` saves the ``runpy`` that ``-m`` imports (with ``importlib.util`` and
    ``contextlib``): about 4 ms of each call, for a program learners call often (``cf``).

    Python runs with ``-S``: the ``site`` module (the installed packages' ``.pth`` files,
    an editable install's import hook) costs about 25 ms of every start, more than the
    simulation itself; the folders it would add (this package's, and the site-packages
    ones that hold PyYAML) go on PYTHONPATH instead. Its bytecode is cached in the user's
    cache folder (``paths.cache_dir()/bytecode``), even where PYTHONDONTWRITEBYTECODE is
    set or the package's folder is read-only: compiling the mock's modules again costs
    more than running them. That folder is shared by every mock home (``workshop test``
    makes two a lesson; each compiled the mock again, about 55 ms of CPU), and a bytecode
    folder the environment names (``PYTHONPYCACHEPREFIX``) is used instead of it."""
    from workshop import paths
    from workshop.mock.router.control import python_path

    path = os.pathsep.join(python_path())
    q = shlex.quote
    return (
        f"PYTHONPATH={q(path)}${{PYTHONPATH:+:$PYTHONPATH}}\n"
        "export PYTHONPATH\n"
        f"bytecode={q(str(paths.cache_dir() / 'bytecode'))}\n"
        f"{before}"
        "PYTHONDONTWRITEBYTECODE= "
        'PYTHONPYCACHEPREFIX="${PYTHONPYCACHEPREFIX:-$bytecode}" '
        f'exec {" ".join(q(w) for w in python_command(module, first, main))} "$@"\n'
    )


def python_command(module: str, first: Sequence[str] = (), main: str | None = None) -> list[str]:
    """The command a shim ``exec``s (see :func:`python_lines`), before the caller's
    arguments; run it with :func:`workshop.mock.router.control.python_environment`.
    ``-P``: the learner's folder is not searched for modules (a ``select.py`` of theirs
    would have stood in for the standard one)."""
    run = ["-m", module]
    if main is not None:
        run = ["-c", f"import sys\nfrom {main} import main\nsys.exit(main(sys.argv[1:]))"]
    return [sys.executable, "-S", "-P", *run, *first]


def shim_text(home: Path, tool: str, module: str | None = None) -> str:
    """The ``DIR/bin/<tool>`` script: the simulated tool run by this Python (``module``:
    ``workshop.mock.tools.<module>``, with any words after it as first arguments)."""
    q = shlex.quote
    name, _, first = (module or tool).partition(" ")
    return (
        "#!/bin/sh\n"
        f"# The workshop's offline {tool} (generated by `workshop mock env`): a simulation.\n"
        f'[ -n "$WORKSHOP_MOCK_HOME" ] || WORKSHOP_MOCK_HOME={q(str(home))}\n'
        "export WORKSHOP_MOCK_HOME\n" + python_lines(f"workshop.mock.tools.{name}", first.split())
    )


def write_shims(home: Path, tools: Iterable[str] = TOOLS) -> list[Path]:
    """Write ``home/bin/<tool>`` for each of ``tools`` that :data:`TOOLS` simulates
    (atomically, only when it differs) and remove the shims of the others, so a home used
    before for another workshop shadows no program this one did not name."""
    wanted = set(tools)
    written = []
    for tool in TOOLS:
        for program, module in SHIMS.get(tool, ((tool, tool),)):
            shim = Path(home) / "bin" / program
            if tool not in wanted:
                shim.unlink(missing_ok=True)
                continue
            text = shim_text(home, program, module)
            if not shim.exists() or shim.read_text() != text:
                tmp = shim.with_name(f".{program}.{os.getpid()}")
                tmp.write_text(text)
                tmp.chmod(0o755)
                os.replace(tmp, shim)
            written.append(shim)
    return written
