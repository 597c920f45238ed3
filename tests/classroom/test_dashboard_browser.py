"""The web dashboard in headless Chromium (Debian's, driven by Playwright).

Learners (real Reporters) join and progress; the page must show them appear and move
across the grid live, list the stuck and the help queue, show a learner's timeline,
escape a hostile name, and send a broadcast that a learner's reporter receives.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from classroom_support import CODE, TOKEN, ServerProcess, wait_for

from workshop.classroom.reporter import Reporter

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
STEPS = ["target", "create-space", "push"]
XSS = '<img src=x onerror="window.__xss=1">Mallory'


@pytest.fixture
def page() -> Iterator[Any]:
    """A fresh page in headless Chromium (fails clearly when Chromium is missing)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/ensure-system-deps (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def learner(server: ServerProcess, name: str, **kwargs: Any) -> Reporter:
    reporter = Reporter(server.url, CODE, name, **kwargs)
    reporter.min_backoff = reporter.max_backoff = 0.1
    reporter.start()
    reporter.report("joined", lesson="L", step=STEPS[0], steps=STEPS)
    return reporter


def test_dashboard_follows_the_room_live(classroom_server: ServerProcess, page: Any) -> None:
    from playwright.sync_api import expect

    url = classroom_server.url
    # no token: the login form; a wrong token is refused; the right one opens the room
    page.goto(url + "/")
    expect(page.locator("#login")).to_be_visible()
    page.fill("#token-input", "wrong")
    page.click("#login button")
    expect(page.locator("#login-error")).to_have_text("That token was refused.")
    page.fill("#token-input", TOKEN)
    page.click("#login button")
    expect(page.locator("#main")).to_be_visible()
    expect(page.locator("#conn")).to_have_text("live")

    received: list[str] = []
    ada = learner(classroom_server, "Ada", on_broadcast=received.append)
    mallory = learner(classroom_server, XSS)
    ada_row = page.locator("#grid tbody tr", has=page.locator("td.name", has_text="Ada"))
    expect(ada_row).to_have_count(1, timeout=10_000)
    expect(page.locator("#grid thead th")).to_have_text(
        ["learner", *STEPS, "login", "s1", "s2", "s3"]
    )

    def cell(row: Any, step: str) -> Any:
        return row.locator(f'td[data-step="{step}"]')

    ada.report("step_started", step="target")
    expect(cell(ada_row, "target")).to_have_attribute("data-status", "active")
    ada.report("command_run", command="cf target", exit_code=0, attempt=True)
    ada.report("check_failed", reason="not targeted")
    expect(cell(ada_row, "target")).to_have_attribute("data-status", "failing")
    ada.report("command_run", command="clear", exit_code=0, attempt=False)  # not counted
    ada.report("command_run", command="cf target -s development", exit_code=0, attempt=True)
    ada.report("check_passed")
    ada.report("step_completed")
    ada.report("step_started", step="create-space")
    expect(cell(ada_row, "target")).to_have_attribute("data-status", "done")
    expect(cell(ada_row, "target")).to_have_text("✓ 2")
    expect(cell(ada_row, "create-space")).to_have_attribute("data-status", "active")
    expect(cell(ada_row, "push")).to_have_attribute("data-status", "todo")

    # the hostile name is text, not markup
    mallory_row = page.locator("#grid tbody tr", has=page.locator("td.name", has_text="Mallory"))
    expect(mallory_row.locator("td.name .learner-name")).to_have_text(XSS)
    assert page.locator("#grid img").count() == 0
    assert page.evaluate("window.__xss") is None

    # stuck radar and help queue
    mallory.report("step_started", step="target")
    for _ in range(3):
        mallory.report("command_run", command="cf target", exit_code=1, attempt=True)
        mallory.report("check_failed", reason="<b>nope</b>")
    mallory.report("help_requested", message="<script>alert(1)</script>")
    expect(page.locator("#stuck li")).to_have_count(1, timeout=10_000)
    expect(page.locator("#stuck li strong")).to_have_text(XSS)
    expect(page.locator("#help li")).to_have_count(1)
    expect(mallory_row.locator("td.name .flag")).to_have_text("help")
    expect(page.locator("#help li .reason")).to_have_text("<script>alert(1)</script>")
    expect(page.locator("#funnel tr")).to_have_count(7)  # every step of the served lesson

    # a learner's timeline, live
    ada_row.locator("td.name").click()
    expect(page.locator("#timeline li")).to_contain_text(["cf target"], timeout=10_000)
    ada.report("command_run", command="cf create-space production_test", exit_code=0)
    expect(page.locator("#timeline li").last).to_contain_text("cf create-space production_test")

    # answer the help request from the page
    page.locator("#help li button").click()
    expect(page.locator("#help li")).to_have_count(0)

    # broadcast from the page to the learners
    page.fill("#broadcast-text", "Break until 11:00")
    page.click("#broadcast-send")
    wait_for(lambda: received == ["Break until 11:00"], 10, "the broadcast to reach Ada")
    expect(page.locator("#broadcasts li")).to_have_count(1)

    # the server crashes and comes back: the page and the learners reconnect by themselves
    classroom_server.kill()
    expect(page.locator("#conn")).to_have_text("reconnecting…", timeout=10_000)
    ada.report("step_completed")
    ada.report("step_started", step="push")
    classroom_server.start()
    expect(page.locator("#conn")).to_have_text("live", timeout=10_000)
    expect(cell(ada_row, "create-space")).to_have_attribute("data-status", "done", timeout=10_000)
    expect(cell(ada_row, "push")).to_have_attribute("data-status", "active")
    for reporter in (ada, mallory):
        reporter.close()
    assert page.evaluate("window.__xss") is None
