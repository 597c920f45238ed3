"""Two themes that read well on a projector: high contrast, no thin greys for text.

Projectors wash out dark greys and pale tints, so the dark theme uses a near-black
background with bright text, and the light one pure white with near-black text and
saturated accents.
"""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="workshop-dark",
    primary="#4EA8FF",
    secondary="#9ECBFF",
    accent="#FFB000",
    foreground="#F2F2F2",
    background="#0B0B0B",
    surface="#121212",
    panel="#1E2430",
    success="#3DDC84",
    warning="#FFB000",
    error="#FF5F56",
    dark=True,
)
"""The default: bright text on near-black."""

LIGHT = Theme(
    name="workshop-light",
    primary="#0B5CD5",
    secondary="#174EA6",
    accent="#B35C00",
    foreground="#111111",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E8EEF8",
    success="#0A7D32",
    warning="#9A5B00",
    error="#C4141B",
    dark=False,
)
"""For bright rooms: near-black text on white."""

THEMES = (DARK, LIGHT)
"""Registered by the app, dark first."""
