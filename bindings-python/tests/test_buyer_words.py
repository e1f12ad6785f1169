"""What a buyer reads, with the bundled King County catalog and model under
``balanced``: budget fit against the listed price, a misspelt place refused
with the closest known one, and fields no listing has said once."""

from __future__ import annotations

import pytest

import agent_mira as mira
from conftest import FIXTURES


@pytest.fixture(scope="module")
def kc_engine() -> mira.Engine:
    catalog = mira.Catalog.from_path(FIXTURES / "king_county" / "listings.csv")
    model = mira.PriceModel.load(FIXTURES / "models" / "king-county" / "model.json")
    return mira.Engine(catalog, model=model, profile="balanced", current_year=2025)


def test_listed_above_budget_never_matches_the_budget_fully(kc_engine: mira.Engine) -> None:
    budget = 700_000
    recs = kc_engine.recommend(
        {"budget": budget, "location": "Bellevue, WA", "min_bedrooms": 3}, k=400
    )
    over = [r for r in recs if r.listed_price > budget]
    under = [r for r in recs if r.listed_price <= budget]
    assert len(over) > 10 and len(under) > 10
    for r in over:
        assert r.components["price_match"] < 100
        assert r.reasons[0].startswith(f"Listed ${r.listed_price:,.0f}, ")
    for r in under:
        assert r.components["price_match"] == 100
        assert r.reasons[0] == f"Listed ${r.listed_price:,.0f}, within your $700,000 budget"
    # A home listed within the budget but predicted above it is affordable.
    assert any(r.predicted_price > budget for r in under)


def test_a_misspelt_place_is_refused_with_the_closest_known_one(
    kc_engine: mira.Engine,
) -> None:
    with pytest.raises(ValueError, match="Bellevue") as info:
        kc_engine.recommend({"budget": 900_000, "location": "Belleveu, WA"}, k=3)
    assert isinstance(info.value, mira.InvalidFieldError)
    assert str(info.value) == (
        'preferences: field `location` = "Belleveu, WA": '
        "expected a place in the catalog (did you mean Bellevue, WA?)"
    )


def test_fields_no_listing_has_are_said_once(kc_engine: mira.Engine) -> None:
    assert kc_engine.stats()["unknown_fields"] == ["school_rating", "commute_time"]
    for r in kc_engine.recommend({"budget": 900_000, "location": "Bellevue, WA"}, k=5):
        assert not [reason for reason in r.reasons if "unknown" in reason]
