"""Reusable widgets of the learner's TUI: terminal pane, step list, lesson view, check panel."""
