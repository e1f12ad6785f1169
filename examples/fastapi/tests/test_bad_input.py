"""Bad requests get 4xx with a clear JSON body, never 5xx; SQL-looking input
is only ever a value."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from test_api import BELLEVUE_BUYER, new_session

INJECTIONS = [
    "1' OR '1'='1",
    "1; DROP TABLE properties; --",
    "'; DELETE FROM user_preferences; --",
    "Bellevue' UNION SELECT id, title FROM properties --",
    "\\'; SELECT pg_sleep(5); --",
    "%' OR location LIKE '%",
]


def assert_error(r: Any, status: int, *needles: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["code"]
    for n in needles:
        assert n in body["detail"], body
    return body  # type: ignore[no-any-return]


def test_unknown_preference_key_did_you_mean(client: TestClient) -> None:
    body = assert_error(client.post("/api/preferences", json={"budgte": 500000}), 400,
                        "unknown field `budgte`", "did you mean `budget`?")
    assert body["code"] == "MIRA_UNKNOWN_FIELD"
    assert body["suggestion"] == "budget" and body["field"] == "budgte"
    assert_error(client.post("/api/preferences", json={"min_bedroom": 3}), 400, "did you mean `min_bedrooms`?")


def test_invalid_preference_values(client: TestClient, conn: psycopg.Connection) -> None:
    before = conn.execute("SELECT count(*) FROM user_preferences").fetchone()[0]
    assert_error(client.post("/api/preferences", json={"min_bedrooms": -1}), 422,
                 "min_bedrooms", "-1", "≥ 0")
    assert_error(client.post("/api/preferences", json={"property_types": ["igloo"]}), 422,
                 "igloo", "expected one of sfh")
    assert_error(client.post("/api/preferences", json={"listing_type": "lease-to-own"}), 422,
                 "lease-to-own")
    r = client.post("/api/preferences", content=b'{"budget": NaN}',
                    headers={"content-type": "application/json"})
    assert r.status_code in (400, 422) and "budget" in r.json()["detail"]
    assert_error(client.post("/api/preferences", json={"budget": "cheap"}), 422, "budget")
    assert_error(client.post("/api/preferences", json={"weights": {"price_match": "x"}}), 422, "weights")
    assert_error(client.post("/api/preferences", json={"min_bedrooms": 10**30}), 422, "min_bedrooms")
    assert_error(client.post("/api/preferences", json={"weights": {"pricematch": 2}}), 400, "pricematch")
    assert_error(client.post("/api/preferences", json=[1, 2]), 422)
    assert_error(client.post("/api/preferences", content=b"{not json",
                             headers={"content-type": "application/json"}), 422, "JSON")
    after = conn.execute("SELECT count(*) FROM user_preferences").fetchone()[0]
    assert after == before  # nothing invalid was stored


def test_recommendation_query_limits(client: TestClient) -> None:
    sid = new_session(client, BELLEVUE_BUYER)
    assert_error(client.get("/api/recommendations", params={"session_id": sid, "k": 0}), 422, "k")
    assert_error(client.get("/api/recommendations", params={"session_id": sid, "k": 51}), 422, "50")
    assert_error(client.get("/api/recommendations", params={"session_id": sid, "offset": -1}), 422, "offset")
    assert_error(client.get("/api/recommendations", params={"session_id": sid, "offset": 10**6}), 422, "offset")
    assert_error(client.get("/api/recommendations", params={"session_id": sid, "k": "three"}), 422, "k")
    assert_error(client.get("/api/recommendations"), 422, "session_id")
    body = assert_error(client.get("/api/recommendations",
                                   params={"session_id": "00000000-0000-4000-8000-000000000000"}),
                        404, "unknown session_id")
    assert body["code"] == "SESSION_NOT_FOUND"


def test_properties_query_limits(client: TestClient) -> None:
    for params, needle in [
        ({"limit": 0}, "limit"), ({"limit": 101}, "100"), ({"offset": -1}, "offset"),
        ({"offset": 10**7}, "offset"), ({"min_price": -5}, "min_price"),
        ({"min_price": "nan"}, "min_price"), ({"min_bedrooms": "two"}, "min_bedrooms"),
        ({"property_type": "igloo"}, "property_type"), ({"sort": "price; DROP TABLE x"}, "sort"),
        ({"min_price": 900000, "max_price": 100000}, "min_price"),
        ({"location": "x" * 201}, "location"),
    ]:
        assert_error(client.get("/api/properties", params=params), 422, needle)


def test_unknown_routes_and_methods_are_json(client: TestClient) -> None:
    assert_error(client.get("/api/nope"), 404)
    assert_error(client.delete("/api/properties/7129300520"), 405)


def test_predict_price_bad_listing(client: TestClient) -> None:
    assert_error(client.post("/api/ml/predict-price", json={"bedroms": 3}), 400,
                 "did you mean `bedrooms`?")
    assert_error(client.post("/api/ml/predict-price", json={"bedrooms": -3}), 422, "bedrooms")
    assert_error(client.post("/api/ml/predict-price", json={"size_sqft": "big"}), 422, "size_sqft")
    assert_error(client.post("/api/ml/predict-price", json={"property_type": "castle"}), 422, "castle")
    assert_error(client.post("/api/ml/predict-price", json={"latitude": 123.0}), 422, "latitude")


@pytest.mark.parametrize("evil", INJECTIONS)
def test_sql_injection_changes_nothing(client: TestClient, conn: psycopg.Connection, evil: str) -> None:
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM properties), (SELECT count(*) FROM user_preferences)"
    ).fetchone()
    r = client.get("/api/properties", params={"location": evil})
    assert r.status_code == 200 and r.json() == {"total": 0, "limit": 20, "offset": 0, "items": []}
    r = client.get(f"/api/properties/{evil}")
    assert r.status_code in (404, 422) and r.json()["detail"]
    assert client.get("/api/properties", params={"min_price": evil}).status_code == 422
    assert client.get("/api/recommendations", params={"session_id": evil}).status_code == 422
    r = client.get(f"/api/properties/{evil}/similar")
    assert r.status_code in (404, 422) and r.json()["detail"]
    for p in ("listing_type", "property_types", "currency", "max_price"):
        r = client.get("/api/properties/inv-01/similar", params={p: evil})
        assert r.status_code == 422 and r.json()["detail"], (p, r.text)
    # A preference value is only a value: stored as JSON, then refused as a
    # place no listing is in (422 naming the field), never run as SQL.
    sid = new_session(client, {"location": evil, "budget": 500000, "currency": "USD"})
    rec = client.get("/api/recommendations", params={"session_id": sid})
    assert rec.status_code == 422 and rec.json()["field"] == "location", rec.text
    assert rec.json()["code"] == "MIRA_INVALID_FIELD"
    after = conn.execute(
        "SELECT (SELECT count(*) FROM properties), (SELECT count(*) FROM user_preferences)"
    ).fetchone()
    assert after[0] == counts[0] and after[1] == counts[1] + 1


def test_nul_bytes_are_refused_not_crashed(client: TestClient) -> None:
    assert_error(client.get("/api/properties/a%00b"), 400, "NUL")
    assert_error(client.get("/api/properties", params={"location": "Bell\x00evue"}), 400, "NUL")
    r = client.post("/api/preferences", json={"location": "Bell\x00evue"})
    assert 400 <= r.status_code < 500


def test_never_5xx(client: TestClient) -> None:
    """A sweep of odd inputs over every endpoint: all answered, none 5xx."""
    sid = new_session(client, BELLEVUE_BUYER)
    odd_values: list[Any] = [None, True, -1, 0, 1e308, -1e308, 10**40, "", "😀", "a" * 10000,
                             [], {}, [None], {"x": 1}]
    fields = ["budget", "location", "min_bedrooms", "min_bathrooms", "min_size_sqft",
              "max_commute_time", "min_school_rating", "preferred_amenities",
              "must_have_amenities", "property_types", "listing_type", "weights", "similar_to"]
    listing_fields = ["bedrooms", "bathrooms", "size_sqft", "lot_sqft", "year_built", "latitude",
                      "longitude", "location", "amenities", "attributes", "school_rating",
                      "commute_time", "property_type", "listing_type", "id", "price", "image_urls"]
    statuses = []
    for v in odd_values:
        for f in fields:
            statuses.append(client.post("/api/preferences", json={f: v}).status_code)
        for f in listing_fields:
            statuses.append(client.post("/api/ml/predict-price", json={f: v}).status_code)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            for p in ("location", "min_price", "max_price", "min_bedrooms", "limit", "offset"):
                statuses.append(client.get("/api/properties", params={p: v}).status_code)
            statuses.append(client.get("/api/recommendations",
                                       params={"session_id": sid, "k": v}).status_code)
            for p in ("k", "listing_type", "property_types", "max_price", "currency"):
                statuses.append(client.get("/api/properties/inv-01/similar",
                                           params={p: v}).status_code)
            statuses.append(client.get(f"/api/properties/{v}/similar").status_code)
    for similar_to in ({"vector": [1e308] * 256}, {"vector": [0.0] * 256}, {"ids": [None]},
                       {"ids": "inv-01"}, {"ids": [], "vector": []}, {"vector": [1.0] * 5000}):
        statuses.append(client.post("/api/preferences", json={
            "budget": 500000, "currency": "USD", "similar_to": similar_to}).status_code)
    statuses.append(client.post("/api/preferences", content=b'{"similar_to": {"vector": [NaN]}}',
                                headers={"content-type": "application/json"}).status_code)
    for body in (b"", b"null", b"[]", b"3", b'"x"', b"{", b'{"budget": Infinity}'):
        for path in ("/api/preferences", "/api/ml/predict-price"):
            statuses.append(client.post(path, content=body,
                                        headers={"content-type": "application/json"}).status_code)
    assert statuses and all(s < 500 for s in statuses), sorted(set(statuses))
