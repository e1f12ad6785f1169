"""Renting: migration 004's columns and checks, the rental filters of
/api/properties, the renter's preferences, the currency rule, and a renter's
request end to end, on the seeded PostgreSQL (King County sales in USD and
the 16 listings of fixtures/listings/rentals.json)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from conftest import INVESTMENT_LISTINGS
from mira_api import db
from test_bad_input import assert_error

# The renter of the issue: a 2-bedroom in Mumbai under ₹40,000 a month,
# moving in on 1 July 2022 for 11 months.
MUMBAI_RENTER = {
    "listing_type": "long_term_rent", "budget": 40000, "currency": "INR", "min_bedrooms": 2,
    "move_in": "2022-07-01", "lease_months": 11,
}
# Which of the fixture's listings fit that stay (hand-checked against
# fixtures/listings/README.md): long-term, in INR, available on 1 July and
# until 1 June 2023, with lease limits allowing 11 months. Left out: mum-4
# (free from 15 Jul), mum-6 (until 31 Dec 2022), mum-7 (24 months at least),
# mum-8 (short-term), mum-sale-1 (a sale), sea-* (USD). mum-5's availability is
# unknown (the engine decides whether it is kept, with a reason).
FITS_THE_STAY = {"mum-1", "mum-2", "mum-3", "mum-9", "mum-10", "pun-1", "pun-2"}
NEVER_FOR_THIS_STAY = {"mum-4", "mum-6", "mum-7", "mum-8", "mum-sale-1", "sea-1", "sea-2", "sea-3"}

RENTAL_COLUMNS = {
    "rent_period": "text", "available_from": "date", "available_until": "date",
    "min_lease_months": "integer", "max_lease_months": "integer",
    "deposit": "double precision", "furnishing": "text", "pets_allowed": "boolean",
    "floor": "integer", "total_floors": "integer", "currency": "character",
}


def ids(client: TestClient, **params: Any) -> list[Any]:
    r = client.get("/api/properties", params={"limit": 100, **params})
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == len(page["items"])
    return [item["id"] for item in page["items"]]


# --- the migration ---------------------------------------------------------------

def test_migration_004_adds_the_rental_columns(conn: psycopg.Connection) -> None:
    applied = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert applied[:4] == ["001_properties", "002_user_preferences", "003_catalog_version",
                           "004_rentals"]
    cols = dict(conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = 'properties' AND column_name = ANY(%s)", (list(RENTAL_COLUMNS),)
    ).fetchall())
    assert cols == RENTAL_COLUMNS
    width = conn.execute(
        "SELECT character_maximum_length FROM information_schema.columns"
        " WHERE table_name = 'properties' AND column_name = 'currency'"
    ).fetchone()[0]
    assert width == 3
    # The row <-> record mapping knows every column, in the core's order.
    assert db.PROPERTY_COLUMNS[16:26] == tuple(RENTAL_COLUMNS)[:10]
    assert db.PROPERTY_COLUMNS[26:28] == ("estimated_rent", "currency")


@pytest.mark.parametrize(("assignments", "constraint"), [
    ("rent_period = 'year'", "properties_rent_period_check"),
    ("rent_period = 'month', listing_type = 'sale'", "properties_rent_period_rental_check"),
    ("available_from = '2022-07-01', available_until = '2022-06-30'", "properties_available_window_check"),
    ("min_lease_months = 0", "properties_min_lease_months_check"),
    ("min_lease_months = 12, max_lease_months = 6", "properties_lease_limits_check"),
    ("deposit = -1", "properties_deposit_check"),
    ("deposit = 'Infinity'", "properties_deposit_check"),
    ("furnishing = 'half'", "properties_furnishing_check"),
    ("floor = -21", "properties_floor_check"),
    ("floor = NULL, total_floors = 0", "properties_total_floors_check"),
    ("floor = 13, total_floors = 12", "properties_floor_in_building_check"),
    ("currency = 'inr'", "properties_currency_check"),
    ("currency = 'IN1'", "properties_currency_check"),
])
def test_checks_mirror_the_engine(conn: psycopg.Connection, assignments: str, constraint: str) -> None:
    before = conn.execute("SELECT version FROM catalog_state").fetchone()[0]
    with pytest.raises(psycopg.errors.CheckViolation) as err:
        with conn.transaction():
            conn.execute(f"UPDATE properties SET {assignments} WHERE id = 'mum-1'")
    assert err.value.diag.constraint_name == constraint
    # Nothing changed: no new catalog version, mum-1 as seeded.
    assert conn.execute("SELECT version FROM catalog_state").fetchone()[0] == before
    row = conn.execute(
        "SELECT rent_period, listing_type, currency FROM properties WHERE id = 'mum-1'").fetchone()
    assert row == ("month", "long_term_rent", "INR")


# --- round trip ------------------------------------------------------------------------

MUM_1 = {
    "id": "mum-1", "title": "2 BHK near Bandra station", "price": 38000.0,
    "location": "Bandra West, Mumbai", "bedrooms": 2, "bathrooms": 2.0, "size_sqft": 850.0,
    "property_type": "apartment", "listing_type": "long_term_rent", "rent_period": "month",
    "available_from": "2022-06-28", "min_lease_months": 11, "max_lease_months": 36,
    "deposit": 150000.0, "furnishing": "semi_furnished", "pets_allowed": True, "floor": 4,
    "total_floors": 12, "currency": "INR", "amenities": ["Lift", "Gym"],
}


def test_rental_columns_round_trip(client: TestClient, conn: psycopg.Connection, holder: Any) -> None:
    row = conn.execute(
        "SELECT available_from, available_until, currency, pets_allowed, floor, deposit"
        " FROM properties WHERE id = 'mum-1'").fetchone()
    assert row == (dt.date(2022, 6, 28), None, "INR", True, 4, 150000.0)
    # The API returns them (dates as YYYY-MM-DD; unknown ones as null).
    body = client.get("/api/properties/mum-1").json()
    assert {k: body[k] for k in MUM_1} == MUM_1
    assert body["available_until"] is None
    # The engine built from the table holds the same listing.
    assert holder.state.engine.get("mum-1") == MUM_1
    # A sale from King County: currency USD (set by the seed), no rental terms.
    kc = client.get("/api/properties/7129300520").json()
    assert kc["currency"] == "USD" and kc["listing_type"] == "sale"
    assert all(kc[k] is None for k in RENTAL_COLUMNS if k != "currency")
    # Week and night rents and a closed window come back as they went in.
    sea2 = client.get("/api/properties/sea-2").json()
    assert (sea2["price"], sea2["rent_period"], sea2["currency"]) == (780.0, "week", "USD")
    assert (sea2["available_from"], sea2["available_until"]) == ("2022-07-01", "2022-10-31")
    mum8 = client.get("/api/properties/mum-8").json()
    assert (mum8["price"], mum8["rent_period"], mum8["max_lease_months"]) == (1500.0, "night", 3)


def test_a_written_row_reads_back_as_the_same_record() -> None:
    rec = {**MUM_1, "id": "rt-1", "available_until": "2023-05-31"}
    row = db.record_to_row(rec)
    as_db = dict(zip(db.PROPERTY_COLUMNS, row))
    assert as_db["available_from"] == dt.date(2022, 6, 28)
    assert as_db["available_until"] == dt.date(2023, 5, 31)
    as_db["attributes"] = {}
    assert db.row_to_record(as_db) == rec


# --- /api/properties filters -------------------------------------------------------------

def test_filter_by_listing_type(client: TestClient) -> None:
    # inv-rent-1: the investment fixture's one rental (Seattle, no dates).
    assert ids(client, listing_type="long_term_rent") == [
        "inv-rent-1", "mum-1", "mum-10", "mum-2", "mum-3", "mum-4", "mum-5", "mum-6", "mum-7",
        "mum-9", "pun-1", "pun-2", "sea-1", "sea-2",
    ]
    assert ids(client, listing_type="short_term_rent") == ["mum-8", "sea-3"]
    assert ids(client, listing_type="long_term_rent", location="Seattle") == [
        "inv-rent-1", "sea-1", "sea-2"]
    sales = client.get("/api/properties", params={"listing_type": "sale", "limit": 1}).json()
    # King County, mum-sale-1 and the investment fixture's sales.
    assert sales["total"] == 21430 + 1 + sum(
        rec.get("listing_type") == "sale" for rec in INVESTMENT_LISTINGS)


def test_filter_by_available_on(client: TestClient) -> None:
    # 1 July 2022: every listing free that day; mum-4 (from 15 Jul) is not, and
    # neither are listings whose availability is unknown (mum-5, the sales).
    assert ids(client, available_on="2022-07-01") == [
        "mum-1", "mum-10", "mum-2", "mum-3", "mum-6", "mum-7", "mum-8", "mum-9",
        "pun-1", "pun-2", "sea-1", "sea-2", "sea-3",
    ]
    # Both ends are inclusive: sea-2 is free 1 Jul – 31 Oct, sea-3 until 31 Aug.
    assert "sea-2" not in ids(client, available_on="2022-06-30")
    assert ids(client, available_on="2022-10-31", location="Seattle") == ["sea-1", "sea-2"]
    assert ids(client, available_on="2022-11-01", location="Seattle") == ["sea-1"]
    # With listing_type: short stays on 1 Sep (Colaba until 30 Sep; Seattle's until 31 Aug).
    assert ids(client, listing_type="short_term_rent", available_on="2022-09-01") == ["mum-8"]
    # Before anything is free: nothing.
    assert ids(client, available_on="2022-01-01") == []


@pytest.mark.parametrize(("params", "field", "detail"), [
    ({"available_on": "2022-13-01"}, "available_on",
     'available_on: "2022-13-01" is not a day: expected a real calendar date written YYYY-MM-DD'),
    ({"available_on": "2022-02-29"}, "available_on",
     'available_on: "2022-02-29" is not a day: expected a real calendar date written YYYY-MM-DD'),
    ({"available_on": "1 July"}, "available_on",
     'available_on: "1 July" is not a day: expected a real calendar date written YYYY-MM-DD'),
    ({"available_on": "20220701"}, "available_on",
     'available_on: "20220701" is not a day: expected a real calendar date written YYYY-MM-DD'),
    ({"available_on": "1656633600"}, "available_on",
     'available_on: "1656633600" is not a day: expected a real calendar date written YYYY-MM-DD'),
    ({"available_on": "2022-07-01T10:30:00"}, "available_on",
     'available_on: "2022-07-01T10:30:00" is not a day: expected a real calendar date written '
     "YYYY-MM-DD"),
    ({"available_on": "2" * 33}, "query.available_on",
     "query.available_on: String should have at most 32 characters"),
    ({"listing_type": "lease"}, "query.listing_type",
     "query.listing_type: Input should be 'sale', 'long_term_rent', 'short_term_rent' or 'investment'"),
])
def test_bad_rental_filters_are_422(
    client: TestClient, params: dict[str, str], field: str, detail: str,
) -> None:
    body = assert_error(client.get("/api/properties", params=params), 422)
    assert body["detail"] == detail
    assert body["code"] == "REQUEST_INVALID"
    assert body["field"] == field


# --- the renter's preferences -----------------------------------------------------------

def test_renter_preferences_are_stored_as_sent(client: TestClient, conn: psycopg.Connection) -> None:
    prefs = {**MUMBAI_RENTER, "budget_period": "month", "furnishing": "semi_furnished", "pets": True}
    r = client.post("/api/preferences", json=prefs)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["preferences"] == prefs
    row = conn.execute("SELECT preferences FROM user_preferences WHERE session_id = %s",
                       (body["session_id"],)).fetchone()
    assert row[0] == prefs


@pytest.mark.parametrize(("prefs", "status", "field", "detail"), [
    ({"listing_type": "long_term_rent", "currency": "INR", "move_in": "2022-13-01"}, 422, "move_in",
     'preferences: field `move_in` = "2022-13-01": expected a real calendar date written YYYY-MM-DD '
     "(month 01–12, year 0001–9999)"),
    ({"currency": "INR", "lease_months": 11}, 422, "lease_months",
     "preferences: field `lease_months` = 11: expected listing_type long_term_rent or "
     "short_term_rent beside it (a lease is for renters)"),
    ({"listing_type": "long_term_rent", "currency": "INR", "budget_period": "year"}, 422,
     "budget_period",
     'preferences: field `budget_period` = "year": expected one of month, week, night (rent period)'),
    ({"currency": "INR", "furnishing": "half"}, 422, "furnishing",
     'preferences: field `furnishing` = "half": expected one of furnished, semi_furnished, '
     "unfurnished (furnishing)"),
    ({"currency": "XYZ"}, 422, "currency",
     'preferences: field `currency` = "XYZ": expected an ISO 4217 currency code in use (XYZ is not '
     "one), such as USD, EUR or INR"),
    ({"currency": "INR", "pets": "yes"}, 422, "pets", "pets: Input should be a valid boolean"),
    ({"currency": "INR", "lease_months": 11.5, "listing_type": "long_term_rent"}, 422,
     "lease_months",
     "lease_months: Input should be a valid integer, got a number with a fractional part"),
    ({"listing_type": "long_term_rent", "budget": 40000}, 422, "currency",
     'currency: listings are priced in INR and USD; name the currency of your budget ("INR" or "USD")'),
])
def test_bad_renter_preferences_are_refused(
    client: TestClient, conn: psycopg.Connection, prefs: dict[str, Any], status: int, field: str,
    detail: str,
) -> None:
    before = conn.execute("SELECT count(*) FROM user_preferences").fetchone()[0]
    body = assert_error(client.post("/api/preferences", json=prefs), status)
    assert body["detail"] == detail
    assert body["field"] == field
    assert conn.execute("SELECT count(*) FROM user_preferences").fetchone()[0] == before


@pytest.mark.parametrize(("location", "currency"), [
    ("Bandra West, Mumbai", "INR"),
    ("mumbai", "INR"),
    ("Kothrud, Pune", "INR"),
    ("Seattle, WA", "USD"),
    ("Bellevue", "USD"),
])
def test_the_location_settles_the_currency(client: TestClient, location: str, currency: str) -> None:
    r = client.post("/api/preferences", json={"listing_type": "long_term_rent", "location": location})
    assert r.status_code == 201, r.text
    assert r.json()["preferences"]["currency"] == currency


def test_a_named_currency_is_kept(client: TestClient) -> None:
    prefs = {"listing_type": "long_term_rent", "location": "Seattle, WA", "currency": "INR"}
    r = client.post("/api/preferences", json=prefs)
    assert r.status_code == 201 and r.json()["preferences"] == prefs


# --- a renter, end to end -------------------------------------------------------------

def test_a_mumbai_renter_gets_rentals_that_fit_the_stay(client: TestClient, holder: Any) -> None:
    r = client.post("/api/preferences", json=MUMBAI_RENTER)
    assert r.status_code == 201, r.text
    sid = r.json()["session_id"]
    r = client.get("/api/recommendations", params={"session_id": sid, "k": 20})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["currency"] == "INR"
    # Every dollar listing (King County's 21,430 sales, the three Seattle
    # rentals and the investment fixture's sales) is left out and counted.
    assert body["other_currency"] == 21_430 + 3 + sum(
        (rec.get("currency") or "USD") == "USD" for rec in INVESTMENT_LISTINGS)
    results = body["results"]
    got = {rec["id"] for rec in results}
    # Only rentals, in rupees, that fit a stay from 1 Jul 2022 for 11 months.
    assert all(rec["property"]["listing_type"] == "long_term_rent" for rec in results)
    assert all(rec["property"]["currency"] == "INR" for rec in results)
    assert FITS_THE_STAY <= got <= FITS_THE_STAY | {"mum-5"}
    assert not got & NEVER_FOR_THIS_STAY
    # Ranked and explained exactly as the engine does it.
    direct = holder.state.engine.recommend(MUMBAI_RENTER, k=20)
    assert [rec["id"] for rec in results] == [d.id for d in direct]
    assert [rec["reasons"] for rec in results] == [d.reasons for d in direct]
    scores = [rec["score"] for rec in results]
    assert scores == sorted(scores, reverse=True)
    # The rent reason, in rupees a month.
    by_id = {rec["id"]: rec for rec in results}
    assert "Rent ₹38,000/month is within your ₹40,000 budget" in by_id["mum-1"]["reasons"]
    assert by_id["mum-1"]["rent_per_month"] == 38000
    assert by_id["mum-3"]["rent_per_month"] == pytest.approx(9000 * 52 / 12)


def test_a_renter_naming_only_mumbai_is_answered_in_rupees(client: TestClient) -> None:
    prefs = {k: v for k, v in MUMBAI_RENTER.items() if k != "currency"}
    r = client.post("/api/preferences", json={**prefs, "location": "Mumbai"})
    assert r.status_code == 201, r.text
    assert r.json()["preferences"]["currency"] == "INR"  # settled by the location
    body = client.get("/api/recommendations",
                      params={"session_id": r.json()["session_id"], "k": 20}).json()
    assert body["currency"] == "INR"
    got = {rec["id"] for rec in body["results"]}
    assert got and got <= FITS_THE_STAY | {"mum-5"}
    assert all(rec["currency"] == "INR" for rec in body["results"])
    top = body["results"][0]
    assert any("Mumbai" in s for s in top["reasons"]), top["reasons"]


# --- the real India rent listings -------------------------------------------------------

@pytest.fixture(scope="module")
def india_client(database_url: str, settings: Any) -> Any:
    """An app on its own database in the suite's cluster, seeded with the
    hand-written rentals and the 4,746 real India rentals (no King County)."""
    from dataclasses import replace

    from mira_api.config import DEFAULT_INDIA_RENT_PATH, DEFAULT_RENTALS_PATH
    from mira_api.main import create_app
    from mira_api.seed import seed

    with psycopg.connect(database_url, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS mira_india")
        c.execute("CREATE DATABASE mira_india")
    url = database_url.rsplit("/", 1)[0] + "/mira_india"
    n = seed(url, DEFAULT_RENTALS_PATH, rentals_path=None, india_rent_path=DEFAULT_INDIA_RENT_PATH,
             investment_path=None)
    assert n == 16 + 4746
    app = create_app(replace(settings, database_url=url, model_path=None))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, url


def test_india_rent_rows_load_as_they_are(india_client: Any) -> None:
    client, url = india_client
    with psycopg.connect(url) as c:
        counts = c.execute(
            "SELECT count(*), count(available_from), count(*) FILTER (WHERE currency = 'INR'),"
            " count(*) FILTER (WHERE rent_period = 'month'), min(available_from), max(available_from)"
            " FROM properties WHERE attributes ? 'city'").fetchone()
    # Every row: a monthly rent in rupees, "Posted On" as available_from (Apr–Jul 2022).
    assert counts == (4746, 4746, 4746, 4746, dt.date(2022, 4, 13), dt.date(2022, 7, 11))
    page = client.get("/api/properties", params={"listing_type": "long_term_rent", "limit": 1}).json()
    assert page["total"] == 4746 + 13


def test_a_mumbai_renter_on_the_real_india_listings(india_client: Any) -> None:
    client, url = india_client
    prefs = {"listing_type": "long_term_rent", "budget": 40000, "location": "Mumbai",
             "min_bedrooms": 2, "move_in": "2022-07-01", "lease_months": 11}
    r = client.post("/api/preferences", json=prefs)
    assert r.status_code == 201, r.text
    assert r.json()["preferences"]["currency"] == "INR"
    body = client.get("/api/recommendations",
                      params={"session_id": r.json()["session_id"], "k": 50}).json()
    results = body["results"]
    assert len(results) == 50 and body["currency"] == "INR"
    for rec in results:
        p = rec["property"]
        assert p["listing_type"] == "long_term_rent" and p["currency"] == "INR"
        # Free on 1 Jul 2022 and until the lease ends (1 Jun 2023).
        assert p["available_from"] is None or p["available_from"] <= "2022-07-01", p
        assert p["available_until"] is None or p["available_until"] >= "2023-06-01", p
        assert p["bedrooms"] >= 2
    # Mumbai first: the top results are in Mumbai, with the rent reason.
    top = results[0]
    assert top["property"]["location"].endswith(", Mumbai")
    assert any(s.startswith("Rent ₹") and s.endswith("/month is within your ₹40,000 budget")
               for s in top["reasons"]), top["reasons"]
    # available_on: the India rows posted by 1 Jul 2022 (counted from the CSV
    # itself) and the 13 hand-written listings free that day.
    from mira_api.config import DEFAULT_INDIA_RENT_PATH

    with DEFAULT_INDIA_RENT_PATH.open(newline="", encoding="utf-8") as f:
        posted = [dt.datetime.strptime(row["Posted On"], "%d-%m-%Y").date() for row in csv.DictReader(f)]
    india_free = sum(d <= dt.date(2022, 7, 1) for d in posted)
    page = client.get("/api/properties", params={"available_on": "2022-07-01", "limit": 1}).json()
    assert page["total"] == india_free + 13 == 3814
