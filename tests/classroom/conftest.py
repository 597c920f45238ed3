"""Fixtures for the classroom tests: an isolated home and a real server on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from classroom_support import ServerProcess
from pg_support import Cluster


def pytest_configure(config: pytest.Config) -> None:
    """The markers of this folder's tests."""
    config.addinivalue_line(
        "markers", "server_options(*args): more `workshop classroom serve` options for the test"
    )


@pytest.fixture
def classroom_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A running classroom server (code ``CODE``, instructor token ``TOKEN``)."""
    server = ServerProcess(tmp_path / "classroom.sqlite3", dict(os.environ))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def kept_servers() -> Iterator[dict[str, ServerProcess]]:
    """Servers that outlive the test that started them, by name; stopped after the session
    (see :func:`shared_server`)."""
    servers: dict[str, ServerProcess] = {}
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture
def shared_server(kept_servers: dict[str, ServerProcess], tmp_path: Path) -> ServerProcess:
    """One server for the tests that neither restart it nor need an empty room.

    Each such test uses learners of its own (own names or client ids) and puts back any
    setting it changes. The first test that asks starts it, in its own isolated
    environment (a WORKSHOP_HOME under its temporary folder, the shared cache of loaded
    workshops): a server started by a session fixture would see the environment before
    any test's isolation, the real home's folders.
    """
    if "shared" not in kept_servers:
        server = ServerProcess(tmp_path / "shared.sqlite3", dict(os.environ))
        kept_servers["shared"] = server.start()
    return kept_servers["shared"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL server of this test worker's own, stopped after the session."""
    cluster = Cluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    return pg_cluster.new_database()
