"""The Python API: catalogs, engines, recommendations."""

from __future__ import annotations

import json
import math

import pytest

import agent_mira as mira
from conftest import FIXTURES

RECORDS = [
    {"id": 1, "price": 400_000, "bedrooms": 3, "location": "Seattle, WA", "year_built": 2020},
    {"id": "kc-2", "price": 520_000, "bedrooms": 4, "amenities": ["Swimming Pool"]},
    {"id": 3, "price": 380_000, "bedrooms": 2, "attributes": {"zipcode": "98052", "floors": 2}},
]


def test_catalog_basics() -> None:
    c = mira.Catalog.from_records(RECORDS, current_year=2025)
    assert (len(c), c.version, c.current_year) == (3, 1, 2025)
    assert c.ids() == [1, "kc-2", 3]
    assert c.get(1)["bedrooms"] == 3
    assert c[3]["attributes"] == {"zipcode": "98052", "floors": 2}
    assert "kc-2" in c and 99 not in c
    assert repr(c) == "Catalog(len=3, version=1)"
    assert len(mira.Catalog()) == 0


def test_upsert_and_remove_return_new_catalogs() -> None:
    v1 = mira.Catalog.from_records(RECORDS)
    v2 = v1.upsert([{"id": 1, "price": 390_000}, {"id": 4, "price": 1_000_000}])
    v3 = v2.remove(["kc-2"])
    assert (v1.version, v2.version, v3.version) == (1, 2, 3)
    assert v1.get(1)["price"] == 400_000 and v2.get(1)["price"] == 390_000
    assert v3.ids() == [1, 3, 4]


def test_save_and_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = mira.Catalog.from_records(RECORDS).upsert([{"id": 9, "price": 1}])
    c.save(tmp_path / "c.mirasnap")
    back = mira.Catalog.load(str(tmp_path / "c.mirasnap"))
    assert back.version == 2 and back.to_records() == c.to_records()


def test_from_path_kinds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert len(mira.Catalog.from_path(FIXTURES / "case-study")) > 0
    jsonl = tmp_path / "l.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in RECORDS))
    assert len(mira.Catalog.from_path(jsonl)) == 3
    csv = tmp_path / "kc.csv"
    csv.write_text("id,price,sqft_living,yr_built,waterfront,zipcode\n"
                   "1,450000,1800,1990,0,98052\n2,900000,2500,2005,1,98004\n"
                   "1,460000,1800,1990,0,98052\n")
    c = mira.Catalog.from_path(csv, mapping="king-county", on_duplicate="keep_last")
    assert len(c) == 2 and c.get(1)["price"] == 460_000 and c.get(1)["size_sqft"] == 1800
    assert c.get(2)["amenities"] == ["waterfront"]
    c2 = mira.Catalog.from_path(
        csv, mapping={"columns": {"sqft_living": "size_sqft", "yr_built": "year_built",
                                  "waterfront": "amenity:waterfront",
                                  "zipcode": "attributes.zip"},
                      "on_duplicate": "keep_last"})
    assert c2.get(2)["attributes"] == {"zip": 98004}
    with pytest.raises(mira.InvalidFieldError, match="year_built"):
        mira.Catalog.from_path(csv, mapping="king-county", on_duplicate="keep_last",
                               current_year=1995)


def test_mapping_is_a_preset_or_a_dict_and_mapping_file_a_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The same meaning as Node's `mapping` / `mappingFile` options.
    csv = tmp_path / "sales.csv"
    csv.write_text("id,price,sqft_living\n7,500000,1500\n7,510000,1500\n")
    columns = {"columns": {"sqft_living": "size_sqft"}}
    file = tmp_path / "mapping.json"
    file.write_text(json.dumps(columns))
    from_file = mira.Catalog.from_path(csv, mapping_file=file, on_duplicate="keep_last")
    from_dict = mira.Catalog.from_path(csv, mapping=columns, on_duplicate="keep_last")
    assert from_file.get(7) == from_dict.get(7) == {"id": 7, "price": 510000.0, "size_sqft": 1500.0}
    by_name = mira.Catalog.from_path(csv, mapping_file=str(file), on_duplicate="keep_last")
    assert by_name.get(7) == from_file.get(7)
    # `mapping` is never a path, even of a file that exists.
    with pytest.raises(mira.UnsupportedError) as err:
        mira.Catalog.from_path(csv, mapping=str(file))
    assert str(err.value) == (
        f"unsupported CSV mapping preset: {file} "
        "(known presets: king-county, india-rent; a mapping file goes in `mapping_file`)"
    )
    with pytest.raises(mira.UnsupportedError) as err:
        mira.Catalog.from_path(csv, mapping="sales")
    assert str(err.value) == (
        "unsupported CSV mapping preset: sales (known presets: king-county, india-rent)"
    )
    with pytest.raises(mira.InvalidFieldError) as err:
        mira.Catalog.from_path(csv, mapping="king-county", mapping_file=file)
    assert str(err.value) == (
        f"load settings: field `mapping_file` = {json.dumps(str(file))}: "
        "expected no `mapping` beside it "
        "(give a preset name or dict in `mapping`, or a file in `mapping_file`, not both)")
    with pytest.raises(OSError):
        mira.Catalog.from_path(csv, mapping_file=tmp_path / "none.json")


def test_from_pandas_treats_nan_as_missing() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({
        "id": [1, 2, 3],
        "price": [400_000.0, 500_000.0, 600_000.0],
        "bedrooms": [3, None, 4],  # becomes float with NaN
        "location": ["Seattle, WA", None, "Kent, WA"],
        "school_rating": pd.array([7, None, 9], dtype="Int64"),
    })
    c = mira.Catalog.from_pandas(df)
    assert c.ids() == [1, 2, 3]
    assert c.get(2) == {"id": 2, "price": 500_000.0}
    assert c.get(1)["bedrooms"] == 3
    by_index = mira.Catalog.from_pandas(df.set_index("id"))
    assert by_index.ids() == [1, 2, 3]
    with pytest.raises(mira.InvalidFieldError, match="record #0 .*price"):
        mira.Catalog.from_pandas(df.assign(price=[-1.0, 1.0, 2.0]))
    with pytest.raises(mira.MiraTypeError):
        mira.Catalog.from_pandas(RECORDS)


def test_engine_and_recommendations() -> None:
    c = mira.Catalog.from_records(RECORDS, current_year=2025)
    e = mira.Engine(c, profile="case-study", current_year=2025)
    top = e.recommend({"budget": 450_000, "min_bedrooms": 3}, k=2)
    assert [r.id for r in top] == [1, "kc-2"] or top[0].id == 1
    r = top[0]
    assert isinstance(r.id, int) and 0 <= r.score <= 100
    assert r.price_source == "listed" and r.predicted_price == r.listed_price == 400_000
    assert isinstance(r.components, dict) and isinstance(r.reasons, list)
    assert r.reasons[0] == "Listed $400,000, within your $450,000 budget"
    d = r.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert set(d) == {"id", "score", "components", "predicted_price", "listed_price",
                      "price_source", "unknown", "reasons", "currency", "rent_per_month",
                      "metrics"}
    # A sale in a catalog that names no currency: dollars, no rent, and no
    # rent estimate, so no investment metrics (the key is there, None).
    assert (r.currency, r.rent_per_month, r.metrics) == ("USD", None, None)
    assert (d["currency"], d["rent_per_month"], d["metrics"]) == ("USD", None, None)
    assert repr(r).startswith("Recommendation(id=1, score=")
    assert r == e.recommend({"budget": 450_000, "min_bedrooms": 3}, k=1)[0]
    assert r != top[1]
    page2 = e.recommend({"budget": 450_000}, k=1, offset=1)
    assert page2[0] == e.recommend({"budget": 450_000}, k=2)[1]
    stats = e.stats()
    assert stats["listings"] == 3 and stats["profile"] == "case-study"
    assert e.get("kc-2")["amenities"] == ["Swimming Pool"]
    assert e.model is None and e.model_info() is None
    assert "Engine(listings=3" in repr(e)


def test_engine_with_catalog_keeps_settings() -> None:
    c = mira.Catalog.from_records(RECORDS)
    e = mira.Engine(c, profile="case-study", current_year=2025)
    e.recommend({"budget": 1})
    e2 = e.with_catalog(c.upsert([{"id": 5, "price": 100_000}]))
    assert e2.stats()["listings"] == 4 and e2.stats()["queries"] == 1
    assert e2.profile == e.profile and e2.current_year == 2025
    assert e2.catalog.version == 2


def test_custom_profile_dict(sample_catalog) -> None:  # type: ignore[no-untyped-def]
    profile = {"name": "commuter", "components": [
        {"name": "commute", "weight": 1, "curve": {"kind": "case_study"}}], "filters": []}
    e = mira.Engine(sample_catalog, profile=profile, current_year=2025)
    assert e.profile["name"] == "commuter"
    assert all(set(r.components) <= {"commute"} for r in e.recommend({}, k=5))


def test_no_model_prediction_is_refused(sample_catalog) -> None:  # type: ignore[no-untyped-def]
    e = mira.Engine(sample_catalog)
    with pytest.raises(mira.UnsupportedError, match="no price model"):
        e.predict_price({"id": 1, "price": 1})


def test_numpy_scalars_are_accepted() -> None:
    np = pytest.importorskip("numpy")
    c = mira.Catalog.from_records([{"id": np.int64(7), "price": np.float32(1000.5),
                                    "bedrooms": np.int32(2), "amenities": np.array(["pool"])}])
    assert c.ids() == [7] and c.get(7)["amenities"] == ["pool"]
    assert not math.isnan(c.get(7)["price"])
