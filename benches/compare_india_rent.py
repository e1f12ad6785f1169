#!/usr/bin/env python3
"""Side-by-side: the India rent model (agent-mira's GBDT trainer) vs LightGBM
on the very same feature matrix, split and parameters.

One run does everything:

1. builds and runs the release Rust example ``train_india_rent``, which
   loads ``fixtures/india_rent/india_house_rent.csv`` with the
   ``india-rent`` CSV preset, trains exactly as the bundled model
   ``fixtures/models/india-rent/model.json`` is trained (listings posted
   before 2022-06-15; place columns of the training rows out of 5 folds)
   and exports the matrix our trainer saw plus the held-out rows as the
   model encodes them, and our held-out predictions;
2. trains LightGBM on that matrix, on ln(rent) (our target), with the same
   number of rounds, leaves, learning rate, min data per leaf, min hessian,
   L2, bins, sampling and threads, and no early stopping for either;
3. prints held-out RMSLE, median absolute % error, R² on ln(rent), RMSE and
   training seconds of both, and the RMSLE ratio; exits 1 when ours is more
   than 2 % worse than LightGBM's.

Usage (from the repository root; a venv with numpy, pandas and lightgbm,
e.g. ``target/bench/venv``)::

    target/bench/venv/bin/python benches/compare_india_rent.py [--threads 2]
        [--params fixtures/models/india-rent/params.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PARAMS = ROOT / "fixtures" / "models" / "india-rent" / "params.json"
BAR = 1.02


def metrics(y: np.ndarray, p: np.ndarray) -> dict:
    """Held-out metrics as the model card computes them, plus R² on ln(y)."""
    p = np.asarray(p, dtype=float)
    rmsle = float(np.sqrt(np.mean((np.log1p(np.clip(p, 0, None)) - np.log1p(y)) ** 2)))
    rmse = float(np.sqrt(np.mean((p - y) ** 2)))
    mdape = float(np.median(np.abs(p - y) / y))
    ly, lp = np.log(y), np.log(p)
    r2_log = float(1.0 - np.sum((lp - ly) ** 2) / np.sum((ly - ly.mean()) ** 2))
    return {"rmsle": rmsle, "mdape": mdape, "r2_log": r2_log, "rmse": rmse}


def lightgbm_params(ours: dict, threads: int) -> dict:
    """Our GbdtParams, in LightGBM's names."""
    return {
        "objective": "regression",  # L2 on ln(rent), as our `log` objective
        "learning_rate": ours["learning_rate"],
        "num_leaves": ours["max_leaves"],
        "max_depth": ours["max_depth"] if ours.get("max_depth") else -1,
        "min_data_in_leaf": ours["min_samples_leaf"],
        "min_sum_hessian_in_leaf": ours["min_sum_hessian"],
        "lambda_l2": ours["lambda_l2"],
        "min_gain_to_split": ours["min_gain_to_split"],
        "max_bin": ours["max_bins"],
        "bagging_fraction": ours["bagging_fraction"],
        "bagging_freq": ours["bagging_freq"],
        "feature_fraction": ours["colsample_bytree"],
        "seed": ours["seed"],
        "num_threads": threads,
        "deterministic": True,
        "verbose": -1,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--params", type=Path, default=DEFAULT_PARAMS,
                    help="GbdtParams JSON for both trainers (rounds, leaves…)")
    args = ap.parse_args()

    subprocess.run(
        ["cargo", "build", "--quiet", "--release", "-p", "agent-mira-examples",
         "--example", "train_india_rent"],
        cwd=ROOT, check=True,
    )
    exe = ROOT / "target" / "release" / "examples" / "train_india_rent"
    params = json.loads(args.params.read_text())
    params["num_threads"] = args.threads
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        pfile = tmp / "params.json"
        pfile.write_text(json.dumps(params))
        out = subprocess.run([str(exe), str(tmp / "model.json"), str(pfile), str(tmp)],
                             check=True, capture_output=True, text=True).stdout
        summary = json.loads(out)
        table = pd.read_csv(tmp / "features.csv")
        ours = np.loadtxt(tmp / "predictions.txt")
        card = json.loads((tmp / "model.json").read_text())["card"]

    full = card["params"]["params"]
    feats = [c for c in table.columns if c not in ("price", "is_test")]
    train, test = table[table.is_test == 0], table[table.is_test == 1]
    y_test = test["price"].to_numpy()
    rounds = full["num_rounds"]
    t0 = time.perf_counter()
    ds = lgb.Dataset(train[feats].to_numpy(), label=np.log(train["price"].to_numpy()))
    booster = lgb.train(lightgbm_params(full, args.threads), ds, num_boost_round=rounds)
    lgb_seconds = time.perf_counter() - t0
    theirs = np.exp(booster.predict(test[feats].to_numpy(), num_threads=args.threads))
    assert len(ours) == len(test) == summary["test_rows"]

    print(f"India rent: {len(train)} train rows (posted before 2022-06-15), {len(test)} "
          f"held out, {len(feats)} features, {rounds} rounds, {args.threads} threads")
    rows = [
        (f"agent-mira train_gbdt ({summary['rounds']} rounds)", metrics(y_test, ours),
         summary["train_seconds"]),
        (f"LightGBM {lgb.__version__} ({booster.current_iteration()} rounds)",
         metrics(y_test, theirs), lgb_seconds),
    ]
    print(f"{'trainer':36} {'RMSLE':>8} {'MdAPE':>7} {'R2 ln':>7} {'RMSE ₹':>9} {'train s':>8}")
    for name, m, s in rows:
        print(f"{name:36} {m['rmsle']:8.4f} {m['mdape']:7.1%} {m['r2_log']:7.4f} "
              f"{m['rmse']:9.0f} {s:8.3f}")
    ratio = rows[0][1]["rmsle"] / rows[1][1]["rmsle"]
    verdict = "meets" if ratio <= BAR else "MISSES"
    print(f"params: {json.dumps(full, sort_keys=True)}")
    print(f"summary: RMSLE ours/LightGBM = {ratio:.4f} ({verdict} the <= {BAR} bar) "
          f"at {rounds} rounds each")
    return 0 if ratio <= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
