"""The fake ``cf`` executable: cf CLI v6.16.1 against a simulated PWS (API 2.46.0).

Run it as ``python -m workshop.mock.cf ARGS`` (what the mock's ``bin/cf`` shim does).
``main.py`` dispatches to one small ``commands_*`` module per command family; ``ui.py``
holds cf's output habits; the foundation lives in ``workshop.mock.state``. Importing this
package imports nothing: start-up time matters (every learner command pays it).
"""
