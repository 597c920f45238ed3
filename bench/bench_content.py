"""Benchmark of the content loader: a generated big workshop and the bundled 12-factor one.

Prints:
- the median time to load a generated workshop of 100 lessons x 20 steps;
- the median time to load ``workshop/bundled/12factor`` against the budget of 50 ms;
- the ratio of that load to a baseline measured in the same run: PyYAML's safe load of its
  ``workshop.yaml`` plus ``MarkdownIt().parse`` of its lesson files (the parsing the
  loader cannot avoid), so the figure says how much the loader adds on top;
- the load of one generated lesson of 3k, 6k and 12k steps, and the ratio of each to the
  one half its size: a loader linear in content size gives about 2.0, a quadratic one 4.0;
- a 10 MB lesson: refused at once by the page size limit, and loaded with the limit lifted
  (its time per MB against the 12k-step lesson's says whether the growth stays linear);
- ``workshop.yaml`` of the course read with the loader's YAML reader, against the same
  reader on PyYAML's pure-Python parser.

Run: ``.venv/bin/python bench/bench_content.py`` (or ``make bench``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.content import ContentError, load_workshop, pagetext, yamlio  # noqa: E402

SEED = REPO / "workshop" / "bundled" / "12factor"
BUDGET_MS = 50.0
FASTEST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The baseline parses YAML as fast as PyYAML can, as the loader does."""
LESSONS, STEPS = 100, 20
MB = 1024 * 1024


def paired_median_ms(
    action: Callable[[], object], base: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Median wall times (ms) of ``action`` and ``base``, run alternately so that load
    from other processes on the machine weighs on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for target, call in zip(times, (action, base), strict=True):
            start = time.perf_counter()
            call()
            target.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def lesson_page(number: int) -> str:
    """One generated lesson: STEPS steps mixing the Markdown habits the loader reads."""
    parts = [f"# {number}. Lesson {number}\n\nWhat this lesson is about, in a few words.\n"]
    for step in range(STEPS):
        kind = step % 5
        parts.append(
            f"## Step {step}\n\nRun the command for step {step} on {{{{echo $CF_DOMAIN}}}}.\n"
        )
        if kind == 0:
            parts.append(
                f"```sh\n$ cf create-space space-{number}-{step}\n```\nYou should see similar output\n```\nCreating space space-{number}-{step}...\nOK\n```\n"
            )
        elif kind == 1:
            parts.append(
                f"```bash {{id=step-{step}}}\ncf push app-{number} \\\n  -m 512M \\\n  -n app-{number}-{step}\n```\n"
            )
        elif kind == 2:
            parts.append(f"```console\n$ cf apps\nname  state\napp-{number}  started\n```\n")
        elif kind == 3:
            parts.append(
                f"```shell\n$ cf set-env app-{number} KEY {step}\n$ cf restage app-{number}\n```\n\n<!-- expected -->\n```\nOK\n```\n"
            )
        else:
            parts.append(
                f"Open http://app-{number}-{step}.{{{{CF_DOMAIN}}}}/ping and check the answer.\n"
            )
    return "\n".join(parts)


def big_lesson(steps: int) -> str:
    """One lesson of ``steps`` steps, cycling through the habits of :func:`lesson_page`."""
    parts = ["# A long lesson\n\nEvery habit, over and over.\n"]
    for step in range(steps):
        kind = step % 5
        parts.append(f"## Step {step}\n\nRun step {step} on {{{{echo $CF_DOMAIN}}}}.\n")
        if kind == 0:
            parts.append(
                f"```sh\n$ cf create-space space-{step}\n```\nYou should see\n```\nOK\n```\n"
            )
        elif kind == 1:
            parts.append(f"```bash\ncf push app \\\n  -n app-{step}\n```\n")
        elif kind == 2:
            parts.append(f"```console\n$ cf apps\napp-{step}  started\n```\n")
        elif kind == 3:
            parts.append(f"```shell\n$ cf set-env app K {step}\n$ cf restage app\n```\n")
        else:
            parts.append(f"Open http://app-{step}.{{{{CF_DOMAIN}}}}/ping and check it.\n")
    return "\n".join(parts)


def time_lesson(file: Path, runs: int) -> float:
    """Median seconds to load the single-page workshop ``file`` (its templates resolved)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        workshop = load_workshop(file)
        times.append(time.perf_counter() - start)
        assert workshop.lessons[0].steps
    return statistics.median(times)


SIZES = (3000, 6000, 12000)


def big_lessons(root: Path, rounds: int = 5) -> None:
    """Print the load of 3k/6k/12k-step lessons with their ratios, and of a 10 MB one. The
    sizes take turns in each round, so that load from other work weighs on each alike."""
    os.environ["CF_DOMAIN"] = "example.test"  # a single page has no workshop variables
    print(f"one big lesson (lint loads the same way), median of {rounds} rounds:")
    pages = {steps: root / f"big_{steps}.md" for steps in SIZES}
    for steps, page in pages.items():
        page.write_text(big_lesson(steps), encoding="utf-8")
    times: dict[int, list[float]] = {steps: [] for steps in SIZES}
    for _ in range(rounds):
        for steps, page in pages.items():
            times[steps].append(time_lesson(page, runs=1))
    previous: float | None = None
    per_mb = 0.0
    for steps, page in pages.items():
        seconds = statistics.median(times[steps])
        size = page.stat().st_size / MB
        per_mb = seconds / size
        ratio = f"   {seconds / previous:.2f}x the half-size one" if previous else ""
        print(f"  {steps:5} steps ({size:4.1f} MB): {seconds * 1000:8.0f} ms{ratio}")
        previous = seconds
    page = root / "big_10mb.md"
    text = big_lesson(12000)
    page.write_text(text * (10 * MB // len(text) + 1), encoding="utf-8")
    size = page.stat().st_size / MB
    start = time.perf_counter()
    try:
        load_workshop(page)
        refused = "not refused"
    except ContentError as exc:
        refused = f"refused in {(time.perf_counter() - start) * 1000:.1f} ms: {exc.message}"
    print(f"  {size:.1f} MB lesson: {refused}")
    limit = pagetext.PAGE_SIZE_LIMIT
    pagetext.PAGE_SIZE_LIMIT = 64 * 1024 * 1024
    try:
        seconds = time_lesson(page, runs=1)
    finally:
        pagetext.PAGE_SIZE_LIMIT = limit
    print(
        f"  {size:.1f} MB lesson, limit lifted: {seconds:.2f} s"
        f" ({seconds / size * 1000:.0f} ms/MB; the 12k-step lesson: {per_mb * 1000:.0f} ms/MB)"
    )


def yaml_reader() -> None:
    """Print the course's workshop.yaml read with the C and the pure-Python parser."""
    text = (SEED / "workshop.yaml").read_text(encoding="utf-8")
    manifest = SEED / "workshop.yaml"
    pure = yamlio.PureLoader
    fast, slow = paired_median_ms(
        lambda: yamlio.parse_yaml(text, manifest),
        lambda: yamlio.parse_yaml(text, manifest, loader=pure),
        runs=20,
    )
    print("12-factor workshop.yaml:")
    print(f"  loader's reader ({yamlio.Loader.__name__}): {fast:6.2f} ms")
    print(f"  pure-Python parser:            {slow:6.2f} ms   {slow / fast:.1f}x slower")


def generate(root: Path) -> None:
    """Write the workshop: workshop.yaml with step settings, and LESSONS lesson files."""
    lessons = []
    for number in range(LESSONS):
        name = f"lesson_{number:03}.md"
        (root / name).write_text(lesson_page(number))
        lessons.append(
            {
                "id": f"lesson-{number}",
                "file": name,
                "steps": {
                    "step-1": {
                        "checks": [
                            {"exit_code": 0},
                            {"command": "cf app x", "matches": "started", "exit_code": 0},
                        ],
                        "hints": [
                            {"text": "Log in first", "when_output": "Not logged in"},
                            "Read the output.",
                        ],
                    }
                },
            }
        )
    manifest = {
        "title": "Generated",
        "variables": {"CF_DOMAIN": "example.test"},
        "lessons": lessons,
    }
    (root / "workshop.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))


def baseline(root: Path) -> Callable[[], object]:
    """Parse the folder's workshop.yaml and Markdown files, and nothing more."""
    md = MarkdownIt()
    manifest = root / "workshop.yaml"
    pages = sorted(root.glob("*.md"))

    def parse() -> object:
        data = yaml.load(manifest.read_text(encoding="utf-8"), Loader=FASTEST_YAML)  # noqa: S506
        tokens = [md.parse(page.read_text(encoding="utf-8")) for page in pages]
        return data, tokens

    return parse


def main() -> int:
    """Measure and print the figures (the course first, before big workshops fill memory)."""
    seed_ms, seed_base = paired_median_ms(lambda: load_workshop(SEED), baseline(SEED), runs=50)
    print("12-factor workshop (workshop/bundled/12factor):")
    verdict = "within" if seed_ms <= BUDGET_MS else "OVER"
    print(f"  load, median of 50:        {seed_ms:8.2f} ms   budget {BUDGET_MS:.0f} ms: {verdict}")
    print(f"  baseline (yaml + markdown): {seed_base:7.2f} ms   ratio {seed_ms / seed_base:.2f}x")
    yaml_reader()

    with tempfile.TemporaryDirectory(prefix="bench-content-") as name:
        root = Path(name)
        generate(root)
        first = time.perf_counter()
        big = load_workshop(root)
        cold_big = (time.perf_counter() - first) * 1000
        steps = sum(len(lesson.steps) for lesson in big.lessons)
        assert len(big.lessons) == LESSONS and steps == LESSONS * STEPS, (len(big.lessons), steps)
        del big
        big_ms, big_base = paired_median_ms(lambda: load_workshop(root), baseline(root), runs=5)
    print(f"generated workshop ({LESSONS} lessons x {STEPS} steps = {steps} steps):")
    print(f"  load, median of 5:         {big_ms:8.1f} ms   (first load {cold_big:.1f} ms)")
    print(f"  baseline (yaml + markdown): {big_base:7.1f} ms   ratio {big_ms / big_base:.2f}x")

    with tempfile.TemporaryDirectory(prefix="bench-content-") as name:
        big_lessons(Path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
