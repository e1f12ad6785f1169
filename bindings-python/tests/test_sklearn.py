"""from_sklearn predicts what scikit-learn predicts, on King County sales."""

from __future__ import annotations

import numpy as np
import pytest

import agent_mira as mira

pytest.importorskip("sklearn")

from sklearn.ensemble import (  # noqa: E402
    ExtraTreesRegressor,
    GradientBoostingRegressor,
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge  # noqa: E402
from sklearn.neighbors import KNeighborsRegressor  # noqa: E402
from sklearn.tree import DecisionTreeRegressor  # noqa: E402

NUMERIC = ["bedrooms", "bathrooms", "sqft_living", "sqft_lot", "floors", "waterfront",
           "view", "condition", "grade", "yr_built", "lat", "long"]
SEED = 7


@pytest.fixture(scope="module")
def data(kc_frame):  # type: ignore[no-untyped-def]
    df = kc_frame.sample(n=3000, random_state=SEED).reset_index(drop=True)
    x = df[NUMERIC].to_numpy(dtype=np.float64)
    y = df["price"].to_numpy(dtype=np.float64)
    zips = np.unique(df["zipcode"].to_numpy())
    zip_code = np.searchsorted(zips, df["zipcode"].to_numpy()).astype(np.float64)
    rng = np.random.default_rng(SEED)
    x_nan = x.copy()
    x_nan[rng.random(x.shape) < 0.05] = np.nan
    return {
        "x": x[:2500], "y": y[:2500], "x_test": x[2500:],
        "x_nan": x_nan[:2500], "x_nan_test": x_nan[2500:],
        "x_cat": np.column_stack([x_nan, zip_code])[:2500],
        "x_cat_test": np.column_stack([x_nan, zip_code])[2500:],
        "frame": df[NUMERIC][:2500], "frame_test": df[NUMERIC][2500:],
    }


TREES = [
    ("decision_tree", lambda: DecisionTreeRegressor(max_depth=10, random_state=SEED), True),
    ("random_forest", lambda: RandomForestRegressor(
        n_estimators=10, max_depth=8, random_state=SEED, n_jobs=1), True),
    ("extra_trees", lambda: ExtraTreesRegressor(
        n_estimators=8, max_depth=8, random_state=SEED, n_jobs=1), True),
    ("gradient_boosting", lambda: GradientBoostingRegressor(
        n_estimators=40, max_depth=3, random_state=SEED), False),
    ("gradient_boosting_huber", lambda: GradientBoostingRegressor(
        loss="huber", n_estimators=20, random_state=SEED), False),
    ("hist_gradient_boosting", lambda: HistGradientBoostingRegressor(
        max_iter=40, random_state=SEED), True),
    ("hist_gradient_boosting_poisson", lambda: HistGradientBoostingRegressor(
        loss="poisson", max_iter=30, random_state=SEED), True),
]


@pytest.mark.parametrize("make,with_nan", [(m, n) for _, m, n in TREES],
                         ids=[t[0] for t in TREES])
def test_tree_models_match_exactly(data, make, with_nan) -> None:  # type: ignore[no-untyped-def]
    key = "x_nan" if with_nan else "x"
    est = make().fit(data[key], data["y"])
    model = mira.PriceModel.from_sklearn(est)
    x_test = data[key + "_test"]
    if getattr(est, "loss", None) == "poisson":
        # scikit-learn's inverse link is numpy's SIMD exp, which differs from
        # the C library's exp (used by the core, LightGBM and XGBoost) in the
        # last bit for ~5 % of inputs on AVX-512 machines.
        np.testing.assert_array_max_ulp(model.predict(x_test), est.predict(x_test), maxulp=1)
    else:
        np.testing.assert_array_equal(model.predict(x_test), est.predict(x_test))
    assert model.card["origin"] == "scikit-learn"
    assert model.card["name"] == type(est).__name__


def test_hist_gradient_boosting_with_a_categorical_column(data) -> None:  # type: ignore[no-untyped-def]
    mask = [False] * len(NUMERIC) + [True]
    est = HistGradientBoostingRegressor(
        max_iter=30, categorical_features=mask, random_state=SEED
    ).fit(data["x_cat"], data["y"])
    model = mira.PriceModel.from_sklearn(est)
    x_test = data["x_cat_test"].copy()
    x_test[:4, -1] = [np.nan, -1.0, 500.0, 3.7]  # missing, negative, unseen, fractional
    np.testing.assert_array_equal(model.predict(x_test), est.predict(x_test))


@pytest.mark.parametrize("make", [
    LinearRegression, lambda: Ridge(alpha=1.0), lambda: Lasso(alpha=10.0, max_iter=5000),
    lambda: ElasticNet(alpha=0.1, max_iter=5000)],
    ids=["linear_regression", "ridge", "lasso", "elastic_net"])
def test_linear_models_match(data, make) -> None:  # type: ignore[no-untyped-def]
    est = make().fit(data["x"], data["y"])
    model = mira.PriceModel.from_sklearn(est)
    assert model.kind == "linear"
    np.testing.assert_allclose(model.predict(data["x_test"]), est.predict(data["x_test"]),
                               rtol=1e-9, atol=0)


def test_dataframe_fit_keeps_feature_names(data) -> None:  # type: ignore[no-untyped-def]
    est = DecisionTreeRegressor(max_depth=6, random_state=SEED).fit(data["frame"], data["y"])
    model = mira.PriceModel.from_sklearn(est)
    assert model.feature_names == NUMERIC
    test = data["frame_test"]
    want = est.predict(test)
    np.testing.assert_array_equal(model.predict(test), want)
    np.testing.assert_array_equal(model.predict(test[list(reversed(NUMERIC))]), want)


def test_unsupported_estimators_are_refused_by_name(data) -> None:  # type: ignore[no-untyped-def]
    knn = KNeighborsRegressor().fit(data["x"], data["y"])
    with pytest.raises(mira.UnsupportedError) as err:
        mira.PriceModel.from_sklearn(knn)
    assert str(err.value).startswith("unsupported scikit-learn estimator: KNeighborsRegressor")
    assert "RandomForestRegressor" in str(err.value)
    assert err.value.code == "MIRA_UNSUPPORTED"
    assert isinstance(err.value, ValueError)

    class MyForest(RandomForestRegressor):
        pass

    with pytest.raises(mira.UnsupportedError, match="MyForest"):
        mira.PriceModel.from_sklearn(MyForest(n_estimators=2).fit(data["x"], data["y"]))
    with pytest.raises(mira.UnsupportedError, match="not fitted"):
        mira.PriceModel.from_sklearn(DecisionTreeRegressor())
    with pytest.raises(mira.UnsupportedError, match="str"):
        mira.PriceModel.from_sklearn("a model")
