"""Grounded explanations (`Engine.explain`): the golden explanations shared
with the Rust and Node suites, exactly; contributions that add up to the
total; the total, reasons and filters agreeing with `recommend`; errors."""

from __future__ import annotations

import math
from typing import Any

import pytest

import agent_mira as mira
from agent_mira import exceptions
from conftest import FIXTURES, read_json

CASES = read_json(FIXTURES / "golden" / "explain.json")


def engine_for(case: dict[str, Any]) -> mira.Engine:
    catalog = mira.Catalog.from_path(FIXTURES / case["catalog"], mapping=case.get("mapping"))
    model = mira.PriceModel.load(FIXTURES / case["model"]) if case.get("model") else None
    rent_model = (
        mira.PriceModel.load(FIXTURES / case["rent_model"]) if case.get("rent_model") else None
    )
    return mira.Engine(
        catalog,
        model=model,
        rent_model=rent_model,
        profile=case["profile"],
        current_year=case["current_year"],
    )


def test_there_are_golden_explanations() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_explanation(case: dict[str, Any]) -> None:
    got = engine_for(case).explain(case["preferences"], case["id"])
    expected = read_json(FIXTURES / "golden" / "expected" / f"{case['name']}.json")
    assert got == expected
    assert type(got["id"]) is type(case["id"])
    assert sum(c["contribution"] for c in got["components"]) == got["total"]


@pytest.fixture(scope="module")
def kc() -> mira.Engine:
    catalog = mira.Catalog.from_path(FIXTURES / "king_county" / "listings.csv")
    model = mira.PriceModel.load(FIXTURES / "models" / "king-county" / "model.json")
    return mira.Engine(catalog, model=model, current_year=2025)


BUYER = {
    "budget": 650_000,
    "location": "Bellevue, WA",
    "min_bedrooms": 3,
    "min_bathrooms": 2,
    "property_types": ["sfh", "townhouse"],
}


def test_explanations_of_the_top_results_are_recommend_in_numbers(kc: mira.Engine) -> None:
    recs = kc.recommend(BUYER, k=20)
    assert len(recs) == 20
    for rec in recs:
        e = kc.explain(BUYER, rec.id)
        assert e["passed"] is True
        assert e["total"] == rec.score
        assert e["reasons"] == rec.reasons
        assert e["predicted_price"] == rec.predicted_price
        contributions = [c["contribution"] for c in e["components"]]
        # Exactly, in any order, and as a correctly rounded sum.
        assert sum(contributions) == e["total"]
        assert sum(reversed(contributions)) == e["total"]
        assert math.fsum(contributions) == e["total"]
        known = {c["name"]: c["score"] for c in e["components"] if c["known"]}
        assert known == rec.components
        asked_unknown = [c["name"] for c in e["components"] if c["asked"] and not c["known"]]
        assert asked_unknown == rec.unknown
        for c in e["components"]:
            assert set(c) == {
                "name", "asked", "known", "score", "weight", "share", "contribution",
                "inputs", "sentence",
            }
            assert set(c["inputs"]) == {"listing", "ask"}
        assert [f["name"] for f in e["filters"]] == ["property_types"]


def test_a_component_carries_the_numbers_of_its_sentence(kc: mira.Engine) -> None:
    top = kc.recommend(BUYER, k=1)[0]
    e = kc.explain(BUYER, top.id)
    beds = next(c for c in e["components"] if c["name"] == "bedrooms")
    listing = kc.get(top.id)
    assert beds["inputs"] == {"listing": listing["bedrooms"], "ask": 3}
    assert beds["sentence"] in top.reasons
    price = next(c for c in e["components"] if c["name"] == "price_match")
    assert price["inputs"]["ask"] == {"budget": 650_000.0, "currency": "USD"}
    assert price["inputs"]["listing"] == {"listed_price": listing["price"]}
    value = next(c for c in e["components"] if c["name"] == "value")
    assert value["inputs"]["listing"]["predicted_price"] == top.predicted_price
    assert value["inputs"]["listing"]["price_source"] == "model"


def test_a_listing_the_filters_remove_says_which_and_why(kc: mira.Engine) -> None:
    condo_buyer = {**BUYER, "property_types": ["condo", "townhouse"]}
    top = kc.recommend(BUYER, k=1)[0]
    e = kc.explain(condo_buyer, top.id)
    assert e["passed"] is False
    assert e["filters"][0]["name"] == "property_types"
    assert e["filters"][0]["passed"] is False
    assert e["filters"][0]["listing"] == "sfh"
    assert e["filters"][0]["ask"] == ["condo", "townhouse"]
    detail = "A single-family home, not one of the types asked (condo, townhouse)"
    assert e["filters"][0]["detail"] == detail
    assert e["reasons"][0] == f"Removed by property_types: {detail}"
    # The score it would have is the one it has under the buyer who takes it.
    assert e["total"] == top.score
    assert kc.recommend(condo_buyer, k=5) == []


def test_bad_requests_are_refused_as_recommend_refuses_them(kc: mira.Engine) -> None:
    with pytest.raises(exceptions.NotFoundError, match=r"^no listing with id 9$"):
        kc.explain(BUYER, 9)
    with pytest.raises(exceptions.UnknownFieldError) as err:
        kc.explain({"budgett": 1}, 7129300520)
    with pytest.raises(exceptions.UnknownFieldError) as same:
        kc.recommend({"budgett": 1})
    assert str(err.value) == str(same.value)
    with pytest.raises(exceptions.MiraTypeError):
        kc.explain(BUYER, 1.5)  # type: ignore[arg-type]
