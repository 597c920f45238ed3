"""``python -m workshop.mock.router --home DIR [--port N] [--idle SECONDS] [--detach]``.

Runs the mock router of one mock home in the foreground, or with ``--detach`` as a daemon
(double fork, own session, output to ``DIR/router.log``) so it survives the shell that
started it. :func:`workshop.mock.router.ensure_router` is the usual way to start it (as
``python -S -c`` calling :func:`main`, without the ``runpy`` that ``-m`` imports).

Its options are read by hand, not with ``argparse``: almost every mock home starts a
router, and ``argparse`` (with ``gettext`` and ``re``) cost each start more CPU than the
rest of it until a first request comes (:mod:`.listen`).
"""

from __future__ import annotations

import os
import sys

USAGE = (
    "usage: python -m workshop.mock.router --home DIR [--port N] [--idle SECONDS] "
    "[--detach] [--requested EPOCH] [--fd N]"
)
OPTIONS = {"--home": str, "--port": int, "--idle": float, "--requested": float, "--fd": int}
"""The options that take a value, and its type."""


class UsageError(Exception):
    """A command line this program does not take (its message says why)."""


class Options:
    """What the command line asks for."""

    home = ""
    """The mock home (``--home``)."""
    port = 0
    """``--port``: 0 for the previous port of the home when free, else any."""
    idle: float | None = None
    """``--idle``: seconds without a request before the router leaves (None: the default)."""
    requested = 0.0
    """``--requested``: the epoch time the start was asked for."""
    detach = False
    """``--detach``: run in the background."""
    fd: int | None = None
    """``--fd``: serve on this inherited listening socket (its port's holder started us,
    in a session of our own, see :mod:`workshop.mock.router.holder`)."""


def parse(argv: list[str]) -> Options:
    """The options of ``argv`` (``--name value`` or ``--name=value``, and ``--detach``);
    a :class:`UsageError` for anything else."""
    options = Options()
    given = set()
    words = list(argv)
    while words:
        word = words.pop(0)
        if word in ("-h", "--help"):
            print(USAGE)
            raise SystemExit(0)
        if word == "--detach":
            options.detach = True
            continue
        name, equals, value = word.partition("=")
        kind = OPTIONS.get(name)
        if kind is None:
            raise UsageError(f"unrecognized argument: {word}")
        if not equals:
            if not words:
                raise UsageError(f"argument {name}: expected one argument")
            value = words.pop(0)
        try:
            setattr(options, name[2:], kind(value))
        except ValueError:
            raise UsageError(f"argument {name}: invalid {kind.__name__} value: {value!r}") from None
        given.add(name)
    if "--home" not in given:
        raise UsageError("the following arguments are required: --home")
    return options


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and serve until idle."""
    try:
        options = parse(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print(f"{USAGE}\npython -m workshop.mock.router: error: {exc}", file=sys.stderr)
        return 2
    home = os.path.realpath(options.home)
    if not os.path.isdir(home):
        print(f"workshop mock router: no such mock home: {home}", file=sys.stderr)
        return 2
    idle = options.idle
    if idle is None:
        idle = float(os.environ.get("WORKSHOP_MOCK_ROUTER_IDLE") or 30 * 60)
    if options.detach:
        if os.fork():
            os._exit(0)  # the first child ends: the starter's wait() returns at once
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(os.path.join(home, "router.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)  # fmt: skip
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
    if options.detach or options.fd is not None:
        os.chdir("/")
    import _signal  # the signal module's enums cost a start ~2 ms

    _signal.signal(_signal.SIGTERM, _leave)
    _signal.signal(_signal.SIGHUP, _signal.SIG_IGN)
    from workshop.mock.router.listen import serve

    serve(home, options.port, idle, options.requested, options.fd)
    return 0


def _leave(*_: object) -> None:
    """SIGTERM: leave through ``finally`` blocks (the router writes its port down)."""
    sys.exit(0)


if __name__ == "__main__":
    sys.exit(main())
