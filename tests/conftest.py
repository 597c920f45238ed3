"""Isolation shared by every test: its own WORKSHOP_HOME, no stray variables, a fixed size.

Each test's paths (state, data, config) live under its own temporary folder, the cache of
loaded workshops in one the tests share (:data:`CONTENT_CACHE_FOLDER`); the
variables that would point the runner, the mock or a check elsewhere are removed; output is
colourless and the terminal size fixed. Mock app routers a test started under its home are
stopped afterwards (they are background processes that would outlive it). Folders add only
what is special to them in their own ``conftest.py``.
"""

from __future__ import annotations

import gc
import os
import re
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

STRAY_VARIABLES = (
    # where the runner keeps things
    "WORKSHOP_STATE_DIR",
    "WORKSHOP_DATA_DIR",
    "WORKSHOP_CONFIG_DIR",
    "WORKSHOP_CACHE_DIR",
    "WORKSHOP_THEME",
    # the offline mock and the cf CLI
    "CF_HOME",
    "CF_COLOR",
    "CF_DOMAIN",
    "WORKSHOP_MOCK_HOME",
    "WORKSHOP_MOCK_RECORDINGS",
    "WORKSHOP_MOCK_NO_COLOR",
    "WORKSHOP_RECORD_LOG",
    "WORKSHOP_RECORD_AT",
    "WORKSHOP_MOCK_CLOCK",
    "WORKSHOP_MOCK_SPEED",
    "WORKSHOP_MOCK_ROUTER_IDLE",
    # what the simulated app reads
    "SERVER_PORT",
    "ENVIRONMENT_VARIABLE",
    "CF_INSTANCE_IP",
    "CF_INSTANCE_PORTS",
    # proxies (the mock sets its own router as the proxy)
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "no_proxy",
    "NO_PROXY",
)


BYTECODE_FOLDER = "workshop-tests-pycache"
"""Where the suite's Python processes cache their bytecode when the environment says not to
write it (``PYTHONDONTWRITEBYTECODE``): a folder of the temporary directory, kept between
runs (Python checks each cached file against its source)."""


def pytest_configure(config: pytest.Config) -> None:
    """Hear Ctrl-C, and let every Python process of the run reuse compiled bytecode.

    A run started in the background of a script (``make test &``) inherits SIGINT ignored,
    and so would every process it starts: the tests of Ctrl-C then hung. The run takes it
    back; the processes it starts get the default again (a handler is not inherited).

    The suite starts thousands of Python processes (``workshop``, the mock's ``cf``, its app
    routers, xdist workers). With ``PYTHONDONTWRITEBYTECODE`` set, as some machines and CI
    images do, each of them compiled every module it imported again: about a fifth of a
    CLI run's CPU time. The run writes its bytecode under :data:`BYTECODE_FOLDER` instead
    (``PYTHONPYCACHEPREFIX``), never into the checkout; processes started later (workers,
    subprocesses, learners' shells and the shims in them) inherit the setting. A prefix the
    environment already names is kept.
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return
    prefix = os.environ.get("PYTHONPYCACHEPREFIX") or str(
        Path(tempfile.gettempdir()) / f"{BYTECODE_FOLDER}-{os.getuid()}"
    )
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    sys.dont_write_bytecode = False
    sys.pycache_prefix = prefix


CONTENT_CACHE_FOLDER = "workshop-tests-cache"
"""The cache of loaded workshops (``WORKSHOP_CACHE_DIR``) every test shares: a folder of the
temporary directory, kept between runs. Thousands of tests start a session or a command on
the bundled course; each parsed it again (about 0.1 s of CPU). An entry is used only while
nothing it came from changed (``workshop.content.cache``), so a shared cache makes a load
faster, never different; the cache's own tests use their own."""


SLOW_MODULES = ("packaging", "browser", "tmux")
"""Tests in modules whose path names one of these drive whole programs (pip, Chromium, tmux):
they carry the ``slow`` marker, so ``make suite PYTEST_ARGS='-m "not slow"'`` skips them
while iterating. Longest first: the order they run in."""


GC_THRESHOLD = (10_000, 10, 10)
"""The cyclic collector's thresholds while tests run (Python's default: 700, 10, 10)."""


OLD_RUNS_REMOVER = pytest.StashKey["subprocess.Popen[bytes] | None"]()
"""The process removing earlier runs' folders (see :func:`pytest_sessionstart`)."""


def pytest_sessionstart(session: pytest.Session) -> None:
    """Remove the temporary folders of earlier runs while this one runs (see
    :mod:`old_runs`): pytest removed them once this run had ended, seconds of the disk's
    time at the end of every run. In the run's own process only (not in xdist's workers),
    and only where pytest numbers the runs' folders (no ``--basetemp``)."""
    config = session.config
    if hasattr(config, "workerinput") or config.option.basetemp or config.option.collectonly:
        return
    from old_runs import remove_in_background

    keep = int(config.getini("tmp_path_retention_count"))
    factory = config._tmp_path_factory  # what the tmp_path_factory fixture gives
    # kept: let go of while it runs, the process would be reported as left running
    config.stash[OLD_RUNS_REMOVER] = remove_in_background(factory.getbasetemp(), keep)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Spare the tests' process most of the cyclic garbage collector's work.

    After collection the process holds everything imported (Textual, the package, the
    thousands of collected tests); the collector went through all of it again and again,
    and the many objects a TUI test makes set it off hundreds of times a test: about a
    seventh of an in-process test's CPU time (``gc.callbacks``, tests/tui and the golden
    transcripts). What exists now is moved out of its sight (``gc.freeze``) and it runs
    after 10,000 new objects instead of 700. It still runs: cycles are still freed."""
    del session
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`SLOW_MODULES` as ``slow`` and run them first, longest first.

    pytest-xdist hands tests out in collection order: the longest ones (seconds each)
    started last would leave one worker finishing them while the others idle. Modules stay
    whole and in their order, so module fixtures are set up once.
    """

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return next((i for i, word in enumerate(SLOW_MODULES) if word in path), len(SLOW_MODULES))

    for item in items:
        if rank(item) < len(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)
    items.sort(key=rank)  # stable: the others keep their order


@pytest.fixture
def tmp_path(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The test's own temporary folder, as pytest's ``tmp_path`` gives, in constant time.

    pytest numbers each test's folder by scanning every folder made so far in the run, and
    re-points a ``-current`` symlink: over the suite's thousands of tests that cost more
    than most of the tests themselves. A random suffix (``mkdtemp``) is just as unique.
    """
    name = re.sub(r"\W", "_", request.node.name)[:30]
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp_path_factory.getbasetemp()))


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The test's own WORKSHOP_HOME (yielded), a clean environment, then its routers stopped."""
    home = tmp_path / "workshop-home"
    monkeypatch.setenv("WORKSHOP_HOME", str(home))
    for name in STRAY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    shared_cache = Path(tempfile.gettempdir()) / f"{CONTENT_CACHE_FOLDER}-{os.getuid()}"
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(shared_cache))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "30")
    # a router the sweep below misses (one still starting) ends on its own soon after the
    # test, not 30 minutes later; no test lasts as long as this (pytest-timeout)
    monkeypatch.setenv("WORKSHOP_MOCK_ROUTER_IDLE", "150")
    # `workshop test` watches a page's `cf logs APP` for half a second, not three: nothing
    # the tests check needs more (test_selftest_classic_course keeps the default in one)
    monkeypatch.setenv("WORKSHOP_TEST_TAIL_SECONDS", "0.5")
    yield home
    stop_routers(tmp_path)


@pytest.fixture
def isolated_home(isolated: Path) -> Path:
    """The test's WORKSHOP_HOME, by the name some tests ask for."""
    return isolated


def stop_routers(root: Path) -> None:
    """Stop the mock app routers started for mock homes anywhere under ``root`` (the
    test's WORKSHOP_HOME, or a home a test made of its own: an author's, a sandbox)."""
    from workshop.mock.router import stop_router

    for info in root.rglob("router.json"):
        stop_router(info.parent)
