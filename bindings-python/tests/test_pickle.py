"""Catalog, Engine, PriceModel and Recommendation pickle through the core's
own serialisation and come back equal."""

from __future__ import annotations

import pickle

import numpy as np

import agent_mira as mira
from conftest import FIXTURES

PREFS = {"budget": 700_000, "min_bedrooms": 3, "location": "Seattle, WA"}


def test_catalog_round_trip(sample_catalog) -> None:  # type: ignore[no-untyped-def]
    v2 = sample_catalog.upsert([{"id": "new-1", "price": 123_456, "bedrooms": 2}])
    copy = pickle.loads(pickle.dumps(v2))
    assert (len(copy), copy.version, copy.current_year) == (len(v2), 2, v2.current_year)
    assert copy.to_records() == v2.to_records()
    assert copy.get("new-1") == v2.get("new-1")


def test_engine_round_trip(sample_catalog) -> None:  # type: ignore[no-untyped-def]
    engine = mira.Engine(sample_catalog, profile="case-study", current_year=2025)
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.recommend(PREFS, k=5) == engine.recommend(PREFS, k=5)
    assert copy.profile == engine.profile
    assert copy.current_year == 2025


def test_price_model_round_trip() -> None:
    model = mira.PriceModel.from_xgboost(FIXTURES / "models" / "xgb_squarederror.json")
    copy = pickle.loads(pickle.dumps(model))
    assert copy == model
    rows = np.random.default_rng(1).uniform(0, 3000, size=(50, model.num_features))
    np.testing.assert_array_equal(copy.predict(rows), model.predict(rows))
    assert copy.card == model.card


def test_recommendation_round_trip(sample_catalog) -> None:  # type: ignore[no-untyped-def]
    recs = mira.Engine(sample_catalog, current_year=2025).recommend(PREFS, k=3)
    assert pickle.loads(pickle.dumps(recs)) == recs
