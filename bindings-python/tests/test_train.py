"""Training, model files and engines with a price model."""

from __future__ import annotations

import json

import numpy as np
import pytest

import agent_mira as mira
from conftest import FIXTURES, read_json

FEATURES = ["bedrooms", "bathrooms", "sqft_living", "yr_built"]


@pytest.fixture(scope="module")
def xy(kc_frame):  # type: ignore[no-untyped-def]
    df = kc_frame.sample(n=1500, random_state=3)
    x = df[FEATURES].astype(float)
    x.iloc[::17, 1] = np.nan
    return x, df["price"].to_numpy(dtype=float)


def test_train_gbdt_with_progress(xy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    x, y = xy
    seen = []
    model = mira.PriceModel.train(x, y, kind="gbdt", num_rounds=20, progress=seen.append)
    assert [p["round"] for p in seen] == list(range(1, len(seen) + 1)) and seen
    assert model.feature_names == FEATURES and model.kind == "tree_ensemble"
    pred = model.predict(x)
    assert pred.shape == (len(y),) and np.all(pred > 0)
    model.save(tmp_path / "m.json")
    back = mira.PriceModel.load(tmp_path / "m.json")
    assert back == model and back.card == model.card
    np.testing.assert_array_equal(back.predict(x), pred)

    class Bar:  # tqdm-like
        total = None
        n = 0

        def update(self, k: int) -> None:
            self.n += k

    bar = Bar()
    mira.PriceModel.train(x.to_numpy(), y, num_rounds=5, progress=bar)
    assert bar.n == 5 and bar.total == 5


@pytest.mark.parametrize("kind,params", [("linear", {}), ("linear", {"alpha": 1.0}),
                                         ("elastic_net", {"alpha": 0.01, "l1_ratio": 0.5})])
def test_train_linear(xy, kind, params) -> None:  # type: ignore[no-untyped-def]
    x, y = xy
    model = mira.PriceModel.train(x, y, kind=kind, **params)
    assert model.kind == "linear"
    pred = model.predict(x)  # NaN inputs are filled with training means
    assert np.all(np.isfinite(pred))


def test_training_errors(xy) -> None:  # type: ignore[no-untyped-def]
    x, y = xy
    with pytest.raises(mira.UnknownFieldError, match="did you mean `num_rounds`"):
        mira.PriceModel.train(x, y, num_round=3)
    with pytest.raises(mira.InvalidFieldError, match="kind"):
        mira.PriceModel.train(x, y, kind="forest")

    def boom(_):  # type: ignore[no-untyped-def]
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        mira.PriceModel.train(x, y, num_rounds=3, progress=boom)


def test_a_random_holdout_without_seed_uses_seed_42() -> None:
    catalog = mira.Catalog.from_path(FIXTURES / "king_county" / "listings.csv")

    def card(holdout: dict[str, object]) -> dict[str, object]:
        model = mira.PriceModel.train_on_catalog(
            catalog, kind="ols", current_year=2025, holdout=holdout)
        return {k: model.card[k] for k in ("metrics", "evaluation", "training_domain")}

    unseeded = card({"kind": "random", "fraction": 0.25})
    assert unseeded == card({"kind": "random", "fraction": 0.25, "seed": 42})
    assert unseeded != card({"kind": "random", "fraction": 0.25, "seed": 1})
    assert str(unseeded["evaluation"]).endswith("a random 25% by id (seed 42)")


def test_engine_with_a_trained_model() -> None:
    catalog = mira.Catalog.from_path(FIXTURES / "king_county" / "listings.csv")
    model = mira.PriceModel.train_on_catalog(
        catalog, kind="gbdt", num_rounds=30, current_year=2025,
        holdout={"kind": "random", "fraction": 0.2, "seed": 1})
    assert model.has_encoder and model.card["metrics"] is not None
    engine = mira.Engine(catalog, model=model, current_year=2025)
    recs = engine.recommend({"budget": 650_000, "location": "Bellevue, WA"}, k=3)
    assert all(r.price_source == "model" for r in recs)
    info = engine.model_info()
    assert info["name"] == model.card["name"]
    listing = catalog.get(catalog.ids()[0])
    valuation = engine.predict_price(listing)
    assert valuation["price"] > 0 and isinstance(valuation["in_domain"], bool)
    np.testing.assert_array_equal(
        model.predict(catalog)[:1], np.array([valuation["price"]]))
    # With an encoder, a list of dicts is listings (priced in dollars).
    records = catalog.to_records()[:25]
    np.testing.assert_array_equal(model.predict(records), model.predict(catalog)[:25])
    with pytest.raises(mira.InvalidFieldError, match=r"record #1 \(listing 7\): field `price`"):
        model.predict([{"id": 6, "price": 1}, {"id": 7, "price": -5}])
    with pytest.raises(mira.UnknownFieldError, match="record #0: unknown field"):
        model.predict([{name: 1.0 for name in model.feature_names}])
    with pytest.raises(mira.UnsupportedError, match="no feature encoder"):
        mira.Engine(catalog, model=mira.PriceModel.from_lightgbm(
            FIXTURES / "models" / "lgb_l2.txt"))


PARITY = read_json(FIXTURES / "training" / "parity.json")
EXPECTED = read_json(FIXTURES / "training" / "expected.json")


def _kind_and_params(spec):  # type: ignore[no-untyped-def]
    return spec.get("kind", "gbdt"), spec.get("params", {})


@pytest.mark.parametrize("case", EXPECTED, ids=lambda c: json.dumps(c["spec"]))
def test_the_same_spec_gives_the_same_model_as_the_core_and_the_cli(case) -> None:  # type: ignore[no-untyped-def]
    # fixtures/training/expected.json is what the core and `mira train` give
    # (core/tests/train_parity.rs); Node checks the same file.
    kind, params = _kind_and_params(case["spec"])
    m = PARITY["matrix"]
    on_matrix = mira.PriceModel.train(m["x"], m["y"], kind, feature_names=m["feature_names"],
                                      name=m["name"], **params)
    assert on_matrix.card["origin"] == case["origin"]
    assert on_matrix.card["params"] == case["params"]
    assert on_matrix.predict(m["x"]).tolist() == case["matrix_predictions"]
    c = PARITY["catalog"]
    catalog = mira.Catalog.from_path(FIXTURES / c["path"])
    on_catalog = mira.PriceModel.train_on_catalog(
        catalog, kind, name=c["name"], holdout=c["holdout"], current_year=c["current_year"],
        **params)
    assert on_catalog.card["origin"] == case["origin"]
    assert on_catalog.card["params"] == case["params"]
    assert on_catalog.predict(catalog).tolist() == case["catalog_predictions"]


@pytest.mark.parametrize("case", PARITY["bad_specs"], ids=lambda c: json.dumps(c["spec"]))
def test_a_bad_spec_fails_with_the_cores_message(case) -> None:  # type: ignore[no-untyped-def]
    kind, params = _kind_and_params(case["spec"])
    m = PARITY["matrix"]
    with pytest.raises(mira.MiraError) as caught:
        mira.PriceModel.train(m["x"], m["y"], kind, **params)
    assert str(caught.value) == case["message"]
    catalog = mira.Catalog.from_path(FIXTURES / PARITY["catalog"]["path"])
    with pytest.raises(mira.MiraError) as caught:
        mira.PriceModel.train_on_catalog(catalog, kind, **params)
    assert str(caught.value) == case["message"]
