"""The engine every front end drives: a learner's session over shell, checks and progress.

``LearnerSession`` is headless (no Textual): the TUI and the plain runner both hand it a
listener and render the events it emits.
"""
