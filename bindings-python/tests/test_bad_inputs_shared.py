"""The shared bad-input table (fixtures/bad-inputs/cases.json), run through
the Python package: every case raises an agent_mira exception whose ``.code``
is the core's, whose ``.field`` (when the error has one) is the field the
table names, and whose message contains the expected text."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

import agent_mira as mira
from conftest import FIXTURES, REPO, read_json

TABLE = read_json(FIXTURES / "bad-inputs" / "cases.json")
YEAR: int = TABLE["current_year"]
FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def expand(v: Any) -> Any:
    """Expand the table's generators into Python values."""
    if isinstance(v, list):
        return [expand(x) for x in v]
    if not isinstance(v, dict):
        return v
    if "$string" in v:
        return v["$string"] * v["times"]
    if "$array" in v:
        return [expand(v["$array"]) for _ in range(v["times"])]
    if "$float" in v:
        return FLOATS[v["$float"]]
    if "$concat" in v:
        return "".join(expand(p) for p in v["$concat"])
    if "$nest" in v:
        out = expand(v["leaf"])
        for _ in range(v["$nest"]):
            out = {v["key"]: out}
        return out
    if "$object" in v:
        spec = v["$object"]
        prefix = expand(spec["prefix"])
        return {f"{prefix}{i}": expand(spec["value"]) for i in range(spec["times"])}
    if "$file" in v:
        text = (REPO / v["$file"]).read_text()
        changed = text.replace(v["replace"][0], v["replace"][1], 1)
        assert changed != text, "the $file replacement changed nothing"
        return changed
    return {k: expand(x) for k, x in v.items()}


def small_engine() -> mira.Engine:
    catalog = mira.Catalog.from_records(
        [{"id": 1, "price": 400000}, {"id": 2, "price": 520000}, {"id": 3, "price": 380000}],
        current_year=YEAR,
    )
    return mira.Engine(catalog, current_year=YEAR)


def write(tmp: Path, spec: dict[str, Any]) -> Path:
    path = tmp / spec["file"]
    path.write_text(spec["text"])
    return path


def run(kind: str, value: Any, tmp: Path) -> Any:
    if kind == "listings":
        return mira.Catalog.from_records(value, current_year=YEAR)
    if kind == "preferences":
        return small_engine().recommend(value, k=3)
    if kind == "request":
        return small_engine().recommend(value["prefs"], k=value["k"], offset=value["offset"])
    if kind == "batch":
        return small_engine().recommend_batch(value["prefs"], k=value["k"])
    if kind == "profile":
        catalog = mira.Catalog.from_records([{"id": 1, "price": 1}], current_year=YEAR)
        return mira.Engine(catalog, profile=value, current_year=YEAR)
    if kind == "catalog_file":
        return mira.Catalog.from_path(write(tmp, value), current_year=YEAR)
    if kind == "snapshot_file":
        return mira.Catalog.load(write(tmp, value))
    if kind == "model_file":
        path = write(tmp, value)
        if value["format"] == "lightgbm":
            return mira.PriceModel.from_lightgbm(path)
        if value["format"] == "xgboost":
            return mira.PriceModel.from_xgboost(path)
        return mira.PriceModel.load(path)
    raise AssertionError(f"unknown kind {kind}")


def test_the_table_is_substantial() -> None:
    kinds = {c["kind"] for c in TABLE["cases"]}
    assert len(TABLE["cases"]) >= 60
    assert kinds >= {
        "listings", "preferences", "request", "batch",
        "catalog_file", "snapshot_file", "model_file",
    }


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["name"] for c in TABLE["cases"]])
def test_shared_bad_input(case: dict[str, Any], tmp_path: Path) -> None:
    value = expand(case["input"])
    with pytest.raises(mira.MiraError) as info:
        run(case["kind"], value, tmp_path)
    err = info.value
    message = str(err)
    assert err.code == case["code"], message
    field = case.get("field")
    suggestion = case.get("suggestion")
    if field is not None and hasattr(err, "field"):
        assert err.field == field, message
    if suggestion is not None:
        assert err.suggestion == suggestion, message
    for part in case["message"]:
        want = part.replace("{field}", field or "{field}")
        want = want.replace("{suggestion}", suggestion or "{suggestion}")
        assert want in message, message
    assert len(message) <= 2000
