"""A renter's fields cross the Python boundary: dates as ``datetime.date``
or ``"YYYY-MM-DD"``, and every bad value named with the field."""

import datetime

import pandas as pd
import pytest

import agent_mira

RENTAL = {
    "id": "flat-1",
    "price": 38000,
    "location": "Bandra West, Mumbai",
    "listing_type": "long_term_rent",
    "rent_period": "month",
    "available_from": datetime.date(2022, 6, 28),
    "available_until": "2023-12-31",
    "min_lease_months": 11,
    "max_lease_months": 36,
    "deposit": 150000,
    "furnishing": "Semi-Furnished",
    "pets_allowed": True,
    "floor": 4,
    "total_floors": 12,
    "currency": "inr",
}


def test_a_listing_keeps_every_renting_field_with_dates_as_iso_text():
    engine = agent_mira.Engine(agent_mira.Catalog.from_records([RENTAL]))
    got = engine.get("flat-1")
    assert {k: got[k] for k in RENTAL if k not in ("id", "price", "location")} == {
        "listing_type": "long_term_rent",
        "rent_period": "month",
        "available_from": "2022-06-28",
        "available_until": "2023-12-31",
        "min_lease_months": 11,
        "max_lease_months": 36,
        "deposit": 150000.0,
        "furnishing": "semi_furnished",
        "pets_allowed": True,
        "floor": 4,
        "total_floors": 12,
        "currency": "INR",
    }


def test_dates_may_be_dates_or_datetimes_at_midnight():
    for day in (datetime.date(2022, 7, 1), datetime.datetime(2022, 7, 1), "2022-07-01"):
        record = dict(RENTAL, available_from=day)
        got = agent_mira.Catalog.from_records([record])
        assert agent_mira.Engine(got).get("flat-1")["available_from"] == "2022-07-01"


def test_a_datetime_with_a_time_of_day_is_refused_naming_the_field():
    record = dict(RENTAL, available_from=datetime.datetime(2022, 7, 1, 9, 30))
    with pytest.raises(agent_mira.InvalidFieldError) as e:
        agent_mira.Catalog.from_records([record])
    assert str(e.value) == (
        "record #0: field `available_from` = 2022-07-01 09:30:00: expected a calendar day: "
        'a datetime.date or "YYYY-MM-DD" (a datetime with a time of day or a time zone names '
        "no single day; pass .date())"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "available_until",
            "2022-06-01",
            "record #0 (listing \"flat-1\"): field `available_until` = \"2022-06-01\": "
            "expected a date on or after available_from (2022-06-28)",
        ),
        (
            "rent_period",
            "fortnight",
            "record #0: field `rent_period` = \"fortnight\": "
            "expected one of month, week, night (rent period)",
        ),
        (
            "currency",
            "XYZ",
            "record #0: field `currency` = \"XYZ\": expected an ISO 4217 currency code "
            "in use (XYZ is not one), such as USD, EUR or INR",
        ),
        (
            "max_lease_months",
            6,
            "record #0 (listing \"flat-1\"): field `max_lease_months` = 6: expected at least "
            "min_lease_months (11)",
        ),
    ],
)
def test_bad_renting_fields_are_named(field, value, message):
    with pytest.raises(agent_mira.InvalidFieldError) as e:
        agent_mira.Catalog.from_records([dict(RENTAL, **{field: value})])
    assert str(e.value) == message


def test_a_rent_period_on_a_sale_is_refused():
    record = dict(RENTAL, listing_type="sale")
    with pytest.raises(agent_mira.InvalidFieldError) as e:
        agent_mira.Catalog.from_records([record])
    assert str(e.value) == (
        'record #0 (listing "flat-1"): field `rent_period` = "month": expected no rent '
        "period on a `sale` listing (only long_term_rent and short_term_rent are rented)"
    )


def test_preferences_take_a_date_and_refuse_renter_fields_without_a_rental():
    engine = agent_mira.Engine(agent_mira.Catalog.from_records([RENTAL]))
    prefs = {"listing_type": "long_term_rent", "move_in": datetime.date(2022, 7, 1),
             "lease_months": 11, "currency": "INR"}
    assert [r.id for r in engine.recommend(prefs)] == ["flat-1"]
    with pytest.raises(agent_mira.InvalidFieldError) as e:
        engine.recommend({"budget": 40000, "budget_period": "week"})
    assert str(e.value) == (
        'preferences: field `budget_period` = "week": expected listing_type long_term_rent '
        "or short_term_rent beside it (a rent period is for renters)"
    )
    with pytest.raises(agent_mira.InvalidFieldError) as e:
        engine.recommend({"move_in": "1 July 2022"})
    assert str(e.value) == (
        'preferences: field `move_in` = "1 July 2022": expected a date written YYYY-MM-DD'
    )


def test_from_pandas_reads_date_columns():
    frame = pd.DataFrame(
        [
            {"id": 1, "price": 20000, "listing_type": "long_term_rent",
             "available_from": pd.Timestamp("2022-06-01")},
            {"id": 2, "price": 25000, "listing_type": "long_term_rent", "available_from": pd.NaT},
        ]
    )
    engine = agent_mira.Engine(agent_mira.Catalog.from_pandas(frame))
    assert engine.get(1)["available_from"] == "2022-06-01"
    assert "available_from" not in engine.get(2)
