"""The offline foundation: a fake ``cf`` (``workshop.mock.cf``), its state, the app router.

Kept empty on purpose: ``python -m workshop.mock.cf`` runs on every mock command, so
importing this package must cost nothing (stdlib only, no YAML, no Textual).
"""
