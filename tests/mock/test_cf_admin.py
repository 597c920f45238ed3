"""An operator's commands change the foundation: orgs, users, roles, ``cf auth``.

The original platform's operators units create a user, an org and a space, give the user a
role, log in as that user and check it all with ``cf orgs``, ``cf org-users`` and ``cf
space-users``; the fake cf must keep that state.
"""

from __future__ import annotations

from pathlib import Path

from cf_support import cf


def test_an_operator_creates_an_org_a_space_and_a_developer_who_logs_in(home: Path) -> None:
    out, code = cf(home, "create-user", "test-user", "test-password")
    assert code == 0 and out.startswith("Creating user test-user...\nOK\n")
    assert "already exists" in cf(home, "create-user", "test-user", "x")[0]
    out, code = cf(home, "create-org", "training")
    assert code == 0
    assert "Assigning role OrgManager to user user_name in org training ...\nOK" in out
    assert "training" in cf(home, "orgs")[0].split()
    assert cf(home, "create-space", "test-space", "-o", "training")[1] == 0
    out, code = cf(home, "set-space-role", "test-user", "training", "test-space", "SpaceDeveloper")
    assert code == 0 and "Assigning role SpaceDeveloper to user test-user" in out
    out, _ = cf(home, "space-users", "training", "test-space")
    developers = out.split("SPACE DEVELOPER")[1].split("SPACE AUDITOR")[0].split()
    assert developers == ["user_name", "test-user"]
    assert "No SPACE AUDITOR found" in out
    assert cf(home, "set-org-role", "test-user", "training", "OrgAuditor")[1] == 0
    out, _ = cf(home, "org-users", "training")
    assert out.split("ORG AUDITOR")[1].split() == ["test-user"]
    out, code = cf(
        home, "unset-space-role", "user_name", "training", "test-space", "SpaceDeveloper"
    )
    assert code == 0
    out, _ = cf(home, "space-users", "training", "test-space")
    assert out.split("SPACE DEVELOPER")[1].split("SPACE AUDITOR")[0].split() == ["test-user"]
    out, code = cf(home, "auth", "test-user", "wrong")
    assert code == 1 and "Credentials were rejected" in out
    out, code = cf(home, "auth", "test-user", "test-password")
    assert code == 0 and out.endswith(
        "OK\nUse 'cf target' to view or set your target org and space\n"
    )
    assert "test-user" in cf(home, "target")[0]
    assert "No org or space targeted" in cf(home, "target")[0]  # cf auth clears the target


def test_orgs_are_renamed_and_deleted_and_the_target_follows(home: Path) -> None:
    assert cf(home, "create-org", "my-org")[1] == 0
    assert cf(home, "target", "-o", "my-org")[1] == 0
    out, code = cf(home, "rename-org", "my-org", "my-renamed-org")
    assert code == 0 and "Renaming org my-org to my-renamed-org" in out
    assert "my-renamed-org" in cf(home, "target")[0]
    out, code = cf(home, "delete-org", "my-renamed-org", stdin="y\n")
    assert code == 0 and "Deleting org my-renamed-org" in out
    names = cf(home, "orgs")[0].split()
    assert "my-renamed-org" not in names and "my-org" not in names
    assert "No org or space targeted" in cf(home, "target")[0]
    assert "does not exist" in cf(home, "delete-org", "my-renamed-org", "-f")[0]


def test_spaces_are_renamed(home: Path) -> None:
    assert cf(home, "create-space", "my-second-space")[1] == 0
    out, code = cf(home, "rename-space", "my-second-space", "my-trash-space")
    assert code == 0 and "Renaming space my-second-space to my-trash-space" in out
    assert "my-trash-space" in cf(home, "spaces")[0].split()


def test_quotas_are_created_changed_assigned_and_deleted(home: Path) -> None:
    args = ("-i", "512M", "-m", "2048M", "-r", "10", "-s", "5")
    out, code = cf(home, "create-quota", "small-quota", *args)
    assert code == 0 and out == "Creating quota small-quota as user_name...\nOK\n"
    large = ("-i", "2048M", "-m", "10G", "-r", "100", "-s", "20", "--allow-paid-service-plans")
    assert cf(home, "create-quota", "large-quota", *large)[1] == 0
    assert cf(home, "update-quota", "small-quota", "-i", "256M", "-s", "2")[1] == 0
    rows = {line.split()[0]: line.split()[1:] for line in cf(home, "quotas")[0].splitlines()[3:]}
    assert rows["small-quota"] == ["2G", "256M", "10", "2", "disallowed"]
    assert rows["large-quota"] == ["10G", "2G", "100", "20", "allowed"]
    assert "trial" in rows  # the foundation's plan before them
    assert cf(home, "delete-quota", "small-quota", "-f")[1] == 0
    assert "small-quota" not in cf(home, "quotas")[0]
    assert cf(home, "set-quota", "your-org", "large-quota")[1] == 0
    out = " ".join(cf(home, "org", "your-org")[0].split())
    assert "quota: large-quota (10240M memory limit, 2048M instance memory limit" in out
    space_args = ("-i", "512M", "-m", "2048M", "-r", "10", "-s", "5")
    assert cf(home, "create-space-quota", "small-space-quota", *space_args)[1] == 0
    assert cf(home, "set-space-quota", "development", "small-space-quota")[1] == 0
    assert "small-space-quota" in cf(home, "space", "development")[0].split()
    assert cf(home, "unset-space-quota", "development", "small-space-quota")[1] == 0
    assert "small-space-quota" not in cf(home, "space", "development")[0].split()


def test_create_space_in_a_named_org_needs_no_targeted_org(home: Path) -> None:
    assert cf(home, "create-org", "training")[1] == 0
    assert cf(home, "target", "-o", "training")[1] == 0
    assert cf(home, "delete-org", "training", "-f")[1] == 0  # nothing targeted now
    assert cf(home, "create-org", "training")[1] == 0
    out, code = cf(home, "create-space", "test-space", "-o", "training")
    assert code == 0 and out.startswith(
        "Creating space test-space in org training as user_name...\nOK\n"
    )
    assert "FAILED\nNo org targeted" in cf(home, "create-space", "other")[0]
