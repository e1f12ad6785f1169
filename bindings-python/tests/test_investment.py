"""Investment metrics of one listing: the documented formulas, the worked
example's numbers, and the terms' errors named."""

import pytest

import agent_mira

HOME = {"id": 9, "price": 400_000, "estimated_rent": 2_500, "listing_type": "sale"}


def engine() -> agent_mira.Engine:
    return agent_mira.Engine(agent_mira.Catalog.from_records([HOME]))


def test_the_worked_example() -> None:
    m = engine().analyze_investment(HOME, mortgage_rate=0.065)
    assert m["gross_yield"] == 0.075
    assert m["net_operating_income"] == 18_525.0
    assert m["cap_rate"] == 0.0463125
    assert round(m["monthly_cash_flow"], 2) == -478.87
    assert round(m["cash_on_cash"], 4) == -0.0625
    assert m["price_to_rent"] == pytest.approx(400_000 / 30_000)
    assert m["estimated_rent"] == 2_500.0
    assert m["rent_source"] == "given"
    assert m["value_gap"] is None


def test_by_id_and_without_a_mortgage() -> None:
    m = engine().analyze_investment(9, vacancy=0.1, expense_ratio=0.4)
    assert m["net_operating_income"] == pytest.approx(30_000 * 0.9 * 0.6)
    assert m["monthly_cash_flow"] is None and m["cash_on_cash"] is None


def test_terms_are_checked_and_named() -> None:
    e = engine()
    with pytest.raises(agent_mira.InvalidFieldError) as err:
        e.analyze_investment(HOME, mortgage_rate=6.5)
    assert str(err.value) == (
        "investment terms: field `mortgage_rate` = 6.5: expected a yearly rate as a fraction "
        "between 0 and 1 (0.065 for 6.5 %)"
    )
    with pytest.raises(agent_mira.InvalidFieldError) as err:
        e.analyze_investment(HOME, down_payment=0.25)
    assert err.value.field == "down_payment"
    with pytest.raises(agent_mira.InvalidFieldError) as err:
        e.analyze_investment({"id": 1, "price": 300_000})
    assert str(err.value) == (
        "listing 1: field `estimated_rent` = (absent): expected the rent this home would "
        "fetch per month, as `estimated_rent` on the listing"
    )
    with pytest.raises(agent_mira.InvalidFieldError) as err:
        e.analyze_investment(12345)
    assert err.value.field == "listing"
