"""The offline ``git`` of mock mode (what git 2.7.0 printed in early 2016), simulated.

Chapter I of the course clones the learner's repository; offline there is no GitHub, so
``git clone`` of any repository URL (not a text's placeholder such as
``https://github.com/URL_TO_YOUR_REPO.git``, refused as the hosting service would) writes
the workshop's ``stock`` project (see :mod:`workshop.mock.tools.skeleton`), or for a
``cf-example-sinatra`` URL the original platform's Sinatra example
(:mod:`workshop.mock.tools.sinatra`), into the folder real git would name after the URL,
with a small ``.git`` folder: ``HEAD``, ``config`` (the origin URL) and
``workshop-mock.json``, the simulated commit (url, time, a hash per file). That record is
what ``git status``, ``git log``, ``git remote`` and ``git branch`` answer from; nothing
else of git exists. Subcommands that would change history or talk to a remote say they are
not available in the offline mock (exit 1). Progress lines are printed only when stderr is
a terminal, like real git.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

from workshop.mock.tools import sinatra
from workshop.mock.tools.skeleton import STOCK_FILES, write_files

VERSION = "2.7.0"
RECORD = "workshop-mock.json"
USAGE = """\
usage: git [--version] [--help] [-C <path>] [-c name=value]
           [--exec-path[=<path>]] [--html-path] [--man-path] [--info-path]
           [-p | --paginate | --no-pager] [--no-replace-objects] [--bare]
           [--git-dir=<path>] [--work-tree=<path>] [--namespace=<name>]
           <command> [<args>]

These are common Git commands used in various situations:

start a working area (see also: git help tutorial)
   clone      Clone a repository into a new directory
   init       Create an empty Git repository or reinitialize an existing one

examine the history and state (see also: git help revisions)
   log        Show commit logs
   status     Show the working tree status

grow, mark and tweak your common history
   branch     List, create, or delete branches
   checkout   Switch branches or restore working tree files

collaborate (see also: git help workflows)
   remote     Manage set of tracked repositories

(The workshop's offline mock simulates only: clone, status, log, remote, branch,\ncheckout of a branch the cloned repository has.)
"""
# Real git subcommands the mock does not simulate: they get a clear refusal, not "not a
# git command".
KNOWN = {
    "add", "am", "bisect", "cherry-pick", "commit", "config", "diff", "fetch",
    "grep", "init", "merge", "mv", "pull", "push", "rebase", "reset", "revert", "rm", "show",
    "stash", "tag", "clean", "describe", "format-patch", "gc", "rev-parse", "submodule",
}  # fmt: skip
NOT_A_REPO = "fatal: Not a git repository (or any of the parent directories): .git"


def err(text: str) -> None:
    """Write one line to stderr (where git writes progress and errors)."""
    sys.stderr.write(text + "\n")


def main(argv: list[str]) -> int:
    """Run ``git ARGV``; the exit status."""
    while argv and argv[0] in ("--no-pager", "-p", "--paginate"):
        argv = argv[1:]
    if argv[:2] and argv[0] == "-C":
        if len(argv) < 2:
            err("error: no directory given for -C")
            return 129
        try:
            os.chdir(argv[1])
        except OSError:
            err(f"fatal: cannot change to '{argv[1]}': No such file or directory")
            return 128
        argv = argv[2:]
    if not argv or argv[0] in ("--help", "-h", "help"):
        sys.stdout.write(USAGE)
        return 1 if not argv else 0
    cmd, args = argv[0], argv[1:]
    if cmd in ("--version", "version"):
        print(f"git version {VERSION}")
        return 0
    handlers = {
        "clone": clone, "status": status, "log": log, "remote": remote, "branch": branch,
        "checkout": checkout,
    }  # fmt: skip
    if cmd in handlers:
        return handlers[cmd](args)
    if cmd in KNOWN:
        err(f"git {cmd}: not available in the offline workshop mock (simulated git {VERSION}).")
        err(
            "Only clone, status, log, remote, branch and checkout are simulated; live mode runs real git."
        )
        return 1
    err(f"git: '{cmd}' is not a git command. See 'git --help'.")
    return 1


# --- clone -------------------------------------------------------------------------------

_VALUED = {"-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference", "-u"}


def humanish(url: str) -> str:
    """The folder name real git derives from a repository URL or path."""
    name = url.rstrip("/")
    if name.endswith("/.git"):
        name = name[:-5]
    name = name.rstrip("/")
    name = name.replace(":", "/").rsplit("/", 1)[-1]  # also scp-like user@host:repo.git
    if name.endswith(".git"):
        name = name[:-4]
    return name or "repository"


def _is_remote(url: str) -> bool:
    if "://" in url:
        return True
    head, sep, _ = url.partition(":")
    return bool(sep) and "/" not in head and len(head) > 1  # user@host:path, not C:\ or ./a:b


_PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[<>{}]|\.\.\.")
"""``URL_TO_YOUR_REPO``, ``<your-repo>``, ``{user}``, ``...``: a text's placeholder."""


def _placeholder(url: str) -> bool:
    """True when ``url`` still holds a placeholder, or names no owner on a hosting service
    (``https://github.com/repo.git``): no repository answers there."""
    if _PLACEHOLDER.search(url.partition("://")[2] or url):
        return True
    if "://" not in url:
        return False
    host, _, path = url.partition("://")[2].partition("/")
    hosted = host.lower().split("@")[-1] in ("github.com", "gitlab.com", "bitbucket.org")
    return hosted and len([p for p in path.strip("/").split("/") if p]) < 2


def clone(args: list[str]) -> int:
    """``git clone [options] URL [DIR]``: the stock project, a simulated clone of URL."""
    quiet = False
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-q", "--quiet"):
            quiet = True
        elif arg in _VALUED:
            i += 1
        elif arg.startswith("-") and arg != "-":
            pass  # --depth=1, --recursive, --progress ...: no effect on a simulated clone
        else:
            positional.append(arg)
        i += 1
    if not positional:
        err("fatal: You must specify a repository to clone.\n")
        err("usage: git clone [<options>] [--] <repo> [<dir>]")
        return 129
    if len(positional) > 2:
        err("fatal: Too many arguments.\n")
        err("usage: git clone [<options>] [--] <repo> [<dir>]")
        return 129
    url = positional[0]
    if not _is_remote(url) and not Path(url).exists():
        err(f"fatal: repository '{url}' does not exist")
        return 128
    name = positional[1] if len(positional) == 2 else humanish(url)
    dest = Path(name)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        err(f"fatal: destination path '{name}' already exists and is not an empty directory.")
        return 128
    if not quiet:
        err(f"Cloning into '{name}'...")
    if _placeholder(url):  # what the hosting service answers for a repository it lacks
        err("remote: Repository not found.")
        err(f"fatal: repository '{url.rstrip('/')}/' not found")
        return 128
    try:
        dest.mkdir(parents=True, exist_ok=True)
        files = project_files(url)
        paths = write_files(dest, files)
        _write_git_dir(dest, url, paths)
    except OSError as exc:
        err(f"fatal: could not create work tree dir '{name}': {exc.strerror}")
        return 128
    if not quiet and sys.stderr.isatty():
        _progress(paths, files)
    return 0


def project_files(url: str) -> dict[str, str]:
    """The project a clone of ``url`` holds: the original platform's Sinatra example for its
    repository name, the workshop's ``stock`` project for any other."""
    if humanish(url) == sinatra.REPOSITORY:
        return sinatra.FILES
    return STOCK_FILES


def _progress(paths: list[str], files: dict[str, str]) -> None:
    """The transfer lines git prints on a terminal (figures from the files written)."""
    trees = {str(Path(p).parent) for p in paths}
    for p in list(trees):
        trees.update(str(parent) for parent in Path(p).parents)
    objects = len(paths) + len(trees) + 1  # blobs, trees, one commit
    size = sum(len(files[p].encode()) for p in paths) / 1024 * 0.45  # zlib-ish
    err(f"remote: Counting objects: {objects}, done.")
    err(f"remote: Total {objects} (delta 0), reused 0 (delta 0), pack-reused {objects}")
    err(f"Receiving objects: 100% ({objects}/{objects}), {size:.2f} KiB | 0 bytes/s, done.")
    err("Checking connectivity... done.")


def _sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's blob id


def _write_git_dir(dest: Path, url: str, paths: list[str]) -> None:
    files = {p: _sha((dest / p).read_bytes()) for p in paths}
    commit = hashlib.sha1(json.dumps([url, files], sort_keys=True).encode()).hexdigest()
    git = dest / ".git"
    git.mkdir()
    (git / "HEAD").write_text("ref: refs/heads/master\n")
    (git / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n"
        '[remote "origin"]\n'
        f"\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
        '[branch "master"]\n\tremote = origin\n\tmerge = refs/heads/master\n'
    )
    (git / "description").write_text(
        "Simulated by the workshop's offline mock: not a real repository.\n"
    )
    record = {"url": url, "commit": commit, "time": _now(), "files": files, "branch": "master"}
    if humanish(url) == sinatra.REPOSITORY:
        record["remote_branches"] = list(sinatra.BRANCHES)
    (git / RECORD).write_text(json.dumps(record, indent=1))


def _now() -> float:
    clock = os.environ.get("WORKSHOP_MOCK_CLOCK")
    try:
        return float(clock) if clock else time.time()
    except ValueError:
        return time.time()


# --- the simulated repository ------------------------------------------------------------


def find_repo(start: Path) -> tuple[Path, dict] | None:
    """The work tree above ``start`` cloned by this mock and its record, or None."""
    for folder in (start, *start.parents):
        git = folder / ".git"
        if git.exists():
            try:
                return folder, json.loads((git / RECORD).read_text())
            except (OSError, ValueError):
                return None
    return None


def _repo_or_fail() -> tuple[Path, dict] | int:
    cwd = Path.cwd()
    found = find_repo(cwd)
    if found is None:
        if any((p / ".git").exists() for p in (cwd, *cwd.parents)):
            err("This is a real git repository: the offline workshop mock's git only knows")
            err("the projects its `git clone` created. Live mode runs real git.")
            return 1
        err(NOT_A_REPO)
        return 128
    return found


def _ignored(rel: str, patterns: list[str]) -> bool:
    parts = rel.split("/")
    for pat in patterns:
        dir_only = pat.endswith("/")
        pat = pat.rstrip("/").lstrip("/")
        names = parts[:-1] if dir_only else parts
        if any(fnmatch.fnmatch(n, pat) for n in names) or fnmatch.fnmatch(rel, pat):
            return True
    return False


def changes(root: Path, record: dict) -> tuple[list[str], list[str], list[str]]:
    """(modified, deleted, untracked) paths relative to ``root``; untracked folders holding
    no tracked file are shown once, as ``folder/``, like git does."""
    tracked: dict[str, str] = record.get("files", {})
    try:
        patterns = [
            line.strip()
            for line in (root / ".gitignore").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
    except OSError:
        patterns = []
    present: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for f in filenames:
            present.append(os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/"))
    modified = [
        p for p in sorted(tracked) if p in present and _sha((root / p).read_bytes()) != tracked[p]
    ]
    deleted = [p for p in sorted(tracked) if p not in present]
    tracked_dirs = {str(parent) for p in tracked for parent in Path(p).parents}
    untracked: set[str] = set()
    for p in present:
        if p in tracked or _ignored(p, patterns):
            continue
        shown = p
        for parent in reversed(Path(p).parents):  # the outermost folder with nothing tracked
            if str(parent) != "." and str(parent) not in tracked_dirs:
                shown = f"{parent}/"
                break
        untracked.add(shown)
    return modified, deleted, sorted(untracked)


def status(args: list[str]) -> int:
    """``git status``: the clone's changes since the simulated commit."""
    found = _repo_or_fail()
    if isinstance(found, int):
        return found
    root, record = found
    modified, deleted, untracked = changes(root, record)
    rel = lambda p: os.path.relpath(root / p, Path.cwd()) + ("/" if p.endswith("/") else "")  # noqa: E731
    if "-s" in args or "--short" in args or "--porcelain" in args:
        for p in modified:
            print(f" M {rel(p)}")
        for p in deleted:
            print(f" D {rel(p)}")
        for p in untracked:
            print(f"?? {rel(p)}")
        return 0
    here = record.get("branch", "master")
    print(f"On branch {here}\nYour branch is up-to-date with 'origin/{here}'.")
    if modified or deleted:
        print("Changes not staged for commit:")
        print(
            '  (use "git add/rm <file>..." to update what will be committed)'
            if deleted
            else '  (use "git add <file>..." to update what will be committed)'
        )
        print('  (use "git checkout -- <file>..." to discard changes in working directory)\n')
        for p in modified:
            print(f"\tmodified:   {rel(p)}")
        for p in deleted:
            print(f"\tdeleted:    {rel(p)}")
        print()
    if untracked:
        print("Untracked files:")
        print('  (use "git add <file>..." to include in what will be committed)\n')
        for p in untracked:
            print(f"\t{rel(p)}")
        print()
    if modified or deleted:
        print('no changes added to commit (use "git add" and/or "git commit -a")')
    elif untracked:
        print('nothing added to commit but untracked files present (use "git add" to track)')
    else:
        print("nothing to commit, working directory clean")
    return 0


def log(args: list[str]) -> int:
    """``git log [--oneline]``: the one simulated commit of the clone."""
    found = _repo_or_fail()
    if isinstance(found, int):
        return found
    _root, record = found
    commit = record["commit"]
    subject = f"Simulated clone of {record['url']} (workshop mock)"
    if "--oneline" in args:
        print(f"{commit[:7]} {subject}")
        return 0
    when = time.localtime(record["time"])
    date = time.strftime("%a %b %-d %H:%M:%S %Y ", when) + time.strftime("%z", when)
    print(f"commit {commit}\nAuthor: Workshop Mock <mock@localhost>\nDate:   {date}\n")
    print(f"    {subject}\n")
    print("    The offline mock wrote the workshop's stock project; there is no other history.")
    return 0


def remote(args: list[str]) -> int:
    """``git remote [-v]``: origin, the URL that was cloned."""
    found = _repo_or_fail()
    if isinstance(found, int):
        return found
    url = found[1]["url"]
    if args and args[0] in ("-v", "--verbose"):
        print(f"origin\t{url} (fetch)\norigin\t{url} (push)")
    elif not args:
        print("origin")
    else:
        err(f"git remote {args[0]}: not available in the offline workshop mock.")
        return 1
    return 0


def branch(args: list[str]) -> int:
    """``git branch``: the one branch, master."""
    found = _repo_or_fail()
    if isinstance(found, int):
        return found
    if args and not args[0].startswith("-"):
        err("git branch NAME: not available in the offline workshop mock.")
        return 1
    record = found[1]
    current = record.get("branch", "master")
    local = list(dict.fromkeys(["master", *record.get("local_branches", []), current]))
    for name in sorted(local):
        print(f"{'*' if name == current else ' '} {name}")
    if "-a" in args:
        print("  remotes/origin/HEAD -> origin/master")
        for name in record.get("remote_branches", ["master"]):
            print(f"  remotes/origin/{name}")
    return 0


def checkout(args: list[str]) -> int:
    """``git checkout BRANCH``: switch to a branch of the cloned repository (its files are
    the clone's: the mock keeps one tree)."""
    found = _repo_or_fail()
    if isinstance(found, int):
        return found
    root, record = found
    names = [a for a in args if not a.startswith("-")]
    if len(names) != 1 or "--" in args:
        err(f"git checkout {' '.join(args)}: not available in the offline workshop mock.")
        return 1
    name = names[0]
    current = record.get("branch", "master")
    local = list(dict.fromkeys(["master", *record.get("local_branches", [])]))
    if name == current:
        err(f"Already on '{name}'")
        print(f"Your branch is up-to-date with 'origin/{name}'.")
        return 0
    if name not in local and name not in record.get("remote_branches", ["master"]):
        err(f"error: pathspec '{name}' did not match any file(s) known to git.")
        return 1
    if name not in local:
        print(f"Branch {name} set up to track remote branch {name} from origin.")
        err(f"Switched to a new branch '{name}'")
        record["local_branches"] = [*local[1:], name]
    else:
        err(f"Switched to branch '{name}'")
        print(f"Your branch is up-to-date with 'origin/{name}'.")
    record["branch"] = name
    (root / ".git" / RECORD).write_text(json.dumps(record, indent=1))
    (root / ".git" / "HEAD").write_text(f"ref: refs/heads/{name}\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(141)
