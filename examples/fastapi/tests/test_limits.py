"""Request size limits and per-client rate limiting (mira_api/limits.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import psycopg
from fastapi.testclient import TestClient

from mira_api.config import Settings
from mira_api.limits import RateLimit
from mira_api.main import create_app


def _count(conn: psycopg.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM user_preferences").fetchone()[0])


def test_a_large_body_is_refused_with_413(client: TestClient, conn: psycopg.Connection) -> None:
    before = _count(conn)
    big = b'{"location": "' + b"x" * 70_000 + b'"}'
    r = client.post("/api/preferences", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text
    assert r.json() == {"detail": "request body larger than 65536 bytes", "code": "REQUEST_TOO_LARGE"}

    # Chunked (no Content-Length): counted as it arrives.
    def chunks() -> Iterator[bytes]:
        yield b'{"location": "'
        for _ in range(20):
            yield b"y" * 8192
        yield b'"}'

    r = client.post("/api/preferences", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text
    assert r.json()["code"] == "REQUEST_TOO_LARGE"
    r = client.post("/api/ml/predict-price", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert _count(conn) == before
    # Just under the limit is served (and refused by the engine's own limits).
    r = client.post("/api/preferences", json={"preferred_amenities": ["z" * 1000]})
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "preferred_amenities[0]"
    assert "an amenity name of at most 128 bytes" in r.json()["detail"]


def test_a_bad_content_length_is_a_400(client: TestClient) -> None:
    r = client.post("/api/preferences", content=b"{}",
                    headers={"content-type": "application/json", "content-length": "abc"})
    assert r.status_code == 400


def test_token_bucket_refills_at_the_rate() -> None:
    now = [0.0]

    async def app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover
        pass

    rl = RateLimit(app, rate=2.0, burst=3, clock=lambda: now[0], max_clients=2)
    assert [rl.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert rl.take("a") == 0.5  # one token every 0.5 s
    now[0] += 0.5
    assert rl.take("a") == 0.0
    assert rl.take("b") == 0.0 and rl.take("c") == 0.0
    assert list(rl.buckets) == ["b", "c"]  # "a", least recently seen, is forgotten

    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:  # pragma: no cover
        return {"type": "http.request"}

    for _ in range(4):
        asyncio.run(rl({"type": "http", "path": "/api/properties", "client": ("b", 1)}, receive, send))
    start = [m for m in sent if m["type"] == "http.response.start"]
    assert start[-1]["status"] == 429 and (b"retry-after", b"1") in start[-1]["headers"]


def test_rate_limit_per_client_with_retry_after(settings: Settings) -> None:
    app = create_app(replace(settings, rate_limit_per_second=0.2, rate_limit_burst=3))
    with TestClient(app, raise_server_exceptions=False, client=("10.0.0.1", 40000)) as c:
        codes = [c.get("/api/properties", params={"limit": 1}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.get("/api/properties", params={"limit": 1})
        assert r.status_code == 429 and r.json()["code"] == "RATE_LIMITED"
        assert 1 <= int(r.headers["retry-after"]) <= 5
        assert "10.0.0.1" in r.json()["detail"]
        # Probes are exempt.
        assert c.get("/api/health").status_code == 200
        assert c.get("/metrics").status_code == 200
        assert 'status="429"' in c.get("/metrics").text or "429" in c.get("/metrics").text
    # Another address has its own bucket (same app, its state kept).
    with TestClient(app, raise_server_exceptions=False, client=("10.0.0.2", 40000)) as c:
        assert c.get("/api/properties", params={"limit": 1}).status_code == 200


def test_limits_from_the_environment() -> None:
    s = Settings.from_env({"DATABASE_URL": "x", "MIRA_MAX_BODY_BYTES": "1024",
                           "MIRA_RATE_LIMIT": "0", "MIRA_RATE_BURST": "5"})
    assert (s.max_body_bytes, s.rate_limit_per_second, s.rate_limit_burst) == (1024, 0.0, 5)
    d = Settings.from_env({"DATABASE_URL": "x"})
    assert (d.max_body_bytes, d.rate_limit_per_second, d.rate_limit_burst) == (65536, 20.0, 40)
