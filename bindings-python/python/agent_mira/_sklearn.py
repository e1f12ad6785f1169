"""Read a fitted scikit-learn regressor's arrays and build a PriceModel.

Only plain arrays cross into the core (``tree_.children_left``, ``threshold``,
``value``…, HistGradientBoosting ``nodes``, linear ``coef_``/``intercept_``);
nothing is pickled or unpickled. The estimator's class must be one of the
supported ones exactly (a subclass may predict differently and is refused).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ._core import PriceModel

SUPPORTED = (
    "DecisionTreeRegressor",
    "RandomForestRegressor",
    "ExtraTreesRegressor",
    "GradientBoostingRegressor",
    "HistGradientBoostingRegressor",
    "LinearRegression",
    "Ridge",
    "Lasso",
    "ElasticNet",
)

_HINT = "supported: " + ", ".join(SUPPORTED)


def _unsupported(what: str, name: str, hint: str = _HINT) -> Exception:
    return PriceModel._unsupported(what, name, hint)


def _feature_names(est: Any) -> list[str]:
    names = getattr(est, "feature_names_in_", None)
    return [] if names is None else [str(n) for n in names]


def _tree_arrays(tree: Any) -> dict[str, Any]:
    t = tree.tree_
    if t.n_outputs != 1:
        raise _unsupported("scikit-learn tree", f"{t.n_outputs} outputs", "one output (a price)")
    missing = getattr(t, "missing_go_to_left", None)
    return {
        "children_left": np.ascontiguousarray(t.children_left, dtype=np.int64),
        "children_right": np.ascontiguousarray(t.children_right, dtype=np.int64),
        "feature": np.ascontiguousarray(t.feature, dtype=np.int64),
        "threshold": np.ascontiguousarray(t.threshold, dtype=np.float64),
        "value": np.ascontiguousarray(t.value[:, 0, 0], dtype=np.float64),
        "missing_go_to_left": None
        if missing is None
        else np.ascontiguousarray(missing, dtype=np.bool_),
    }


def _trees(est: Any, trees: Any, aggregation: str, **extra: float) -> PriceModel:
    return PriceModel._from_sklearn_trees(
        [_tree_arrays(t) for t in trees],
        aggregation,
        int(est.n_features_in_),
        _feature_names(est),
        name=type(est).__name__,
        **extra,
    )


def _decision_tree(est: Any) -> PriceModel:
    return _trees(est, [est], "single")


def _forest(est: Any) -> PriceModel:
    return _trees(est, est.estimators_, "average")


def _gradient_boosting(est: Any) -> PriceModel:
    init = est.init_
    if isinstance(init, str) and init == "zero":
        init_value = 0.0
    elif type(init).__name__ == "DummyRegressor":
        # A constant: its prediction does not depend on the row.
        init_value = float(np.ravel(init.predict(np.zeros((1, est.n_features_in_))))[0])
    else:
        raise _unsupported(
            "GradientBoostingRegressor init",
            type(init).__name__,
            "init=None (the default), 'zero' or a DummyRegressor",
        )
    return _trees(
        est,
        est.estimators_[:, 0],
        "gradient_boosting",
        init=init_value,
        learning_rate=float(est.learning_rate),
    )


def _hist_gradient_boosting(est: Any) -> PriceModel:
    if getattr(est, "n_trees_per_iteration_", 1) != 1:
        raise _unsupported("HistGradientBoostingRegressor", "multi-output", "one output")
    links = {"squared_error": "identity", "absolute_error": "identity", "quantile": "identity",
             "poisson": "exp", "gamma": "exp"}
    loss = est.loss if isinstance(est.loss, str) else type(est.loss).__name__
    if loss not in links:
        raise _unsupported("HistGradientBoostingRegressor loss", str(loss),
                           "squared_error, absolute_error, quantile, poisson or gamma")
    trees = []
    for (predictor,) in est._predictors:
        n = predictor.nodes
        trees.append({
            "value": np.ascontiguousarray(n["value"], dtype=np.float64),
            "feature_idx": np.ascontiguousarray(n["feature_idx"], dtype=np.uint32),
            "num_threshold": np.ascontiguousarray(n["num_threshold"], dtype=np.float64),
            "missing_go_to_left": np.ascontiguousarray(n["missing_go_to_left"], dtype=np.bool_),
            "left": np.ascontiguousarray(n["left"], dtype=np.uint32),
            "right": np.ascontiguousarray(n["right"], dtype=np.uint32),
            "is_leaf": np.ascontiguousarray(n["is_leaf"], dtype=np.bool_),
            "is_categorical": np.ascontiguousarray(n["is_categorical"], dtype=np.bool_),
            "bitset_idx": np.ascontiguousarray(n["bitset_idx"], dtype=np.uint32),
            "raw_left_cat_bitsets": np.ascontiguousarray(
                np.asarray(predictor.raw_left_cat_bitsets, dtype=np.uint32).reshape(-1, 8)
            ),
        })
    categories: list[list[float] | None] = [None] * int(est.n_features_in_)
    if est.is_categorical_ is not None and np.any(est.is_categorical_):
        encoder = est._preprocessor.named_transformers_["encoder"]
        for col, cats in zip(np.flatnonzero(est.is_categorical_), encoder.categories_):
            try:
                values = [float(c) for c in cats]
            except (TypeError, ValueError):
                raise _unsupported(
                    "scikit-learn category value",
                    f"{cats[0]!r} in column {col}",
                    "encode categories as integers 0..2^20 before fitting",
                ) from None
            categories[int(col)] = [c for c in values if not math.isnan(c)]
    return PriceModel._from_sklearn_hist(
        trees,
        float(np.ravel(est._baseline_prediction)[0]),
        links[loss],
        categories,
        int(est.n_features_in_),
        _feature_names(est),
        name=type(est).__name__,
    )


def _linear(est: Any) -> PriceModel:
    coef = np.asarray(est.coef_, dtype=np.float64)
    if coef.ndim != 1:
        raise _unsupported(type(est).__name__, "multi-target", "one target (a price)")
    intercept = float(np.ravel(np.asarray(est.intercept_, dtype=np.float64))[0])
    return PriceModel.linear(
        coef.tolist(), intercept, _feature_names(est) or None, name=type(est).__name__
    )


_ADAPTERS: dict[str, Callable[[Any], PriceModel]] = {
    "DecisionTreeRegressor": _decision_tree,
    "RandomForestRegressor": _forest,
    "ExtraTreesRegressor": _forest,
    "GradientBoostingRegressor": _gradient_boosting,
    "HistGradientBoostingRegressor": _hist_gradient_boosting,
    "LinearRegression": _linear,
    "Ridge": _linear,
    "Lasso": _linear,
    "ElasticNet": _linear,
}


def to_price_model(estimator: Any) -> PriceModel:
    """The PriceModel that predicts what ``estimator.predict`` predicts."""
    cls = type(estimator)
    name = cls.__name__
    adapter = _ADAPTERS.get(name)
    if adapter is None or not cls.__module__.startswith("sklearn."):
        shown = name if cls.__module__.startswith("sklearn.") else f"{cls.__module__}.{name}"
        raise _unsupported("scikit-learn estimator", shown)
    if not hasattr(estimator, "n_features_in_"):
        raise _unsupported("scikit-learn estimator", f"{name} (not fitted)",
                           "call fit() before converting")
    return adapter(estimator)
