"""The built-in checks declared in YAML: exit code, output regex, similar output, command, HTTP.

Each is one function ``(spec, context) -> Verdict`` for a single attempt; the runner adds
retries, timing and the result object. They never raise: a broken pattern, a command that
cannot start or a dead proxy is an ``error`` verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from workshop.checking.process import run_process
from workshop.checking.result import CheckContext
from workshop.checking.scripts import Verdict, run_script, run_verify_sh
from workshop.checking.similar import compare
from workshop.checking.text import bounded, clean_output, for_matching
from workshop.content.model import CheckSpec

MAX_BODY = 256 * 1024
"""Bytes of an HTTP body read by an ``http`` check."""


def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.MULTILINE)
    except (re.error, RecursionError, OverflowError, TypeError):
        return None


def check_exit_code(spec: CheckSpec, context: CheckContext) -> Verdict:
    """The last command exited with ``params['code']`` (default 0)."""
    want = int(spec.params.get("code", 0))
    got = context.exit_code
    if got is None:
        return Verdict("fail", spec.message or "no command has run yet", None, "")
    if got == want:
        return Verdict("pass", f"exit status {got}", None, "")
    reason = spec.message or f"the command exited with status {got}, expected {want}"
    return Verdict("fail", reason, _tail(context.output), "")


def check_output_matches(spec: CheckSpec, context: CheckContext) -> Verdict:
    """The last command's output matches ``params['pattern']`` (multiline; ANSI and trailing
    blanks of each line removed first)."""
    pattern = str(spec.params.get("pattern", ""))
    regex = _compile(pattern)
    if regex is None:
        return Verdict("error", f"not a valid regular expression: {pattern!r}", None, "")
    text = for_matching(context.output)
    if regex.search(text):
        return Verdict("pass", f"output matches {pattern!r}", None, "")
    reason = spec.message or f"the output does not match {pattern!r}"
    return Verdict("fail", reason, _tail(text), "")


def check_output_similar(spec: CheckSpec, context: CheckContext) -> Verdict:
    """The last command's output looks like the step's expected block (see ``similar``)."""
    expected = spec.params.get("expected", context.expected_output)
    if not expected:
        return Verdict(
            "error", "output_similar check, but the step shows no expected output", None, ""
        )
    threshold = float(spec.params.get("threshold", 0.8))
    verdict = compare(str(expected), context.output, threshold)
    figures = f"score {verdict.score:.2f}, ratio {verdict.ratio:.2f}"
    if verdict.similar:
        return Verdict("pass", f"output similar to the lesson's ({figures})", None, "")
    reason = spec.message or f"the output is not what the lesson shows: {verdict.reason}"
    hint = None if spec.message is None else verdict.reason
    return Verdict("fail", reason, hint, figures)


def check_command(spec: CheckSpec, context: CheckContext) -> Verdict:
    """Run ``params['command']`` with the shell's env and cwd; its output must match / exit.

    Within one ``run_checks`` the same line runs once and its outcome is shared.
    """
    command = str(spec.params.get("command", ""))
    pattern = spec.params.get("matches")
    want_code = spec.params.get("exit_code")
    if pattern is None and want_code is None:
        want_code = 0
    regex = _compile(str(pattern)) if pattern is not None else None
    if pattern is not None and regex is None:
        return Verdict("error", f"not a valid regular expression: {pattern!r}", None, "")
    env = context.base_env()
    env.update({k: str(v) for k, v in context.variables.items()})
    env.setdefault("WORKSHOP_MODE", context.mode)
    if context.command_runs is not None:
        outcome = context.command_runs.run(
            command, env=env, cwd=context.work_dir(), timeout=spec.timeout
        )
    else:
        outcome = run_process(
            ["bash", "-c", command], env=env, cwd=context.work_dir(), timeout=spec.timeout
        )
    if outcome.start_error:
        return Verdict("error", f"could not run '{command}' ({outcome.start_error})", None, "")
    if outcome.timed_out:
        return Verdict("error", f"'{command}' timed out after {spec.timeout:g} s", None, "")
    text = for_matching(outcome.stdout + outcome.stderr)
    log = bounded(text, 16 * 1024)
    code = outcome.returncode
    missing = _not_found(outcome.stderr) if code == 127 and want_code != 127 else None
    if missing:  # the check itself is broken (a typo, a tool not installed), not the step
        return Verdict("error", f"'{command}' could not run: {missing}", None, log)
    if want_code is not None and code != int(want_code):
        reason = spec.message or f"'{command}' exited with status {code}, expected {want_code}"
        return Verdict("fail", reason, _tail(text), log)
    if regex is not None and not regex.search(text):
        reason = spec.message or f"'{command}' does not show {pattern!r}"
        return Verdict("fail", reason, _tail(text), log)
    return Verdict("pass", f"'{command}' as expected", None, log)


def _not_found(stderr: str) -> str | None:
    """bash's "NAME: command not found" in ``stderr``, without its ``bash: line 1:``."""
    for line in stderr.splitlines():
        if line.endswith(": command not found"):
            return line.split(": ", 2)[-1] if line.startswith("bash: line") else line
    return None


def _bypass(host: str, no_proxy: list[str]) -> bool:
    host = host.lower()
    return any(rule == "*" or host == rule or host.endswith("." + rule) for rule in no_proxy)


def check_http(spec: CheckSpec, context: CheckContext) -> Verdict:
    """GET ``params['url']`` (through the shell's proxy: the mock router in mock mode)."""
    import urllib.error  # here: urllib.request costs the session's start ~10 ms
    import urllib.parse
    import urllib.request

    url = str(spec.params.get("url", ""))
    want_status = int(spec.params.get("status", 200))
    pattern = spec.params.get("body_matches")
    regex = _compile(str(pattern)) if pattern is not None else None
    if pattern is not None and regex is None:
        return Verdict("error", f"not a valid regular expression: {pattern!r}", None, "")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return Verdict("error", f"not an http(s) URL: {url!r}", None, "")
    proxy = context.proxy_for(url)
    if proxy and _bypass(parsed.hostname, context.no_proxy()):
        proxy = None
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({parsed.scheme: proxy} if proxy else {})
    )
    request = urllib.request.Request(url, headers={"User-Agent": "workshop-check"})
    try:
        with opener.open(request, timeout=spec.timeout) as response:
            status, body = response.status, response.read(MAX_BODY)
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read(MAX_BODY) if exc.fp else b""
    except TimeoutError:
        return Verdict("error", f"GET {url} timed out after {spec.timeout:g} s", None, "")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        why = getattr(exc, "reason", exc)
        if isinstance(why, TimeoutError):
            return Verdict("error", f"GET {url} timed out after {spec.timeout:g} s", None, "")
        if proxy:
            return Verdict("error", f"GET {url} via proxy {proxy} failed: {why}", None, "")
        reason = spec.message or f"could not reach {url}: {why}"
        return Verdict("fail", reason, None, "")
    text = body.decode("utf-8", errors="replace")
    log = bounded(text, 16 * 1024)
    if status != want_status:
        reason = spec.message or f"GET {url} answered {status}, expected {want_status}"
        return Verdict("fail", reason, _tail(text), log)
    if regex is not None and not regex.search(text):
        said = _tail(text, 1)
        answered = f"answered {said!r}" if said is not None else "answered with an empty body"
        reason = spec.message or f"GET {url} {answered}, expected {pattern!r}"
        return Verdict("fail", reason, None, log)
    return Verdict("pass", f"GET {url} answered {status}", None, log)


def _tail(text: str, lines: int = 5) -> str | None:
    """The last few non-blank lines of ``text`` (None when there are none)."""
    kept = [line.rstrip() for line in clean_output(text).splitlines() if line.strip()][-lines:]
    return "\n".join(kept) if kept else None


CHECKS: dict[str, Callable[[CheckSpec, CheckContext], Verdict]] = {
    "exit_code": check_exit_code,
    "output_matches": check_output_matches,
    "output_similar": check_output_similar,
    "command": check_command,
    "http": check_http,
    "script": run_script,
    "verify_sh": run_verify_sh,
}
"""Every check kind and the function that runs one attempt of it."""
