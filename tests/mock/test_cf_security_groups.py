"""Application security groups in the cf mock, as the original platform's operators unit
uses them: create from a JSON file, bind to a space and to the default sets, view, unbind,
delete; texts and layouts as cf v6.16.1's ``cf/commands/securitygroup``."""

from __future__ import annotations

from pathlib import Path

from cf_support import cf

RULES = '[{"protocol":"tcp", "destination":"0.0.0.0/24","ports":"3306"}]'
TIP = "TIP: Changes will not apply to existing running applications until they are restarted."


def test_a_group_is_created_bound_to_a_space_shown_and_deleted(home: Path) -> None:
    work = home / "work" if (home / "work").is_dir() else home
    (work / "mysql-sg.json").write_text(RULES)
    out, code = cf(home, "create-security-group", "mysql-sg", "mysql-sg.json")
    assert (out, code) == ("Creating security group mysql-sg as user_name\nOK\n", 0)
    out, code = cf(home, "create-security-group", "mysql-sg", "mysql-sg.json")
    assert code == 0 and out.endswith("OK\nSecurity group mysql-sg already exists\n")
    out, code = cf(home, "bind-security-group", "mysql-sg", "your-org", "development")
    assert (out, code) == (
        "Assigning security group mysql-sg to space development in org your-org as"
        f" user_name...\nOK\n\n\n\n{TIP}\n",
        0,
    )
    out, code = cf(home, "security-group", "mysql-sg")
    assert code == 0
    assert '\n\t[\n\t\t{\n\t\t\t"destination": "0.0.0.0/24",\n\t\t\t"ports": "3306",' in out
    assert ["#0", "your-org", "development"] in [line.split() for line in out.splitlines()]
    listed = [line.split() for line in cf(home, "security-groups")[0].splitlines()]
    assert ["#2", "mysql-sg", "your-org", "development"] in listed
    assert ["#0", "public_networks"] in listed  # the foundation's defaults
    out, code = cf(home, "unbind-security-group", "mysql-sg", "your-org", "development")
    assert code == 0 and out.startswith(
        "Unbinding security group mysql-sg from your-org/development as user_name\nOK\n"
    )
    assert cf(home, "security-group", "mysql-sg")[0].endswith("\nNo spaces assigned\n")
    out, code = cf(home, "delete-security-group", "mysql-sg", "-f")
    assert (out, code) == ("Deleting security group mysql-sg as user_name\nOK\n", 0)
    assert "mysql-sg" not in cf(home, "security-groups")[0]
    out, code = cf(home, "delete-security-group", "mysql-sg", "-f")
    assert code == 0 and out.endswith("OK\nSecurity group mysql-sg does not exist\n")


def test_the_default_staging_and_running_sets(home: Path) -> None:
    work = home / "work" if (home / "work").is_dir() else home
    (work / "sg.json").write_text(RULES)
    assert cf(home, "create-security-group", "mysql-sg", "sg.json")[1] == 0
    out, code = cf(home, "bind-staging-security-group", "mysql-sg")
    assert (out, code) == ("Binding security group mysql-sg to staging as user_name\nOK\n", 0)
    out, code = cf(home, "bind-running-security-group", "mysql-sg")
    assert out.startswith("Binding security group mysql-sg to defaults for running as user_name")
    out, code = cf(home, "running-security-groups")
    assert out.splitlines()[1:] == ["OK", "", "public_networks", "dns", "mysql-sg"]
    out, code = cf(home, "unbind-staging-security-group", "mysql-sg")
    assert code == 0 and "mysql-sg" not in cf(home, "staging-security-groups")[0]
    out, code = cf(home, "unbind-running-security-group", "nothing")
    assert (out, code) == ("OK\nSecurity group nothing does not exist.\n", 0)


def test_what_goes_wrong(home: Path) -> None:
    out, code = cf(home, "create-security-group", "x", "missing.json")
    assert code == 1 and out.startswith("FAILED\nIncorrect json format: file: missing.json\n")
    out, code = cf(home, "bind-security-group", "nothing", "your-org", "development")
    assert code == 1 and out.endswith("FAILED\nsecurity group nothing not found\n")
    out, code = cf(home, "bind-security-group", "dns", "no-org", "development")
    assert code == 1 and out.endswith("FAILED\nOrganization no-org not found\n")
    out, code = cf(home, "security-group", "nothing")
    assert (out, code) == (
        "Getting info for security group nothing as user_name\nFAILED\n"
        "security group nothing not found\n",
        1,
    )
