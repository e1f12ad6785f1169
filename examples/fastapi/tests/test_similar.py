"""Vector similarity (issue 18): migration 006's `embedding real[]`, the
seed's vectors, GET /api/properties/{id}/similar and the preference
`similar_to`, on the seeded PostgreSQL (every listing embedded with the toy
`agent_mira.hashed_ngrams(listing_text, 256)`).

Answers are checked two ways: equal to a direct `engine.similar` /
`engine.recommend` call on the serving engine, and against a brute-force
cosine computed here with NumPy from the vectors in the table."""

from __future__ import annotations

import math
import struct
import uuid
from pathlib import Path
from typing import Any, Optional

import agent_mira
import numpy as np
import psycopg
import pytest
from fastapi.testclient import TestClient

from conftest import SEEDED, wait_for_catalog_version
from mira_api import db, seed
from test_bad_input import assert_error
from test_rebuild import db_version

DIM = seed.EMBEDDING_DIM
INV = "inv-01"  # "Capitol Hill craftsman", Seattle, $720,000
KING_COUNTY_ID = 7129300520


# --- helpers ---------------------------------------------------------------------

def table_vectors(conn: psycopg.Connection) -> tuple[list[Any], np.ndarray]:
    ids, matrix = db.read_embeddings(conn)
    assert matrix is not None
    return ids, matrix


def vector_of(conn: psycopg.Connection, listing_id: Any) -> np.ndarray:
    with conn.cursor(binary=True) as cur:
        cur.adapters.register_loader(db.FLOAT4_ARRAY_OID, db.Float4ArrayBinaryLoader)
        cur.execute("SELECT embedding FROM properties WHERE id = %s", (str(listing_id),))
        row = cur.fetchone()
    assert row is not None and row[0] is not None, listing_id
    return row[0]  # type: ignore[no-any-return]


def bits(v: np.ndarray) -> list[int]:
    return np.asarray(v, dtype=np.float32).view(np.uint32).tolist()  # type: ignore[no-any-return]


def similar(client: TestClient, listing_id: Any, **params: Any) -> dict[str, Any]:
    r = client.get(f"/api/properties/{listing_id}/similar", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def engine_answer(recs: list[Any]) -> list[dict[str, Any]]:
    """Recommendations as the endpoint returns them (without the listing)."""
    out = []
    for rec in recs:
        d = rec.to_dict()
        d.setdefault("metrics", None)
        out.append(d)
    return out


def without_property(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "property"} for r in results]


def unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    return m / np.linalg.norm(m, axis=-1, keepdims=True)


# --- migration 006 -------------------------------------------------------------------

def test_migration_006_adds_embedding(conn: psycopg.Connection) -> None:
    applied = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert applied[:6] == ["001_properties", "002_user_preferences", "003_catalog_version",
                           "004_rentals", "005_investment", "006_embeddings"]
    col = conn.execute(
        "SELECT data_type, udt_name, is_nullable FROM information_schema.columns"
        " WHERE table_name = 'properties' AND column_name = 'embedding'").fetchone()
    assert col == ("ARRAY", "_float4", "YES")


@pytest.mark.parametrize("value", [
    "'{}'::real[]", "'{NaN}'::real[]", "'{1,Infinity}'::real[]", "'{-Infinity,1}'::real[]",
    "'{1,NULL}'::real[]", "'{{1,2},{3,4}}'::real[]", "array_fill(1::real, ARRAY[4097])",
])
def test_embedding_check(conn: psycopg.Connection, value: str) -> None:
    before = db_version(conn)
    with pytest.raises(psycopg.errors.CheckViolation) as err:
        with conn.transaction():
            conn.execute(f"UPDATE properties SET embedding = {value} WHERE id = %s", (INV,))
    assert err.value.diag.constraint_name == "properties_embedding_check"
    assert db_version(conn) == before


def test_embedding_check_takes_the_largest_dimension(conn: psycopg.Connection) -> None:
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE properties SET embedding = array_fill(1::real, ARRAY[4096])"
                     " WHERE id = %s", (INV,))
        assert len(vector_of(conn, INV)) == 4096


# --- vectors in the table ---------------------------------------------------------------

def test_seed_writes_the_toy_embedding_bit_for_bit(conn: psycopg.Connection) -> None:
    ids, matrix = table_vectors(conn)
    # Every seeded listing has a text, so a vector (listings other tests add
    # without one are left out).
    assert matrix.shape[1] == DIM and len(ids) >= SEEDED
    assert matrix.dtype == np.float32
    by_id = dict(zip(ids, matrix, strict=True))
    for listing_id in (KING_COUNTY_ID, "0114101516", INV, "mum-1", "sea-1"):
        row = conn.execute(f"SELECT {db._COLS} FROM properties WHERE id = %s",
                           (str(listing_id),)).fetchone()
        assert row is not None, listing_id
        rec = db.row_to_record(dict(zip(db.PROPERTY_COLUMNS, row, strict=True)))
        want = agent_mira.hashed_ngrams(seed.listing_text(rec), DIM)
        assert want.dtype == np.float32 and want.shape == (DIM,)
        assert bits(by_id[listing_id]) == bits(want), listing_id
        assert bits(vector_of(conn, listing_id)) == bits(want), listing_id


def test_listing_text() -> None:
    assert seed.listing_text({
        "id": 1, "price": 1, "title": "Capitol Hill craftsman", "property_type": "sfh",
        "location": "Seattle, WA", "amenities": ["Fireplace", "Basement"],
        "attributes": {"description": " Porch, garden. "}}) == (
        "Capitol Hill craftsman\nPorch, garden.\nsfh\nSeattle, WA\nFireplace, Basement")
    assert seed.listing_text({"id": 2, "price": 1, "location": "Kent, WA", "amenities": []}) == \
        "Kent, WA"
    assert seed.listing_text({"id": 3, "price": 1}) == ""


# Float32 values whose bits must survive table → engine: signed zero, the
# smallest subnormal, the smallest normal, the largest finite, values with no
# short decimal (1/3, 0.1), and a spread of random finite bit patterns.
SPECIAL = np.array([-0.0, 1e-45, 1.1754944e-38, 3.4028235e38, -3.4028235e38, 1 / 3, 0.1, -2.5],
                   dtype=np.float32)


def tricky_vector() -> np.ndarray:
    rng = np.random.default_rng(18)
    raw = rng.integers(0, 2**32, size=4 * DIM, dtype=np.uint64).astype(np.uint32).view(np.float32)
    finite = raw[np.isfinite(raw)][: DIM - len(SPECIAL)]
    v = np.concatenate([SPECIAL, finite]).astype(np.float32)
    assert v.shape == (DIM,)
    return v


@pytest.mark.parametrize("write", ["copy", "upsert"])
def test_real_array_round_trips_float32_bit_for_bit(conn: psycopg.Connection, write: str) -> None:
    v = tricky_vector()
    rec = {"id": f"rt-vec-{write}", "price": 100000.0, "currency": "USD", "embedding": v}
    with conn.transaction(force_rollback=True):
        (db.copy_records if write == "copy" else db.upsert_records)(conn, [rec])
        # Binary (the app's reader), and PostgreSQL's own text output.
        assert bits(vector_of(conn, rec["id"])) == bits(v)
        text = conn.execute("SELECT embedding::text FROM properties WHERE id = %s",
                            (rec["id"],)).fetchone()[0]
        assert bits(np.array([np.float32(x) for x in text.strip("{}").split(",")])) == bits(v)
        ids, matrix = table_vectors(conn)
        assert bits(matrix[ids.index(rec["id"])]) == bits(v)


def test_binary_reader_refuses_what_is_not_a_vector() -> None:
    header = struct.pack(">iiI", 2, 0, 700) + struct.pack(">iiii", 2, 1, 2, 1)
    with pytest.raises(ValueError, match="expected a one-dimensional real"):
        db.float4_array_from_binary(header)
    assert db.float4_array_from_binary(struct.pack(">iiI", 0, 0, 700)).shape == (0,)


def test_the_engine_carries_the_tables_vectors(client: TestClient, conn: psycopg.Connection,
                                               holder: Any) -> None:
    n = conn.execute("SELECT count(*) FROM properties WHERE embedding IS NOT NULL").fetchone()[0]
    stats = holder.state.engine.catalog.stats()
    assert stats["embedding_dim"] == DIM
    assert stats["listings_with_embedding"] == n
    assert holder.state.engine.stats()["embedding_dim"] == DIM
    # /api/health and /metrics say what the serving engine carries.
    health = client.get("/api/health").json()
    assert (health["embedding_dim"], health["listings_with_embedding"]) == (DIM, n)
    samples = {line.split(" ")[0]: float(line.split(" ")[1])
               for line in client.get("/metrics").text.splitlines()
               if line and not line.startswith("#")}
    assert samples["mira_catalog_embedding_dim"] == DIM
    assert samples["mira_catalog_listings_with_embedding"] == n
    # What the API shows of a listing never includes its vector.
    assert "embedding" not in holder.state.engine.get(INV)


# --- GET /api/properties/{id}/similar --------------------------------------------------

@pytest.mark.parametrize("listing_id", [INV, KING_COUNTY_ID, "mum-1"])
def test_similar_equals_the_engine(client: TestClient, holder: Any, listing_id: Any) -> None:
    body = similar(client, listing_id)
    engine = holder.state.engine
    want = engine_answer(engine.similar(listing_id, k=10))
    assert body["id"] == listing_id and body["k"] == 10
    assert body["catalog_version"] == holder.state.catalog_version
    assert len(body["results"]) == 10
    assert without_property(body["results"]) == want
    for r in body["results"]:
        assert r["id"] != listing_id
        assert set(r["components"]) == {"similarity"}
        assert r["score"] == r["components"]["similarity"]
        assert r["reasons"], r
        assert r["property"]["id"] == r["id"]
        assert r["property"] == client.get(f"/api/properties/{r['id']}").json() | {
            "updated_at": r["property"]["updated_at"]}
    assert [r["id"] for r in similar(client, listing_id, k=3)["results"]] == \
        [r["id"] for r in want[:3]]
    assert all("property" not in r or r["property"] is None
               for r in similar(client, listing_id, include_property="false")["results"])


def brute_force(conn: psycopg.Connection, query_id: Any,
                keep: Optional[set[Any]] = None) -> dict[Any, float]:
    """Every other listing's cosine with `query_id`'s, from the table's vectors."""
    ids, matrix = table_vectors(conn)
    m = unit(matrix)
    q = m[ids.index(query_id)]
    cos = m @ q
    return {i: float(c) for i, c in zip(ids, cos, strict=True)
            if i != query_id and (keep is None or i in keep)}


def assert_top_k(results: list[dict[str, Any]], cosines: dict[Any, float], k: int) -> None:
    """The results are the k best cosines (ties aside), each scored 100 × max(0, cos)."""
    assert len(results) == min(k, len(cosines))
    for r in results:
        assert r["score"] == pytest.approx(100 * max(0.0, cosines[r["id"]]), abs=1e-4), r["id"]
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    chosen = {r["id"] for r in results}
    best_left = max((c for i, c in cosines.items() if i not in chosen), default=-1.0)
    assert 100 * max(0.0, best_left) <= scores[-1] + 1e-4


def test_similar_is_the_brute_force_cosine(client: TestClient, conn: psycopg.Connection) -> None:
    for listing_id in (INV, KING_COUNTY_ID):
        assert_top_k(similar(client, listing_id, k=25)["results"],
                     brute_force(conn, listing_id), 25)


def passing(conn: psycopg.Connection, sql: str, params: tuple[Any, ...] = ()) -> set[Any]:
    return {db.id_from_db(r[0]) for r in conn.execute(
        f"SELECT id FROM properties WHERE embedding IS NOT NULL AND {sql}", params)}


def test_similar_filters(client: TestClient, conn: psycopg.Connection, holder: Any) -> None:
    engine = holder.state.engine
    cases: list[tuple[dict[str, Any], set[Any]]] = [
        # The one townhouse for sale under $600,000 (inv-16 costs $620,000).
        ({"listing_type": "sale", "property_types": ["townhouse"], "max_price": 600000,
          "currency": "USD"}, {"inv-04"}),
        ({"listing_type": "sale", "property_types": ["sfh"], "max_price": 300000,
          "currency": "USD"},
         passing(conn, "listing_type = 'sale' AND property_type = 'sfh' AND price <= 300000"
                 " AND currency = 'USD'")),
        ({"listing_type": "long_term_rent", "max_price": 40000, "currency": "INR"},
         # A rent's ceiling is per month: a weekly rent counts 52/12 times.
         passing(conn, "listing_type = 'long_term_rent' AND currency = 'INR' AND price * CASE"
                 " rent_period WHEN 'week' THEN 52.0 / 12 WHEN 'night' THEN 365.0 / 12 ELSE 1"
                 " END <= 40000")),
        ({"property_types": ["apartment", "villa"], "currency": "USD"},
         passing(conn, "property_type IN ('apartment', 'villa') AND currency = 'USD'")),
    ]
    assert cases[1][1] and len(cases[1][1]) > 100 and cases[3][1] and cases[2][1]
    for filters, keep in cases:
        params: dict[str, Any] = {"k": 8, **filters}
        body = similar(client, INV, **params)
        want = engine_answer(engine.similar(INV, k=8, **filters))
        assert without_property(body["results"]) == want
        assert body["results"], filters
        assert {r["id"] for r in body["results"]} <= keep, filters
        assert_top_k(body["results"], brute_force(conn, INV, keep), 8)
    assert [r["id"] for r in similar(client, INV, **cases[0][0])["results"]] == ["inv-04"]
    # property_types repeated or comma-separated: the same request.
    repeated = client.get(f"/api/properties/{INV}/similar",
                          params=[("property_types", "villa"), ("property_types", "townhouse"),
                                  ("currency", "USD")]).json()
    commas = similar(client, INV, property_types="villa, townhouse", currency="USD")
    assert repeated["results"] == commas["results"]
    assert {r["property"]["property_type"] for r in commas["results"]} == {"villa", "townhouse"}


def test_similar_errors(client: TestClient) -> None:
    body = assert_error(client.get("/api/properties/nope-9/similar"), 404)
    assert body == {"detail": "no listing with id 'nope-9'", "code": "PROPERTY_NOT_FOUND",
                    "field": "property_id"}
    for params, field, message in [
        ({"listing_type": "castle"}, "listing_type", SIMILAR_ERRORS["listing_type"]),
        ({"property_types": "sfh,castle"}, "property_types[1]", SIMILAR_ERRORS["property_types"]),
        ({"max_price": -5, "currency": "USD"}, "max_price", SIMILAR_ERRORS["max_price"]),
        ({"max_price": "nan", "currency": "USD"}, "max_price", SIMILAR_ERRORS["max_price_nan"]),
        ({"max_price": 500000}, "currency", SIMILAR_ERRORS["mixed"]),
        ({"currency": "XYZ"}, "currency", SIMILAR_ERRORS["currency"]),
    ]:
        body = assert_error(client.get(f"/api/properties/{INV}/similar", params=params), 422)
        assert body["detail"] == message, params
        assert body["field"] == field, params
    # FastAPI's own checks name the query parameter.
    for params, loc in [({"k": 0}, "query.k"), ({"k": 51}, "query.k"),
                        ({"max_price": "cheap"}, "query.max_price")]:
        body = assert_error(client.get(f"/api/properties/{INV}/similar", params=params), 422)
        assert body["field"] == loc and body["code"] == "REQUEST_INVALID"


# The engine's messages (it validates the filters), passed through unchanged.
SIMILAR_ERRORS: dict[str, str] = {
    "listing_type": 'similar filters: field `listing_type` = "castle": expected one of sale, '
                    "long_term_rent, short_term_rent, investment (listing type)",
    "property_types": 'similar filters: field `property_types[1]` = "castle": expected one of '
                      "sfh, condo, townhouse, apartment, villa, land, commercial (property type)",
    "max_price": "similar filters: field `max_price` = -5: expected a finite price > 0",
    "max_price_nan": "similar filters: field `max_price` = NaN: expected a finite number (leave "
                     "the field out, or pass None, when it is unknown)",
    "mixed": "similar filters: field `currency` = (absent): expected the currency of max_price: "
             "this catalog mixes INR, USD",
    "currency": 'similar filters: field `currency` = "XYZ": expected an ISO 4217 currency code '
                "in use (XYZ is not one), such as USD, EUR or INR",
    "no_vector": 'similar: field `id` = "sim-twin": expected a listing with an embedding (this '
                 "catalog's listings have them; this one has none)",
}


# --- the preference similar_to -----------------------------------------------------------

def test_similar_to_is_stored_and_ranks(client: TestClient, conn: psycopg.Connection,
                                        holder: Any) -> None:
    liked = [INV, "inv-02", KING_COUNTY_ID]
    vector = agent_mira.hashed_ngrams("craftsman with a porch near the park", DIM)
    prefs = {"budget": 900000, "location": "Seattle, WA",
             "similar_to": {"ids": [INV, "inv-02", str(KING_COUNTY_ID)],
                            "vector": vector.tolist()}}
    r = client.post("/api/preferences", json=prefs)
    assert r.status_code == 201, r.text
    body = r.json()
    stored = {**prefs, "currency": "USD",
              "similar_to": {"ids": liked, "vector": vector.tolist()}}
    # The id written as text is the listing the API shows as a number.
    assert body["preferences"] == stored
    row = conn.execute("SELECT preferences FROM user_preferences WHERE session_id = %s",
                       (uuid.UUID(body["session_id"]),)).fetchone()
    assert row[0] == stored
    # The vector comes back from jsonb as the same float32 numbers.
    assert bits(np.array(row[0]["similar_to"]["vector"], dtype=np.float32)) == bits(vector)

    r = client.get("/api/recommendations", params={"session_id": body["session_id"], "k": 10})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    engine_prefs = {k: v for k, v in stored.items() if k != "profile"}
    want = engine_answer(holder.state.engine.recommend(engine_prefs, k=10))
    assert without_property(results) == want
    assert len(results) == 10
    for res in results:
        assert res["id"] not in liked  # the liked listings are left out
        assert "similarity" in res["components"]
        assert 0 <= res["components"]["similarity"] <= 100
    # The similarity is the cosine with the mean of the liked listings' unit
    # vectors and the given vector.
    ids, matrix = table_vectors(conn)
    m = unit(matrix)
    q = unit(np.vstack([m[[ids.index(i) for i in liked]], unit(vector)[None, :]]).mean(axis=0))
    for res in results:
        cos = float(m[ids.index(res["id"])] @ q)
        assert res["components"]["similarity"] == pytest.approx(100 * max(0.0, cos), abs=1e-3)


def test_similar_to_weighs_like_any_component(client: TestClient, holder: Any) -> None:
    base = {"budget": 900000, "location": "Seattle, WA", "similar_to": {"ids": [INV]}}
    only = {**base, "weights": {"similarity": 1.0, "price_match": 0, "location": 0, "size": 0,
                                "bedrooms": 0, "bathrooms": 0, "amenities": 0,
                                "school_rating": 0, "commute": 0, "property_age": 0, "value": 0,
                                "availability": 0, "furnishing": 0}}
    r = client.post("/api/preferences", json=only)
    assert r.status_code == 201, r.text
    sid = r.json()["session_id"]
    got = client.get("/api/recommendations", params={"session_id": sid, "k": 5}).json()["results"]
    stored = {**only, "currency": "USD"}
    assert without_property(got) == engine_answer(holder.state.engine.recommend(stored, k=5))
    # Weighted alone, the similarity is the score.
    assert len(got) == 5
    for res in got:
        assert res["score"] == pytest.approx(res["components"]["similarity"], abs=1e-9)


def test_similar_to_errors(client: TestClient) -> None:
    for similar_to, field, message in [
        ({"ids": ["nope-9"]}, "similar_to.ids[0]",
         'preferences: field `similar_to.ids[0]` = "nope-9": expected the id of a listing in '
         "the catalog"),
        ({"vector": [1.0, 2.0]}, "similar_to.vector",
         "preferences: field `similar_to.vector` = 2 numbers: expected 256 numbers, the "
         "catalog's dimension"),
        ({"idz": [INV]}, "similar_to.idz",
         'preferences: field `similar_to.idz` = ["inv-01"]: expected `ids` or `vector`'),
    ]:
        body = assert_error(client.post("/api/preferences", json={
            "budget": 900000, "currency": "USD", "similar_to": similar_to}), 422)
        assert body["detail"] == message, similar_to
        assert body["field"] == field
    # Types pydantic checks itself: a 422 naming the field.
    body = assert_error(client.post("/api/preferences", json={
        "budget": 900000, "currency": "USD", "similar_to": {"vector": "fast"}}), 422)
    assert body["field"] == "similar_to.vector"
    body = assert_error(client.post("/api/preferences", json={
        "budget": 900000, "currency": "USD", "similar_to": [INV]}), 422)
    assert body["field"] == "similar_to"


# --- catalog changes ---------------------------------------------------------------------

def test_similar_follows_catalog_changes(client: TestClient, conn: psycopg.Connection,
                                         holder: Any) -> None:
    twin = vector_of(conn, INV)
    # INSERT a listing with INV's very vector: the best match, once rebuilt.
    db.upsert_records(conn, [{"id": "sim-twin", "title": "Twin craftsman", "price": 715000.0,
                              "location": "Seattle, WA", "bedrooms": 3, "bathrooms": 2.0,
                              "property_type": "sfh", "listing_type": "sale",
                              "currency": "USD", "embedding": twin}])
    wait_for_catalog_version(client, db_version(conn))
    first = similar(client, INV)["results"][0]
    assert first["id"] == "sim-twin"
    assert first["score"] == pytest.approx(100.0, abs=1e-4)
    sid = client.post("/api/preferences", json={
        "budget": 900000, "currency": "USD", "similar_to": {"ids": ["sim-twin"]},
    }).json()["session_id"]
    r = client.get("/api/recommendations", params={"session_id": sid, "k": 3})
    assert r.status_code == 200, r.text
    # INV is the twin's twin.
    assert r.json()["results"][0]["id"] == INV

    # UPDATE its vector away: no longer a match (and asking about it is refused).
    conn.execute("UPDATE properties SET embedding = NULL WHERE id = 'sim-twin'")
    wait_for_catalog_version(client, db_version(conn))
    assert "sim-twin" not in [r["id"] for r in similar(client, INV, k=50)["results"]]
    body = assert_error(client.get("/api/properties/sim-twin/similar"), 422)
    assert body["detail"] == SIMILAR_ERRORS["no_vector"]

    # DELETE: 404, and the stored session naming it is refused with the engine's message.
    conn.execute("DELETE FROM properties WHERE id = 'sim-twin'")
    h = wait_for_catalog_version(client, db_version(conn))
    assert h["listings"] >= SEEDED
    assert client.get("/api/properties/sim-twin/similar").status_code == 404
    body = assert_error(client.get("/api/recommendations", params={"session_id": sid}), 422)
    assert body["detail"] == ('preferences: field `similar_to.ids[0]` = "sim-twin": expected '
                              "the id of a listing in the catalog")


def test_a_vector_of_another_dimension_keeps_the_old_engine(
        client: TestClient, conn: psycopg.Connection, holder: Any) -> None:
    failures = holder.rebuild_failures
    served = holder.state.catalog_version
    conn.execute("INSERT INTO properties (id, price, currency, embedding)"
                 " VALUES ('sim-bad', 100000, 'USD', '{1,2,3}')")
    bad = db_version(conn)
    for _ in range(100):
        if holder.rebuild_failures > failures:
            break
        threading_wait(0.1)
    assert holder.rebuild_failures > failures
    assert holder.state.catalog_version == served < bad
    with pytest.raises(ValueError) as err:
        with conn.transaction():
            db.read_embeddings(conn)
    assert "listing sim-bad: field `embedding` = 3 numbers: expected 256 numbers" in str(err.value)
    conn.execute("DELETE FROM properties WHERE id = 'sim-bad'")
    wait_for_catalog_version(client, db_version(conn))


def threading_wait(seconds: float) -> None:
    import threading
    threading.Event().wait(seconds)


# --- the seed's hooks for vectors from a real model ---------------------------------------

def records() -> list[dict[str, Any]]:
    return [{"id": 1, "price": 1.0, "title": "Sunny loft"},
            {"id": "b-2", "price": 2.0, "title": "Quiet cottage", "location": "Kent, WA"},
            {"id": 3, "price": 3.0}]


def test_attach_embeddings_toy_by_default() -> None:
    recs = records()
    assert seed.attach_embeddings(recs, dim=16) == 2
    assert bits(recs[0]["embedding"]) == bits(agent_mira.hashed_ngrams("Sunny loft", 16))
    assert bits(recs[1]["embedding"]) == bits(
        agent_mira.hashed_ngrams("Quiet cottage\nKent, WA", 16))
    assert "embedding" not in recs[2]  # no text: no vector
    cat = seed.check_catalog(recs)
    assert cat.get(1) is not None


def test_attach_embeddings_from_a_callable_and_a_file(tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        seen.append(texts)
        return np.array([[len(t), 1.0, 0.5] for t in texts], dtype=np.float32)

    recs = records()
    assert seed.attach_embeddings(recs, embed=encode) == 2
    assert seen == [["Sunny loft", "Quiet cottage\nKent, WA", ""]]
    assert recs[0]["embedding"].tolist() == [10.0, 1.0, 0.5]
    seed.check_catalog(recs)

    path = tmp_path / "vectors.npz"
    np.savez(path, ids=np.array(["3", "b-2"]), vectors=np.array([[0.0, 2.0], [1.0, 1.0]],
                                                                 dtype=np.float32))
    recs = records()
    # The file's vectors; the others get none (no toy vectors of another dimension).
    assert seed.attach_embeddings(recs, vectors=seed.load_vectors_file(path)) == 2
    assert recs[2]["embedding"].tolist() == [0.0, 2.0] and "embedding" not in recs[0]
    cat = seed.check_catalog(recs)
    assert cat.get("b-2") is not None

    np.savez(path, ids=np.array(["9"]), vectors=np.ones((1, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"embeddings: 1 ids are not listings being seeded, "
                       r"e.g. '9'"):
        seed.attach_embeddings(records(), vectors=seed.load_vectors_file(path))
    np.savez(path, ids=np.array([1, 1]), vectors=np.ones((2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"ids\[1\] = '1' appears twice"):
        seed.load_vectors_file(path)
    np.savez(path, ids=np.array([1]))
    with pytest.raises(ValueError, match="missing vectors"):
        seed.load_vectors_file(path)


def test_check_catalog_refuses_bad_vectors() -> None:
    recs = records()
    recs[0]["embedding"] = [1.0, 2.0]
    recs[1]["embedding"] = [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match=r"listing b-2: field `embedding` = 3 numbers: "
                       r"expected 2 numbers, the dimension of listing 1's"):
        seed.check_catalog(recs)
    recs[1]["embedding"] = [1.0, math.nan]
    with pytest.raises(agent_mira.MiraError) as err:
        seed.check_catalog(recs)
    assert str(err.value) == ("embeddings row 1 (listing b-2): field `embedding[1]` = NaN: "
                              "expected a finite number")


def test_seed_cli_attaches_a_models_vectors(database_url: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m mira_api.seed --embed MODULE:CALLABLE` and `--embeddings
    FILE.npz`, end to end on a database of their own: the vectors in the
    table are the model's, bit for bit, and the engine built from the table
    carries them."""
    from mira_api.config import DEFAULT_RENTALS_PATH
    from mira_api.engine import build_catalog

    with psycopg.connect(database_url, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS mira_vectors")
        c.execute("CREATE DATABASE mira_vectors")
    url = database_url.rsplit("/", 1)[0] + "/mira_vectors"
    monkeypatch.setenv("DATABASE_URL", url)
    (tmp_path / "fake_model.py").write_text(
        "import numpy as np\n"
        "def encode(texts):\n"
        "    rows = [[len(t), t.count(' ') + 1, 1 / 3] for t in texts]\n"
        "    return np.array(rows, dtype=np.float32)\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import fake_model  # type: ignore[import-not-found]

    base = ["--listings", str(DEFAULT_RENTALS_PATH), "--no-rentals", "--no-investment"]
    assert seed.main([*base, "--embed", "fake_model:encode"]) == 0
    with psycopg.connect(url) as c:
        records = db.load_catalog_rows(c).records
        ids, matrix = db.read_embeddings(c)
    assert len(records) == len(ids) == 16
    want = fake_model.encode([seed.listing_text(rec) for rec in records])
    assert bits(matrix) == bits(want)
    with psycopg.connect(url) as c:
        catalog = build_catalog(db.load_catalog_rows(c), None)
    assert catalog.stats()["embedding_dim"] == 3
    assert catalog.stats()["listings_with_embedding"] == 16

    path = tmp_path / "vectors.npz"
    given = np.array([[0.25, -1.0], [1e-45, 3.4028235e38]], dtype=np.float32)
    np.savez(path, ids=np.array(["mum-2", "sea-1"]), vectors=given)
    assert seed.main([*base, "--replace", "--embeddings", str(path)]) == 0
    with psycopg.connect(url) as c:
        ids, matrix = db.read_embeddings(c)
        assert c.execute("SELECT count(*) FROM properties").fetchone()[0] == 16
    assert ids == ["mum-2", "sea-1"] and bits(matrix) == bits(given)

    with pytest.raises(SystemExit) as err:
        seed.main([*base, "--replace", "--embed", "fake_model"])
    assert str(err.value) == ("--embed 'fake_model': expected MODULE:CALLABLE, "
                              "e.g. my_models:encode")
    with pytest.raises(SystemExit) as err:
        seed.main([*base, "--replace", "--embed", "fake_model:nope"])
    assert str(err.value) == "--embed 'fake_model:nope': fake_model has no callable 'nope'"
    with psycopg.connect(database_url, autocommit=True) as c:
        c.execute("DROP DATABASE mira_vectors")
