"""workshop: a runner for hands-on command-line workshops.

The headless core (content, shell, checking, progress, mock, classroom) never imports
Textual; only ``workshop.tui`` does.

The version has one source, the package's metadata (``version`` in pyproject.toml); it is
read only when asked for, so the mock's programs, which import this package, do not pay for
``importlib.metadata`` on every call.
"""


def __getattr__(name: str) -> str:
    """``workshop.__version__``, from the installed package's metadata."""
    if name != "__version__":
        raise AttributeError(f"module 'workshop' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("workshop")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
