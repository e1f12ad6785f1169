"""Imported models predict exactly what their origin library predicted."""

from __future__ import annotations

import math

import numpy as np
import pytest

import agent_mira as mira
from conftest import FIXTURES, read_json

CHECKS = sorted(
    p for p in (FIXTURES / "models").glob("*.check.json")
    if read_json(p)["origin"] in ("lightgbm", "xgboost")
)


def rows_of(check: dict) -> np.ndarray:
    return np.array(
        [[math.nan if v is None else v for v in r] for r in check["rows"]], dtype=np.float64
    )


def expected_of(check: dict) -> np.ndarray:
    return np.array(
        [math.nan if v is None else v for v in check["predictions"]], dtype=np.float64
    )


def test_all_origins_are_covered() -> None:
    origins = {read_json(p)["origin"] for p in CHECKS}
    assert origins == {"lightgbm", "xgboost"}
    assert len(CHECKS) >= 20


@pytest.mark.parametrize("path", CHECKS, ids=[p.name.split(".")[0] for p in CHECKS])
def test_imported_model_matches_origin(path) -> None:  # type: ignore[no-untyped-def]
    check = read_json(path)
    loader = {"lightgbm": mira.PriceModel.from_lightgbm, "xgboost": mira.PriceModel.from_xgboost}
    model = loader[check["origin"]](FIXTURES / "models" / check["model"])
    rows = rows_of(check)
    got = model.predict(rows)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, expected_of(check))
    assert model.num_features == rows.shape[1]
    assert model.card["origin"] == check["origin"]
    # the same through a list of lists and a Fortran-ordered array
    np.testing.assert_array_equal(model.predict(rows[:20].tolist()), got[:20])
    np.testing.assert_array_equal(model.predict(np.asfortranarray(rows[:20])), got[:20])


def test_lightgbm_linear_trees_are_refused_by_name() -> None:
    with pytest.raises(mira.UnsupportedError, match="linear"):
        mira.PriceModel.from_lightgbm(FIXTURES / "models" / "lgb_linear_tree.txt")


def test_predict_accepts_dataframes_and_dicts() -> None:
    pd = pytest.importorskip("pandas")
    check = read_json(FIXTURES / "models" / "lgb_l2.check.json")
    model = mira.PriceModel.from_lightgbm(FIXTURES / "models" / "lgb_l2.txt")
    rows = rows_of(check)[:30]
    want = model.predict(rows)
    names = check["feature_names"]
    df = pd.DataFrame(rows, columns=names)
    np.testing.assert_array_equal(model.predict(df), want)
    # columns are picked by name, whatever their order
    np.testing.assert_array_equal(model.predict(df[list(reversed(names))]), want)
    dicts = [{n: (None if math.isnan(v) else v) for n, v in zip(names, r)} for r in rows]
    np.testing.assert_array_equal(model.predict(dicts), want)
    with pytest.raises(mira.ModelMismatchError, match="bedrooms"):
        model.predict(df.drop(columns=["bedrooms"]))
    with pytest.raises(mira.UnknownFieldError, match="did you mean `bedrooms`"):
        model.predict([{"bedroms": 3}])
    with pytest.raises(mira.ModelMismatchError, match="12 features"):
        model.predict(np.zeros((2, 3)))
    with pytest.raises(mira.InvalidFieldError, match="2-D"):
        model.predict(np.zeros(12))
