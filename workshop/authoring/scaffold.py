"""``workshop new PATH``: a small workshop that works as created, for an author to start from.

It has a ``workshop.yaml`` with a variable and one lesson, the lesson's Markdown page with
two command steps, a declarative check on the first and a script check (the exit-status
contract) on the second, and a hint. ``workshop lint`` finds nothing in it and ``workshop
test`` passes it, so an author starts from something green and changes one thing at a time.
"""

from __future__ import annotations

import re
from pathlib import Path

from workshop.errors import UsageError

WORKSHOP_YAML = """\
# A workshop: its title, variables with defaults, and lessons in order.
# `workshop lint .` reports every problem; `workshop test .` runs each step's checks
# before and after the step's own commands; `workshop run .` opens it for a learner.
title: {title}
description: >
  What the learner will be able to do at the end, in a sentence or two.

variables:
  # {{{{GREETING}}}} in a lesson is replaced by this value (learners may set their own).
  GREETING: hello

lessons:
  - id: first-steps
    file: 01_first_steps.md
    steps:
      # Step ids come from the fence ({{id=…}}) or from the first command.
      make-folder:
        title: Make a project folder
        checks:
          - command: ls -d project
            exit_code: 0
            message: "There is no folder `project` here yet."
        hints:
          - "`mkdir -p NAME` makes a folder (and says nothing when it exists)."
      write-greeting:
        title: Write the greeting
        # checks/first-steps/write-greeting.sh is this step's script check (found by name).
        hints:
          - when_output: "No such file or directory"
            text: "Make the folder first (the step before), then write the file into it."
          - "`echo TEXT > FILE` writes TEXT into FILE."
"""

LESSON_MD = """\
# First steps

A lesson is a Markdown page. Each fenced block of commands is a step; the prose before it
is the step's text.

Make a folder for the project:

```sh {{id=make-folder}}
mkdir -p project
```

Write the greeting into a file in it:

```sh {{id=write-greeting}}
echo {{{{GREETING}}}} > project/greeting.txt
```
"""

CHECK_SH = """\
#!/usr/bin/env bash
# The check of step write-greeting. Contract: exit 0 = pass; exit 1 = fail, the first line
# printed is the reason shown to the learner and the rest is a hint; exit 2 = pass with a
# warning; anything else is a broken check (never a pass).
# It runs in the learner shell's folder and sees its environment, the workshop variables
# (GREETING) and WORKSHOP_WORK_DIR (where the lesson's shell started).
file="${WORKSHOP_WORK_DIR:-.}/project/greeting.txt"
if [ ! -f "$file" ]; then
  echo "There is no project/greeting.txt yet."
  echo "Write it with: echo $GREETING > project/greeting.txt"
  exit 1
fi
if [ "$(cat "$file")" != "$GREETING" ]; then
  echo "project/greeting.txt does not say $GREETING."
  exit 1
fi
exit 0
"""


def _title_of(path: Path) -> str:
    words = re.split(r"[-_\s]+", path.name.strip())
    return " ".join(w.capitalize() for w in words if w) or "My workshop"


def create(path: Path, title: str | None = None) -> list[Path]:
    """Write the scaffold into ``path`` (created; it must not hold anything yet) and return
    the files written."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise UsageError(f"{path}: already exists and is not an empty folder")
    text = (title or _title_of(path.resolve())).replace('"', "'")
    files = {
        path / "workshop.yaml": WORKSHOP_YAML.format(title=f'"{text}"'),
        path / "01_first_steps.md": LESSON_MD.format(),
        path / "checks" / "first-steps" / "write-greeting.sh": CHECK_SH,
    }
    for file, content in files.items():
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(content, encoding="utf-8")
    (path / "checks" / "first-steps" / "write-greeting.sh").chmod(0o755)
    return list(files)
