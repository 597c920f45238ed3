"""The Reporter's contract with the runner and the TUI, beyond delivery."""

from __future__ import annotations

from pathlib import Path

import pytest
from classroom_support import CODE, ServerProcess, wait_for

from workshop.classroom.reporter import Reporter


def test_programming_errors_are_value_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="http"):
        Reporter("localhost:8765", CODE, "Ada")
    with pytest.raises(ValueError, match="name"):
        Reporter("http://127.0.0.1:9", CODE, "  ")
    reporter = Reporter("http://127.0.0.1:9", CODE, "Ada", outbox_path=tmp_path / "o.sqlite3")
    with pytest.raises(ValueError, match="unknown classroom event kind"):
        reporter.report("coffee_break")
    with pytest.raises(ValueError, match="no field"):
        reporter.report("check_failed", command="ls")
    assert reporter.pending == 0
    reporter.close()
    assert reporter.report("left") == 0  # after close: ignored, no exception


def test_report_never_waits_for_an_unreachable_server(tmp_path: Path) -> None:
    import time

    reporter = Reporter("http://127.0.0.1:9", CODE, "Ada", outbox_path=tmp_path / "o.sqlite3")
    reporter.start()
    started = time.monotonic()
    seqs = [reporter.report("command_run", command=f"cf apps {i}", exit_code=0) for i in range(50)]
    assert time.monotonic() - started < 2.0  # local fsyncs only
    assert seqs == list(range(1, 51))
    wait_for(lambda: reporter.state == "offline", 10, "offline")
    reporter.close(flush_timeout=0.2)
    assert (
        Reporter("http://127.0.0.1:9", CODE, "Ada", outbox_path=tmp_path / "o.sqlite3").pending
        == 50
    )


def test_a_failing_callback_does_not_stop_reporting(shared_server: ServerProcess) -> None:
    def broken(state: str) -> None:
        raise RuntimeError("front-end bug")

    reporter = Reporter(shared_server.url, CODE, "Callback", on_state=broken)
    reporter.start()
    reporter.report("joined", lesson="L", step="s1")
    wait_for(lambda: reporter.state == "online" and reporter.pending == 0, 10, "delivery")
    reporter.report("step_started")
    wait_for(lambda: reporter.pending == 0, 10, "delivery after the callback failed")
    reporter.close()


def test_the_front_end_knows_when_the_screen_is_shared_and_when_it_stops(
    shared_server: ServerProcess,
) -> None:
    """Each change of sharing reaches ``on_sharing`` (the TUI's lasting marker): the learner's
    own toggle, a raised hand, and the instructor answering that hand."""
    import httpx
    from classroom_support import TOKEN

    sharing: list[bool] = []
    told: list[str] = []
    reporter = Reporter(shared_server.url, CODE, "Sharer", on_sharing=sharing.append,
                        on_notice=told.append)  # fmt: skip
    reporter.start()
    reporter.report("joined", lesson="L", step="s1")
    wait_for(lambda: reporter.state == "online" and reporter.pending == 0, 10, "joined")
    assert reporter.share_screen(True) is True and sharing == [True]
    assert reporter.share_screen(True) is True and sharing == [True]  # no change, no call
    assert reporter.share_screen() is False and sharing == [True, False]
    reporter.report("help_requested", message="push fails")
    assert sharing == [True, False, True]
    reporter.report("help_requested", message="still failing")  # already shared: no change
    assert sharing == [True, False, True]
    assert told[-1] == "Your hand is up: your instructor can see you need help."
    wait_for(lambda: reporter.pending == 0, 10, "the hand delivered")
    learner_id = next(lr["id"] for lr in shared_server.room()["learners"] if lr["name"] == "Sharer")
    answered = httpx.post(f"{shared_server.url}/api/help/{learner_id}/resolve",
                          headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert answered.status_code == 200
    wait_for(lambda: sharing == [True, False, True, False], 10, "sharing to end with the help")
    assert len(told) == 5  # and the learner was told each time, once
    reporter.close()


def test_a_url_that_is_not_a_classroom_is_a_clear_rejection(shared_server: ServerProcess) -> None:
    reporter = Reporter(shared_server.url + "/not-here", CODE, "Lost")
    reporter.start()
    reporter.report("joined")
    wait_for(lambda: reporter.state.startswith("rejected"), 10, "the rejection")
    assert reporter.state == "rejected: no classroom at this address (HTTP 404): check the URL"
    reporter.close(flush_timeout=0)


def test_a_lesson_the_classroom_does_not_serve_is_not_sent(
    shared_server: ServerProcess, tmp_path: Path
) -> None:
    reporter = Reporter(shared_server.url, CODE, "Other course", outbox_path=tmp_path / "o.sqlite3")
    reporter.start()
    reporter.report("joined", lesson="L", step="target")
    wait_for(lambda: reporter.state == "online" and reporter.pending == 0, 10, "online")
    # the learner's workshop has a lesson the instructor's has not: kept out of the
    # outbox, so the classroom does not refuse the learner's whole stream
    assert reporter.report("step_started", lesson="my-own-lesson", step="x") == 0
    assert reporter.report("step_started", lesson="L", step="no-such-step") == 0
    assert reporter.report("step_started", lesson="L", step="push") > 0
    wait_for(lambda: reporter.pending == 0, 10, "delivery")
    assert reporter.state == "online"
    reporter.close()


def test_settings_read_before_a_change_do_not_undo_it(tmp_path: Path) -> None:
    """The sender's and the listener's answers cross: an events answer that read the room's
    settings before the instructor turned sharing on can arrive after the inbox said it is
    on. It is older than what the learner was told, and changes nothing (the learner was
    told "no longer shared", then "shared" again)."""
    from workshop.classroom.reporter import SHARE_OFF, SHARE_ON

    told: list[str] = []
    reporter = Reporter("http://127.0.0.1:9", CODE, "Ada", outbox_path=tmp_path / "o.sqlite3",
                        on_notice=told.append)  # fmt: skip
    reporter._apply_settings({"share_output": False}, read_after=1.0)  # joined: off
    reporter._apply_settings({"share_output": True}, read_after=5.0)  # the inbox: on
    reporter._apply_settings({"share_output": False}, read_after=4.0)  # asked before that
    assert reporter.share_output and told == [SHARE_ON]
    reporter._apply_settings({"share_output": False}, read_after=6.0)  # really off now
    assert not reporter.share_output and told == [SHARE_ON, SHARE_OFF]
    reporter.close(flush_timeout=0)


def test_the_tls_context_of_an_https_classroom_is_made_once_and_verifies() -> None:
    """httpx made a TLS context, reading the CA bundle, for each client: about 80 ms of CPU,
    twice per reporter (sender and listener). One context serves them all."""
    import ssl

    from workshop.classroom.tls import tls_context

    context = tls_context("https://classroom.example:8765")
    assert tls_context("HTTPS://other.example") is context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0  # the CA bundle httpx uses


def test_reporters_of_an_http_classroom_read_no_ca_bundle(
    shared_server: ServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A classroom on http:// (a LAN) never does TLS: its clients' context reads no CA bundle
    and trusts no certificate (nothing could pass it unverified)."""
    import ssl

    from workshop.classroom.tls import tls_context

    plain = tls_context(shared_server.url)
    assert plain.verify_mode == ssl.CERT_REQUIRED and plain.check_hostname
    assert plain.cert_store_stats()["x509_ca"] == 0
    loaded: list[object] = []
    real = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loaded.append(args)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    reporters = []
    for name in ("Ada", "Grace", "Linus"):
        reporter = Reporter(shared_server.url, CODE, name, outbox_path=tmp_path / f"{name}.db")
        reporter.poll_wait = 0.2
        reporter.start()
        reporter.report("joined", lesson="L", step="s1")
        reporters.append(reporter)
    for reporter in reporters:
        wait_for(lambda r=reporter: r.state == "online" and r.pending == 0, 10, "delivery")
    wait_for(lambda: all(len(r._clients) == 2 for r in reporters), 10, "both clients")
    for reporter in reporters:
        reporter.close()
    assert loaded == []
