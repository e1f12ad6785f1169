"""Every endpoint's happy path, against the seeded PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import agent_mira
import psycopg
from fastapi.testclient import TestClient

from conftest import SEEDED, TEST_ORIGIN
from mira_api.config import DEFAULT_MODEL_PATH

BELLEVUE_BUYER = {"budget": 900_000, "location": "Bellevue, WA", "min_bedrooms": 3}


def new_session(client: TestClient, prefs: dict[str, Any]) -> str:
    r = client.post("/api/preferences", json=prefs)
    assert r.status_code == 201, r.text
    return str(r.json()["session_id"])


def test_health(client: TestClient, conn: psycopg.Connection) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    h = r.json()
    assert h["status"] == "ok" and h["database"] and h["engine_ready"]
    assert h["listening"] is True
    assert h["listings"] == conn.execute("SELECT count(*) FROM properties").fetchone()[0]
    assert h["catalog_version"] == h["database_catalog_version"]
    assert h["model"] == "king-county-gbdt"
    assert h["agent_mira_version"] == agent_mira.__version__


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, method in [
        ("/api/preferences", "post"), ("/api/recommendations", "get"), ("/api/properties", "get"),
        ("/api/properties/{property_id}", "get"), ("/api/properties/{property_id}/similar", "get"),
        ("/api/ml/predict-price", "post"),
        ("/api/ml/model-info", "get"), ("/api/health", "get"), ("/metrics", "get"),
    ]:
        assert method in paths[path], path
    assert "Preferences" in spec["components"]["schemas"]
    assert "RecommendationOut" in spec["components"]["schemas"]
    assert "SimilarOut" in spec["components"]["schemas"]
    assert "similar_to" in spec["components"]["schemas"]["Preferences"]["properties"]
    assert client.get("/docs").status_code == 200


def test_preferences_are_stored(client: TestClient, conn: psycopg.Connection) -> None:
    r = client.post("/api/preferences", json={**BELLEVUE_BUYER, "preferred_amenities": ["view"]})
    assert r.status_code == 201
    body = r.json()
    sid = uuid.UUID(body["session_id"])
    row = conn.execute(
        "SELECT preferences, created_at FROM user_preferences WHERE session_id = %s", (sid,)
    ).fetchone()
    assert row is not None
    # The catalog mixes USD and INR: Bellevue's listings settle it as USD.
    assert row[0] == {**BELLEVUE_BUYER, "preferred_amenities": ["view"], "currency": "USD"}
    assert body["preferences"] == row[0]


def test_recommendations_for_a_bellevue_buyer(client: TestClient, holder: Any) -> None:
    sid = new_session(client, BELLEVUE_BUYER)
    r = client.get("/api/recommendations", params={"session_id": sid})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["session_id"] == sid and body["k"] == 3 and body["offset"] == 0
    results = body["results"]
    assert len(results) == 3
    for rec in results:
        assert rec["property"]["location"] == "Bellevue, WA"
        assert rec["property"]["bedrooms"] >= 3
        assert rec["property"]["id"] == rec["id"]
        assert rec["reasons"] and all(isinstance(s, str) and s for s in rec["reasons"])
        assert any("Bellevue" in s for s in rec["reasons"])
        assert 0 <= rec["score"] <= 100
        assert rec["price_source"] == "model"
    scores = [rec["score"] for rec in results]
    assert scores == sorted(scores, reverse=True)
    assert body["currency"] == "USD"
    # Exactly what the engine itself says (with the currency the app inferred).
    direct = holder.state.engine.recommend({**BELLEVUE_BUYER, "currency": "USD"}, k=3)
    assert [rec["id"] for rec in results] == [d.id for d in direct]
    assert [rec["score"] for rec in results] == [d.score for d in direct]
    assert [rec["reasons"] for rec in results] == [d.reasons for d in direct]


def test_recommendation_pages_are_disjoint(client: TestClient) -> None:
    sid = new_session(client, BELLEVUE_BUYER)
    pages = []
    for offset in (0, 3, 6):
        r = client.get("/api/recommendations", params={"session_id": sid, "k": 3, "offset": offset})
        assert r.status_code == 200
        pages.append([rec["id"] for rec in r.json()["results"]])
    ids = [i for p in pages for i in p]
    assert len(ids) == 9 and len(set(ids)) == 9
    whole = client.get("/api/recommendations", params={"session_id": sid, "k": 9}).json()
    assert [rec["id"] for rec in whole["results"]] == ids
    lean = client.get("/api/recommendations",
                      params={"session_id": sid, "include_property": "false"}).json()
    assert all(rec["property"] is None for rec in lean["results"])


def test_properties_filters(client: TestClient, conn: psycopg.Connection) -> None:
    params = {"location": "Bellevue", "min_bedrooms": 4, "min_price": 500_000,
              "max_price": 1_000_000, "property_type": "sfh", "limit": 50}
    r = client.get("/api/properties", params=params)
    assert r.status_code == 200, r.text
    page = r.json()
    expected = conn.execute(
        "SELECT count(*) FROM properties WHERE location = 'Bellevue, WA' AND bedrooms >= 4"
        " AND price BETWEEN 500000 AND 1000000 AND property_type = 'sfh'"
    ).fetchone()[0]
    assert page["total"] == expected > 50
    assert len(page["items"]) == 50
    for item in page["items"]:
        assert item["location"] == "Bellevue, WA"
        assert item["bedrooms"] >= 4
        assert 500_000 <= item["price"] <= 1_000_000
    # Full location, other case: same result.
    r2 = client.get("/api/properties", params={**params, "location": "bellevue, wa"})
    assert r2.json()["total"] == expected


def test_properties_pagination_and_sort(client: TestClient) -> None:
    base = {"location": "Medina", "sort": "price", "limit": 10}
    p1 = client.get("/api/properties", params={**base, "offset": 0}).json()
    p2 = client.get("/api/properties", params={**base, "offset": 10}).json()
    ids1 = [i["id"] for i in p1["items"]]
    ids2 = [i["id"] for i in p2["items"]]
    assert len(ids1) == 10 and len(ids2) == 10
    assert not set(ids1) & set(ids2)
    prices = [i["price"] for i in p1["items"] + p2["items"]]
    assert prices == sorted(prices)
    assert p1["total"] == p2["total"]
    past = client.get("/api/properties", params={**base, "offset": p1["total"] + 5}).json()
    assert past["items"] == [] and past["total"] == p1["total"]
    desc = client.get("/api/properties", params={**base, "sort": "-price", "limit": 3}).json()
    dp = [i["price"] for i in desc["items"]]
    assert dp == sorted(dp, reverse=True) and dp[0] >= prices[-1]
    default = client.get("/api/properties").json()
    assert default["limit"] == 20 and len(default["items"]) == 20 and default["total"] == SEEDED


def test_property_by_id(client: TestClient) -> None:
    r = client.get("/api/properties/7129300520")
    assert r.status_code == 200
    p = r.json()
    assert p["id"] == 7129300520  # integer ids stay integers
    assert p["title"] == "3 bd, 1 ba home in Seattle"
    assert p["price"] == 221900 and p["location"] == "Seattle, WA"
    assert p["amenities"] == [] and p["attributes"]["zipcode"] == 98178
    assert p["updated_at"]
    s = client.get("/api/properties/0114101516").json()
    assert s["id"] == "0114101516"  # a leading zero: a string id, as the CSV loader gives
    r = client.get("/api/properties/999999999999")
    assert r.status_code == 404
    assert r.json()["code"] == "PROPERTY_NOT_FOUND" and "999999999999" in r.json()["detail"]


def test_predict_price_equals_the_engine(client: TestClient, holder: Any) -> None:
    engine = holder.state.engine
    listing = engine.get(7129300520)
    body = {k: v for k, v in listing.items() if k not in ("id", "price")}
    r = client.post("/api/ml/predict-price", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    direct = engine.predict_price(listing)
    assert out["predicted_price"] == direct["price"]
    assert out["in_domain"] is direct["in_domain"] is True
    assert out["warnings"] == direct["warnings"] == []
    assert out["model"] == "king-county-gbdt"
    # The same through the model file itself.
    model = agent_mira.PriceModel.load(DEFAULT_MODEL_PATH)
    assert out["predicted_price"] == float(model.predict([listing])[0])


def test_predict_price_out_of_domain(client: TestClient) -> None:
    r = client.post("/api/ml/predict-price",
                    json={"bedrooms": 3, "size_sqft": 1800, "location": "Boise, ID"})
    assert r.status_code == 200
    out = r.json()
    assert out["in_domain"] is False
    assert any("Boise, ID" in w for w in out["warnings"])
    assert out["predicted_price"] > 0


def test_model_info_is_the_card(client: TestClient) -> None:
    r = client.get("/api/ml/model-info")
    assert r.status_code == 200
    card = r.json()
    expected = agent_mira.PriceModel.load(DEFAULT_MODEL_PATH).card
    assert card["name"] == expected["name"] == "king-county-gbdt"
    assert card["metrics"] == expected["metrics"]
    assert card["training_domain"]["locations"] == expected["training_domain"]["locations"]
    assert [f["name"] for f in card["features"]] == [f["name"] for f in expected["features"]]


def test_cors_from_configuration(client: TestClient) -> None:
    pre = client.options("/api/properties", headers={
        "Origin": TEST_ORIGIN, "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == TEST_ORIGIN
    r = client.get("/api/health", headers={"Origin": TEST_ORIGIN})
    assert r.headers["access-control-allow-origin"] == TEST_ORIGIN
    other = client.get("/api/health", headers={"Origin": "http://evil.test"})
    assert "access-control-allow-origin" not in other.headers


def test_metrics_exposition(client: TestClient) -> None:
    sid = new_session(client, BELLEVUE_BUYER)
    client.get("/api/recommendations", params={"session_id": sid})
    client.get("/api/properties/does-not-exist")
    text = client.get("/metrics")
    assert text.status_code == 200
    assert text.headers["content-type"].startswith("text/plain")
    t = text.text
    assert 'mira_http_requests_total{method="POST",route="/api/preferences",status="201"}' in t
    assert 'mira_http_requests_total{method="GET",route="/api/recommendations",status="200"}' in t
    assert 'mira_http_requests_total{method="GET",route="/api/properties/{property_id}",status="404"}' in t
    assert 'mira_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/recommendations"}' in t
    assert 'mira_http_request_duration_seconds_count{method="GET",route="/api/recommendations"}' in t
    samples = {line.split(" ")[0]: float(line.split(" ")[1])
               for line in t.splitlines() if line and not line.startswith("#")}
    assert samples["mira_catalog_listings"] >= SEEDED
    assert samples["mira_catalog_version"] >= 2
    assert samples["mira_engine_queries_total"] >= 1
    assert samples["mira_engine_rebuilds_total"] >= 1
    assert "mira_engine_rebuild_duration_seconds_count" in samples
    # Raw paths never become labels.
    assert "does-not-exist" not in t
