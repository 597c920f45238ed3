"""The web dashboard in headless Chromium (Debian's, driven by Playwright).

Learners (real Reporters) join and progress; the page must show them appear and move
across the grid live, list the stuck and the help queue, show a learner's timeline,
escape a hostile name, and send a broadcast that a learner's reporter receives.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from classroom_support import CODE, TOKEN, ServerProcess, wait_for

from workshop.classroom.reporter import Reporter

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
STEPS = ["target", "create-space", "push"]
XSS = '<img src=x onerror="window.__xss=1">Mallory'


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, started once for the module's tests (fails clearly when Chromium
    is missing).

    Starting Playwright's driver and Chromium costs about a second of CPU; each test gets
    a context of its own (:func:`page`), as separate as another browser profile: its own
    cookies, storage, cache and downloads.
    """
    if shutil.which(CHROMIUM) is None:
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/ensure-system-deps (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page in a fresh browser context of the shared Chromium."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def learner(server: ServerProcess, name: str, **kwargs: Any) -> Reporter:
    reporter = Reporter(server.url, CODE, name, **kwargs)
    reporter.min_backoff = reporter.max_backoff = 0.1
    reporter.poll_wait = 1.0  # a closed reporter's long poll ends soon (it shows offline)
    reporter.start()
    reporter.report("joined", lesson="L", step=STEPS[0], steps=STEPS)
    return reporter


def test_dashboard_follows_the_room_live(classroom_server: ServerProcess, page: Any) -> None:
    from playwright.sync_api import expect

    url = classroom_server.url
    missing: list[str] = []  # the page's own files (its icon too) all load
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    # no token: the login form; a wrong token is refused; the right one opens the room
    page.goto(url + "/")
    expect(page.locator("#login")).to_be_visible()
    # and nothing of a room yet: no empty grid, no controls, until a token opens it
    for part in ("#main", "#lesson-select", "#export", "#share-output", "#join"):
        expect(page.locator(part)).to_be_hidden()
    page.fill("#token-input", "wrong")
    page.click("#login button")
    expect(page.locator("#login-error")).to_have_text("That token was refused.")
    expect(page.locator("#main")).to_be_hidden()
    page.fill("#token-input", TOKEN)
    page.click("#login button")
    expect(page.locator("#main")).to_be_visible()
    expect(page.locator("#conn")).to_have_text("live")
    assert [u for u in missing if "/api/" not in u] == []  # the wrong token's 401 aside

    received: list[str] = []
    ada = learner(classroom_server, "Ada", on_broadcast=received.append)
    mallory = learner(classroom_server, XSS)
    ada_row = page.locator("#grid tbody tr", has=page.locator("td.name", has_text="Ada"))
    expect(ada_row).to_have_count(1, timeout=10_000)
    # short numbered column titles; the step's id and title on hover
    expect(page.locator("#grid thead th")).to_have_text(["learner", "last contact", *"1234567"])
    expect(page.locator('#grid thead th[data-step="create-space"]')).to_have_attribute(
        "title", "2. create-space: echo create-space"
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
    expect(mallory_row.locator("td.name .flag.hand")).to_have_text("help")
    expect(page.locator("#help li .reason")).to_have_text("<script>alert(1)</script>")
    expect(page.locator("#funnel tr")).to_have_count(7)  # every step of the served lesson
    # steps and lessons by the titles the learners read, not their ids
    expect(page.locator("#stuck li span").first).to_have_text(" on 1. echo target")
    expect(page.locator("#help li span").first).to_have_text(" on 1. echo target, waiting ")
    expect(page.locator("#funnel tr td").first).to_have_text("1. echo target")
    expect(page.locator("#funnel tr td").nth(1)).to_contain_text(" done")  # as `watch` says
    expect(page.locator("#funnel-lesson")).to_have_text("of Lesson L, the room's lesson")
    expect(page.locator("#lesson-label")).to_have_text("Lesson: Lesson L")

    # a learner's timeline, live
    ada_row.locator("td.name").click()
    expect(page.locator("#timeline li")).to_contain_text(["cf target"], timeout=10_000)
    ada.report("command_run", command="cf create-space production_test", exit_code=0)
    expect(page.locator("#timeline li").last).to_contain_text("cf create-space production_test")
    expect(page.locator("#timeline li").last).to_contain_text("2. echo create-space")
    ada.report("check_failed", reason="The space is `dev`, not <b>`development`</b>.")
    reason = page.locator("#timeline li.check_failed").last
    expect(reason.locator("code")).to_have_text(["dev", "development"])  # no raw backticks
    expect(reason).to_contain_text("The space is dev, not <b>development</b>.")  # text only

    # answer the help request from the page
    page.locator("#help li button.answered").click()
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


def open_dashboard(page: Any, server: ServerProcess, width: int = 1400) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server.url}/?token={TOKEN}")
    expect(page.locator("#conn")).to_have_text("live")


def test_the_learners_screen_after_a_raised_hand(
    classroom_server: ServerProcess, page: Any
) -> None:
    from playwright.sync_api import expect

    from workshop.classroom.reporter import SCREEN_ASKED, SCREEN_BY_HAND, SCREEN_OFF, SCREEN_ON

    open_dashboard(page, classroom_server)
    told: list[str] = []
    ada = learner(classroom_server, "Ada", on_broadcast=told.append)
    ada.terminal_output("\x1b[1mada@laptop\x1b[0m:~$ cf login -u ada -p hunter2\r\nOK\r\n")
    ada.terminal_output("ada@laptop:~$ cf push stock\r\nFAILED: no space targeted\r\n")
    row = page.locator("#grid tbody tr", has=page.locator("td.name", has_text="Ada"))
    expect(row).to_have_count(1, timeout=10_000)
    # nothing is shared before the learner acts
    expect(row.locator(".flag.share")).to_have_count(0)
    ada.report("help_requested", message="push fails")
    wait_for(lambda: SCREEN_BY_HAND in told, 10, "Ada to be told her screen is shared")
    expect(row.locator(".flag.share")).to_have_text("screen", timeout=10_000)
    page.locator("#help li button.watch").click()
    screen = page.locator("#screen")
    expect(screen).to_contain_text("FAILED: no space targeted", timeout=10_000)
    expect(screen).to_contain_text("cf login -u ada -p ***")
    assert "hunter2" not in screen.text_content()
    expect(page.locator("#screen-state")).to_have_text("live")
    # it follows the terminal, a few times a second
    ada.terminal_output("ada@laptop:~$ cf target -s development\r\n")
    expect(screen).to_contain_text("cf target -s development", timeout=3_000)
    # the learner stops: the instructor is told
    ada.share_screen(False)
    expect(page.locator("#screen-state")).to_contain_text("stopped", timeout=10_000)
    assert told[-1] == SCREEN_OFF
    # the instructor asks; nothing is shared until the learner accepts
    page.locator("#screen-request").click()
    wait_for(lambda: SCREEN_ASKED in told, 10, "Ada to be asked")
    expect(page.locator("#screen-open")).to_be_hidden()
    ada.share_screen(True)
    assert told[-1] == SCREEN_ON
    page.locator("#screen-open").click()
    expect(screen).to_contain_text("cf target -s development", timeout=10_000)
    # the hand is answered: a share begun by the hand would end; this one the learner began
    ada.close()


def test_instructor_tools_in_the_page(tmp_path: Any, page: Any) -> None:
    from playwright.sync_api import expect

    server = ServerProcess(
        tmp_path / "tools.sqlite3", dict(os.environ), extra=["--offline-after", "1"]
    )
    server.start()
    try:
        open_dashboard(page, server)
        expect(page.locator("#join-code")).to_have_text(CODE)
        expect(page.locator("#join-url")).to_have_text(server.url)
        got: dict[str, list[str]] = {"Ada": [], "Bob": [], "Cy": []}
        people = {n: learner(server, n, on_broadcast=got[n].append) for n in got}
        for step in STEPS + ["login", "s1", "s2", "s3"]:  # Cy finishes the lesson
            people["Cy"].report("step_started", step=step)
            people["Cy"].report("step_completed", step=step)
        bob = people["Bob"]
        bob.report("step_started", step="create-space")
        for attempt in ("cf create-space dev", "cf create-space devel", "cf create-space develop"):
            bob.report("command_run", command=attempt, exit_code=0, attempt=True)
            bob.report("check_failed", reason="no space named development")
        people["Ada"].report("help_requested", message="which org?")
        # the radar says why: the last failing command and its reason
        expect(page.locator("#stuck li .last-command")).to_have_text(
            "$ cf create-space develop", timeout=10_000
        )
        expect(page.locator("#stuck li .last-reason")).to_have_text("no space named development")
        expect(page.locator("#counts")).to_have_text("3 online · 0 offline · 1 finished of 3")
        expect(page.locator("#help li .waited")).to_contain_text(" s")
        # sorting: hand raised, then stuck, first
        names = page.locator("#grid tbody td.name .learner-name")
        expect(names).to_have_text(["Ada", "Bob", "Cy"])
        page.select_option("#sort", "name")
        page.select_option("#filter", "stuck")
        expect(names).to_have_text(["Bob"])
        page.select_option("#filter", "finished")
        expect(names).to_have_text(["Cy"])
        page.select_option("#filter", "all")
        page.fill("#search", "b")
        expect(names).to_have_text(["Bob"])
        page.fill("#search", "")
        # a hint to one learner, from the page
        page.locator("#grid td.name", has_text="Bob").click()
        page.fill("#message-text", "the space is called development")
        page.check("#message-hint")
        page.click("#message-send")
        wait_for(lambda: "Hint: the space is called development" in got["Bob"], 10, "the hint")
        assert not any("development" in text for text in got["Ada"] + got["Cy"])
        expect(page.locator("#broadcasts li.private")).to_contain_text("to Bob: Hint:")
        # the hand answered: the learner is told
        page.locator("#help li button.answered").click()
        wait_for(lambda: any("answered" in t for t in got["Ada"]), 10, "Ada to be told")
        # CSV export of the room's progress
        with page.expect_download() as download:
            page.click("#export")
        text = open(download.value.path(), encoding="utf-8").read()
        assert text.splitlines()[0].startswith(
            "name,online,last contact (UTC),lesson,step,finished,1. target"
        )
        assert len(text.splitlines()) == 4
        # rename and remove, from the learner panel
        page.once("dialog", lambda dialog: dialog.accept("Robert"))
        page.click("#rename")
        expect(page.locator("#grid td.name", has_text="Robert")).to_have_count(1)
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#remove")
        expect(page.locator("#grid td.name", has_text="Robert")).to_have_count(0)
        bob.report("command_run", command="echo still here", exit_code=0)
        wait_for(lambda: bob.state.startswith("rejected"), 10, "Bob to be refused")
        # a learner who vanishes shows offline, with the time of last contact
        people["Cy"].close()
        cy = page.locator("#grid tbody tr", has=page.locator("td.name", has_text="Cy"))
        expect(cy.locator("td.contact")).to_contain_text("offline", timeout=15_000)
        expect(page.locator("#counts")).to_contain_text("1 offline")
        people["Ada"].close()
    finally:
        server.stop()


def test_sixty_learners_fit_a_1400_pixel_window(
    classroom_server: ServerProcess, page: Any, tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    names = [f"Learner {i:02d} {'Longname-' * (i % 3)}".strip() for i in range(60)]
    reporters = []
    for i, name in enumerate(names):
        r = Reporter(classroom_server.url, CODE, name, outbox_path=tmp_path / f"o{i}.sqlite3")
        r.start()
        r.report("joined", lesson="L", step="target")
        for step in (STEPS + ["login", "s1", "s2", "s3"])[: i % 8]:
            r.report("step_started", step=step)
            r.report("command_run", command="cf target", exit_code=0, attempt=True)
            r.report("step_completed", step=step)
        if i % 7 == 3:
            for _ in range(3):
                r.report("check_failed", reason="no space named development")
        reporters.append(r)
    for r in reporters:
        wait_for(lambda r=r: r.pending == 0, 20, "the room to fill")
    open_dashboard(page, classroom_server, width=1400)
    expect(page.locator("#grid tbody tr")).to_have_count(60, timeout=10_000)
    # every column of the grid is visible without scrolling sideways
    scroll = page.locator("#grid-section .scroll")
    assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth")
    last = page.locator('#grid thead th[data-step="s3"]').bounding_box()
    assert last is not None and last["x"] + last["width"] <= 1400
    out = (
        Path(os.environ.get("WORKSHOP_SCREENSHOT_DIR", tmp_path))
        / "dashboard-60-learners-1400px.png"
    )
    page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000
    # each close waits a moment for its listener's long poll: sixty at once, not in a row
    with ThreadPoolExecutor(len(reporters)) as pool:
        list(pool.map(lambda r: r.close(0), reporters))


def test_quiz_results_per_learner(
    classroom_server: ServerProcess, page: Any, tmp_path: Path
) -> None:
    """A lesson with quiz questions gets a quiz column: how each learner's answers went."""
    from playwright.sync_api import expect
    from test_quiz_results import feed_answers, joined

    open_dashboard(page, classroom_server)
    ada = joined(classroom_server, "Ada", tmp_path)
    try:
        feed_answers(ada)
        row = page.locator("#grid tbody tr", has=page.locator("td.name", has_text="Ada"))
        expect(page.locator("#grid thead th")).to_have_text(
            ["learner", "last contact", "1", "2", "3", "quiz"], timeout=10_000
        )
        expect(row.locator("td.quiz")).to_have_text("1/2 right · 1 after retries · 1 revealed")
        expect(row.locator("td.quiz")).to_have_attribute(
            "title",
            "2. Which command prints the current folder?: right after 2 tries\n"
            "3. Which of these are shells?: revealed",
        )
        expect(row.locator('td[data-step="quiz-2"]')).to_have_attribute("data-quiz", "revealed")
        row.locator("td.name").click()
        expect(page.locator("#timeline li.quiz_answered")).to_have_text(
            [
                re.compile(r"folder\?  quiz_answered: cf login -p \*\*\*  \(wrong\)$"),
                re.compile(
                    r"2\. Which command prints the current folder\?  quiz_answered: pwd  \(right\)$"
                ),
                re.compile(r"3\. Which of these are shells\?  quiz_answered: 1, 3  \(right\)$"),
            ]  # fmt: skip
        )
        # a lesson without questions has no quiz column
        page.select_option("#lesson-select", "l1")
        expect(page.locator("#grid thead th.quiz")).to_have_count(0)
    finally:
        ada.close()
