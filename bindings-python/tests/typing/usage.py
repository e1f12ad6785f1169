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
        engine.recommend({"budjet": 1})
    except mira.UnknownFieldError as err:
        return f"{err.code}: {err}"
    return ""
