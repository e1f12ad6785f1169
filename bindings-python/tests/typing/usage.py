"""Typed usage of the public API, checked with mypy --strict against the stubs."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

import agent_mira as mira


def top_ids(engine: mira.Engine, budget: float) -> list[int | str]:
    return [r.id for r in engine.recommend({"budget": budget}, k=3)]


def build(records: list[dict[str, object]]) -> mira.Engine:
    catalog = mira.Catalog.from_records(records, current_year=2025)
    v2: mira.Catalog = catalog.upsert([{"id": 9, "price": 1.0}]).remove([9])
    return mira.Engine(v2, profile="case-study", current_year=2025)


def price(model: mira.PriceModel, rows: npt.NDArray[np.float64]) -> float:
    out: npt.NDArray[np.float64] = model.predict(rows)
    return float(out.sum())


def handle(engine: mira.Engine) -> str:
    try:
        # The generated Preferences TypedDict catches the typo before the core does.
        engine.recommend({"budjet": 1})  # type: ignore[typeddict-unknown-key]
    except mira.UnknownFieldError as err:
        return f"{err.code}: {err}"
    return ""


# The generated input types (agent_mira.types, from the core's JSON Schemas).
FAMILY: mira.Preferences = {
    "budget": 750_000,
    "location": "Seattle, WA",
    "min_bedrooms": 3,
    "min_bathrooms": None,
    "preferred_amenities": ["garden", "garage"],
    "property_types": ["sfh", "townhouse"],
    "listing_type": "sale",
    "weights": {"price_match": 2.0, "commute": 0.5},
}
LISTING: mira.ListingInput = {"id": "kc-1", "price": 450_000.0, "bathrooms": 2.5, "image_url": None}
PROFILE: mira.ProfileSpec = {
    "name": "commuter",
    "components": [
        {"name": "commute", "weight": 3, "curve": {"kind": "decay", "function": "exp", "scale": 9}},
        {"name": "price_match", "weight": 1, "curve": {"kind": "case_study"}},
    ],
    "filters": ["listing_type"],
}
HOLDOUT: mira.Holdout = {"kind": "random", "fraction": 0.2, "seed": 42}
GBDT: mira.GbdtParams = {"num_rounds": 50, "learning_rate": 0.05, "max_depth": None}
ELASTIC_NET: mira.ElasticNetParams = {"alpha": 0.01, "l1_ratio": 0.5}
SPEC: mira.TrainSpec = {"kind": "ridge", "params": {"alpha": 0.01}}


def typed(catalog: mira.Catalog) -> list[mira.Recommendation]:
    engine = mira.Engine(catalog.upsert([LISTING]), profile=PROFILE, current_year=2025)
    batch = engine.recommend_batch([FAMILY, {"budget": 1.0}], k=2)
    model = mira.PriceModel.train_on_catalog(catalog, "gbdt", holdout=HOLDOUT, num_rounds=5)
    assert model.kind and batch
    return engine.recommend(FAMILY, k=3)


INVESTOR: mira.Preferences = {
    "min_gross_yield": 0.07,
    "min_cap_rate": 0.04,
    "min_cash_flow": -200.0,
    "down_payment": 0.25,
    "mortgage_rate": 0.065,
    "mortgage_years": 30,
    "expense_ratio": 0.35,
    "vacancy": 0.05,
    "closing_costs": 0.03,
}


def invest(catalog: mira.Catalog, rents: mira.PriceModel) -> list[float]:
    engine = mira.Engine(catalog, rent_model=rents, profile="investment", current_year=2025)
    estimate: dict[str, object] = engine.estimate_rent(LISTING)
    assert engine.rent_model is rents and estimate
    out = []
    for rec in engine.recommend(INVESTOR, k=5):
        metrics = rec.metrics
        if metrics is not None:
            out.append(float(metrics["gross_yield"]))
    return out


def rejected() -> None:
    bad_type: mira.Preferences = {"property_types": ["igloo"]}  # type: ignore[list-item]
    bad_listing: mira.ListingInput = {"price": 1.0}  # type: ignore[typeddict-item]
    no_seed: mira.Holdout = {"kind": "random", "fraction": 0.2}  # the seed defaults to 42
    bad_holdout: mira.Holdout = {"kind": "random", "seed": 1}  # type: ignore[assignment]
    bad_rate: mira.Preferences = {"mortgage_rate": "6.5 %"}  # type: ignore[typeddict-item]
    del bad_type, bad_listing, no_seed, bad_holdout, bad_rate


LIKED: mira.Preferences = {"similar_to": {"ids": [101, "kc-2"], "vector": [0.1, 0.2]}}
LIKE: mira.SimilarTo = {"ids": [101]}


def vectors(catalog: mira.Catalog, texts: list[str]) -> list[mira.Recommendation]:
    matrix: npt.NDArray[np.float32] = mira.hashed_ngrams(texts, 32)
    one: npt.NDArray[np.float32] = mira.hashed_ngrams(texts[0], 32)
    with_vectors: mira.Catalog = catalog.with_embeddings(catalog.ids(), matrix)
    stored: npt.NDArray[np.float32] = with_vectors.embeddings()
    has: npt.NDArray[np.bool_] = with_vectors.has_embedding()
    dim: int = with_vectors.stats()["embedding_dim"]
    engine = mira.Engine(with_vectors, current_year=2025)
    assert one.shape and stored.shape and has.shape and dim
    engine.recommend(LIKED, k=3)
    engine.similar(101, max_price=None, property_types=["condo"])
    engine.similar("kc-2", k=5, max_prise=1)  # type: ignore[call-arg]
    pages: list[list[mira.Recommendation]] = engine.similar_batch([101, "kc-2"], k=3)
    assert pages
    return engine.similar(101, k=5, listing_type="sale", max_price=800_000.0, currency="USD")
