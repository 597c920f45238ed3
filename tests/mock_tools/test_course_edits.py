"""The lessons' work folders hold what they ask to edit, and the offline build notices the edit.

Real bash, the real mock ``mvn``, ``cf push`` and the router, as a learner of the course
would go: the pushed app behaves as the code it was built from.
"""

from __future__ import annotations

from pathlib import Path

from tools_support import in_mock

RESOURCE = "src/main/java/com/altoros/stock/resources/StockResource.java"
PING = "curl -s http://workshop-12f-stock.cfapps.io/stock/ping; echo\n"


def test_config_needs_the_edit_for_the_ping_to_read_the_environment(home: Path) -> None:
    done = in_mock(
        home,
        "set -e\n"
        f"test -f {RESOURCE} && test -f pom.xml\n"
        "mvn -q clean install\n"
        "cf push workshop-12f-stock -p target/stock-1.0-SNAPSHOT.jar > /dev/null\n"
        + PING
        + f'sed -i \'s|return "Ping";|return "Ping " + environment.getProperty("environment.variable");|\' {RESOURCE}\n'
        "mvn -q clean install\n"
        "cf push workshop-12f-stock -p target/stock-1.0-SNAPSHOT.jar > /dev/null\n" + PING,
        lesson="config",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "Ping\nPing null\n"  # before the edit, then after it


def test_logs_needs_logback_for_the_search_to_be_logged(home: Path) -> None:
    grep = "cf logs workshop-12f-stock --recent | grep -c 'search of stock item' || true\n"
    done = in_mock(
        home,
        "set -e\ncf target -s development > /dev/null\n"
        "test -f src/main/java/com/altoros/stock/resources/StockSpringBootStarter.java\n"
        "mvn -q clean install\ncf push > /dev/null\n"
        "curl -s http://workshop-12f-stock.cfapps.io/stock/1; echo\n"
        + grep
        + "mkdir -p src/main/resources\n"
        "echo '<configuration/>' > src/main/resources/logback.xml\n"
        "sed -i 's|</dependencies>|<dependency><artifactId>logback-classic</artifactId></dependency>&|' pom.xml\n"
        f"sed -i 's|^        StockItem found|        LOGGER.info(\"Starting search of stock item\");\\n&|' {RESOURCE}\n"
        "mvn -q clean install\ncf push > /dev/null\n"
        "curl -s http://workshop-12f-stock.cfapps.io/stock/1 > /dev/null\n" + grep,
        lesson="logs",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    item, before, after = done.stdout.splitlines()
    assert '"title":"Adele"' in item  # the item chapter IV stored
    assert (before, after) == ("0", "2")  # no search lines before the edit; start and end after


def test_a_project_without_sources_keeps_every_feature(home: Path) -> None:
    done = in_mock(
        home,
        "set -e\nrm -rf src\nmvn -q clean install\n"
        "cf push workshop-12f-stock -p target/stock-1.0-SNAPSHOT.jar > /dev/null\n"
        "cf set-env workshop-12f-stock environment.variable v > /dev/null\n"
        "cf restart workshop-12f-stock > /dev/null\n" + PING,
        lesson="config",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "Ping v\n"


def test_backing_services_needs_the_crud_code_for_stock_to_answer(home: Path) -> None:
    post = (
        "curl -s -o /dev/null -w '%{http_code}\\n' -X POST -H 'Content-Type: application/json'"
        ' -d \'{"type":"CD","title":"Adele"}\' http://workshop-12f-stock.cfapps.io/stock\n'
    )
    model = "src/main/java/com/altoros/stock/domain/model"
    done = in_mock(
        home,
        "set -e\ncf create-service cleardb spark mysql > /dev/null\n"
        "cf bind-service workshop-12f-stock mysql > /dev/null\n"
        "mvn -q clean install\ncf push workshop-12f-stock -p target/stock-1.0-SNAPSHOT.jar > /dev/null\n"
        + post
        + "sed -i 's|</dependencies>|<dependency><artifactId>spring-boot-starter-data-jpa</artifactId></dependency>&|' pom.xml\n"
        f"mkdir -p {model}\n"
        "echo 'public interface StockItemRepository extends CrudRepository<StockItem, Long> {}'"
        f" > {model}/StockItemRepository.java\n"
        f"sed -i 's|^    @RequestMapping(value = \"/ping\"|    @RequestMapping(method = RequestMethod.POST)\\n&|' {RESOURCE}\n"
        "mvn -q clean install\ncf push workshop-12f-stock -p target/stock-1.0-SNAPSHOT.jar > /dev/null\n"
        + post,
        lesson="backing-services",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "404\n201\n"  # no /stock handler before the edit; the item stored after
