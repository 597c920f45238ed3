"""Screens of the learner's TUI: the lesson, the completion summary, help, the lesson picker."""
