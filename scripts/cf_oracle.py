"""Ask the real cf CLI v6.16.1 what it prints, for the offline cf mock.

Why: the mock must answer like cf v6.16.1 wherever the CLI decides without a Cloud
Controller (usage and help, flag errors, argument counts, requirements, manifests). This
script runs the real CLI (the "oracle") with a throwaway CF_HOME, the mock's own
``config.json`` and a dead proxy, and writes what it learns into the repository, so that
neither the mock nor ``make test`` ever needs the oracle:

``meta``    the command table of the mock (``workshop/mock/cf/v6_commands.json``): every
            command's help text, aliases, flags and their kinds, the argument counts it
            accepts and what it says otherwise, its requirements, whether it parses flags.
``golden``  the golden transcripts (``tests/mock/golden/cf_v6.json``): a corpus of argv x
            starting state, with the oracle's stdout and exit status. Answers that needed
            the network (the dead proxy's error) are left out: the mock simulates those.

Usage: ``python scripts/cf_oracle.py meta|golden [--oracle PATH/TO/cf]``
(default: ``$CF_ORACLE``, else ``cf`` on PATH, which must say ``cf version 6.16.1+…``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.mock import state as st  # noqa: E402
from workshop.mock.cf import config  # noqa: E402

META = REPO / "workshop" / "mock" / "cf" / "v6_commands.json"
GOLDEN = REPO / "tests" / "mock" / "golden" / "cf_v6.json"
CLOCK = 1454418705.0
NETWORK = ("proxyconnect", "dial tcp", "Error performing request", "Error creating request")


# --------------------------------------------------------------------------- states
def states() -> dict[str, dict]:
    """The starting states of the corpus: full session, and each requirement failing."""
    import yaml

    os.environ["WORKSHOP_MOCK_CLOCK"] = str(CLOCK - 3600)
    data = yaml.safe_load(
        (REPO / "workshop" / "bundled" / "12factor" / "workshop.yaml").read_text()
    )
    lesson = next(item for item in data["lessons"] if item["id"] == "dev-prod-parity")
    start = {k: v for k, v in lesson["start"].items() if k != "files"}
    full = st.initial_state(start, data["mock"])
    noapi = st.initial_state({"api": ""}, data["mock"])
    loggedout = st.initial_state(None, data["mock"])
    noorg = copy.deepcopy(full)
    noorg["session"].update(org=None, space=None)
    nospace = copy.deepcopy(full)
    nospace["session"].update(space=None)
    return {
        "full": full,
        "noapi": noapi,
        "loggedout": loggedout,
        "noorg": noorg,
        "nospace": nospace,
    }


# --------------------------------------------------------------------------- oracle
class Oracle:
    """The real CLI, run as ``cf`` with a throwaway CF_HOME per call and a dead proxy."""

    def __init__(self, binary: str, all_states: dict[str, dict]) -> None:
        self.bin_dir = str(Path(binary).resolve().parent)
        self.configs = {
            name: json.dumps(config.render(s), indent=2) for name, s in all_states.items()
        }
        self.work = Path(tempfile.mkdtemp(prefix="cf-oracle-"))
        (self.work / "app").mkdir()

    def run(self, state: str, argv: list[str], stdin: str = "") -> tuple[str, int]:
        home = Path(tempfile.mkdtemp(dir=self.work))
        (home / ".cf").mkdir()
        (home / ".cf" / "config.json").write_text(self.configs[state])
        env = {
            "HOME": str(home),
            "CF_HOME": str(home),
            "CF_COLOR": "false",
            "https_proxy": "http://127.0.0.1:9",
            "http_proxy": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "",
            "no_proxy": "",
            "LANG": "C",
            "TZ": "UTC",
            "PATH": f"{self.bin_dir}:/usr/bin:/bin",
        }
        try:
            proc = subprocess.run(
                ["cf", *argv],
                cwd=self.work / "app",
                env=env,
                input=stdin.encode(),
                capture_output=True,
                timeout=20,
            )
            out, code = proc.stdout.decode("utf-8", "replace"), proc.returncode
        except subprocess.TimeoutExpired:
            out, code = "<timeout>", -1
        shutil.rmtree(home, ignore_errors=True)
        return out, code

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def local(out: str) -> bool:
    """True when the oracle answered without needing the (dead) network."""
    return out != "<timeout>" and not any(word in out for word in NETWORK)


# --------------------------------------------------------------------------- meta
def command_names(oracle: Oracle) -> list[str]:
    """The commands ``cf help`` lists, in its order."""
    out, _ = oracle.run("full", ["help"])
    names = []
    for line in out.splitlines():
        m = re.match(r"^   ([a-z][a-z0-9-]*)\s{2,}\S", line)
        if m and m.group(1) not in names:
            names.append(m.group(1))
    return names


def _failure(out: str) -> str | None:
    """The message of an ``Incorrect Usage`` failure (the text before the usage block)."""
    if not out.startswith("FAILED\nIncorrect Usage"):
        return None
    return out[len("FAILED\n") :].split("\n\nNAME:\n", 1)[0]


BASE = {"set-health-check": ["a1", "port"]}
"""Arguments that pass a command's own checks where placeholders do not."""


def learn(oracle: Oracle, name: str) -> dict:
    """What the oracle says about one command."""
    usage, _ = oracle.run("full", ["help", name])
    alias = ""
    m = re.search(r"\nALIAS:\n   (\S+)\n", usage)
    if m:
        alias = m.group(1)
    flag_names: list[list[str]] = []
    if "\nOPTIONS:\n" in usage:
        for line in usage.split("\nOPTIONS:\n", 1)[1].splitlines():
            m = re.match(r"^   (-{1,2}[\w-]+)(?:, (-{1,2}[\w-]+))?(?:\s|$)", line)
            if m:
                flag_names.append([g.lstrip("-") for g in m.groups() if g])
    # argument counts in a full session: 0..4 placeholders
    counts: dict[str, str | None] = {}
    for n in range(6):
        out, _ = oracle.run("full", [name, *[f"a{i}" for i in range(1, n + 1)]])
        counts[str(n)] = _failure(out)
    accepted = [int(n) for n, why in counts.items() if why is None]
    base = BASE.get(name) or [f"a{i}" for i in range(1, (accepted[0] if accepted else 0) + 1)]
    accepted = accepted or ([len(base)] if name in BASE else [])
    # flags: valued (no value → error), int, float, or bool; skip-parsing commands
    probe, _ = oracle.run("full", [name, *base, "--zz-no-such-flag"])
    skip = "Invalid flag" not in probe
    flags = []
    for names in flag_names:
        out, _ = oracle.run("full", [name, *base, "--" + names[0]])
        kind = "bool"
        if "No value provided for flag" in out:
            out, _ = oracle.run("full", [name, *base, "--" + names[0], "x"])
            kind = "str"
            if "Value for flag" in out and "must be an integer" in out:
                kind = "int"
            elif "Value for flag" in out and "must be a float64" in out:
                kind = "float"
        flags.append({"names": names, "kind": kind})
    # requirements: what each failing state shows with an accepted argument count
    reqs: list[str] = []
    if accepted:
        seen = {s: oracle.run(s, [name, *base])[0] for s in ("noapi", "loggedout", "noorg")}
        nospace = oracle.run("nospace", [name, *base])[0]
        if "Not logged in" in seen["loggedout"]:
            reqs.append("login")
        elif "No API endpoint set" in seen["noapi"]:
            reqs.append("api")
        if "FAILED\nNo org and space targeted" in seen["noorg"]:
            reqs.append("space")
        elif "FAILED\nNo org targeted" in seen["noorg"]:
            reqs.append("org")
        elif "FAILED\nNo space targeted" in nospace:
            reqs.append("space")
    return {
        "name": name,
        "alias": alias,
        "usage": usage,
        "flags": flags,
        "skip_flags": skip,
        "counts": counts,
        "requirements": reqs,
    }


def cmd_meta(oracle: Oracle) -> None:
    names = command_names(oracle)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        table = list(pool.map(lambda n: learn(oracle, n), names))
    help_out, _ = oracle.run("full", ["help"])
    version, _ = oracle.run("full", ["-v"])
    build, _ = oracle.run("full", ["-b"])
    doc = {
        "about": "cf CLI v6.16.1 as scripts/cf_oracle.py learnt it from the real CLI",
        "help": help_out,
        "version": version,
        "build": build,
        "commands": table,
    }
    META.write_text(json.dumps(doc, indent=0, sort_keys=True) + "\n")
    print(f"{META.relative_to(REPO)}: {len(table)} commands")


# --------------------------------------------------------------------------- golden
def corpus(table: list[dict]) -> list[tuple[str, list[str], str]]:
    """(state, argv, stdin) cases: every command and alias, arguments right and wrong."""
    cases: list[tuple[str, list[str], str]] = []
    every = ("full", "noapi", "loggedout", "noorg", "nospace")
    top = [[], ["-h"], ["--help"], ["help"], ["h"], ["-v"], ["--version"], ["-b"]]
    top += [["help", "-a"], ["help", "-h"], ["version", "-h"], ["nope"], ["nope", "-h"]]
    top += [["help", "nope"], ["-v", "x"], ["--zz"]]
    for argv in top:
        cases.append(("full", argv, ""))
    for cmd in table:
        counts = {int(n): why for n, why in cmd["counts"].items()}
        ok = [n for n, why in counts.items() if why is None]
        n_ok = ok[0] if ok else 0
        base = BASE.get(cmd["name"]) or [f"a{i}" for i in range(1, n_ok + 1)]
        for word in filter(None, (cmd["name"], cmd["alias"])):
            main_word = word == cmd["name"]
            argvs = [[word, "-h"], [word, "--help"], ["help", word]]
            if main_word:
                argvs += [[word, *base, "-h"], [word, "-h", "x"], [word, "-help"]]
                argvs += [[word, *[f"a{i}" for i in range(1, n + 1)]] for n in range(5)]
                argvs += [[word, "--zz-no-such-flag"], [word, *base, "-zz"]]
                for flag in cmd["flags"]:
                    if flag["kind"] != "bool":
                        argvs.append([word, *base, "-" + flag["names"][-1]])
                    if flag["kind"] in ("int", "float"):
                        argvs.append([word, *base, "--" + flag["names"][0], "two"])
            else:
                argvs += [[word], [word, *base], [word, *base, "extra", "more", "args", "x"]]
            for argv in argvs:
                cases.append(("full", argv, ""))
            if main_word:
                for state in every[1:]:
                    cases.append((state, [word, *base], ""))
                    cases.append((state, [word], ""))
    return cases


def cmd_golden(oracle: Oracle) -> None:
    table = json.loads(META.read_text())["commands"]
    all_states = states()
    cases = list(dict.fromkeys((s, tuple(a), i) for s, a, i in corpus(table)))
    cases += [(s, tuple(a), i) for s, a, i in manifest_cases()]

    def one(case: tuple[str, tuple[str, ...], str]) -> dict | None:
        state_name, argv, stdin = case
        manifest = None
        if argv and argv[0] == "@manifest":
            manifest, argv = argv[1], ("push", *argv[2:])
            (oracle.work / "app" / "manifest.yml").write_text(manifest)
        out, code = oracle.run(state_name, list(argv), stdin)
        if not local(out):
            return None
        out = out.replace(str(oracle.work / "app"), "{cwd}")  # the test puts its own
        case_doc = {"state": state_name, "argv": list(argv), "stdout": out, "code": code}
        if stdin:
            case_doc["stdin"] = stdin
        if manifest is not None:
            case_doc["manifest"] = manifest
        return case_doc

    plain = [c for c in cases if not (c[1] and c[1][0] == "@manifest")]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, plain))
    results += [one(c) for c in cases if c[1] and c[1][0] == "@manifest"]  # one manifest file
    kept = [r for r in results if r is not None]
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    doc = {"about": "cf CLI v6.16.1's answers (scripts/cf_oracle.py)", "states": all_states}
    doc["cases"] = kept
    GOLDEN.write_text(json.dumps(doc, indent=0, sort_keys=True) + "\n")
    print(f"{GOLDEN.relative_to(REPO)}: {len(kept)} cases kept of {len(cases)} run")


MANIFESTS = [
    "",
    "---\n",
    "applications:\n- name: a\n  memory: 512\n",
    "applications:\n- name: a\n  memory: 512M\n  services: mysql\n",
    "applications:\n- name: a\n  host: ${host}\n",
    "applications:\n- name: a\n  env:\n  - A=1\n",
    "applications:\n- name: a\n  instances: two\n",
    "applications:\n- a\n",
    "applications:\n  name: a\n",
    "applications:\n- name: a\n\tmemory: 1G\n",
    "applications:\n- name: a\n  memory: 1G\n - name: b\n",
    "applications:\n- name: a\n  memory: 1G\n   path: x\n",
    "applications:\n- name: [a\n",
    'applications:\n- name: "a\n',
    "applications:\n- name: a\n  memory: 1G\n  memory: 2G\n",
    "applications:\n- name: a\n  buildpack: java_buildpack\n  env:\n    A: 1\n  timeout: x\n",
    "applications:\n- name: a\n  disk_quota: lots\n",
    "applications:\n- name: a\n  memory: -1M\n",
    "applications:\n- name: a\n  domains: example.com\n",
    "applications:\n- name: a\n  no-route: yes please\n",
    "inherit: base.yml\napplications:\n- name: a\n",
    "applications: []\n",
    "applications: yes\n",
    "- name: a\n",
    "just text\n",
    "applications:\n- name: a\n  path: nope/missing.jar\n",
    "applications:\n- name: a\n  random-route: true\n  host: b\n",
    "applications:\n- name: a\n  env:\n    A: [1, 2]\n",
    "applications:\n- name: a\n  instances: -2\n",
    "applications:\n- name: a\n  health-check-type: http\n",
    "applications:\n- name: a\n  services:\n  - {name: x}\n",
    "applications:\n- name: a\n  hosts: b\n",
    "applications:\n- name: a\n  memory: 1G\nfoo: [\n",
    "applications:\n- name: a\n  command: 'unterminated\n",
    "applications:\n- name: a\n  memory: 1 G\n",
]


def manifest_cases() -> list[tuple[str, list[str], str]]:
    """Broken manifests pushed as ``cf push`` and ``cf push a`` (``@manifest`` cases)."""
    out = []
    for text in MANIFESTS:
        out.append(("full", ["@manifest", text], ""))
        out.append(("full", ["@manifest", text, "a"], ""))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("meta", "golden"))
    parser.add_argument("--oracle", default=os.environ.get("CF_ORACLE") or shutil.which("cf"))
    opts = parser.parse_args()
    if not opts.oracle or not Path(opts.oracle).is_file():
        parser.error("no oracle: give --oracle PATH/TO/cf (the real cf CLI v6.16.1)")
    version = subprocess.run([opts.oracle, "-v"], capture_output=True, text=True).stdout
    if "6.16.1" not in version:
        parser.error(f"{opts.oracle} is not cf v6.16.1: {version.strip()}")
    oracle = Oracle(opts.oracle, states())
    try:
        cmd_meta(oracle) if opts.what == "meta" else cmd_golden(oracle)
    finally:
        oracle.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
