"""The course tests walk lessons in real shells on the offline mock (see course_support)."""
