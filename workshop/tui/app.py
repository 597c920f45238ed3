"""The learner's Textual app: wiring only.

It registers the themes, pushes the lesson screen over the learner's session and holds the
app-wide keys (help, theme, quit). Everything the learner sees lives in ``screens/`` and
``widgets/``; everything the learner's work does lives in the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from workshop.engine.ports import LearnerSessionPort
from workshop.tui.bridge import EngineBridge
from workshop.tui.screens.lesson import LessonScreen
from workshop.tui.themes import DARK, LIGHT, THEMES

LAYOUT_NAMES = {
    "auto": "titles when wide, a rail of numbers when narrow",
    "rail": "a rail of numbers",
    "full": "titles",
}
"""What each step list layout is, as the learner is told when it changes."""


class WorkshopApp(App[None]):
    """A workshop in the terminal: lesson, steps, checks and a real shell."""

    TITLE = "workshop"
    CSS_PATH = [
        Path(__file__).with_name("app.tcss"),
        Path(__file__).parent / "screens" / "lesson.tcss",
    ]
    """The app's rules, and the lesson screen's read with them: a screen's own file read
    when it is first shown makes Textual parse every stylesheet again (about 10 ms)."""
    ENABLE_COMMAND_PALETTE = False
    """Every action has a key in the footer; the palette's Ctrl+P belongs to the shell."""

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f12", "toggle_theme", "Theme", show=False, priority=True),
        Binding(
            "shift+f12,f24",  # terminals send Shift+F12 as F24
            "cycle_layout",
            "Layout",
            show=False,
            priority=True,
            key_display="Shift+F12",
        ),
    ]
    """App-wide keys; the lesson screen adds the function keys of the lesson."""

    def __init__(
        self,
        session: LearnerSessionPort,
        bridge: EngineBridge | None = None,
        theme: str | None = None,
        session_starting: bool = False,
        layout: str = "auto",
        remember: Callable[[str, str], None] | None = None,
        first_frame: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.first_frame = first_frame
        """Called once the first screen is on the terminal (``workshop run`` collects
        garbage again then); None calls nothing."""
        self.step_layout = layout
        """The step list: ``auto`` (a rail below 110 columns), ``rail`` or ``full``."""
        self.remember = remember
        """Keeps a choice (``theme``, ``layout``) for the next start; None keeps nothing."""
        self.session_starting = session_starting
        """The caller started the session already (see ``messages.start_session``)."""
        self.session = session
        """The learner's session (``LearnerSession``); started by the lesson screen."""
        self.bridge = bridge
        """The session's listener, when the session was made with one."""
        for item in THEMES:
            self.register_theme(item)
        self._themes_in = True
        self._start_in_theme(theme or DARK.name)

    _themes_in = False
    """Set once this app's themes are registered (see :meth:`get_css_variables`)."""

    def get_css_variables(self) -> dict[str, str]:
        """The current theme's CSS variables. Textual's own ``__init__`` asks for them
        before this app's themes are registered, for its default theme, which the app never
        shows: that first call gets none (working them out is a few ms of every start), and
        :meth:`_start_in_theme` sets the variables of the theme the app starts in."""
        if not self._themes_in:
            return {}
        return super().get_css_variables()

    def _start_in_theme(self, name: str) -> None:
        """Start in the theme ``name``. Setting ``theme`` would parse every stylesheet again
        once the app runs, and restyle every widget (what a change of theme needs); before
        the app has started its stylesheet is not parsed yet, so it takes the theme's
        variables now, and the app the classes the theme gives it."""
        self.set_reactive(WorkshopApp.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)
        self.set_class(True, f"-theme-{name}", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)

    def on_mount(self) -> None:
        """SIGTERM and SIGHUP (``kill``, a closed terminal) end the app as Ctrl+Q does: its
        screen is taken down and Textual's threads stop, so the process ends. (A signal
        that raised past Textual could leave its input thread reading a terminal that was
        gone: the process lived on, a core busy.)"""
        if self.first_frame is not None:
            self.call_after_refresh(self.first_frame)
        if self.is_headless:
            return  # a test's app: the test runner's signals are its own
        import asyncio
        import signal

        from workshop.ending import leave_anyway

        def ended_by(signum: int) -> None:
            leave_anyway(128 + signum)  # should the clean-up hang
            self.exit(None, 128 + signum)

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(signum, ended_by, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # no signals here
                pass
        resume_only_after_a_stop()

    def get_default_screen(self) -> Screen[None]:
        """The lesson, as the app's first screen: laid out and drawn in full once the app
        has started. (A screen pushed while the app starts has its first full frame laid
        out while Textual holds repaints, and dropped: the frames after it draw only what
        changed since, so the step's heading waited for a later change to be drawn.)"""
        return LessonScreen(self.session, self.bridge, self.session_starting, self.step_layout)

    def action_help(self) -> None:
        """Keys and how the checks work."""
        from workshop.tui.screens.help import HelpScreen  # not needed to draw the lesson

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark projector theme (kept for next time)."""
        self.theme = LIGHT.name if self.theme == DARK.name else DARK.name
        self._keep("theme", "light" if self.theme == LIGHT.name else "dark")

    def action_cycle_layout(self) -> None:
        """Step list: automatic, a rail of numbers, or full titles (kept for next time)."""
        order = ("auto", "rail", "full")
        self.step_layout = order[(order.index(self.step_layout) + 1) % len(order)]
        for screen in self.screen_stack:
            if isinstance(screen, LessonScreen):
                screen.step_layout = self.step_layout
                screen.lay_out()
        self.notify(f"Step list: {LAYOUT_NAMES[self.step_layout]}.", timeout=3)
        self._keep("layout", self.step_layout)

    def _keep(self, key: str, value: str) -> None:
        """Save a choice off the UI's thread (a failure only costs the memory of it)."""
        remember = self.remember
        if remember is not None:
            self.run_worker(
                lambda: remember(key, value),
                thread=True,
                exit_on_error=False,
                group="settings",
                description=f"keep {key}",
            )

    def on_unmount(self) -> None:
        """Close the shell with the app (the session is safe to close twice)."""
        self.session.close()


def resume_only_after_a_stop() -> None:
    """Textual takes the terminal back on every SIGCONT; a closed terminal sends one too,
    with its SIGHUP, and before the app has heard of the SIGHUP. Taking back a terminal
    that is gone started a second output thread, which died on its first write: its queue
    filled, and the app's exit waited for it until the clean-up deadline ended the
    process. Only a SIGCONT after a stop (Ctrl+Z, SIGTSTP) takes the terminal back now."""
    import signal

    on_stop, on_continue = signal.getsignal(signal.SIGTSTP), signal.getsignal(signal.SIGCONT)
    if not callable(on_stop) or not callable(on_continue):
        return  # not Textual's handlers: nothing to guard
    stopped = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopped
        stopped = True
        on_stop(signum, frame)  # type: ignore[arg-type]

    def carry_on(signum: int, frame: object) -> None:
        nonlocal stopped
        if stopped:
            stopped = False
            on_continue(signum, frame)  # type: ignore[arg-type]

    signal.signal(signal.SIGTSTP, stop)
    signal.signal(signal.SIGCONT, carry_on)
