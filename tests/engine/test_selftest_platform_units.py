"""``workshop test`` of a classic unit as the original platform wrote them, offline.

The project's own small unit (pages, verify scripts with ``check``, Prerequisites.sh): it
installs git with ``sudo apt-get`` (answered as done, the machine untouched), clones the
platform's Sinatra example (the mock's git writes its skeleton), logs in as the platform's
``admin``, pushes (the Ruby buildpack stages it), opens the app through the router and
deletes it (cf's question answered yes); the prerequisite asks the API host for
``/v2/info`` as the platform did.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workshop.content import load_workshop
from workshop.engine.selftest import format_table, run_selftest

PAGES = {
    "01_Install git.md": "# Install git\n\n```sh\nsudo apt-get update\nsudo apt-get install git -y\n```\n",
    "02_Get the app.md": (
        "# Get the app\n\n```sh\ngit clone https://github.com/Altoros/cf-example-sinatra\n"
        "cd cf-example-sinatra\n```\n"
    ),
    "02_Get the app.verify.sh": (
        "#!/bin/bash -e\n\n"
        "check 'cat ~/cf-example-sinatra/Gemfile' 'gem \"sinatra\"' true #> not cloned\n"
        "check 'git branch -a' 'origin/with-service' true #> branches\n"
    ),
    "03_Log in.md": (
        "# Log in\n\n```sh\ncf api api.{{echo $CF_DOMAIN}} --skip-ssl-validation\n"
        'cf auth admin "admin"\ncf target -o your-org -s development\n```\n'
    ),
    "03_Log in.verify.sh": (
        "#!/bin/bash -e\n\ncheck 'cf target' 'User:.*admin' true #> You are not logged in.\n"
    ),
    "04_Push.md": "# Push\n\n```sh\ncf push my-sinatra-app\n```\n",
    "04_Push.verify.sh": (
        "#!/bin/bash -e\n\n"
        "check 'cf app my-sinatra-app' 'buildpack: ruby 1.6.16' true #> not staged as Ruby\n"
        "check 'curl -s http://my-sinatra-app.$CF_DOMAIN/' "
        "'IP: [0-9.]+ - Port: [0-9]+ - Container Index: 0' true #> the app does not answer\n"
    ),
    "05_Delete.md": "# Delete\n\nAnswer `y` when cf asks.\n\n```sh\ncf delete my-sinatra-app\n```\n",
    "05_Delete.verify.sh": (
        "#!/bin/bash -e\n\ncheck 'cf apps' 'my-sinatra-app' false #> Application is not deleted\n"
    ),
    "Prerequisites.sh": (
        "#!/bin/bash -e\n\n"
        'check \'curl -I --silent http://api.$CF_DOMAIN/v2/info -H "Host: api.$CF_DOMAIN" '
        "| grep HTTP' 'HTTP/1\\.1 200 OK' true #> Cf api should be available.\n"
        "check 'cf --version' 'cf version 6\\.1.*' true #> CLI outdated.\n"
    ),
}


def write_unit(root: Path) -> Path:
    root.mkdir()
    for name, text in PAGES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_platform_unit_installs_clones_pushes_and_opens_the_sinatra_app(tmp_path: Path) -> None:
    workshop = load_workshop(write_unit(tmp_path / "001 First app"))
    assert workshop.mock["tools"] == ["cf", "git", "apt-get"]
    report = run_selftest(workshop, timeout=60)
    assert report.mode == "mock"
    assert all(o.ok for o in report.outcomes), format_table(report)
    assert len(report.outcomes) == 5  # a step per page: install, clone, log in, push, delete


def test_the_offline_sudo_answers_installs_and_leaves_other_commands_to_the_machine(
    tmp_path: Path,
) -> None:
    import subprocess

    from workshop.mock.tools import write_shims

    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    shims = write_shims(home, ["apt-get"])
    assert sorted(p.name for p in shims) == ["apt-get", "sudo"]
    env = {"PATH": f"{home / 'bin'}:/nonexistent", "WORKSHOP_MOCK_HOME": str(home)}
    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    done = subprocess.run(
        [str(home / "bin" / "sudo"), "apt-get", "install", "git", "-y"],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert "git is already the newest version." in done.stdout
    assert "0 upgraded, 0 newly installed" in done.stdout
    done = subprocess.run(
        [str(home / "bin" / "sudo"), "rm", "-rf", "/x"],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 127 and "only package installs" in done.stderr
    done = subprocess.run(
        [str(home / "bin" / "apt-get"), "remove", "git"],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 1 and "not available in the offline" in done.stderr


def test_a_pages_verify_script_is_looked_at_before_the_pages_first_step(tmp_path: Path) -> None:
    """The script checks the page: that it fails before the page, not before its last step
    (which here only shows what the first one did)."""
    unit = tmp_path / "spaces"
    unit.mkdir()
    (unit / "01_Spaces.md").write_text(
        "# Spaces\n\n```sh\ncf login -a https://api.run.pivotal.io -u user_name -p password"
        " -o your-org -s development\n```\n\n"
        "```sh\ncf create-space my-space\n```\n\nList them:\n\n```sh\ncf spaces\n```\n"
    )
    (unit / "01_Spaces.verify.sh").write_text(
        "#!/bin/bash -e\n\ncheck 'cf spaces' 'my-space' true #> Space 'my-space' wasn't found.\n"
    )
    report = run_selftest(load_workshop(unit), timeout=60)
    assert [o.ok for o in report.outcomes] == [True, True, True], format_table(report)
    assert report.outcomes[-1].before == "fail"


def test_a_step_that_drives_real_infrastructure_is_not_tested_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An aws or bosh line in a platform unit is 'not tested here' in mock mode, even where
    this machine has the program (it would reach a real cloud), and never a failure."""
    unit = tmp_path / "broker"
    unit.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "aws"  # a machine that has the aws CLI
    fake.write_text("#!/bin/sh\nexit 255\n")
    fake.chmod(0o755)
    (unit / "01_Database.md").write_text(
        "# Database\n\n```sh\ncf --version\n```\n\n```sh\naws rds describe-db-instances\n```\n"
    )
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    report = run_selftest(load_workshop(unit), timeout=60)
    first, second = report.outcomes
    assert first.ok and second.needs == ("aws",), format_table(report)
    assert "real infrastructure" in second.reason


def test_a_platform_unit_that_builds_with_maven_gets_the_mocks_mvn_and_java(
    tmp_path: Path,
) -> None:
    """The 12-factor course's tools are simulated offline (no Maven Central, perhaps no JDK):
    the unit's mvn and java are the mock's, whatever this machine has."""
    unit = tmp_path / "tools"
    unit.mkdir()
    (unit / "01_Objective.md").write_text(
        "# Objective\n\nPlease check\n```sh\n$ java -version\n```\n```sh\n$ mvn --version\n```\n"
        "```sh\n$ cf -v\n```\n"
    )
    (unit / "01_Objective.verify.sh").write_text(
        "check 'mvn --version' 'Apache Maven 3\\.3\\.9' true #> Maven is not installed.\n"
        "check 'java -version 2>&1' 'version \"1\\.8\\.0_71\"' true #> Java is not installed.\n"
    )
    workshop = load_workshop(unit)
    assert workshop.mock["tools"] == ["cf", "mvn", "java"]
    report = run_selftest(workshop, timeout=60)
    assert report.tools == ("cf", "mvn", "java")
    # the verify script checks the tools, not the page: it passes before the page, which the
    # platform never asked of it (it ran it after the page); the step passes, with a warning
    assert all(o.ok for o in report.outcomes), format_table(report)
    assert (
        not report.outcomes[-1].content and "does not test the page" in report.outcomes[-1].warning
    )
