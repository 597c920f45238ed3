"""Reading ``manifest.yml`` the way cf v6 push does (reference §6.1).

Why: ``cf push`` with no arguments is how the workshop deploys; the manifest names the
app, its jar, buildpack, memory and services. PyYAML is imported here only, so it costs
nothing to commands other than push.
"""

from __future__ import annotations

from pathlib import Path

from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

NAMES = ("manifest.yml", "manifest.yaml")


class ManifestError(Exception):
    """What push prints after ``Error reading manifest file:``."""


def locate(ctx: Context, given: str | None) -> tuple[Path, str] | None:
    """The manifest to read and how push names it; None when there is none (and -f absent).

    ``-f`` is shown as typed (``{dir}/manifest.yml`` for a folder); an implicit manifest
    is shown with its absolute path.
    """
    if given is None:
        for name in NAMES:
            candidate = ctx.cwd / name
            if candidate.is_file():
                return candidate, str(candidate)
        return None
    path = Path(given).expanduser()
    if not path.is_absolute():
        path = ctx.cwd / path
    if path.is_dir():
        for name in NAMES:
            if (path / name).is_file():
                return path / name, given.rstrip("/") + "/" + name
        raise ManifestError(
            f"Error finding manifest: stat {given.rstrip('/')}/manifest.yml: no such file or directory"
        )
    if not path.exists():
        raise ManifestError(f"Error finding manifest: stat {given}: no such file or directory")
    return path, given


def load(path: Path) -> list[dict[str, Any]]:
    """The manifest's applications, global keys merged into each (no ``inherit:``)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ManifestError(" ".join(str(exc).split())) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(str(exc)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ManifestError("Invalid manifest. Expected a map")
    apps = data.get("applications")
    globals_ = {k: v for k, v in data.items() if k not in ("applications", "inherit")}
    if apps is None:
        return [globals_] if globals_ else []
    if not isinstance(apps, list):
        raise ManifestError("Expected applications to be a list")
    result = []
    for entry in apps:
        if not isinstance(entry, dict):
            raise ManifestError("Expected application to be a list of key/value pairs")
        merged = dict(globals_)
        merged.update(entry)
        result.append(merged)
    return result
