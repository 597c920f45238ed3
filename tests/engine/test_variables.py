"""Which values a learner's session fills into lessons, in mock and in live mode."""

from __future__ import annotations

from pathlib import Path

from workshop.content import load_workshop
from workshop.engine.session import LearnerSession
from workshop.progress import ProgressStore

REPO = Path(__file__).resolve().parents[2]


def _session(tmp_path: Path, live: bool) -> LearnerSession:
    workshop = load_workshop(REPO / "workshop" / "bundled" / "12factor")
    settings = {"CF_DOMAIN": "apps.example.org", "HOST_SUFFIX": "-alice"}
    store = ProgressStore(tmp_path / "progress.sqlite3")
    return LearnerSession(workshop, "dependencies", live=live, settings=settings, store=store)


def test_mock_mode_keeps_the_offline_domain_but_takes_the_learners_suffix(tmp_path: Path) -> None:
    session = _session(tmp_path, live=False)
    push = session.step_view(session.lesson.step("push"))
    assert push.commands == [
        "cf push workshop-12f-stock -p target/stock-1.0-SNAPSHOT.jar -n workshop-12f-stock-alice"
    ]
    url = session.step_view(session.lesson.step("open-stock-ping")).url
    assert url == "http://workshop-12f-stock-alice.cfapps.io/stock/ping"


def test_live_mode_takes_the_learners_domain(tmp_path: Path) -> None:
    session = _session(tmp_path, live=True)
    url = session.step_view(session.lesson.step("open-stock-ping")).url
    assert url == "http://workshop-12f-stock-alice.apps.example.org/stock/ping"
