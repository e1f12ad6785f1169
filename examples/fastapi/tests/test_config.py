"""Configuration from the environment, and the app without a price model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mira_api.config import (
    DEFAULT_INVESTMENT_PATH,
    DEFAULT_LISTINGS_PATH,
    DEFAULT_MODEL_PATH,
    Settings,
)
from mira_api.main import create_app


def test_settings_from_env() -> None:
    s = Settings.from_env({
        "DATABASE_URL": "postgresql://u@h/db", "PORT": "9001",
        "CORS_ORIGINS": "http://a.test, http://b.test,", "MIRA_MODEL_PATH": "/m.json",
        "MIRA_LISTINGS_PATH": "/l.csv", "MIRA_CURRENT_YEAR": "2025",
    })
    assert s.database_url == "postgresql://u@h/db" and s.port == 9001
    assert s.cors_origins == ["http://a.test", "http://b.test"]
    assert s.model_path == Path("/m.json") and s.listings_path == Path("/l.csv")
    assert s.current_year == 2025
    d = Settings.from_env({"DATABASE_URL": "x"})
    assert d.port == 8000 and d.cors_origins == [] and d.model_path == DEFAULT_MODEL_PATH
    assert d.listings_path == DEFAULT_LISTINGS_PATH and DEFAULT_MODEL_PATH.is_file()
    assert Settings.from_env({"DATABASE_URL": "x", "MIRA_MODEL_PATH": ""}).model_path is None
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        Settings.from_env({})


def test_investment_settings_from_env() -> None:
    d = Settings.from_env({"DATABASE_URL": "x"})
    assert d.investment_path == DEFAULT_INVESTMENT_PATH and DEFAULT_INVESTMENT_PATH.is_file()
    assert d.rent_model_path is None
    s = Settings.from_env({"DATABASE_URL": "x", "MIRA_INVESTMENT_PATH": "/i.json",
                           "MIRA_RENT_MODEL_PATH": "/rent.json"})
    assert s.investment_path == Path("/i.json") and s.rent_model_path == Path("/rent.json")
    for off in ("", "none"):
        n = Settings.from_env({"DATABASE_URL": "x", "MIRA_INVESTMENT_PATH": off,
                               "MIRA_RENT_MODEL_PATH": off})
        assert n.investment_path is None and n.rent_model_path is None


def test_without_a_model(settings: Settings) -> None:
    app = create_app(replace(settings, model_path=None, cors_origins=[]))
    with TestClient(app, raise_server_exceptions=False) as c:
        for r in (c.get("/api/ml/model-info"),
                  c.post("/api/ml/predict-price", json={"bedrooms": 3})):
            assert r.status_code == 404 and r.json()["code"] == "NO_MODEL"
        sid = c.post("/api/preferences", json={"budget": 500_000, "currency": "USD"}).json()["session_id"]
        recs = c.get("/api/recommendations", params={"session_id": sid}).json()["results"]
        assert len(recs) == 3 and all(r["price_source"] == "listed" for r in recs)
        assert c.get("/api/health").json()["model"] is None
        # No CORS configured: no CORS headers.
        assert "access-control-allow-origin" not in c.get(
            "/api/health", headers={"Origin": "http://x.test"}).headers
