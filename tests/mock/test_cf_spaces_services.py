"""Transcripts of spaces and services commands (reference §4, §5), colour off."""

from __future__ import annotations

from pathlib import Path

from cf_support import cf

WHERE = "in org your-org / space development as user_name"
MARKET_ROWS_CLEARDB = "cleardb          spark, boost*, amp*, shock*                                                          Highly available MySQL for your Apps.   \n"
MARKET_ROWS_REDIS = "rediscloud       100mb*, 250mb*, 500mb*, 1gb*, 2-5gb*, 5gb*, 10gb*, 50gb*, 30mb                       Enterprise-Class Redis for Developers   \n"
MARKET_TAIL = (
    "\n* These service plans have an associated cost. Creating a service instance will incur this cost.\n\n"
    "TIP:  Use 'cf marketplace -s SERVICE' to view descriptions of individual plans of a given service.\n"
)


def test_spaces_create_and_delete(home: Path) -> None:
    assert cf(home, "spaces") == (
        "Getting spaces in org your-org as user_name...\n\nname   \ndevelopment   \n",
        0,
    )
    assert cf(home, "create-space", "production_test") == (
        "Creating space production_test in org your-org as user_name...\nOK\n"
        "Assigning role SpaceManager to user user_name in org your-org / space production_test as user_name...\nOK\n"
        "Assigning role SpaceDeveloper to user user_name in org your-org / space production_test as user_name...\nOK\n\n"
        'TIP: Use \'cf target -o "your-org" -s "production_test"\' to target new space\n',
        0,
    )
    assert cf(home, "create-space", "production_test") == (
        "Creating space production_test in org your-org as user_name...\nOK\nSpace production_test already exists\n",
        0,
    )
    assert cf(home, "create-space", "x", "-o", "nope") == (
        "Creating space x in org nope as user_name...\nFAILED\nOrg nope does not exist or is not accessible\n",
        1,
    )
    assert cf(home, "spaces")[0].endswith("name   \ndevelopment   \nproduction_test   \n")
    assert cf(home, "delete-space", "nope", "-f") == ("FAILED\nSpace nope not found\n", 1)
    assert cf(home, "delete-space", "production_test", stdin="n\n") == (
        "\nReally delete the space production_test?> Delete cancelled\n",
        0,
    )
    assert cf(home, "delete-space", "production_test", stdin="yes\n") == (
        "\nReally delete the space production_test?> Deleting space production_test in org your-org as user_name...\nOK\n",
        0,
    )
    assert cf(home, "delete-space", "development", "-f") == (
        "Deleting space development in org your-org as user_name...\nOK\n"
        "TIP: No space targeted, use 'cf target -s' to target a space\n",
        0,
    )
    assert cf(home, "spaces") == (
        "Getting spaces in org your-org as user_name...\n\nname   \nNo spaces found\n",
        0,
    )
    assert cf(home, "routes") == (
        "FAILED\nNo space targeted, use 'cf target -s' to target a space\n",
        1,
    )


def test_marketplace(home: Path, fresh: Path) -> None:
    out, code = cf(home, "marketplace")
    assert code == 0
    head = (
        f"Getting services from marketplace {WHERE}...\nOK\n\n"
        "service          plans                                                                                description   \n"
    )
    assert out.startswith(head) and out.endswith(MARKET_TAIL)
    assert MARKET_ROWS_CLEARDB in out and MARKET_ROWS_REDIS in out
    assert cf(home, "m", "-s", "cleardb") == (
        "Getting service plan information for service cleardb as user_name...\nOK\n\n"
        "service plan   description                                                                     free or paid   \n"
        "spark          Great for getting started and developing your apps                              free   \n"
        "boost          Best for light production or staging your applications                          paid   \n"
        "amp            For apps with moderate data requirements                                        paid   \n"
        "shock          Designed for apps where you need real MySQL reliability, power and throughput   paid   \n",
        0,
    )
    assert cf(home, "marketplace", "-s", "nope") == (
        "Getting service plan information for service nope as user_name...\nFAILED\nService offering nope not found\n",
        1,
    )
    out, code = cf(fresh, "marketplace")
    assert code == 0 and out.startswith("Getting all services from marketplace...\nOK\n\nservice ")
    assert cf(home, "target", "-o", "your-org")[1] == 0
    cf(home, "create-space", "other")
    assert cf(home, "target", "-o", "your-org")[1] == 0
    assert cf(home, "marketplace") == (
        "FAILED\nCannot list marketplace services without a targeted space\n",
        1,
    )


def test_create_service_paths(home: Path) -> None:
    creating = f"Creating service instance db {WHERE}...\n"
    assert cf(home, "create-service", "cleardb", "spark", "db") == (creating + "OK\n", 0)
    assert cf(home, "create-service", "cleardb", "spark", "db") == (
        creating + "OK\nService db already exists\n",
        0,
    )
    assert cf(home, "create-service", "cleardb", "boost", "db") == (
        creating + "FAILED\nServer error, status code: 400, error code: 60002, message: "
        "The service instance name is taken: db\n",
        1,
    )
    assert cf(home, "cs", "cleardb", "boost", "big") == (
        f"Creating service instance big {WHERE}...\nOK\n\nAttention: The plan `boost` of service `cleardb` is not "
        "free.  The instance `big` will incur a cost.  Contact your administrator if you think this is in error.\n\n",
        0,
    )
    assert cf(home, "create-service", "nosql", "spark", "x") == (
        f"Creating service instance x {WHERE}...\nFAILED\nService offering nosql not found\n",
        1,
    )
    assert cf(home, "create-service", "cleardb", "huge", "x") == (
        f"Creating service instance x {WHERE}...\nFAILED\nCould not find plan with name huge\n",
        1,
    )
    assert cf(home, "create-service", "cleardb", "spark", "x", "-c", "{bad") == (
        "FAILED\nInvalid configuration provided for -c flag. Please provide a valid JSON object or path to a file "
        "containing a valid JSON object.\n",
        1,
    )


def test_services_bind_unbind_delete(home: Path) -> None:
    assert cf(home, "services") == (
        f"Getting services {WHERE}...\nOK\n\n"
        "name    service      plan    bound apps           last operation   \n"
        "mysql   cleardb      spark   workshop-12f-stock   create succeeded   \n"
        "redis   rediscloud   30mb    workshop-12f-stock   create succeeded   \n",
        0,
    )
    app = "workshop-12f-stock"
    assert cf(home, "unbind-service", app, "redis") == (
        f"Unbinding app {app} from service redis {WHERE}...\nOK\n",
        0,
    )
    assert cf(home, "unbind-service", app, "redis") == (
        f"Unbinding app {app} from service redis {WHERE}...\nOK\nBinding between redis and {app} did not exist\n",
        0,
    )
    assert cf(home, "bind-service", app, "redis") == (
        f"Binding service redis to app {app} {WHERE}...\nOK\n"
        f"TIP: Use 'cf restage {app}' to ensure your env variable changes take effect\n",
        0,
    )
    assert cf(home, "bs", app, "redis") == (
        f"Binding service redis to app {app} {WHERE}...\nOK\nApp {app} is already bound to redis.\n",
        0,
    )
    assert cf(home, "bind-service", "nope", "redis") == ("FAILED\nApp nope not found\n", 1)
    assert cf(home, "bind-service", app, "nope") == ("FAILED\nService instance nope not found\n", 1)
    assert cf(home, "delete-service", "mysql", "-f") == (
        f"Deleting service mysql {WHERE}...\nFAILED\n"
        "Cannot delete service instance, service keys and bindings must first be deleted\n",
        1,
    )
    assert cf(home, "delete-service", "ghost", stdin="y\n") == (
        f"\nReally delete the service ghost?> Deleting service ghost {WHERE}...\nOK\nService ghost does not exist.\n",
        0,
    )
    assert cf(home, "delete-service", "redis", stdin="\n") == (
        "\nReally delete the service redis?> Delete cancelled\n",
        0,
    )
    cf(home, "unbind-service", app, "redis")
    assert cf(home, "ds", "redis", "-f") == (f"Deleting service redis {WHERE}...\nOK\n", 0)
    out, _ = cf(home, "services")
    assert "redis" not in out


def test_user_provided_service(home: Path) -> None:
    assert cf(home, "cups", "logstash-drain", "-l", "syslog://logs.example.com:5000") == (
        f"Creating user provided service logstash-drain {WHERE}...\nOK\n",
        0,
    )
    assert cf(home, "create-user-provided-service", "creds", "-p", '{"user":"admin"}')[1] == 0
    assert cf(home, "cups", "asked", "-p", "host, port", stdin="db.example.com\n5432\n") == (
        f"\nhost> \nport> Creating user provided service asked {WHERE}...\nOK\n",
        0,
    )
    assert cf(home, "cups", "creds") == (
        f"Creating user provided service creds {WHERE}...\nFAILED\n"
        "Server error, status code: 400, error code: 60002, message: The service instance name is taken: creds\n",
        1,
    )
    out, _ = cf(home, "services")
    assert "logstash-drain   user-provided                            " in out
    cf(home, "bind-service", "workshop-12f-stock", "asked")
    env, _ = cf(home, "env", "workshop-12f-stock")
    assert (
        '"user-provided": [' in env
        and '"host": "db.example.com"' in env
        and '"port": "5432"' in env
    )


def test_update_user_provided_service_replaces_its_credentials(home: Path) -> None:
    cf(home, "cups", "creds", "-p", '{"host":"old-host","port":"1"}')
    cf(home, "bind-service", "workshop-12f-stock", "creds")
    tip = (
        "TIP: Use 'cf restage' for any bound apps to ensure your env variable changes take effect\n"
    )
    assert cf(home, "uups", "creds", "-p", '{"host":"the-db-host","db_port":"3306"}') == (
        f"Updating user provided service creds {WHERE}...\nOK\n{tip}",
        0,
    )
    env, _ = cf(home, "env", "workshop-12f-stock")
    assert '"db_port": "3306"' in env and '"host": "the-db-host"' in env
    assert '"port": "1"' not in env  # cf sends the whole set: a key not given is gone
    assert cf(home, "update-user-provided-service", "creds", "-p", "user", stdin="me\n") == (
        f"\nuser> Updating user provided service creds {WHERE}...\nOK\n{tip}",
        0,
    )
    assert cf(home, "uups", "creds") == (
        f"Updating user provided service creds {WHERE}...\nOK\n{tip}"
        "No flags specified. No changes were made.\n",
        0,
    )
    assert cf(home, "uups", "nope", "-p", "{}") == ("FAILED\nService instance nope not found\n", 1)
    cf(home, "create-service", "cleardb", "spark", "mysql")
    assert cf(home, "uups", "mysql", "-p", "{}") == (
        "FAILED\nService Instance is not user provided\n",
        1,
    )
