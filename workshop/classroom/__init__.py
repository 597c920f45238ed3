"""The classroom: an instructor's live view of every learner, over a LAN, with nothing lost.

- :mod:`~workshop.classroom.protocol`: event kinds, limits, validation (shared by both sides)
- :mod:`~workshop.classroom.redaction`: secrets removed on the learner's machine
- :mod:`~workshop.classroom.outbox`, :mod:`~workshop.classroom.reporter`: the learner side
  (``Reporter``: durable outbox, background sender, broadcast listener)
- :mod:`~workshop.classroom.store`, :mod:`~workshop.classroom.sqlite_store`: the database
  behind one interface (SQLite now, PostgreSQL later)
- :mod:`~workshop.classroom.sharing`: the learner's screen, shared only by their action
- :mod:`~workshop.classroom.course`: the served workshop's lessons and steps
- :mod:`~workshop.classroom.room`: learners × steps, stuck radar, help queue, funnel
- :mod:`~workshop.classroom.server`, :mod:`~workshop.classroom.instructor`,
  :mod:`~workshop.classroom.sse`, :mod:`~workshop.classroom.screen`,
  :mod:`~workshop.classroom.guard`, :mod:`~workshop.classroom.serve`: the Starlette app
  (learners' and instructor's routes), live streams, shared screens, connection bounds
  and rate limits, ``classroom serve``
- :mod:`~workshop.classroom.watch`: ``classroom watch``, the room as text
- ``static/``: the web dashboard (plain HTML, JS and CSS; no build step)

Nothing here imports textual. Import the sub-modules directly; this package imports
nothing so that ``from workshop.classroom.reporter import Reporter`` stays light.
"""
