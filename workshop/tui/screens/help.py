"""The help screen: every key, what the panes are, how checks work."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# How this works

The **lesson** (top) tells you what to do. Type the commands in the **terminal** (bottom):
it is a real bash. After every command the step's checks run; when they pass, the next
step unlocks. The badge at the top right says MOCK when the workshop's programs (`cf` in
the bundled course) are offline simulations that remember what you did, and LIVE when the
commands reach the real programs.

| Key | In the lesson (F6) | What it does |
|---|---|---|
| F1 | | this help |
| F2 | Ctrl+P | paste the step's command into the terminal (you still press Enter) |
| F3 | Ctrl+K | check again (marks a reading step as done) |
| F4 | Ctrl+T | next hint |
| F5 | Ctrl+S | show the solution |
| F6 or Ctrl+] | Esc | move the keyboard between the terminal and the lesson |
| F7 / F8 | Ctrl+B / Ctrl+N | previous / next step (only unlocked ones; from a finished lesson's last step, F8 goes to the next lesson) |
| F9 | Ctrl+R | reset this step (puts the lesson's folder, and the mock when there is one, back where the step began; asks first when done steps would be lost) |
| Shift+F9 | | reset the whole lesson (asks first) |
| F10 | Ctrl+L | choose another lesson |
| F11 | | skip this step (it asks first; the solution runs for you, and the step counts as skipped) |
| F12 | | light / dark theme (remembered) |
| Shift+F12 | | the step list: full, a narrow rail, or as the width suits (remembered) |
| | Ctrl+A | ask the instructor for help (in a classroom) |
| Shift+F10 | | share your screen with the instructor, or stop sharing it (in a classroom) |
| Shift+PgUp / PgDn, mouse wheel | | scroll back through the terminal's output |
| Ctrl+Q | | quit (your progress is saved as you go) |

All other keys, Ctrl ones included, go to the terminal when it has the focus. No letter
ever acts on the lesson: a letter typed while the lesson has the keyboard goes to the
terminal, and the keyboard moves there with it. Clicking a step shows it and gives the keyboard back
to the terminal. On a narrow terminal the steps are a rail of numbers (point at it, or
press F6 then Shift+Tab, to read their titles) and the footer shows the main keys only.

When a check fails, the panel says why, points at the part of your command that looks
wrong, and offers a hint. "Problem with the check" means the check itself broke: that
is not your fault.

Press **Esc** to close this help.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and a short how-to, over the lesson."""

    CSS_PATH = Path(__file__).with_name("dialogs.tcss")

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close"),
        Binding("q", "dismiss", "Close"),
    ]
    """Any of the obvious keys closes the help."""

    def compose(self) -> ComposeResult:
        """The help text, scrollable."""
        with VerticalScroll(classes="dialog"):
            yield Markdown(HELP)
