"""``workshop test``: content CI for any workshop, headless, each lesson in its own sandbox.

For every step of every lesson: the step's checks must fail before the step, then its solve
(its ``test_commands``, else its commands) runs through a real ``ShellSession``, then its
checks must pass (:mod:`workshop.engine.selfstep`). A check that passes before the step
proves nothing; one that fails after it is broken (or the mock is).

Mode: the offline mock when the workshop names mock tools (``mock: {tools: [...]}``) and
``live`` is not asked for; else live, with the real programs. Either way each lesson runs
in a sandbox of its own (:mod:`workshop.engine.sandbox`: a temporary work folder and
``HOME``). A lesson with a ``start:`` begins from it; one without begins where the solves
of the lessons before it leave a sandbox: those solves run once per run, in order, and
each lesson's end state is kept as a snapshot for the lessons after it. A classic numbered unit's
first lesson begins where the numbered units before it in its folder leave the learner
(their solves, one unit after the other). Lessons run in
parallel on ``jobs`` threads (each drives its own bash and programs); the report keeps the
workshop's order whatever finishes first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shlex
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlsplit

from workshop.checking.result import CheckContext
from workshop.content.classic_units import earlier_units
from workshop.content.model import Action, Lesson, Step, Workshop
from workshop.engine.answers import PromptAnswerer, answers_for
from workshop.engine.evaluate import evaluate_prerequisites
from workshop.engine.lifecycle import piece_lines, rendered_action, solve_lines
from workshop.engine.sandbox import Sandbox, Snapshot, open_sandbox, take_snapshot
from workshop.engine.selfstep import (
    INFRASTRUCTURE,
    StepOutcome,
    evaluate,
    missing_programs,
    needs_outcome,
    public_outcome,
    quiz_outcome,
    run_step_protocol,
)
from workshop.engine.shell_templates import ShellTemplates
from workshop.engine.solutions import PageSolution, Solutions, solved_step
from workshop.engine.steps import rendered_step, shown_values, template_values
from workshop.shell import ShellSession
from workshop.shell.errors import ShellError

__all__ = ["DEFAULT_TIMEOUT", "SelfTestReport", "StepOutcome", "default_jobs", "run_selftest"]


@dataclass
class SelfTestReport:
    """Every step's outcome, in the workshop's order."""

    outcomes: list[StepOutcome] = field(default_factory=list)
    seconds: float = 0.0
    mode: Literal["mock", "live"] = "mock"
    tools: tuple[str, ...] = ()
    """The programs the mock provided (none in live mode)."""
    jobs: int = 1

    @property
    def ok(self) -> bool:
        """True when every step is ok."""
        return all(outcome.ok for outcome in self.outcomes)

    @property
    def only_untested(self) -> bool:
        """True when no step failed, but some could not be tested (``StepOutcome.needs``)."""
        return any(o.needs for o in self.outcomes) and all(o.ok or o.needs for o in self.outcomes)


class ProtocolWatcher(Protocol):
    """Hears where the protocol is, in the lessons' own sandboxes (``workshop record``)."""

    def watch(self, lesson: Lesson, env: dict[str, str]) -> None:
        """Adjust the environment of ``lesson``'s sandbox (its shell and checks) before it
        starts (the sandboxes that only compute a lesson's end state are not watched)."""

    def at(self, lesson: Lesson, step_id: str, phase: str) -> None:
        """The protocol is now in ``phase`` of ``step_id`` ('' and ``setup``: the lesson's
        setup)."""


CONTENT_PROBLEM = "content problem"
"""How a reason that blames the content, not the runner, starts."""

TAIL_SECONDS = 3.0
"""How long ``workshop test`` watches a command that tails logs before its Ctrl-C, unless
``WORKSHOP_TEST_TAIL_SECONDS`` says otherwise (:func:`tail_seconds`)."""


def tail_seconds() -> float:
    """How long to watch a tailing command: ``WORKSHOP_TEST_TAIL_SECONDS`` when it holds a
    positive number (a content CI that knows its pages' streams are short, or this
    project's own tests, which watch them for less), else :data:`TAIL_SECONDS`."""
    try:
        seconds = float(os.environ.get("WORKSHOP_TEST_TAIL_SECONDS", ""))
    except ValueError:
        return TAIL_SECONDS
    return seconds if 0 < seconds < float("inf") else TAIL_SECONDS


DEFAULT_TIMEOUT = 60.0
"""How long a step's command may run in ``workshop test`` before the step fails."""


def default_jobs() -> int:
    """How many lessons run at once by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_selftest(
    workshop: Workshop,
    lesson_ids: list[str] | None = None,
    on_step: Callable[[StepOutcome], None] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    jobs: int | None = None,
    live: bool = False,
    watcher: ProtocolWatcher | None = None,
    solutions: Solutions | None = None,
) -> SelfTestReport:
    """Run the before/after protocol over the chosen lessons (all by default).

    A command that runs longer than ``timeout`` seconds is interrupted (Ctrl-C) and fails
    its step; the other steps still run. ``jobs``: lessons tested at once (default
    :func:`default_jobs`). ``live``: the real programs even when the workshop has mock
    tools. ``on_step`` gets each outcome in the workshop's order. ``watcher`` hears where
    the protocol is (``workshop record``). ``solutions``: what to type where the pages
    leave it to the learner (``--solutions``, see :mod:`workshop.engine.solutions`)."""
    started = time.monotonic()
    chosen = [workshop.lesson(i) for i in lesson_ids] if lesson_ids else list(workshop.lessons)
    indices = [workshop.lessons.index(lesson) for lesson in chosen]
    jobs = max(1, jobs if jobs is not None else default_jobs())
    with tempfile.TemporaryDirectory(prefix="workshop-test-") as scratch:
        run = _Run(workshop, live, timeout, Path(scratch), watcher, solutions=solutions)
        report = SelfTestReport(mode=run.mode, tools=run.tools, jobs=jobs)
        workers = min(jobs, len(indices)) or 1
        with ThreadPoolExecutor(workers, thread_name_prefix="workshop-test") as pool:
            futures = [pool.submit(run.test_lesson, index) for index in indices]
            try:
                for future in futures:
                    for outcome in future.result():
                        report.outcomes.append(outcome)
                        if on_step:
                            on_step(outcome)
            except KeyboardInterrupt:  # Ctrl-C: lessons not begun never start, the others
                run.stop()  # stop at their next step (their sandboxes cleaned up)
                pool.shutdown(cancel_futures=True)
                raise
    report.seconds = time.monotonic() - started
    return report


class _Run:
    """One ``workshop test`` run: its mode, its scratch folder, the lessons' end states."""

    def __init__(
        self,
        workshop: Workshop,
        live: bool,
        timeout: float,
        scratch: Path,
        watcher: ProtocolWatcher | None = None,
        start: Snapshot | None = None,
        chained: bool = True,
        solutions: Solutions | None = None,
    ) -> None:
        from workshop.engine.mockshell import mocked_programs

        self.workshop = workshop
        self.watcher = watcher
        self.tools = () if live else mocked_programs(workshop)
        self.mode: Literal["mock", "live"] = "mock" if self.tools else "live"
        # the original platform's units drive real infrastructure besides cf: offline a step
        # that runs one of those programs is not tested, whatever this machine has
        self._live_only = INFRASTRUCTURE if workshop.classic and self.mode == "mock" else ()
        self.values = template_values(workshop, live=self.mode == "live")
        self._own = set(template_values(workshop, live=self.mode == "live", environ={}))
        self._shell_templates = ShellTemplates()
        self.variables = {k: self.values[k] for k in workshop.variables if k in self.values}
        self.timeout = timeout
        self.scratch = scratch
        self._ends: dict[int, Snapshot] = {}
        self._answerers: dict[int, PromptAnswerer] = {}
        self._locks = [threading.Lock() for _ in workshop.lessons]
        self._live = live
        self._solutions = solutions
        self._start = start
        self._chained = chained and workshop.classic
        self._unit_lock = threading.Lock()
        self.stopping = threading.Event()
        """Set on Ctrl-C: every lesson under way stops before its next step."""
        self._shells: list[ShellSession] = []
        """The lessons' shells, for :meth:`stop` to interrupt their commands."""
        self._shells_lock = threading.Lock()

    def stop(self) -> None:
        """Ctrl-C (or SIGTERM): every lesson under way stops before its next step, and the
        command each one runs now is interrupted (as a person's Ctrl-C would), so that the
        run ends at once instead of after the longest command under way."""
        self.stopping.set()
        with self._shells_lock:
            shells = [shell for shell in self._shells if shell.alive]
        for shell in shells:
            with contextlib.suppress(Exception):  # it may close meanwhile: nothing to stop
                shell.interrupt()

    # -- starting states ------------------------------------------------------------------

    def start_of(self, index: int) -> Snapshot | None:
        """What lesson ``index`` starts from: None for its declared start; for the first
        lesson, where the units before it leave the learner (a classic numbered unit), else
        an empty sandbox (None); else the end state of the lesson before it."""
        if self.workshop.lessons[index].start is not None:
            return None
        if index == 0:
            return self._unit_start()
        return self.end_of(index - 1)

    def _unit_start(self) -> Snapshot | None:
        """Where the numbered units before this classic unit in its folder leave the
        learner: their lessons' solves, one unit after the other (computed once per run)."""
        with self._unit_lock:
            if self._start is None and self._chained:
                self._chained = False
                self._start = self._solve_units(earlier_units(self.workshop.root))
            return self._start

    def _solve_units(self, units: list[Path]) -> Snapshot | None:
        from workshop.content import ContentError, load_workshop

        snapshot: Snapshot | None = None
        for n, unit in enumerate(units):
            try:
                earlier = load_workshop(unit, strict=False)
            except ContentError as exc:
                problem = f"the unit before it, {unit.name}, does not load: {exc}"
                return dataclasses.replace(snapshot, problem=problem) if snapshot else None
            if not earlier.lessons:
                continue
            folder = self.scratch / f"unit-{n}"
            folder.mkdir()
            run = _Run(
                earlier,
                self._live,
                self.timeout,
                folder,
                start=snapshot,
                chained=False,
                solutions=self._solutions,
            )
            end = run.end_of(len(earlier.lessons) - 1)
            problem = end.problem
            if problem.startswith(f"{CONTENT_PROBLEM}: "):  # its pages ask for more
                problem = f"{CONTENT_PROBLEM} in unit {unit.name}: {problem.split(': ', 1)[1]}"
            elif problem and not problem.startswith(("in unit ", f"{CONTENT_PROBLEM} in unit")):
                problem = f"in unit {unit.name}: {problem}"
            snapshot = dataclasses.replace(end, problem=problem)
        return snapshot

    def end_of(self, index: int) -> Snapshot:
        """The sandbox as lesson ``index``'s solves leave it, from its own start (computed
        once per run; a thread that asks while another computes it waits for it)."""
        with self._locks[index]:
            if index not in self._ends:
                self._ends[index] = self._solve(index)
            return self._ends[index]

    def _solve(self, index: int) -> Snapshot:
        lesson = self.workshop.lessons[index]
        sandbox = self._sandbox(f"solve-{index}", lesson, self.start_of(index))
        problem = sandbox.problem
        shell = self._shell(sandbox)
        try:
            problem = problem or self._lesson_piece(shell, lesson.setup, lesson, "setup")
            for step in lesson.steps:
                if self.stopping.is_set():
                    break
                if step.kind in ("read", "quiz"):
                    continue
                step = self._rendered(step, shell, lesson)
                needed = solve_lines(step, self.workshop)
                if missing_programs(needed, shell.env or sandbox.env, self._live_only):
                    continue  # as in its test: a step this machine cannot run is left out
                lines = piece_lines(step.setup, self.workshop)
                lines += solve_lines(step, self.workshop) + piece_lines(step.cleanup, self.workshop)
                for command in lines:
                    if not shell.alive:
                        shell.close()
                        shell = self._shell(sandbox)
                    try:
                        with self._answering(shell, lesson):
                            shell.run(command, timeout=self.timeout)
                    except ShellError as exc:
                        problem = problem or f"`{command}` in lesson {lesson.id}: {exc}"
                        shell.interrupt()
                        shell.wait_idle(5)
            problem = problem or self._lesson_piece(shell, lesson.cleanup, lesson, "cleanup")
            asks = self._asks(lesson)
            if not problem and asks and not self._page_checks_pass(lesson, shell, sandbox):
                problem = f"{CONTENT_PROBLEM}: {'; '.join(asks)}"  # its page asks for more
            env, cwd = shell.env, shell.cwd
        finally:
            shell.close()
        snapshot = take_snapshot(sandbox, env, cwd, self.scratch / f"end-{index}", problem)
        shutil.rmtree(sandbox.root, ignore_errors=True)
        return snapshot

    # -- a lesson's test ------------------------------------------------------------------

    def test_lesson(self, index: int) -> list[StepOutcome]:
        """Every step's outcome for lesson ``index``, in its own sandbox."""
        lesson = self.workshop.lessons[index]
        if all(step.kind in ("read", "quiz") for step in lesson.steps):  # no sandbox needed
            return [
                quiz_outcome(lesson.id, step)
                if step.kind == "quiz"
                else StepOutcome(lesson.id, step.id, True, "-", "read")
                for step in lesson.steps
            ]
        try:
            sandbox = self._sandbox(f"lesson-{index}", lesson, self.start_of(index))
        except (ShellError, OSError) as exc:
            return self._all_failed(lesson, f"its sandbox could not be set up: {exc}")
        if self.watcher is not None:
            self.watcher.watch(lesson, sandbox.env)
            self.watcher.at(lesson, "", "setup")
        try:
            shell = self._shell(sandbox)
        except ShellError as exc:
            sandbox.close()
            return self._all_failed(lesson, f"its shell could not start: {exc}")
        outcomes = []
        missing = self._prerequisites_missing(shell, sandbox)
        if missing:  # a prerequisite runs a program this machine lacks: not tested here
            shell.close()
            sandbox.close()
            shutil.rmtree(sandbox.root, ignore_errors=True)
            return [
                quiz_outcome(lesson.id, step)
                if step.kind == "quiz"
                else StepOutcome(lesson.id, step.id, True, "-", "read")
                if step.kind == "read"
                else needs_outcome(lesson.id, step.id, missing)
                for step in lesson.steps
            ]
        try:
            broken = self._prerequisites(shell, sandbox)
            broken = broken or self._lesson_piece(shell, lesson.setup, lesson, "setup")
            if broken:
                if sandbox.problem:
                    broken += f" (its starting state is incomplete: {sandbox.problem})"
                return self._all_failed(lesson, broken)
            page_before = self._page_before(lesson, shell, sandbox)
            passed_at = ""  # the step after which the page's verify script passed
            for step in lesson.steps:
                if self.stopping.is_set():
                    break
                if not shell.alive:  # a step ended the shell (`exit`): the next ones get a new one
                    shell.close()
                    shell = self._shell(sandbox)
                view = self._rendered(step, shell, lesson)
                missing = missing_programs(
                    solve_lines(view, self.workshop), shell.env or sandbox.env, self._live_only
                )
                if missing:
                    outcomes.append(needs_outcome(lesson.id, step.id, missing))
                    continue
                public = self._public_site(view, shell.env or sandbox.env)
                if public:
                    outcomes.append(public_outcome(lesson.id, step.id, public))
                    continue
                with self._answering(shell, lesson):
                    before = page_before if step is lesson.steps[-1] else None
                    outcome = self._protocol(lesson, view, shell, sandbox, before)
                if page_before is not None and step is not lesson.steps[-1] and not passed_at:
                    passed_at = step.id if self._page_before(lesson, shell, sandbox) else ""
                if step is lesson.steps[-1] and passed_at and outcome.after == "fail":
                    outcome.content = True
                    outcome.reason = (
                        f"{CONTENT_PROBLEM}: the page's verify script passed after step"
                        f" {passed_at}, and the page's later commands undo what it checks"
                        f" (then: {outcome.reason})"
                    )
                asks = self._asks(lesson)
                if not outcome.ok and not outcome.content and asks:
                    outcome.content = True
                    outcome.reason = (
                        f"{CONTENT_PROBLEM}: {'; '.join(asks)} (then: {outcome.reason})"
                    )
                known = self._solution(lesson)
                if known is not None and known.content_problem and self._solutions is not None:
                    self._solutions.used(known)
                if not outcome.ok and not outcome.content and known and known.content_problem:
                    outcome.content = True  # the solutions file names the page's own fault
                    outcome.reason = (
                        f"{CONTENT_PROBLEM} (solutions file, {known.key!r}):"
                        f" {known.content_problem} (then: {outcome.reason})"
                    )
                if not outcome.ok and sandbox.problem:
                    outcome.reason += f" (its starting state is incomplete: {sandbox.problem})"
                outcomes.append(outcome)
        finally:
            shell.close()
            sandbox.close()
            shutil.rmtree(sandbox.root, ignore_errors=True)
        return outcomes

    def _public_site(self, step: Step, env: dict[str, str]) -> str:
        """The host of a URL step that opens a public site, or of a cf command that downloads
        from one (a plugin from its repository), which an offline mock cannot serve ('' for
        any other step, and in live mode)."""
        if self.mode != "mock":
            return ""
        if step.kind == "command" and "cf" in self.tools:
            from workshop.mock.cf.commands_offline import public_host

            for command in step.test_commands or step.commands:
                try:
                    host = public_host(shlex.split(command))
                except ValueError:
                    continue
                if host:
                    return host
        if step.kind != "url" or not step.url:
            return ""
        host = (urlsplit(step.url).hostname or "").lower()
        domain = env.get("CF_DOMAIN", "").lower()
        if not host or host in ("localhost", "127.0.0.1", "::1"):
            return ""
        if domain and (host == domain or host.endswith("." + domain)):
            return ""
        return host

    def _prerequisites_missing(self, shell: ShellSession, sandbox: Sandbox) -> tuple[str, ...]:
        """The programs the workshop's prerequisite scripts run that this machine (or, for
        infrastructure such as ``bosh``, the offline mock) lacks."""
        from workshop.checking.scripts import verify_commands

        commands = [
            command
            for spec in self.workshop.prerequisites
            if spec.kind == "verify_sh"
            for command in verify_commands(Path(str(spec.params.get("path", ""))))
        ]
        return missing_programs(commands, shell.env or sandbox.env, self._live_only)

    def _prerequisites(self, shell: ShellSession, sandbox: Sandbox) -> str:
        """Why the workshop's prerequisites fail in this sandbox ("" when they pass)."""
        if not self.workshop.prerequisites:
            return ""
        context = CheckContext(
            env=shell.env or sandbox.env,
            cwd=shell.cwd or sandbox.cwd,
            variables=self.variables,
            mode=self.mode,
        )
        why = evaluate_prerequisites(self.workshop.prerequisites, context)
        return f"a prerequisite is not met: {why}" if why else ""

    def _lesson_piece(
        self, shell: ShellSession, action: Action | None, lesson: Lesson, name: str
    ) -> str:
        """Run a lesson's ``setup`` or ``cleanup``; what went wrong ("" when nothing did)."""
        piece = rendered_action(action, shown_values(self.values, self._own, shell.env))
        for line in piece_lines(piece, self.workshop):
            try:
                with self._answering(shell, lesson):
                    done = shell.run(line, timeout=self.timeout)
            except ShellError as exc:
                return f"the {name} of lesson {lesson.id} (`{line}`) failed: {exc}"
            if done.exit_code != 0:
                return f"the {name} of lesson {lesson.id} (`{line}`) exited {done.exit_code}"
        return ""

    def _rendered(self, step: Step, shell: ShellSession, lesson: Lesson | None = None) -> Step:
        """``step`` as a learner's session would show it in that shell (the classic
        layout's shell templates run where it stands), with what the solutions file says to
        type on ``lesson``'s page."""
        values = shown_values(self.values, self._own, shell.env)
        if not self.workshop.classic:
            view = self._watched(rendered_step(step, values))
        else:
            run = self._shell_templates.runner(shell.env, shell.cwd)
            view = self._watched(rendered_step(step, values, "", run))
        solution = self._solution(lesson)
        if solution is None or lesson is None:
            return view
        solved = solved_step(view, lesson, solution, solve_lines(view, self.workshop))
        if solved is not view and self._solutions is not None:
            self._solutions.used(solution)
        return solved

    def _solution(self, lesson: Lesson | None) -> PageSolution | None:
        """What the solutions file says for ``lesson``'s page, if anything."""
        if self._solutions is None or lesson is None:
            return None
        return self._solutions.for_page(lesson.file)

    def _asks(self, lesson: Lesson) -> list[str]:
        """What the lesson's page asks for that none of its commands does; nothing when the
        solutions file says what to type on it (a failure is then the solution's), or
        names the page's own fault."""
        solution = self._solution(lesson)
        acting = any(step.kind not in ("read", "quiz") for step in lesson.steps)
        if solution is not None and (acting or solution.content_problem):
            return []
        return list(lesson.settings.get("asks") or [])

    def _watched(self, step: Step) -> Step:
        """``step`` with the mock's ``cf logs APP`` (which tails until Ctrl-C) watched for
        :func:`tail_seconds` and then interrupted, as a learner does, when the step has no
        solve or test commands of its own."""
        if "cf" not in self.tools or step.solve is not None or step.test_commands:
            return step
        from workshop.mock.cf.commands_logs import tails

        seconds = f"{tail_seconds():g}"

        def watched(command: str) -> str:
            try:
                words = shlex.split(command)
            except ValueError:
                return command
            if not tails(words):
                return command
            return f"timeout -s INT {seconds} {command} || test $? = 124"

        commands = [watched(command) for command in step.commands]
        if commands == step.commands:
            return step
        return dataclasses.replace(step, test_commands=commands)

    def _all_failed(self, lesson: Lesson, reason: str) -> list[StepOutcome]:
        return [StepOutcome(lesson.id, s.id, False, "-", "error", reason) for s in lesson.steps]

    def _sandbox(self, name: str, lesson: Lesson, start: Snapshot | None) -> Sandbox:
        root = self.scratch / name
        root.mkdir()
        return open_sandbox(self.workshop, lesson, root, self.values, self.tools, start)

    def _shell(self, sandbox: Sandbox) -> ShellSession:
        holder: list[ShellSession] = []
        answerer = PromptAnswerer(lambda data: holder[0].write(data))
        shell = ShellSession(
            env=sandbox.env,
            cwd=sandbox.cwd,
            init_commands=sandbox.init_commands,
            on_output=answerer.feed,
        )
        holder.append(shell)
        self._answerers[id(shell)] = answerer
        shell.start()
        with self._shells_lock:
            self._shells = [kept for kept in self._shells if kept.alive] + [shell]
        return shell

    def _page_checks_pass(self, lesson: Lesson, shell: ShellSession, sandbox: Sandbox) -> bool:
        """Whether the checks of the lesson's last step (a classic page's verify script) pass
        now, once; False when it has none (what its page asked for cannot be known done)."""
        last = lesson.steps[-1] if lesson.steps else None
        if last is None or not last.checks:
            return False
        return self._checks_pass_once(last, shell, sandbox)

    def _checks_pass_once(self, step: Step, shell: ShellSession, sandbox: Sandbox) -> bool:
        """Whether ``step``'s checks pass now, each tried once (no retries)."""
        view = self._rendered(step, shell)
        once = dataclasses.replace(
            view, checks=[dataclasses.replace(c, retries=0) for c in view.checks]
        )
        passed, _ = evaluate(
            once, shell.env or sandbox.env, sandbox.cwd, self.mode, self.variables, None
        )
        return passed

    def _page_before(self, lesson: Lesson, shell: ShellSession, sandbox: Sandbox) -> bool | None:
        """For a classic page of several steps whose verify script is its last step's check:
        whether that script passes now (before the page's first step: the page is what it
        checks; after an earlier step: a later one must not undo it); None for any other
        lesson."""
        last = lesson.steps[-1] if lesson.steps else None
        if not self.workshop.classic or last is None or len(lesson.steps) < 2:
            return None
        if not any(spec.kind == "verify_sh" for spec in last.checks):
            return None
        return self._checks_pass_once(last, shell, sandbox)

    def _protocol(
        self,
        lesson: Lesson,
        view: Step,
        shell: ShellSession,
        sandbox: Sandbox,
        before: bool | None = None,
    ) -> StepOutcome:
        """The before/after protocol of ``view`` (rendered) in ``shell`` (``before``: what
        its checks said at the start of its page, see :meth:`_page_before`)."""
        watcher = self.watcher
        return run_step_protocol(
            lesson.id,
            view,
            shell,
            sandbox.env,
            sandbox.cwd,
            self.mode,
            self.variables,
            self.timeout,
            solve=solve_lines(view, self.workshop),
            setup=piece_lines(view.setup, self.workshop),
            cleanup=piece_lines(view.cleanup, self.workshop),
            on_phase=(lambda phase: watcher.at(lesson, view.id, phase)) if watcher else None,
            before=before,
            weak_before=self.workshop.classic,
        )

    def _answering(self, shell: ShellSession, lesson: Lesson) -> AbstractContextManager[object]:
        """Prompts met while solving get the workshop's answers (``answers:``)."""
        values = shown_values(self.values, self._own, shell.env)
        answers = answers_for(self.workshop, lesson, values, "cf" in self.tools)
        return self._answerers[id(shell)].active(answers)


def format_table(report: SelfTestReport) -> str:
    """A readable table of the outcomes; for each failing step its reason, the command that
    failed with its exit code and last output lines; and a closing line."""
    rows = [("lesson", "step", "before", "after", "result", "seconds")]
    for o in report.outcomes:
        rows.append(
            (
                o.lesson_id,
                o.step_id,
                o.before,
                o.after,
                "ok" if o.ok else ("NEEDS" if o.needs else ("CONTENT" if o.content else "FAIL")),
                f"{o.seconds:.2f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    failed = [o for o in report.outcomes if not o.ok and not o.needs]
    untested = [o for o in report.outcomes if o.needs]
    for o in untested:
        lines.append(f"NEEDS {o.lesson_id}/{o.step_id}: {o.reason}")
    warned = [o for o in report.outcomes if o.warning]
    for o in warned:
        lines.append(f"WARN {o.lesson_id}/{o.step_id}: content: {o.warning}")
    for o in failed:
        lines.append(f"{'CONTENT' if o.content else 'FAIL'} {o.lesson_id}/{o.step_id}: {o.reason}")
        if o.command:
            status = f"exit {o.exit_code}" if o.exit_code is not None else "did not finish"
            lines.append(f"  $ {o.command}   ({status})")
            lines.extend(f"  | {line}" for line in o.output.splitlines())
    passed = len(report.outcomes) - len(failed) - len(untested)
    where = f"mock: {', '.join(report.tools)}" if report.mode == "mock" else "live"
    closing = f"{passed} passed, {len(failed)} failed in {report.seconds:.1f}s ({where})"
    blamed = sum(1 for o in failed if o.content)
    if blamed:
        closing += f"; {blamed} of the failures are content problems (CONTENT)"
    if warned:
        closing += f"; {len(warned)} passed with a content warning (WARN)"
    if untested:
        programs = sorted({name for o in untested for name in o.needs})
        closing += f"; {len(untested)} not tested here: they need {', '.join(programs)}"
    lines.append(closing)
    return "\n".join(lines)
