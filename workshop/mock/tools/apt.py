"""Package installs in mock mode: ``apt-get`` (and ``sudo apt-get``) answered as already done.

Why: the original platform's pages install their tools first (``sudo apt-get update``,
``sudo apt-get install git -y``); ``workshop test`` and an offline learner must never change
the machine, and the programs those lines install are the mock's own. So ``apt-get
update`` prints the package lists read, ``apt-get install PKG…`` says each package is
already the newest version (what apt 1.0 on Ubuntu 14.04 printed), and every other
``apt-get`` subcommand is refused as not available offline. ``sudo`` runs this for
``apt-get``/``apt`` lines; any other command it hands to the machine's own ``sudo``.
"""

from __future__ import annotations

import os
import sys

READ = [
    "Reading package lists... Done",
    "Building dependency tree       ",
    "Reading state information... Done",
]


def apt_get(argv: list[str]) -> int:
    """Run ``apt-get ARGV`` offline; the exit status."""
    words = [a for a in argv if not a.startswith("-")]
    if not words:
        print("apt 1.0.1ubuntu2 for amd64 compiled on Jan 13 2016 15:21:12")
        print("Usage: apt-get [options] command")
        return 0 if "-h" in argv or "--help" in argv else 1
    command, packages = words[0], words[1:]
    if command == "update":
        print("Hit http://archive.ubuntu.com trusty InRelease")
        print("Hit http://archive.ubuntu.com trusty-updates InRelease")
        print("Hit http://security.ubuntu.com trusty-security InRelease")
        print("Reading package lists... Done")
        return 0
    if command in ("install", "upgrade"):
        for line in READ:
            print(line)
        for package in packages:
            print(f"{package.split('=')[0]} is already the newest version.")
        print("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
        return 0
    sys.stderr.write(
        f"apt-get {command}: not available in the offline workshop mock (only update and "
        "install are answered, as already done).\n"
    )
    return 1


_SUDO_VALUED = {"-u", "-g", "-C", "-p", "-h", "-U", "-r", "-t"}


def sudo(argv: list[str]) -> int:
    """Run ``sudo ARGV``: package installs offline, anything else by the machine's sudo."""
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        i += 2 if argv[i] in _SUDO_VALUED else 1
    if i < len(argv) and argv[i] == "--":
        i += 1
    command = argv[i:]
    if command and os.path.basename(command[0]) in ("apt-get", "apt"):
        return apt_get(command[1:])
    mock_bin = os.path.join(os.environ.get("WORKSHOP_MOCK_HOME", ""), "bin")
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        real = os.path.join(folder, "sudo")
        if (
            folder
            and os.path.realpath(folder) != os.path.realpath(mock_bin)
            and os.access(real, os.X_OK)
        ):
            # what this Python ignores, the command gets at its defaults, as from a terminal;
            # imported here: signal imports enum, and package installs need neither
            from workshop.terminal_signals import restore_defaults

            restore_defaults()
            os.execv(real, [real, *argv])
    sys.stderr.write(
        "sudo: command not found (the offline workshop mock answers only package installs)\n"
    )
    return 127


def main(argv: list[str]) -> int:
    """``python -m workshop.mock.tools.apt [sudo|apt-get] ARGS``."""
    if argv[:1] == ["sudo"]:
        return sudo(argv[1:])
    return apt_get(argv[1:] if argv[:1] == ["apt-get"] else argv)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(141)
