"""Benchmark of the content loader: a generated big workshop and the bundled 12-factor one.

Prints:
- the median time to load a generated workshop of 100 lessons x 20 steps;
- the median time to load ``lessons/12factor`` against the budget of 50 ms;
- the ratio of that load to a baseline measured in the same run: ``yaml.safe_load`` of its
  ``workshop.yaml`` plus ``MarkdownIt().parse`` of its lesson files (the parsing the
  loader cannot avoid), so the figure says how much the loader adds on top.

Run: ``.venv/bin/python bench/bench_content.py`` (or ``make bench``).
"""

from __future__ import annotations

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

from workshop.content import load_workshop  # noqa: E402

SEED = REPO / "lessons" / "12factor"
BUDGET_MS = 50.0
LESSONS, STEPS = 100, 20


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
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        tokens = [md.parse(page.read_text(encoding="utf-8")) for page in pages]
        return data, tokens

    return parse


def main() -> int:
    """Measure and print the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-content-") as name:
        root = Path(name)
        generate(root)
        first = time.perf_counter()
        big = load_workshop(root)
        cold_big = (time.perf_counter() - first) * 1000
        steps = sum(len(lesson.steps) for lesson in big.lessons)
        assert len(big.lessons) == LESSONS and steps == LESSONS * STEPS, (len(big.lessons), steps)
        big_ms, big_base = paired_median_ms(lambda: load_workshop(root), baseline(root), runs=5)

    seed_ms, seed_base = paired_median_ms(lambda: load_workshop(SEED), baseline(SEED), runs=50)

    print(f"generated workshop ({LESSONS} lessons x {STEPS} steps = {steps} steps):")
    print(f"  load, median of 5:         {big_ms:8.1f} ms   (first load {cold_big:.1f} ms)")
    print(f"  baseline (yaml + markdown): {big_base:7.1f} ms   ratio {big_ms / big_base:.2f}x")
    print("12-factor workshop (lessons/12factor):")
    verdict = "within" if seed_ms <= BUDGET_MS else "OVER"
    print(f"  load, median of 50:        {seed_ms:8.2f} ms   budget {BUDGET_MS:.0f} ms: {verdict}")
    print(f"  baseline (yaml + markdown): {seed_base:7.2f} ms   ratio {seed_ms / seed_base:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
