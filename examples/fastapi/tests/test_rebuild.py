"""LISTEN/NOTIFY: a change in `properties` reaches recommendations, and the
swap never drops or breaks a request."""

from __future__ import annotations

import threading
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from psycopg.types.json import Jsonb

from conftest import SEEDED, wait_for_catalog_version
from mira_api import db
from test_api import new_session

# A place no listing is in does not settle the currency, so it is named.
TESTVILLE = {"budget": 1_500_000, "location": "Testville, WA", "min_bedrooms": 3, "currency": "USD"}


def db_version(conn: psycopg.Connection) -> int:
    return int(conn.execute("SELECT version FROM catalog_state").fetchone()[0])


def rec_ids(client: TestClient, sid: str, k: int = 3) -> list[Any]:
    r = client.get("/api/recommendations", params={"session_id": sid, "k": k})
    assert r.status_code == 200, r.text
    return [x["id"] for x in r.json()["results"]]


def assert_place_refused(client: TestClient, sid: str) -> None:
    """While no listing is in Testville, the engine refuses the place (a
    misspelt or unknown place must not score every listing 0)."""
    r = client.get("/api/recommendations", params={"session_id": sid})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "MIRA_INVALID_FIELD"
    assert 'field `location` = "Testville, WA"' in r.json()["detail"]


def test_insert_update_delete_reach_recommendations(client: TestClient, conn: psycopg.Connection) -> None:
    sid = new_session(client, TESTVILLE)
    assert_place_refused(client, sid)

    # INSERT: the trigger bumps the version and NOTIFYs; the listener rebuilds.
    v0 = db_version(conn)
    conn.execute(
        "INSERT INTO properties (id, title, price, location, bedrooms, bathrooms, size_sqft,"
        " year_built, property_type, listing_type, amenities, attributes)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        ("tv-1", "4 bd home in Testville", 450_000, "Testville, WA", 4, 2.5, 2200, 2020,
         "sfh", "sale", ["view"], Jsonb({"zipcode": 98004})),
    )
    v1 = db_version(conn)
    assert v1 == v0 + 1
    wait_for_catalog_version(client, v1)
    top = client.get("/api/recommendations", params={"session_id": sid}).json()
    assert top["catalog_version"] >= v1
    first = top["results"][0]
    assert first["id"] == "tv-1"
    assert first["property"]["title"] == "4 bd home in Testville"
    assert any("Testville" in s for s in first["reasons"])
    assert client.get("/api/properties/tv-1").json()["price"] == 450_000

    # UPDATE: the new price and title are what the engine serves.
    conn.execute("UPDATE properties SET price = %s, title = %s WHERE id = %s",
                 (475_000, "4 bd home in Testville, new roof", "tv-1"))
    v2 = db_version(conn)
    assert v2 == v1 + 1
    wait_for_catalog_version(client, v2)
    first = client.get("/api/recommendations", params={"session_id": sid}).json()["results"][0]
    assert first["id"] == "tv-1"
    assert first["listed_price"] == 475_000
    assert first["property"]["title"] == "4 bd home in Testville, new roof"
    assert client.get("/api/properties/tv-1").json()["price"] == 475_000

    # DELETE: gone from the engine and the table.
    conn.execute("DELETE FROM properties WHERE id = %s", ("tv-1",))
    v3 = db_version(conn)
    h = wait_for_catalog_version(client, v3)
    assert h["listings"] == SEEDED
    assert_place_refused(client, sid)
    assert client.get("/api/properties/tv-1").status_code == 404


def test_one_statement_one_version(client: TestClient, conn: psycopg.Connection) -> None:
    v0 = db_version(conn)
    n = conn.execute(
        "UPDATE properties SET title = title WHERE location = 'Medina, WA'"
    ).rowcount
    assert n > 10
    assert db_version(conn) == v0 + 1
    wait_for_catalog_version(client, v0 + 1)


def test_rolled_back_change_is_invisible(client: TestClient, conn: psycopg.Connection) -> None:
    v0 = db_version(conn)
    try:
        with conn.transaction():
            conn.execute("UPDATE properties SET price = 1 WHERE id = '7129300520'")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert db_version(conn) == v0
    assert client.get("/api/properties/7129300520").json()["price"] == 221900


def test_in_flight_requests_keep_their_engine(client: TestClient, holder: Any, conn: psycopg.Connection) -> None:
    old = holder.state
    new = holder.rebuild("test", force=True)
    assert new is not old and holder.state is new
    # The old engine object still answers, untouched by the swap.
    prefs = {"budget": 900_000, "location": "Bellevue, WA", "currency": "USD"}
    assert [r.id for r in old.engine.recommend(prefs)] == [r.id for r in new.engine.recommend(prefs)]


def test_no_request_dropped_during_rebuilds(client: TestClient, conn: psycopg.Connection) -> None:
    sid = new_session(client, {"budget": 800_000, "location": "Kirkland, WA"})
    stop = threading.Event()
    statuses: list[int] = []
    counts: list[int] = []

    def hammer() -> None:
        while not stop.is_set():
            r = client.get("/api/recommendations", params={"session_id": sid})
            statuses.append(r.status_code)
            counts.append(len(r.json().get("results", [])))

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(3):
            conn.execute("UPDATE properties SET title = %s WHERE id = '0114101516'",
                         (f"3 bd, 1 ba home in Kenmore ({i})",))
            wait_for_catalog_version(client, db_version(conn))
    finally:
        stop.set()
        for t in threads:
            t.join()
    conn.execute("UPDATE properties SET title = '3 bd, 1 ba home in Kenmore' WHERE id = '0114101516'")
    wait_for_catalog_version(client, db_version(conn))
    assert len(statuses) > 10
    assert set(statuses) == {200} and set(counts) == {3}


def test_bad_row_keeps_the_old_engine(client: TestClient, holder: Any, conn: psycopg.Connection) -> None:
    """A row the engine refuses (here: 5,000 bedrooms) fails the rebuild; the
    old engine keeps serving and the failure is counted; fixing the row
    recovers."""
    failures = holder.rebuild_failures
    served = holder.state.catalog_version
    conn.execute("INSERT INTO properties (id, price, bedrooms) VALUES ('bad-1', 100000, 5000)")
    bad_version = db_version(conn)
    for _ in range(100):
        if holder.rebuild_failures > failures:
            break
        threading.Event().wait(0.1)
    assert holder.rebuild_failures > failures
    assert holder.state.catalog_version == served < bad_version
    sid = new_session(client, {"budget": 500_000, "currency": "USD"})
    assert client.get("/api/recommendations", params={"session_id": sid}).status_code == 200
    conn.execute("DELETE FROM properties WHERE id = 'bad-1'")
    wait_for_catalog_version(client, db_version(conn))
    metrics = client.get("/metrics").text
    assert "mira_engine_rebuild_failures_total" in metrics


def test_migrations_and_seed_are_idempotent(database_url: str, conn: psycopg.Connection) -> None:
    from mira_api.config import Settings
    from mira_api.seed import seed

    assert db.migrate(conn) == []
    names = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert names == [name for name, _ in db.migration_files()]
    assert seed(database_url, Settings(database_url=database_url).listings_path) == 0
