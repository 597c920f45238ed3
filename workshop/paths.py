"""Every path the runner writes or reads outside the workshop content.

One place decides where state lives, so tests and users can move all of it with
environment variables:

- ``WORKSHOP_HOME``: the root of everything below (state, data, config, cache).
- ``WORKSHOP_STATE_DIR``, ``WORKSHOP_DATA_DIR``, ``WORKSHOP_CONFIG_DIR``,
  ``WORKSHOP_CACHE_DIR``: one of them alone.

Without them the platform's conventional folders (platformdirs, XDG on Linux) are used.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "workshop"


def _home() -> Path | None:
    value = os.environ.get("WORKSHOP_HOME")
    return Path(value).expanduser() if value else None


def _pick(env: str, sub: str, default: str) -> Path:
    value = os.environ.get(env)
    if value:
        return Path(value).expanduser()
    home = _home()
    if home is not None:
        return home / sub
    import platformdirs  # imported late: the mock's start-up must stay light

    return Path(getattr(platformdirs, default)(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Progress, mock homes, outboxes: what a learner would lose if deleted."""
    return _pick("WORKSHOP_STATE_DIR", "state", "user_state_dir")


def data_dir() -> Path:
    """Data the runner keeps (classroom databases)."""
    return _pick("WORKSHOP_DATA_DIR", "data", "user_data_dir")


def config_dir() -> Path:
    """The learner's settings file lives here."""
    return _pick("WORKSHOP_CONFIG_DIR", "config", "user_config_dir")


def cache_dir() -> Path:
    """Anything that can be rebuilt."""
    return _pick("WORKSHOP_CACHE_DIR", "cache", "user_cache_dir")


def settings_file() -> Path:
    """The learner's settings (YAML): name, variables, classroom."""
    return config_dir() / "settings.yaml"


def progress_db() -> Path:
    """The SQLite database of the learner's progress."""
    return state_dir() / "progress.sqlite3"


def mock_home(workshop_id: str) -> Path:
    """The simulated foundation of one workshop for this learner."""
    return state_dir() / "mock" / workshop_id


def shell_history(workshop_id: str) -> Path:
    """The learner's shell history for one workshop (bash ``HISTFILE``, kept across runs)."""
    return state_dir() / "shell" / workshop_id / "history"


def shell_state(workshop_id: str) -> Path:
    """The learner's shell folder and exported names for one workshop (JSON, see
    :mod:`workshop.shell.state`)."""
    return state_dir() / "shell" / workshop_id / "state.json"


def bundled_workshop() -> Path:
    """The 12-factor workshop that ships inside the package (the default of ``workshop run``,
    ``show``, ``lint`` and ``test``): its lessons, checks and recordings are package data, so a
    wheel, ``pip install --user`` and pipx carry them wherever the package goes."""
    beside = Path(__file__).parent / "bundled" / "12factor"
    if beside.is_dir():  # an unpacked package (any pip install): no importlib.resources import
        return beside
    from importlib.resources import files

    return Path(str(files("workshop") / "bundled" / "12factor"))
