"""Tools for workshop authors: the scaffold of a new workshop (``workshop new``)."""
