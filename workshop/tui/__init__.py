"""The learner's TUI: the only package that imports Textual.

``app.WorkshopApp`` wires a headless ``LearnerSession`` (``workshop.engine``) to the
screens and widgets here; it holds no workshop logic of its own, only presentation.
"""
