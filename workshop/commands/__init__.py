"""Sub-commands of ``workshop``: one module per group, each with ``register(subparsers)``.

Modules import only the standard library at module level; the work they hand off to is
imported inside the handler, so ``workshop --help`` and the mock stay fast.
"""
