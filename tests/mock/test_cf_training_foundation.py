"""The training platform's own foundation (``mock: {foundation: training}``).

The original platform's units ran on its own Cloud Foundry deployment: its marketplace
offers ``p-mysql`` (512mb, 1gb) beside the PWS services its 12-factor units use, and an org
has the open-source ``default`` quota. A PWS foundation (the default) has neither.
"""

from __future__ import annotations

from pathlib import Path

from cf_support import cf, dev_prod_start, seeded_home


def training_home(tmp_path: Path) -> Path:
    start, settings = dev_prod_start()
    return seeded_home(tmp_path, start, {**settings, "foundation": "training"}, name="training")


def test_the_training_foundation_offers_p_mysql_beside_the_pws_services(tmp_path: Path) -> None:
    home = training_home(tmp_path)
    out, code = cf(home, "marketplace")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[4:] if line.strip()}
    assert rows["p-mysql"][:2] == ["512mb,", "1gb"]
    assert "cleardb" in rows and "p-redis" in rows
    out, code = cf(home, "marketplace", "-s", "p-mysql")
    assert code == 0
    assert ["512mb", "Shared", "MySQL", "Server", "free"] in [
        line.split() for line in out.splitlines()
    ]
    out, code = cf(home, "create-service", "p-mysql", "512mb", "my-app-db")
    assert code == 0, out
    out, code = cf(home, "service", "my-app-db")
    assert "Service: p-mysql" in out and "Description: MySQL databases on demand" in out


def test_an_org_of_the_training_foundation_has_the_default_quota(tmp_path: Path) -> None:
    home = training_home(tmp_path)
    out, code = cf(home, "quota", "default")
    assert code == 0
    assert [line.split() for line in out.splitlines()[3:] if line.strip()] == [
        ["Total", "Memory", "10G"],
        ["Instance", "Memory", "unlimited"],
        ["Routes", "1000"],
        ["Services", "100"],
        ["Paid", "service", "plans", "allowed"],
    ]
    assert "quota:          default (10240M memory limit" in cf(home, "org", "your-org")[0]


def test_a_pws_foundation_has_neither(home: Path) -> None:
    out, code = cf(home, "create-service", "p-mysql", "512mb", "my-app-db")
    assert code == 1 and "Service offering p-mysql not found" in out
    assert cf(home, "quota", "default")[1] == 1
    assert "trial" in cf(home, "org", "your-org")[0]


def test_a_service_moves_to_another_plan_of_its_offering(tmp_path: Path) -> None:
    home = training_home(tmp_path)
    assert cf(home, "create-service", "p-mysql", "512mb", "my-app-db")[1] == 0
    out, code = cf(home, "update-service", "my-app-db", "-p", "1gb")
    assert (out, code) == ("Updating service instance my-app-db as user_name...\nOK\n", 0)
    assert "Plan: 1gb" in cf(home, "service", "my-app-db")[0]
    out, code = cf(home, "update-service", "my-app-db", "-p", "huge")
    assert (out, code) == ("FAILED\nPlan does not exist for the p-mysql service\n", 1)
    out, code = cf(home, "update-service", "nothing", "-c", "{broken", "-p", "1gb")
    assert (out, code) == ("FAILED\nService instance nothing not found\n", 1)  # found first
    out, code = cf(home, "update-service", "my-app-db", "-c", "{broken")
    assert code == 1 and out.startswith("FAILED\nInvalid configuration provided for -c flag.")
    assert cf(home, "update-service", "my-app-db") == ("OK\nNo changes were made\n", 0)


def test_an_instance_of_a_running_app_is_restarted(home: Path) -> None:
    out, code = cf(home, "restart-app-instance", "workshop-12f-stock", "1")
    assert code == 0, out
    assert out.startswith("Restarting instance 1 of application workshop-12f-stock as user_name")
    # the Cloud Controller answers 204 to any index: cf says OK (v6.16.1's source)
    out, code = cf(home, "restart-app-instance", "workshop-12f-stock", "07")
    assert (out, code) == (
        "Restarting instance 7 of application workshop-12f-stock as user_name\nOK\n\n",
        0,
    )
    out, code = cf(home, "restart-app-instance", "workshop-12f-stock", "one")
    assert (out, code) == ("FAILED\nInstance must be a non-negative integer\n", 1)


def test_a_service_is_renamed_and_its_binding_follows(tmp_path: Path) -> None:
    home = training_home(tmp_path)
    assert cf(home, "create-service", "p-mysql", "512mb", "my-app-db")[1] == 0
    assert cf(home, "bind-service", "workshop-12f-stock", "my-app-db")[1] == 0
    out, code = cf(home, "rename-service", "my-app-db", "my-sinatra-app-db")
    assert code == 0, out
    assert out == (
        "Renaming service my-app-db to my-sinatra-app-db in org your-org / space development"
        " as user_name...\nOK\n"
    )
    listed = cf(home, "services")[0]
    assert "my-sinatra-app-db" in listed and "my-app-db " not in listed
    assert "workshop-12f-stock" in listed.split("my-sinatra-app-db")[1].splitlines()[0]
    out, code = cf(home, "rename-service", "my-app-db", "x")  # a requirement: before any text
    assert (out, code) == ("FAILED\nService instance my-app-db not found\n", 1)
    assert cf(home, "create-service", "p-mysql", "512mb", "other-db")[1] == 0
    out, code = cf(home, "rename-service", "other-db", "my-sinatra-app-db")
    assert code == 1
    assert out.splitlines()[1:] == [
        "FAILED",
        "Server error, status code: 400, error code: 60002, message: The service instance"
        " name is taken: my-sinatra-app-db",
        "TIP: Use 'cf services' to view all services in this org and space.",
    ]


def test_cf_files_shows_the_container_of_an_app_on_the_training_foundations_deas(
    tmp_path: Path,
) -> None:
    """The platform's DEAs listed a container (its page shows the listing); what was pushed
    is under app/, without what cf never uploads; a file prints its text."""
    home = training_home(tmp_path)
    site = tmp_path / "site"
    (site / "public").mkdir(parents=True)
    (site / "Gemfile").write_text("source 'https://rubygems.org'\ngem 'sinatra'\n")
    (site / "README.md").write_text("# site\n")
    (site / "public" / "style.css").write_text("body {}\n")
    (site / ".gitignore").write_text("tmp\n")
    (site / "manifest.yml").write_text("---\napplications:\n- name: site\n")
    assert cf(home, "push", "site", "--no-manifest", cwd=site)[1] == 0
    out, code = cf(home, "files", "site")
    assert code == 0, out
    head, listing = out.split("OK\n\n")
    assert (
        head == "Getting files for app site in org your-org / space development as user_name...\n"
    )
    assert listing.splitlines()[:4] == [
        ".bash_logout                              220B",
        ".bashrc                                   3.6K",
        ".profile                                  675B",
        "app/                                         -",
    ]
    assert [line.split()[0] for line in listing.splitlines() if line] == [
        ".bash_logout", ".bashrc", ".profile", "app/", "logs/", "run.pid",
        "staging_info.yml", "tmp/",
    ]  # fmt: skip
    out, code = cf(home, "files", "site", "app/")
    assert code == 0
    assert [line.split() for line in out.split("OK\n\n")[1].splitlines() if line] == [
        ["Gemfile", "44B"], ["README.md", "7B"], ["public/", "-"],
    ]  # fmt: skip
    assert cf(home, "files", "site", "app/README.md")[0].endswith("OK\n\n# site\n\n")
    assert "detected_buildpack: ruby" in cf(home, "files", "site", "staging_info.yml")[0]
    assert cf(home, "files", "site", "tmp")[0].endswith("OK\n\nNo files found\n")
    out, code = cf(home, "files", "site", "app/missing")
    assert code == 1 and out.endswith(
        "FAILED\nServer error, status code: 400, error code: 0, message: \n"
    )
    out, code = cf(home, "files", "site", "-i", "1")
    assert (out, code) == ("FAILED\nInvalid instance: 1\nInstance must be less than 1\n", 1)
    assert cf(home, "stop", "site")[1] == 0
    out, code = cf(home, "files", "site")
    assert (
        code == 1
        and "File error: Request failed for app: site path: / as the app is in stopped state."
        in out
    )


def test_cf_files_on_pws_says_its_apps_run_on_diego(home: Path) -> None:
    out, code = cf(home, "files", "workshop-12f-stock")
    assert code == 1 and "running on the Diego backend" in out


def test_cf_trace_true_shows_the_request_and_the_answer(home: Path) -> None:
    """What the platform's CF_TRACE page shows: the request with its token hidden, then
    the answer, before the command's own output; another value is not a terminal trace."""
    out, code = cf(home, "orgs", CF_TRACE="true")
    assert code == 0
    before, request = out.split("\nREQUEST: [", 1)
    assert before == "Getting orgs as user_name...\n\n"
    request, response = request.split("\nRESPONSE: [", 1)
    assert request.split("\n")[1:7] == [
        "GET /v2/organizations HTTP/1.1\r",
        "Host: api.run.pivotal.io\r",
        "Accept: application/json\r",
        "Authorization: [PRIVATE DATA HIDDEN]\r",
        "Content-Type: application/json\r",
        "User-Agent: go-cli 6.16.1+924508c / linux\r",
    ]
    assert response.split("\n")[1] == "HTTP/1.1 200 OK\r"
    assert '"name": "your-org"' in response
    assert response.rstrip().endswith("name   \nyour-org")
    assert "REQUEST:" not in cf(home, "orgs", CF_TRACE="/nowhere/trace.log")[0]
    out, code = cf(home, "curl", "-v", "/v2/info")
    assert code == 0 and "\nREQUEST: [" in out and "GET /v2/info HTTP/1.1\r\n" in out


def test_cf_curl_answers_a_resource_by_the_url_its_collection_gives(home: Path) -> None:
    """The platform's cf curl page follows an app's metadata.url to its entity."""
    import json

    apps = json.loads(cf(home, "curl", "/v2/apps")[0])
    url = apps["resources"][0]["metadata"]["url"]
    app = json.loads(cf(home, "curl", url)[0])
    assert app["entity"]["name"] == apps["resources"][0]["entity"]["name"]
    missing = json.loads(cf(home, "curl", "/v2/apps/no-such-guid")[0])
    assert missing["error_code"] == "CF-NotFound"


def test_cf_oauth_token_prints_the_sessions_token(home: Path) -> None:
    """The platform's unit takes the token for a plain curl: cf prints only the token."""
    out, code = cf(home, "oauth-token")
    assert code == 0 and out.startswith("bearer ey") and out.count("\n") == 1
    assert cf(home, "logout")[1] == 0
    out, code = cf(home, "oauth-token")
    assert code == 1 and out.startswith("Not logged in. Use 'cf login' to log in.\nFAILED\n")
