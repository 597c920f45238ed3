"""The mock's HTTP router (a small gorouter) and the `stock` app it emulates.

Public, light to import (the fake ``cf`` may call :func:`ensure_router_quick` on every run):

- :func:`ensure_router` ``(home) -> int``: start the router of a mock home in the background
  unless one is alive, and return its port;
- :func:`ensure_router_quick` ``(home) -> None``: restart it only when its pid is gone
  (no waiting, a few microseconds when it runs);
- :func:`stop_router` ``(home) -> bool``;
- :func:`router_status` ``(home) -> dict | None``.

They are loaded from :mod:`.control` when first asked for: the router process itself
starts in this package (:mod:`.__main__`, :mod:`.listen`) and needs none of them.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from workshop.mock.router.control import (
        ensure_router,
        ensure_router_quick,
        router_status,
        stop_router,
    )

__all__ = ["ensure_router", "ensure_router_quick", "router_status", "stop_router"]


def __getattr__(name: str) -> object:
    """The public functions, imported from :mod:`.control` on first use."""
    if name in __all__:
        from workshop.mock.router import control

        return getattr(control, name)
    raise AttributeError(f"module 'workshop.mock.router' has no attribute {name!r}")
