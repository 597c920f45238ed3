"""The main screen: steps, the step's text, the check panel and the terminal, all at once.

It presents the learner's session (anything that is a
:class:`workshop.engine.ports.LearnerSessionPort`: the real ``LearnerSession`` or a test's fake) and turns keys into calls on it. Calls that touch the disk or the
shell's state (hints, jumps, resets, lesson switches) run in labelled thread workers;
results come back as the engine's events, through :mod:`workshop.tui.messages`.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from workshop.content.model import Step
from workshop.content.quiz import Question
from workshop.engine import events as ev
from workshop.engine.mockshell import mocked_programs
from workshop.engine.ports import LearnerSessionPort
from workshop.records import Record
from workshop.tui import messages as msg
from workshop.tui.bridge import EngineBridge, start_session
from workshop.tui.screens.asking import AskingActions
from workshop.tui.widgets.check_panel import CheckPanel
from workshop.tui.widgets.footer import LessonFooter
from workshop.tui.widgets.header import LessonHeader
from workshop.tui.widgets.lesson_pane import LessonPane
from workshop.tui.widgets.lesson_view import (
    LessonView,
    StepCommands,
    StepHeading,
    step_heading,
    step_markdown,
)
from workshop.tui.widgets.quiz_form import QuizForm
from workshop.tui.widgets.step_list import StepItem, StepList
from workshop.tui.widgets.terminal import TerminalView


class StepShown(Record):
    """What the screen shows of the current step (see ``LessonScreen._step_shown``)."""

    items: list[StepItem]
    heading: Text
    view: Step
    markdown: str
    titles: dict[str, str]
    ids: list[str]
    number: int


WAITING = "Run the command in the terminal below (F2 pastes it for you, then press Enter)."

QUIZ_WAITING = "Answer the question above: Enter answers, F5 reveals the answer, F11 skips it."

NARROW = 110
"""Below this many columns the step list is a rail and the footer keeps six keys."""


class LessonScreen(AskingActions):
    """Where the learner works: the lesson on top, their terminal below."""

    CSS_PATH = Path(__file__).with_name("lesson.tcss")

    AUTO_FOCUS = "#terminal"
    """The keyboard starts in the terminal: keys typed as the screen appears go to the shell
    (type-ahead), not to the lesson's one-letter keys."""

    BINDINGS = [
        Binding("f1", "app.help", "Help", priority=True),
        Binding("f2", "paste", "Paste", priority=True),
        Binding("f3", "check", "Check", priority=True),
        Binding("f4", "hint", "Hint", priority=True),
        Binding("f5", "solution", "Solution", priority=True),
        Binding("f6", "switch_focus", "Focus", priority=True),
        Binding("f7", "previous_step", "Prev", priority=True),
        Binding("f8", "next_step", "Next", priority=True),
        Binding("f9", "reset_step", "Reset", priority=True),
        Binding(
            "shift+f9,f21,ctrl+f9",  # terminals send Shift+F9 as F21
            "reset_lesson",
            "Reset lesson",
            show=False,
            priority=True,
            key_display="Shift+F9",
        ),
        Binding("f10", "lessons", "Lessons", priority=True),
        Binding("f11", "skip_step", "Skip", priority=True),
        Binding("ctrl+right_square_bracket", "switch_focus", "Focus", show=False, priority=True),
        Binding(
            "shift+f10,f22",  # terminals send Shift+F10 as F22 (F12 is the theme)
            "share_screen",
            "Share screen",
            show=False,
            priority=True,
            key_display="Shift+F10",
        ),
    ]
    """Function keys, so that every ``ctrl`` key still reaches the shell."""

    def __init__(
        self,
        session: LearnerSessionPort,
        bridge: EngineBridge | None = None,
        session_starting: bool = False,
        step_layout: str = "auto",
    ) -> None:
        super().__init__()
        self.step_layout = step_layout
        """The step list: ``auto`` (a rail below NARROW columns), ``rail`` or ``full``."""
        self.session_starting = session_starting
        """True when the caller already started the session on its own thread."""
        self.session = session
        """The learner's session this screen presents."""
        self.bridge = bridge or EngineBridge()
        """The session's listener (made here and installed when none was given)."""
        if bridge is None:
            session.listener = self.bridge
        self._connected = False
        self._keys: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._just_passed: str | None = None
        self._shell_ready = threading.Event()
        self._session_failed = False
        self._shell_gone = False
        self._shown: tuple[str, str] | None = None
        self._stopped = False
        """The last verdict was a prerequisite that is not met."""

    def compose(self) -> ComposeResult:
        """Header, steps | text + checks, terminal, footer. What is known already (the
        titles; the step, when the session has started it) is drawn in the first frame."""
        session = self.session
        header = LessonHeader(id="header")
        header.workshop_title = session.workshop.title
        header.lesson_title = session.lesson.title
        # a workshop that simulates no program runs the real ones (in a folder of its own)
        header.mode = "live" if session.live or not mocked_programs(session.workshop) else "mock"
        header.host_suffix = session.host_suffix
        yield header
        first = self._step_shown() if self.bridge.holds(ev.StepStarted) else None
        with LessonPane(id="top"):
            yield StepList(id="steps")
            with Vertical(id="lesson"):
                heading = StepHeading(id="step-heading")
                if first is not None:
                    heading.show(first.heading)
                yield heading
                yield LessonView(first.markdown if first else "", id="lesson-view")
                commands = StepCommands(id="step-commands")
                if first is not None:
                    commands.show(first.view)
                yield commands
                yield QuizForm(id="quiz")
                yield CheckPanel(WAITING, id="check")
        terminal = TerminalView(id="terminal")
        terminal.border_title = "Terminal"
        terminal.border_subtitle = "F6 or Ctrl+]: lesson ⇄ terminal"
        yield terminal
        yield LessonFooter()

    # --- the session's life --------------------------------------------------------------

    @property
    def terminal(self) -> TerminalView:
        """The terminal pane."""
        return self.query_one(TerminalView)

    def on_resize(self, event: events.Resize) -> None:
        """Narrow or wide: the step list's rail and the footer's keys follow the width."""
        self.lay_out()

    def lay_out(self) -> None:
        """Narrow (the footer's main keys) or wide; a rail of steps or their titles, as the
        learner's layout says (``auto``: a rail when narrow)."""
        narrow = self.app.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            footer = self.query_one(LessonFooter)
            footer.call_after_refresh(footer.recompose)
        layout = self.step_layout
        rail = layout == "rail" or (layout == "auto" and narrow)
        self.set_class(rail, "-rail")
        self.query_one(StepList).rail = rail

    async def on_mount(self) -> None:
        """Start the key pump; show the step when the session has started it already."""
        self.run_worker(
            self._pump_keys,
            thread=True,
            exit_on_error=False,
            group="keys",
            description="type keys into the shell",
        )
        if not self.has_class("-quiz"):  # a question shown already keeps the keyboard
            self.terminal.focus()
        if self.bridge.holds(ev.StepStarted):
            await self.show_step()
        if self.session_starting:
            # the shell runs already, at the size guessed for the pane: what it printed (the
            # prompt) is drawn in the first frame, not after the pane's first layout
            self._connect(self.session.rows, self.session.cols)

    @on(TerminalView.Typed)
    def _typed(self, event: TerminalView.Typed) -> None:
        self.type_into_shell(event.data)

    def type_into_shell(self, data: str) -> None:
        """Queue keystrokes for the shell (written in order by the key pump thread)."""
        self._keys.put(data)

    def _pump_keys(self) -> None:
        """Write queued keystrokes to the shell; a write may block while bash is busy.

        Keys typed while the shell is still starting wait for it (type-ahead)."""
        self._shell_ready.wait()
        while True:
            data = self._keys.get()
            if data is None:
                return
            if self._session_failed:
                continue  # no shell to type into; the screen already says why
            try:
                self.session.type_keys(data)
            except Exception as exc:  # the shell is gone or stuck: say so once, keep the UI
                if not self._shell_gone:
                    self._shell_gone = True
                    text = (
                        f"The terminal does not take keys any more ({exc}). Your progress is "
                        "saved: quit with Ctrl+Q and run `workshop run` again to go on."
                    )
                    self.post_message(msg.ProblemReported(ev.SessionProblem(text)))

    def on_unmount(self) -> None:
        """Stop the key pump."""
        self._keys.put(None)
        self._shell_ready.set()

    @on(TerminalView.Resized)
    def _resized(self, event: TerminalView.Resized) -> None:
        """The first size connects the session's output (and starts it unless it already
        started); every size goes to the PTY."""
        if not self._connected:
            self._connect(event.rows, event.cols)
            if not self.session_starting:
                self.session.rows, self.session.cols = event.rows, event.cols
                self._start_session()
                return
        self.session.resize(event.rows, event.cols)

    def _connect(self, rows: int, cols: int) -> None:
        """The session's output into the pane (``rows`` x ``cols``, the shell's size until
        the pane's own is known), its events to this screen."""
        self._connected = True
        terminal = self.terminal
        if terminal.model.size != (rows, cols):
            terminal.model.resize(rows, cols)
        self.bridge.connect(self.post_message, terminal.feed, terminal.hurry)
        self.session.pace_verdicts(terminal.wait_shown)

    def on_session_started(self, message: msg.SessionStarted) -> None:
        """The shell is up: release type-ahead, and make sure the PTY has the pane's size
        (the shell may have started before the pane was laid out)."""
        self._shell_ready.set()
        rows, cols = self.terminal.model.size
        if (rows, cols) != (self.session.rows, self.session.cols):
            self.session.resize(rows, cols)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="session",
        description="start session",
    )
    def _start_session(self) -> None:
        """Start bash and the mock (blocking: a thread), then say so."""
        start_session(self.session, self.bridge)

    def on_session_failed(self, message: msg.SessionFailed) -> None:
        """The shell or the mock could not start: say why in the check panel."""
        self._session_failed = True
        self._shell_ready.set()
        self.query_one(CheckPanel).show_failed(message.event.message, problem=True)
        self.notify(message.event.message, title="Could not start", severity="error", timeout=15)

    # --- engine events -------------------------------------------------------------------

    def _step_shown(self) -> StepShown:
        """What the screen shows of the current step."""
        session = self.session
        step = session.current_step
        view = session.step_view(step)
        titles = {s.id: session.step_title(s) for s in session.lesson.steps}
        items = [
            StepItem(s.id, titles[s.id], session.step_status(s.id), s.id == step.id)
            for s in session.lesson.steps
        ]
        ids = [s.id for s in session.lesson.steps]
        number = ids.index(step.id) + 1
        heading = step_heading(number, len(ids), titles[step.id])
        return StepShown(items, heading, view, step_markdown(view), titles, ids, number)

    async def show_step(self) -> None:
        """Redraw the header, step list, step text and check panel for the current step."""
        session = self.session
        step = session.current_step
        shown = self._step_shown()
        view, titles, ids, number = shown.view, shown.titles, shown.ids, shown.number
        self.query_one(LessonHeader).lesson_title = session.lesson.title
        self.query_one(StepList).show(shown.items)
        self.query_one(StepHeading).show(shown.heading)
        self.query_one(StepCommands).show(view)
        await self.query_one(LessonView).show(shown.markdown)
        await self._ask(view.question if view.kind == "quiz" else None)
        panel = self.query_one(CheckPanel)
        if (session.lesson.id, step.id) != self._shown:
            self._shown = (session.lesson.id, step.id)
            panel.forget_notes()  # hints shown stay until the learner is on another step
        just_passed, self._just_passed = self._just_passed, None
        if just_passed is not None and just_passed in titles and step.id != just_passed:
            done = ids.index(just_passed) + 1
            how = "skipped" if session.step_status(just_passed) == "skipped" else "passed"
            todo = {"url": "open the URL.", "quiz": "answer the question."}
            panel.show_passed(
                f"Step {done} {how} ({titles[just_passed]}). Step {number} is unlocked: "
                + todo.get(view.kind, "run its command below.")
            )
        elif session.step_status(step.id) in ("passed", "skipped"):
            panel.show_passed(self._done_text())
        else:
            panel.show_waiting(self._waiting_text())

    def _waiting_text(self) -> str:
        """What the panel says on the current step before any attempt: what to do."""
        view = self.session.step_view()
        if view.kind == "read":
            return "Read the text, then press F3 to mark it as done."
        if view.kind == "quiz":
            return QUIZ_WAITING
        if view.kind == "url":
            return f"Open {view.url} (curl it in the terminal)."
        if view.commands:
            done = self.session.commands_run()
            left = [c for i, c in enumerate(view.commands) if i not in done]
            shown = " then ".join(f"`{command}`" for command in left or view.commands)
            text = f"Run {shown} in the terminal below (F2 pastes it, you press Enter)."
            if done and left:
                text += f" {len(done)} of {len(view.commands)} commands done."
            return text
        return WAITING

    async def _ask(self, question: Question | None) -> None:
        """A quiz step: its form, with the keyboard (and more room for the lesson); after
        one, the keyboard goes back to the terminal."""
        form = self.query_one(QuizForm)
        asked = form.question
        await form.ask(question)
        self.set_class(question is not None, "-quiz")
        if question is not None and question != asked:
            # a new question takes the keyboard; redrawing the same one never moves it (the
            # learner may be typing the answer, or in the terminal on purpose)
            form.focus_first()
        elif question is None and asked is not None:
            self.terminal.focus()

    @on(QuizForm.Answered)
    def _answered(self, event: QuizForm.Answered) -> None:
        self.query_one(CheckPanel).show_pending("Checking your answer …")
        self._answer(event.answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="quiz", description="answer")
    def _answer(self, answer: str | list[str]) -> None:
        """Grade the answer (the engine emits QuizAnswered and the verdict)."""
        self.session.answer_quiz(answer)

    async def on_step_started(self, message: msg.StepStarted) -> None:
        """The learner is on a (new) step."""
        await self.show_step()

    def on_command_finished(self, message: msg.CommandFinished) -> None:
        """A command of the step's own ended: its checks are now running. Any other
        (``ls``, ``echo hi``, ``seq``) is no attempt and is not judged: the panel stays."""
        if not message.event.attempt:
            return
        result = message.event.result
        self.query_one(CheckPanel).show_pending(f"Checking `{result.command}` …")

    def on_check_completed(self, message: msg.CheckCompleted) -> None:
        """Show the verdict: pass, part-way, fail (reason, near miss, hint) or a broken check."""
        event = message.event
        panel = self.query_one(CheckPanel)
        if event.step_id != self.session.current_step.id and not event.passed:
            return
        if not event.quiet:  # a quiet round (exit, a step left) leaves the panel as it is
            self._stopped = event.prerequisite
        if event.prerequisite:
            panel.show_stopped(event.reason)
        elif event.review:
            panel.show_passed(self._done_text())
        elif event.passed:
            panel.show_passed("Step passed.")
        elif event.quiet:
            # not the step's own command (ls, clear, exit): not judged, so the panel keeps
            # what it said (a failure's reason, "1 of 2 commands done")
            return
        elif event.pending and event.hint:
            # part way, but a check its author wrote says something is off already (the
            # wrong space, the wrong folder): say it now, not after the last command
            panel.show_pending(f"{event.pending}, but: {event.reason}")
            panel.add_note("Hint", event.hint)
        elif event.pending:
            panel.show_pending(f"Good, {event.pending}. Run the next one.")
        else:
            panel.show_failed(
                event.reason, event.near_miss, event.hint, event.solution, problem=event.error
            )

    def on_step_unlocked(self, message: msg.StepUnlocked) -> None:
        """Remember which step passed: the next step's panel says so (no pop-up, which
        would stack up over a fast learner's work and hide the instructor's messages)."""
        self._just_passed = message.event.step_id

    def on_lesson_completed(self, message: msg.LessonCompleted) -> None:
        """Sum the lesson up on its own screen."""
        from workshop.tui.screens.complete import CompletionScreen

        summary = self.session.lesson_summary()
        self.run_worker(self.show_step(), exclusive=False)
        self.app.push_screen(CompletionScreen(summary), self._after_completion)

    def _after_completion(self, choice: str | None) -> None:
        if choice == "next":
            following = self.session.next_lesson_id()
            if following:
                self._switch_lesson(following)
        elif choice == "quit":
            self.app.exit()

    def on_hint_shown(self, message: msg.HintShown) -> None:
        """Add the hint (or solution) under the verdict."""
        label = "Solution" if message.event.solution else "Hint"
        text = message.event.text
        form = self.query_one(QuizForm)
        if message.event.solution and form.question is not None:
            label, text = "Answer", form.revealed()
        self.query_one(CheckPanel).add_note(label, text)

    def on_problem_reported(self, message: msg.ProblemReported) -> None:
        """Not the learner's fault: say it plainly."""
        self.notify(message.event.message, title="Problem", severity="error", timeout=8)

    def on_step_reset(self, message: msg.StepReset) -> None:
        """Say what the reset took back."""
        lost = message.event.lost_steps
        more = f" and {lost} passed step{'s' if lost != 1 else ''} to do again" if lost else ""
        self.notify(f"Step reset: the foundation is back where the step began{more}.", timeout=4)

    def on_shell_restarted(self, message: msg.ShellRestarted) -> None:
        """The learner's bash ended: a new one runs. The terminal says so, where it
        happened; a notice would cover the lesson's text for seconds."""
        self.run_worker(self.show_step(), exclusive=False)

    def on_notice_shown(self, message: msg.NoticeShown) -> None:
        """A one-line note (variables lost across a restart); prerequisites that pass now
        take their message off the check panel."""
        self.notify(message.event.text, timeout=10)
        if message.event.prerequisites_met and self._stopped:
            self._stopped = False
            self.query_one(CheckPanel).show_waiting(self._waiting_text())

    def on_broadcast_received(self, message: msg.BroadcastReceived) -> None:
        """A message from the instructor stays up for a while, and in the check panel, with
        the step's hints, until the step changes (a hint sent there was gone in seconds)."""
        self.notify(message.event.text, title="From the instructor", timeout=20)
        self.query_one(CheckPanel).add_note("From the instructor", message.event.text)

    def on_classroom_changed(self, message: msg.ClassroomChanged) -> None:
        """Show the classroom connection in the header."""
        self.query_one(LessonHeader).classroom = message.event.state

    def on_sharing_changed(self, message: msg.SharingChanged) -> None:
        """Keep a marker in the header for as long as the instructor can see the screen."""
        self.query_one(LessonHeader).sharing = message.event.sharing

    # --- actions -------------------------------------------------------------------------

    @on(StepList.StepChosen)
    def _step_chosen(self, event: StepList.StepChosen) -> None:
        """Show the chosen step and give the keyboard back to the terminal: a learner who
        clicked a step types their next command there."""
        self._go_to(event.step_id)
        self.terminal.focus()

    @on(LessonPane.TypedAway)
    def _typed_away(self, event: LessonPane.TypedAway) -> None:
        """A key typed in the lesson is for the shell."""
        self.terminal.focus()
        self.type_into_shell(event.character)

    def action_paste(self) -> None:
        """Type the step's next command into the terminal, without pressing Enter."""
        text = self.session.paste_command()
        if not text:
            self.notify("This step has no command to paste.", timeout=3)
            return
        self.type_into_shell(text)
        self.terminal.focus()

    def action_check(self) -> None:
        """Run the step's checks again (also marks a reading step as read)."""
        self.query_one(CheckPanel).show_pending("Checking …")
        self.session.check_now()

    @work(thread=True, exclusive=True, exit_on_error=False, group="hints", description="hint")
    def action_hint(self) -> None:
        """Reveal the next hint (the engine emits HintShown); when every hint is out, bring
        the ones shown into view (on a small screen they sit below the verdict)."""
        if not self.session.next_hint():
            none = not self.session.step_view().hints
            self.app.call_from_thread(self._no_more_hints, none)

    def _no_more_hints(self, none: bool) -> None:
        panel = self.query_one(CheckPanel)
        if not none and panel.reveal_notes():
            text = "Every hint of this step is shown, in the panel under the verdict"
        else:
            text = "This step has no hints" if none else "No more hints for this step"
        self.notify(f"{text}: F5 shows the solution.")

    @work(thread=True, exclusive=True, exit_on_error=False, group="hints", description="solution")
    def action_solution(self) -> None:
        """Reveal the solution, or a question's answer (the engine emits HintShown)."""
        if self.session.current_step.kind == "quiz":
            self.session.reveal_answer()
        else:
            self.session.solution()

    def action_raise_hand(self) -> None:
        """Ask the instructor for help (in a classroom)."""
        if not self.session.in_classroom:
            self.notify("You are not in a classroom (run with --classroom to join one).", timeout=4)
            return
        self._raise_hand()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="classroom",
        description="raise hand",
    )
    def _raise_hand(self) -> None:
        # the classroom's notice says the hand is up (and that the screen is now shared)
        self.session.request_help(f"stuck on {self.session.step_title(self.session.current_step)}")

    def action_share_screen(self) -> None:
        """Share the terminal with the instructor, or stop sharing (in a classroom)."""
        if not self.session.in_classroom:
            self.notify("You are not in a classroom (run with --classroom to join one).", timeout=4)
            return
        self._share_screen()

    @work(thread=True, exclusive=True, exit_on_error=False, group="classroom",
          description="share screen")  # fmt: skip
    def _share_screen(self) -> None:
        self.session.share_screen(None)  # the classroom tells the learner, as it does broadcasts

    def action_switch_focus(self) -> None:
        """Move the keyboard between the terminal and the lesson (a question's form)."""
        if self.terminal.has_focus:
            form = self.query_one(QuizForm)
            if form.question is not None:
                form.focus_first()
            else:
                self.query_one(LessonView).focus()
        else:
            self.terminal.focus()

    def _neighbour(self, delta: int) -> str | None:
        ids = [s.id for s in self.session.lesson.steps]
        index = ids.index(self.session.current_step.id) + delta
        return ids[index] if 0 <= index < len(ids) else None

    def action_previous_step(self) -> None:
        """Go back a step (passed steps are always open)."""
        target = self._neighbour(-1)
        if target:
            self._go_to(target)

    def action_next_step(self) -> None:
        """Go forward a step, when it is unlocked; from the last step of a finished lesson,
        on to the next lesson."""
        target = self._neighbour(+1)
        if target:
            self._go_to(target)
        elif self.session.lesson_complete:
            following = self.session.next_lesson_id()
            if following:
                self._switch_lesson(following)
            else:
                self.notify("This was the workshop's last lesson: well done.", timeout=4)

    def _done_text(self) -> str:
        """What the panel says on a done step: where F8 leads from here."""
        if self._neighbour(+1):
            return "You have done this step. F8 goes to the next one."
        if not self.session.lesson_complete:
            return "You have done this step. F7 goes back to the steps still to do."
        following = self.session.next_lesson_id()
        if following is None:
            return "Lesson complete, and it was the workshop's last one. Well done!"
        title = self.session.workshop.lesson(following).title
        return f"Lesson complete. F8 goes on to the next lesson: {title}."

    def _go_to(self, step_id: str) -> None:
        if not self.session.unlocked(step_id):
            steps = self.session.lesson.steps
            # the step to pass: the current one, not the one looked at (maybe a passed one)
            number = next(
                (n for n, s in enumerate(steps, 1) if self.session.step_status(s.id) == "current"),
                None,
            )
            which = f"step {number}" if number else "the steps before it"
            self.notify(f"That step is locked: pass {which} first.", severity="warning", timeout=3)
            return
        self._jump(step_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="steps", description="go to step")
    def _jump(self, step_id: str) -> None:
        self.session.go_to(step_id)

    def action_lessons(self) -> None:
        """Pick another lesson."""
        from workshop.tui.screens.picker import LessonPicker

        def chosen(lesson_id: str | None) -> None:
            """Switch when the learner picked another lesson."""
            if lesson_id and lesson_id != self.session.lesson.id:
                self._switch_lesson(lesson_id)

        session = self.session
        picker = LessonPicker(session.workshop, session.lesson.id, session.finished_lessons())
        self.app.push_screen(picker, chosen)

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="steps", description="switch lesson"
    )
    def _switch_lesson(self, lesson_id: str) -> None:
        self.session.switch_lesson(lesson_id)
