"""Investors: one listing's metrics (the documented formulas, the worked
example's numbers), the metrics on every recommendation, the thresholds,
the rent model, and bad terms and preferences named exactly."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import agent_mira
from conftest import FIXTURES

HOME = {"id": 9, "price": 400_000, "estimated_rent": 2_500, "listing_type": "sale"}
METRIC_KEYS = {
    "estimated_rent", "rent_source", "gross_yield", "price_to_rent", "net_operating_income",
    "cap_rate", "mortgage_payment", "monthly_cash_flow", "cash_on_cash", "value_gap",
}
INVESTMENT = FIXTURES / "listings" / "investment.json"
INVESTMENT_INR = FIXTURES / "listings" / "investment_inr.json"
INDIA_RENT = FIXTURES / "models" / "india-rent" / "model.json"


def engine() -> agent_mira.Engine:
    return agent_mira.Engine(agent_mira.Catalog.from_records([HOME]))


def investors() -> agent_mira.Engine:
    catalog = agent_mira.Catalog.from_path(INVESTMENT)
    return agent_mira.Engine(catalog, profile="investment", current_year=2025)


def indian_flats() -> agent_mira.Engine:
    catalog = agent_mira.Catalog.from_path(INVESTMENT_INR)
    rent_model = agent_mira.PriceModel.load(INDIA_RENT)
    return agent_mira.Engine(catalog, rent_model=rent_model, profile="investment",
                             current_year=2025)


def check_worked_example(m: dict[str, Any]) -> None:
    """$400,000, $2,500 a month, default assumptions, 20 % down at 6.5 % over 30 years."""
    assert set(m) == METRIC_KEYS
    assert m["estimated_rent"] == 2_500.0
    assert m["rent_source"] == "given"
    assert m["gross_yield"] == 0.075  # 30,000 / 400,000
    assert m["price_to_rent"] == 400_000 / 30_000
    assert m["net_operating_income"] == 18_525.0  # 30,000 × 0.95 × 0.65
    assert m["cap_rate"] == 0.0463125  # 18,525 / 400,000
    assert round(m["mortgage_payment"], 2) == 2_022.62  # on a $320,000 loan
    assert round(m["monthly_cash_flow"], 2) == -478.87  # 1,543.75 − 2,022.62
    assert m["monthly_cash_flow"] == 18_525.0 / 12 - m["mortgage_payment"]
    assert round(m["cash_on_cash"], 4) == -0.0625  # 12 × flow / 92,000
    assert m["cash_on_cash"] == pytest.approx(12 * m["monthly_cash_flow"] / 92_000, rel=1e-12)
    assert m["value_gap"] is None  # no price model


def test_the_worked_example() -> None:
    check_worked_example(engine().analyze_investment(HOME, mortgage_rate=0.065))


def test_the_worked_example_rides_on_its_recommendation() -> None:
    e = agent_mira.Engine(agent_mira.Catalog.from_records([HOME]), profile="investment",
                          current_year=2025)
    [rec] = e.recommend({"mortgage_rate": 0.065}, k=1)
    assert rec.metrics is not None
    check_worked_example(rec.metrics)
    assert rec.metrics == e.analyze_investment(9, mortgage_rate=0.065)
    assert rec.to_dict()["metrics"] == rec.metrics
    assert rec.reasons[:2] == [
        "Gross yield 7.5 % (rent ≈ $2,500/month, the listing's estimate; 93/100)",
        "Cash flow -$479/month at 20 % down, 6.5 % over 30 years (34/100)",
    ]
    # Without a mortgage: no payment, cash flow or cash-on-cash.
    [plain] = e.recommend({}, k=1)
    assert plain.metrics is not None
    assert (plain.metrics["mortgage_payment"], plain.metrics["monthly_cash_flow"],
            plain.metrics["cash_on_cash"]) == (None, None, None)
    assert plain.metrics["cap_rate"] == 0.0463125
    # The request's own terms: 10 % vacancy, 40 % expenses, 25 % down over 15 years.
    terms = {"vacancy": 0.1, "expense_ratio": 0.4, "mortgage_rate": 0.07,
             "down_payment": 0.25, "mortgage_years": 15}
    [rec] = e.recommend(terms, k=1)
    assert rec.metrics == e.analyze_investment(HOME, **terms)
    assert rec.metrics is not None
    assert rec.metrics["net_operating_income"] == 12 * 2_500 * 0.9 * 0.6
    assert round(rec.metrics["mortgage_payment"], 2) == 2_696.48  # $300,000 at 7 % over 15 years


def test_by_id_and_without_a_mortgage() -> None:
    m = engine().analyze_investment(9, vacancy=0.1, expense_ratio=0.4)
    assert m["net_operating_income"] == pytest.approx(30_000 * 0.9 * 0.6)
    assert m["monthly_cash_flow"] is None and m["cash_on_cash"] is None
    assert m["mortgage_payment"] is None


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
        "fetch per month, as `estimated_rent` on the listing or from a rent model the engine "
        "is built with"
    )
    with pytest.raises(agent_mira.InvalidFieldError) as err:
        e.analyze_investment(12345)
    assert err.value.field == "listing"


def ids(recs: list[agent_mira.Recommendation]) -> list[Any]:
    return [r.id for r in recs]


def test_thresholds_keep_exactly_the_listings_that_meet_them() -> None:
    # The hand-computed table of fixtures/listings/README.md.
    e = investors()
    assert ids(e.recommend({"min_gross_yield": 0.08}, k=20)) == [
        "inv-14", "inv-13", "inv-12", "inv-11", "inv-10", "inv-09"]
    assert ids(e.recommend({"min_cap_rate": 0.05}, k=20)) == [
        "inv-14", "inv-13", "inv-12", "inv-11", "inv-10"]
    flow = e.recommend({"min_cash_flow": 0, "mortgage_rate": 0.065}, k=20)
    assert ids(flow) == ["inv-14", "inv-13", "inv-12"]
    for rec in flow:
        assert rec.metrics is not None and rec.metrics["monthly_cash_flow"] >= 0
    assert round(flow[2].metrics["monthly_cash_flow"], 2) == 22.50  # type: ignore[index]
    assert round(flow[0].metrics["cash_on_cash"], 4) == 0.0584  # type: ignore[index]
    # Every result meets every threshold, with the metrics it reports.
    prefs = {"min_gross_yield": 0.07, "min_cap_rate": 0.045, "min_cash_flow": -500,
             "mortgage_rate": 0.065}
    recs = e.recommend(prefs, k=20)
    assert ids(recs) == ["inv-14", "inv-13", "inv-12", "inv-11", "inv-10", "inv-09", "inv-08"]
    for rec in recs:
        m = rec.metrics
        assert m is not None
        assert m["gross_yield"] >= 0.07 and m["cap_rate"] >= 0.045
        assert m["monthly_cash_flow"] >= -500


def test_unknown_rent_never_passes_a_threshold() -> None:
    e = investors()
    everything = e.recommend({}, k=20)
    # The investment profile ranks only the sales with a rent: inv-15 and
    # inv-16 have no estimated_rent, and the rental is not for sale.
    assert set(ids(everything)) == {f"inv-{i:02d}" for i in range(1, 15)}
    assert all(r.metrics is not None for r in everything)
    for prefs in ({"min_gross_yield": 0.0}, {"min_cap_rate": 0.0},
                  {"min_cash_flow": -1e9, "mortgage_rate": 0.065}):
        got = set(ids(e.recommend(prefs, k=20)))
        assert got == {f"inv-{i:02d}" for i in range(1, 15)}, prefs
    assert e.stats()["rent_estimates"] == 14
    assert e.stats()["rent_model_estimates"] == 0


def test_batch_and_stats_results_carry_the_metrics() -> None:
    e = investors()
    prefs = [{"min_gross_yield": 0.1, "mortgage_rate": 0.065}, {"min_cap_rate": 0.07}]
    batch = e.recommend_batch(prefs, k=5)
    assert batch == [e.recommend(p, k=5) for p in prefs]
    assert ids(batch[1]) == ["inv-14"]
    m = batch[1][0].metrics
    assert m is not None and m["cap_rate"] == 0.0741 and m["monthly_cash_flow"] is None
    answer = e.recommend_with_stats(prefs[0], k=5)
    assert answer["results"] == batch[0]
    assert [r.metrics for r in answer["results"]] == [r.metrics for r in batch[0]]
    assert round(batch[0][0].metrics["monthly_cash_flow"], 2) == 255.01  # type: ignore[index]
    # Pickled results keep their metrics.
    assert pickle.loads(pickle.dumps(batch[0])) == batch[0]


def test_a_rent_model_estimates_the_rent_of_listings_without_one() -> None:
    e = indian_flats()
    assert e.rent_model is not None and e.model is None
    stats = e.stats()
    assert (stats["rent_estimates"], stats["rent_model_estimates"]) == (9, 9)
    recs = e.recommend({"currency": "INR", "mortgage_rate": 0.085}, k=9)
    assert len(recs) == 9
    for rec in recs:
        m = rec.metrics
        assert m is not None and m["rent_source"] == "model"
        listing = e.get(rec.id)
        estimate = e.estimate_rent(listing)
        assert m["estimated_rent"] == estimate["price"]
        assert m == e.analyze_investment(rec.id, mortgage_rate=0.085)
        assert m["gross_yield"] == 12 * m["estimated_rent"] / listing["price"]
    # Out of the rent model's domain: the estimate is flagged, and so is the result.
    penthouse = e.estimate_rent(e.get("in-5"))
    assert (penthouse["in_domain"], penthouse["warnings"]) == (
        False, ["size_sqft 8,500 above training range (20–8,000)"])
    by_id = {r.id: r for r in recs}
    assert by_id["in-5"].reasons[-1] == (
        "Estimated rent less certain: size_sqft 8,500 above training range (20–8,000)")
    assert by_id["in-9"].reasons[-1] == (
        "Estimated rent less certain: location Bellandur, Bangalore not seen in training")
    assert by_id["in-1"].reasons[0].startswith("Gross yield 4.5 % (rent ≈ ₹87,117/month from "
                                               "the rent model; ")
    # A listing's own estimated_rent comes first.
    own = dict(e.get("in-1"), estimated_rent=100_000)
    m = e.analyze_investment(own)
    assert (m["rent_source"], m["estimated_rent"]) == ("given", 100_000.0)
    # A pickled engine keeps its rent model.
    copy = pickle.loads(pickle.dumps(e))
    assert copy.recommend({"currency": "INR"}, k=3) == e.recommend({"currency": "INR"}, k=3)
    # So does an engine over another catalog.
    assert e.with_catalog(e.catalog).stats()["rent_model_estimates"] == 9


def test_estimate_rent_needs_a_rent_model() -> None:
    with pytest.raises(agent_mira.UnsupportedError) as err:
        investors().estimate_rent({"id": 1, "price": 300_000})
    assert str(err.value) == (
        "unsupported rent estimation: this engine has no rent model (build the engine with a "
        "rent model (EngineBuilder::rent_model))"
    )


def test_bad_investor_preferences_are_named() -> None:
    e = investors()
    cases: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"mortgage_rate": 6.5}, agent_mira.InvalidFieldError,
         "preferences: field `mortgage_rate` = 6.5: expected a yearly rate as a fraction "
         "between 0 and 1 (0.065 for 6.5 %)"),
        ({"min_cash_flow": 0}, agent_mira.InvalidFieldError,
         "preferences: field `min_cash_flow` = 0: expected a mortgage_rate beside it (cash "
         "flow is the rent left after the mortgage payment; 0 with down_payment 1 for a cash "
         "purchase)"),
        ({"min_gross_yeild": 0.1}, agent_mira.UnknownFieldError,
         "preferences: unknown field `min_gross_yeild` (did you mean `min_gross_yield`?)"),
        ({"min_gross_yield": 1.5}, agent_mira.InvalidFieldError,
         "preferences: field `min_gross_yield` = 1.5: expected a fraction from 0 below 1 "
         "(0.06 for 6 %)"),
        ({"min_cap_rate": -0.1}, agent_mira.InvalidFieldError,
         "preferences: field `min_cap_rate` = -0.1: expected a fraction from 0 below 1 "
         "(0.06 for 6 %)"),
        ({"down_payment": 0.3}, agent_mira.InvalidFieldError,
         "preferences: field `down_payment` = 0.3: expected a mortgage_rate beside it (the "
         "yearly rate of the mortgage, e.g. 0.065)"),
        ({"mortgage_rate": 0.065, "mortgage_years": 0}, agent_mira.InvalidFieldError,
         "preferences: field `mortgage_years` = 0: expected a whole number of years between 1 "
         "and 50"),
        ({"vacancy": 1}, agent_mira.InvalidFieldError,
         "preferences: field `vacancy` = 1: expected a share from 0 below 1 (0.05 for 5 %)"),
        ({"closing_costs": 0.6}, agent_mira.InvalidFieldError,
         "preferences: field `closing_costs` = 0.6: expected a share of the price between 0 "
         "and 0.5 (0.03 for 3 %)"),
        ({"expense_ratio": "x"}, agent_mira.InvalidFieldError,
         "preferences: field `expense_ratio` = \"x\": expected a number"),
        ({"min_cash_flow": float("nan"), "mortgage_rate": 0.065}, agent_mira.InvalidFieldError,
         "preferences: field `min_cash_flow` = NaN: expected a finite number (leave the field "
         "out, or pass None, when it is unknown)"),
    ]
    for prefs, kind, message in cases:
        with pytest.raises(kind) as err:
            e.recommend(prefs)
        assert str(err.value) == message, prefs
        # The field is the one the message names between backquotes.
        assert err.value.field == message.split("`")[1], prefs  # type: ignore[attr-defined]
    # A batch names the request.
    with pytest.raises(agent_mira.InvalidFieldError) as err:
        e.recommend_batch([{"min_gross_yield": 0.05}, {"vacancy": 1}])
    assert str(err.value) == (
        "preferences #1: field `vacancy` = 1: expected a share from 0 below 1 (0.05 for 5 %)")


def test_the_engine_names_its_profiles_and_models() -> None:
    catalog = agent_mira.Catalog.from_path(INVESTMENT)
    assert agent_mira.Engine(catalog, profile="investment").profile["name"] == "investment"
    with pytest.raises(agent_mira.InvalidFieldError) as err:
        agent_mira.Engine(catalog, profile="fancy")
    assert str(err.value) == (
        'engine settings: field `profile` = "fancy": expected "balanced", "case-study", '
        '"investment" or a profile object'
    )
    with pytest.raises(agent_mira.MiraTypeError) as type_err:
        agent_mira.Engine(catalog, profile=7)  # type: ignore[arg-type]
    assert str(type_err.value) == (
        'profile `<profile>`: expected a profile ("balanced", "case-study", "investment" or a '
        "dict) as a dict, got int"
    )
    with pytest.raises(agent_mira.MiraTypeError) as type_err:
        agent_mira.Engine(catalog, rent_model="rents.json")  # type: ignore[arg-type]
    assert str(type_err.value) == (
        "Engine: `rent_model` must be an agent_mira.PriceModel or None, got str"
    )


def test_a_rent_model_must_value_listings() -> None:
    # A model without a feature encoder predicts from feature rows only.
    rows_only = agent_mira.PriceModel.linear([1.0, 2.0], 3.0)
    catalog = agent_mira.Catalog.from_path(INVESTMENT)
    with pytest.raises(agent_mira.UnsupportedError) as err:
        agent_mira.Engine(catalog, rent_model=rows_only)
    assert str(err.value) == (
        "unsupported prediction from listings: model `linear` has no feature encoder (it "
        "predicts from feature rows only; attach an encoder with with_encoder, or train with "
        "agent-mira)"
    )
