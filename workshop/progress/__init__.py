"""A learner's progress, kept in SQLite under the state dir so it survives quitting and crashes.

:class:`ProgressStore` records step status and attempts, every command with its exit code
and bounded output, check results, hints shown, where to resume, and a checkpoint of the
mock foundation at the start of each step so that resets rewind it too. No Textual here.
"""

from workshop.progress.store import (
    DEFAULT_LEARNER,
    MAX_OUTPUT,
    CommandRecord,
    ProgressStore,
    StepProgress,
)

__all__ = ["DEFAULT_LEARNER", "MAX_OUTPUT", "CommandRecord", "ProgressStore", "StepProgress"]
