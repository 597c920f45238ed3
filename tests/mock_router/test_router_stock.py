"""The stock app's data and security through the router: CRUD per database, basic auth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from router_support import curl, set_state

from workshop.mock import state as mock_state

STOCK = "http://workshop-12f-stock.cfapps.io"
ADELE = '{"type":"CD","title":"Adele","description":"Hello"}'
JSON = ("-H", "Content-Type: application/json")


def test_crud_round_trip(home: Path, router: int) -> None:
    status, _, body = curl(router, f"{STOCK}/stock", "-X", "POST", *JSON, "-d", ADELE)
    assert status == 201
    assert json.loads(body) == {"id": 1, "type": "CD", "title": "Adele", "description": "Hello"}
    assert body == '{"id":1,"type":"CD","title":"Adele","description":"Hello"}'
    assert curl(router, f"{STOCK}/stock/1")[2] == body
    assert json.loads(curl(router, f"{STOCK}/stock")[2]) == [json.loads(body)]

    changed = '{"id":1,"type":"ELECTRONICS","title":"Radio","description":null}'
    status, _, body = curl(router, f"{STOCK}/stock", "-X", "PUT", *JSON, "-d", changed)
    assert (status, json.loads(body)["title"]) == (200, "Radio")
    status, _, body = curl(router, f"{STOCK}/stock", "-X", "PUT", *JSON, "-d", '{"id":9}')
    assert (status, body) == (404, "")

    assert curl(router, f"{STOCK}/stock/1", "-X", "DELETE")[0] == 200
    status, headers, body = curl(router, f"{STOCK}/stock/1")
    assert (status, body) == (404, "")
    assert curl(router, f"{STOCK}/stock/1", "-X", "DELETE")[0] == 404


def test_items_live_in_the_bound_database(home: Path, router: int) -> None:
    curl(router, f"{STOCK}/stock", "-X", "POST", *JSON, "-d", ADELE)
    state = mock_state.load(home)
    dev = state["orgs"]["your-org"]["spaces"]["development"]["services"]["mysql"]
    stored = json.loads((home / "data" / f"{dev['guid']}.json").read_text())
    assert stored["items"][0]["title"] == "Adele"
    # another app bound to the same instance sees it; an app in another space does not
    assert len(json.loads(curl(router, "http://twin.cfapps.io/stock")[2])) == 1
    assert json.loads(curl(router, "http://prod.cfapps.io/stock")[2]) == []


def test_no_database_bound_is_a_server_error(router: int) -> None:
    status, _, body = curl(router, "http://plain.cfapps.io/stock")
    assert status == 500
    assert "CannotCreateTransactionException" in json.loads(body)["exception"]


def test_bad_item_is_a_bad_request(router: int) -> None:
    status, _, _ = curl(router, f"{STOCK}/stock", "-X", "POST", *JSON, "-d", '{"type":"BOOK"}')
    assert status == 400
    status, _, _ = curl(router, f"{STOCK}/stock", "-X", "POST", "-d", ADELE)
    assert status == 415  # curl -d without a JSON content type


def test_basic_auth(router: int) -> None:
    status, headers, body = curl(router, f"{STOCK}/secured/user")
    assert status == 401
    assert headers["www-authenticate"] == 'Basic realm="Realm"'
    assert json.loads(body)["message"] == "Full authentication is required to access this resource"
    status, _, body = curl(router, f"{STOCK}/secured/user", "-u", "user:wrong")
    assert status == 401 and json.loads(body)["message"] == "Bad credentials"
    assert curl(router, f"{STOCK}/secured/user", "-u", "user:user_pass")[2] == "Hello user!"
    assert curl(router, f"{STOCK}/secured/user", "-u", "admin:admin_pass")[2] == "Hello admin!"
    status, _, body = curl(router, f"{STOCK}/secured/admin", "-u", "user:user_pass")
    assert status == 403 and json.loads(body)["message"] == "Access is denied"
    assert curl(router, f"{STOCK}/secured/admin", "-u", "admin:admin_pass")[2] == "Hello admin!"


def test_sessions_logout_and_restarts(home: Path, router: int, tmp_path: Path) -> None:
    def restart(name: str) -> None:
        def change(state: dict[str, Any]) -> None:
            app = state["orgs"]["your-org"]["spaces"]["development"]["apps"][name]
            mock_state.start_running(app, mock_state.now() + 1)

        set_state(home, change)

    for host, survives in (("workshop-12f-stock", True), ("plain", False)):
        jar = str(tmp_path / f"{host}.jar")
        url = f"http://{host}.cfapps.io/secured/user"
        curl(router, url, "-u", "user:user_pass", "-c", jar)
        assert curl(router, url, "-b", jar)[2] == "Hello user!"  # the session cookie
        restart(host)
        # with Redis bound (Spring Session) the session survives a restart; in memory it does not
        assert (curl(router, url, "-b", jar)[0] == 200) is survives
    jar = str(tmp_path / "workshop-12f-stock.jar")
    assert curl(router, f"{STOCK}/logout", "-b", jar)[2] == "Logout done!"
    assert curl(router, f"{STOCK}/secured/user", "-b", jar)[0] == 401
