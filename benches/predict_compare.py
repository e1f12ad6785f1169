#!/usr/bin/env python3
"""Side-by-side: tree-ensemble predict, agent-mira against the origin library.

One run does everything:

1. builds one numeric feature matrix from the King County sales
   (``kc_house_data.csv``: 20 columns, NaN injected into 2 % of
   ``bathrooms``, ``sqft_lot`` and ``yr_built`` so the missing-value paths
   are walked);
2. trains, on all rows, a LightGBM model of 500 trees with 63 leaves
   (``lgbm500x63``), an XGBoost model of 500 depth-6 trees (up to 64
   leaves, ``xgb500xd6``), a scikit-learn ``HistGradientBoostingRegressor``
   of 500 trees with 63 leaves (``skhgb500x63``) and a
   ``RandomForestRegressor`` of 100 depth-12 trees (``skrf100xd12``);
3. loads each into agent-mira (``PriceModel.from_lightgbm`` /
   ``from_xgboost`` / ``from_sklearn``) and checks that every prediction is
   identical: LightGBM and HistGradientBoosting bit for bit in float64,
   XGBoost bit for bit in float32 (its output type), the random forest bit
   for bit at one thread (scikit-learn sums a forest's trees in thread
   completion order, so at two threads it may differ in the last bits; the
   largest relative difference is printed);
4. times ``predict`` on the same rows (the 21 613 sales, and 200 000 rows by
   tiling them) at equal threads (1 and 2): LightGBM ``num_threads``,
   XGBoost ``nthread`` + ``inplace_predict``, scikit-learn ``n_jobs`` (the
   forest) or the OpenMP limit (HistGradientBoosting), agent-mira
   ``set_threads``. Each time is the best of ``--repeat`` runs, the
   libraries taking turns so that machine noise hits them alike;
5. prints a table, the ratios, and a one-line summary::

       predict: lgbm500x63 200k rows 2 threads: mira X ms, lightgbm Y ms (Z×)

Usage (from the repository root, with the ``agent_mira`` wheel installed
in the venv)::

    .venv/bin/python benches/predict_compare.py [--repeat 7] [--threads 1,2]
        [--rows 21613,200000] [--data fixtures/king_county/kc_house_data.csv]
        [--models lgbm,xgb,skhgb,skrf] [--cache target/predict_compare]

Trained models are kept in ``--cache`` (``lgbm.txt``, ``xgb.json``,
``sk*.pkl``, keyed by nothing but their name: delete the directory after
changing the training parameters or library versions); ``--cache ''``
retrains every time.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

import agent_mira
import lightgbm as lgb
import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "fixtures" / "king_county" / "kc_house_data.csv"

BASE_FEATURES = [
    "bedrooms", "bathrooms", "sqft_living", "sqft_lot", "floors", "waterfront",
    "view", "condition", "grade", "sqft_above", "sqft_basement", "yr_built",
    "yr_renovated", "zipcode", "lat", "long", "sqft_living15", "sqft_lot15",
]
NAN_COLUMNS = ["bathrooms", "sqft_lot", "yr_built"]


def build_matrix(path: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature matrix (C-contiguous float64, NaN = missing), price, names."""
    df = pd.read_csv(path, dtype={"zipcode": str, "id": str})
    date = pd.to_datetime(df["date"].str[:8], format="%Y%m%d")
    out = df[BASE_FEATURES].astype(float).copy()
    out["zipcode"] = df["zipcode"].astype(int).astype(float)
    out["sale_month"] = ((date.dt.year - 2014) * 12 + date.dt.month).astype(float)
    out["age_at_sale"] = (date.dt.year - df["yr_built"]).astype(float)
    rng = np.random.default_rng(7)
    for c in NAN_COLUMNS:
        out.loc[rng.random(len(out)) < 0.02, c] = np.nan
    x = np.ascontiguousarray(out.to_numpy(dtype=np.float64))
    return x, df["price"].to_numpy(dtype=np.float64), list(out.columns)


class Contender:
    """One library's model and how to predict with it at `t` threads."""

    def __init__(self, name: str, predict: Callable[[np.ndarray, int], np.ndarray]):
        self.name = name
        self.predict = predict


def fit_fresh(fit: Callable[[], object]) -> object:
    """Fit a scikit-learn model every run: the project never loads pickles,
    so scikit-learn models (which only persist as pickles) are not cached."""
    return fit()


def train_models(x: np.ndarray, y: np.ndarray, names: list[str], which: set[str],
                 cache: Path) -> list[tuple[str, Contender, object]]:
    """(model label, origin contender, agent_mira.PriceModel) per model."""
    out = []
    if "lgbm" in which:
        t0 = time.perf_counter()
        path = cache / "lgbm.txt"
        if path.exists():
            booster = lgb.Booster(model_file=str(path))
        else:
            booster = lgb.train(
                {"objective": "regression", "num_leaves": 63, "learning_rate": 0.05,
                 "min_data_in_leaf": 5, "verbose": -1, "num_threads": 2, "seed": 1,
                 "deterministic": True},
                lgb.Dataset(x, y, feature_name=names), num_boost_round=500,
            )
            booster.save_model(str(path))
        sizes = [t["num_leaves"] for t in booster.dump_model()["tree_info"]]
        print(f"lgbm500x63: {len(sizes)} trees, {min(sizes)}–{max(sizes)} leaves "
              f"({time.perf_counter() - t0:.1f} s)")
        out.append(("lgbm500x63",
                    Contender("lightgbm", lambda a, t: booster.predict(a, num_threads=t)),
                    agent_mira.PriceModel.from_lightgbm(str(path))))
    if "xgb" in which:
        t0 = time.perf_counter()
        path = cache / "xgb.json"
        if path.exists():
            bst = xgb.Booster(model_file=str(path))
        else:
            bst = xgb.train(
                {"objective": "reg:squarederror", "max_depth": 6, "eta": 0.05,
                 "tree_method": "hist", "nthread": 2, "seed": 1},
                xgb.DMatrix(x, y, feature_names=names), num_boost_round=500,
            )
            bst.save_model(str(path))
        print(f"xgb500xd6: 500 trees of depth ≤ 6 ({time.perf_counter() - t0:.1f} s)")

        def xgb_predict(a: np.ndarray, t: int) -> np.ndarray:
            bst.set_param({"nthread": t})
            return bst.inplace_predict(a)

        out.append(("xgb500xd6", Contender("xgboost", xgb_predict),
                    agent_mira.PriceModel.from_xgboost(str(path))))
    if "skhgb" in which:
        t0 = time.perf_counter()
        hgb = fit_fresh(lambda: HistGradientBoostingRegressor(
            max_iter=500, max_leaf_nodes=63, learning_rate=0.05, early_stopping=False,
            random_state=1,
        ).fit(x, y))
        print(f"skhgb500x63 ({time.perf_counter() - t0:.1f} s)")

        def hgb_predict(a: np.ndarray, t: int) -> np.ndarray:
            with threadpool_limits(limits=t, user_api="openmp"):
                return hgb.predict(a)

        out.append(("skhgb500x63", Contender("sklearn", hgb_predict),
                    agent_mira.PriceModel.from_sklearn(hgb)))
    if "skrf" in which:
        t0 = time.perf_counter()
        # scikit-learn forests do not take NaN in every version: fill them.
        rf = fit_fresh(lambda: RandomForestRegressor(
            n_estimators=100, max_depth=12, random_state=1, n_jobs=2,
        ).fit(np.nan_to_num(x), y))
        print(f"skrf100xd12 ({time.perf_counter() - t0:.1f} s)")

        def rf_predict(a: np.ndarray, t: int) -> np.ndarray:
            rf.set_params(n_jobs=t)
            return rf.predict(a)

        out.append(("skrf100xd12", Contender("sklearn", rf_predict),
                    agent_mira.PriceModel.from_sklearn(rf)))
    return out


def mira_predict(model: object) -> Callable[[np.ndarray, int], np.ndarray]:
    def run(a: np.ndarray, t: int) -> np.ndarray:
        if agent_mira.get_threads() != t:
            agent_mira.set_threads(t)
        return model.predict(a)  # type: ignore[attr-defined]
    return run


def compare(label: str, ours: np.ndarray, theirs: np.ndarray, threads: int) -> str:
    """Identity check; returns a short verdict, raises when not identical."""
    if theirs.dtype == np.float32:
        same = np.array_equal(ours.astype(np.float32).view(np.uint32), theirs.view(np.uint32))
        kind = "float32 bits"
    else:
        same = np.array_equal(ours.view(np.uint64), theirs.astype(np.float64).view(np.uint64))
        kind = "float64 bits"
    if same:
        return f"identical ({kind})"
    rel = float(np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-300)))
    if label.startswith("skrf") and threads > 1 and rel < 1e-12:
        # scikit-learn adds the forest's trees in thread completion order.
        return f"max rel diff {rel:.1e} (sklearn sums in thread order)"
    n = int(np.sum(ours != theirs))
    raise SystemExit(f"{label} at {threads} threads: {n} predictions differ, max rel {rel:.3e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rows", default="0,200000", help="0: the sales as they are")
    ap.add_argument("--cache", default=str(ROOT / "target" / "predict_compare"))
    ap.add_argument("--models", default="lgbm,xgb,skhgb,skrf")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    x, y, names = build_matrix(args.data)
    print(f"agent_mira {getattr(agent_mira, '__version__', '?')}, lightgbm {lgb.__version__}, "
          f"xgboost {xgb.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}; "
          f"{os.cpu_count()} CPUs; {x.shape[0]} rows × {x.shape[1]} features")
    if args.cache:
        cache = Path(args.cache)
        cache.mkdir(parents=True, exist_ok=True)
        models = train_models(x, y, names, set(args.models.split(",")), cache)
    else:
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            models = train_models(x, y, names, set(args.models.split(",")), Path(d))

    sizes = [int(r) or len(x) for r in args.rows.split(",")]
    matrices = {n: np.ascontiguousarray(np.resize(x, (n, x.shape[1]))) for n in sizes}
    rows = []  # (model, rows, threads, origin name, mira ms, origin ms, verdict)
    for label, origin, model in models:
        ours_fn = mira_predict(model)
        for n, a in matrices.items():
            for t in threads:
                verdict = compare(label, ours_fn(a, t), origin.predict(a, t), t)
                best = {"mira": float("inf"), "origin": float("inf")}
                for _ in range(args.repeat):
                    for who, fn in (("mira", ours_fn), ("origin", origin.predict)):
                        t0 = time.perf_counter()
                        fn(a, t)
                        best[who] = min(best[who], time.perf_counter() - t0)
                rows.append((label, n, t, origin.name, best["mira"] * 1e3,
                             best["origin"] * 1e3, verdict))

    print()
    print(f"best of {args.repeat} interleaved runs, milliseconds")
    print()
    print("| model | rows | threads | agent-mira ms | origin | origin ms | origin / mira | predictions |")
    print("|---|---|---|---|---|---|---|---|")
    for label, n, t, oname, ms, oms, verdict in rows:
        print(f"| {label} | {n:,} | {t} | {ms:.1f} | {oname} | {oms:.1f} | "
              f"**{oms / ms:.1f}×** | {verdict} |")
    print()
    for label, n, t, oname, ms, oms, _ in rows:
        if label == "lgbm500x63" and n == max(sizes) and t == max(threads):
            print(f"predict: lgbm500x63 {n // 1000}k rows {t} threads: "
                  f"mira {ms:.1f} ms, lightgbm {oms:.1f} ms ({oms / ms:.1f}×)")


if __name__ == "__main__":
    main()
