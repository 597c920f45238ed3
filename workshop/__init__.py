"""workshop: a runner for hands-on command-line workshops.

The headless core (content, shell, checking, progress, mock, classroom) never imports
Textual; only ``workshop.tui`` does.
"""

__version__ = "0.1.0"
