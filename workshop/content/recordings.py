"""Where a workshop's recordings live (``recordings/*.yaml`` beside its workshop.yaml).

What lint says about them is ``workshop.engine.recording_lint``'s business: reading them is
the mock's.
"""

from __future__ import annotations

FOLDER = "recordings"
"""Where a workshop's recordings live, beside its workshop.yaml."""
