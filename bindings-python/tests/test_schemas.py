"""The generated JSON Schemas (schemas/*.schema.json, from the core's types)
say what the core accepts: every listing, preference and profile the
repository's fixtures hold passes them, and the bad inputs the core refuses
fail them, except the few a schema cannot express (listed with the reason).
Where a value is probed both ways, the schema's verdict is the core's."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from test_bad_inputs_shared import expand

import agent_mira as mira
from conftest import FIXTURES, REPO, read_json

SCHEMAS = REPO / "schemas"
YEAR = 2025


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = read_json(SCHEMAS / f"{name}.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


PREFERENCES = validator("Preferences")
LISTING = validator("ListingInput")
PROFILE = validator("ProfileSpec")
GBDT = validator("GbdtParams")
TRAIN = validator("TrainSpec")
RIDGE = validator("RidgeParams")
HOLDOUT = validator("Holdout")


def errors(v: jsonschema.Draft202012Validator, value: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(value)]


def core_accepts_listing(record: dict[str, Any]) -> bool:
    try:
        mira.Catalog.from_records([record], current_year=YEAR)
    except mira.MiraError:
        return False
    return True


def core_accepts_preferences(prefs: dict[str, Any]) -> bool:
    # The listing is in Bellevue: a place no listing is in is refused by the
    # catalog, not by the schema (which cannot know the catalog's places).
    engine = mira.Engine(
        mira.Catalog.from_records(
            [{"id": 1, "price": 1, "location": "Bellevue, WA"}], current_year=YEAR
        ),
        current_year=YEAR,
    )
    try:
        engine.recommend(prefs, k=1)
    except mira.MiraError:
        return False
    return True


# --- everything the repository ships passes ---------------------------------

GOLDEN = read_json(FIXTURES / "golden" / "cases.json")


@pytest.mark.parametrize("case", GOLDEN, ids=[c["name"] for c in GOLDEN])
def test_golden_preferences_and_profiles_pass(case: dict[str, Any]) -> None:
    assert errors(PREFERENCES, case["preferences"]) == []
    if isinstance(case["profile"], dict):
        assert errors(PROFILE, case["profile"]) == []


def test_sample_listings_pass_as_written() -> None:
    records = read_json(FIXTURES / "listings" / "sample.json")
    assert len(records) > 10
    for record in records:
        assert errors(LISTING, record) == [], record["id"]


@pytest.mark.parametrize(
    ("path", "options", "count"),
    [
        ("listings/sample.json", {}, 12),
        ("case-study", {}, 10),
        ("king_county/listings.csv", {}, 21430),
        # The raw sales file repeats houses sold twice; the last sale is kept.
        (
            "king_county/kc_house_data.csv",
            {"mapping": "king-county", "on_duplicate": "keep_last"},
            21430,
        ),
    ],
)
def test_loaded_catalogs_pass(path: str, options: dict[str, Any], count: int) -> None:
    catalog = mira.Catalog.from_path(FIXTURES / path, current_year=YEAR, **options)
    records = catalog.to_records()
    assert len(records) == count
    bad = [(r["id"], errors(LISTING, r)) for r in records if errors(LISTING, r)]
    assert bad == []


@pytest.mark.parametrize("name", ["balanced", "case-study"])
def test_built_in_profiles_pass(name: str) -> None:
    catalog = mira.Catalog.from_records([{"id": 1, "price": 1}], current_year=YEAR)
    profile = mira.Engine(catalog, profile=name, current_year=YEAR).profile
    assert profile["name"] == name
    assert errors(PROFILE, profile) == []


def test_training_parameters_and_holdouts() -> None:
    assert errors(GBDT, {}) == []
    assert errors(GBDT, {"num_rounds": 300, "learning_rate": 0.05, "max_depth": None}) == []
    assert errors(GBDT, {"objective": "l2", "early_stopping_rounds": 5}) == []
    assert errors(TRAIN, {"kind": "ols", "params": {"log_target": False}}) == []
    assert errors(TRAIN, {"kind": "elastic_net", "params": {"alpha": 1, "l1_ratio": 0.5}}) == []
    assert errors(TRAIN, {"kind": "gbdt", "params": {"num_rounds": 10}}) == []
    assert errors(RIDGE, {"alpha": 0.01, "max_iterations": 100}) == []
    for holdout in (
        {"kind": "none"},
        {"kind": "random", "fraction": 0.2, "seed": 42},
        {"kind": "temporal", "attribute": "sale_date", "cutoff": "2015-03-01"},
    ):
        assert errors(HOLDOUT, holdout) == []


def test_training_parameter_errors() -> None:
    assert errors(GBDT, {"num_leaves": 3}) == [
        ": Additional properties are not allowed ('num_leaves' was unexpected)"
    ]
    assert errors(GBDT, {"learning_rate": 0}) == [
        "learning_rate: 0 is less than or equal to the minimum of 0"
    ]
    assert errors(GBDT, {"max_bins": 256}) == ["max_bins: 256 is greater than the maximum of 255"]
    assert errors(GBDT, {"objective": "huber"}) != []
    assert errors(TRAIN, {"kind": "forest", "params": {}}) != []
    assert errors(TRAIN, {"kind": "elastic_net", "params": {"alpha": 1, "l1_ratio": 2}}) != []
    assert errors(TRAIN, {"kind": "ols", "params": {"alpha": 1}}) != []
    assert errors(RIDGE, {"alpha": 0}) != []
    assert errors(HOLDOUT, {"kind": "random", "fraction": 1, "seed": 1}) != []
    assert errors(HOLDOUT, {"kind": "random", "fraction": 0.2}) == []  # seed defaults to 42
    assert errors(HOLDOUT, {"kind": "random", "seed": 1}) != []


# --- what the core refuses, the schema refuses ------------------------------

BAD = read_json(FIXTURES / "bad-inputs" / "cases.json")
# Cases a JSON Schema cannot express, and why. Everything else in the table
# of kind listings / preferences / profile must fail the schema.
NOT_EXPRESSIBLE = {
    # `year_built` is bounded by the engine's current_year, a setting.
    "year built in the future": "depends on current_year",
    # A uniqueness rule across records, not a property of one record.
    "duplicate id": "across records",
    # JSON has no NaN or infinity; a validator compares them as floats, and
    # NaN fails no comparison, +inf no lower bound.
    "price is NaN": "not JSON",
    "budget is NaN": "not JSON",
    "budget is infinite": "not JSON",
    "infinite weight": "not JSON",
    # Sizes in bytes of serialised JSON and nesting depth of free data.
    "attribute value too big": "bytes of JSON",
    "attributes nested too deep": "nesting depth",
    # Rules across two fields (JSON Schema compares no field with another).
    "rent period on a sale": "across fields",
    "availability ends before it starts": "across fields",
    "lease limits crossed": "across fields",
    "floor above the building": "across fields",
    "budget_period without a rental": "across fields",
    "lease_months without a rental": "across fields",
    # Calendar arithmetic (days per month, leap years): the schema says
    # `format: date`, which validators need not assert.
    "available_from not a real day": "calendar",
    # The list of ISO 4217 codes in use: the schema checks three letters.
    "currency retired": "code list",
    "preferred currency unknown": "code list",
    # Vectors: one dimension per catalog is a rule across records; "not all
    # zeros" needs a direction, which the schema does not check (it could, with
    # `contains: {not: {const: 0}}`).
    "embedding of another dimension than the first": "across records",
    "embedding all zeros": "not all zero: not in the schema",
    "similar_to vector all zeros": "not all zero: not in the schema",
    # `similar_to: {}`: the schema has no minProperties for it (it could).
    "similar_to without ids or vector": "minProperties: not in the schema",
    # Whether an id is in the catalog depends on the catalog.
    "similar_to id not in the catalog": "depends on the catalog",
}
SCHEMA_KINDS = {"listings": LISTING, "preferences": PREFERENCES, "profile": PROFILE}
BAD_CASES = [c for c in BAD["cases"] if c["kind"] in SCHEMA_KINDS]


def test_not_expressible_cases_exist() -> None:
    names = {c["name"] for c in BAD_CASES}
    assert set(NOT_EXPRESSIBLE) <= names


@pytest.mark.parametrize("case", BAD_CASES, ids=[c["name"] for c in BAD_CASES])
def test_bad_inputs_fail_the_schema(case: dict[str, Any]) -> None:
    v = SCHEMA_KINDS[case["kind"]]
    value = expand(case["input"])
    records = value if case["kind"] == "listings" else [value]
    problems = [e for r in records for e in errors(v, r)]
    if case["name"] in NOT_EXPRESSIBLE:
        assert problems == [], "expressible after all: drop it from NOT_EXPRESSIBLE"
    else:
        assert problems != []


# --- probed both ways: the schema's verdict is the core's -------------------

LISTING_PROBES: list[dict[str, Any]] = [
    {"id": 1, "price": 1},
    {"id": "a1", "price": 1, "bedrooms": 3.0},
    {"id": 1, "price": 1, "bedrooms": 2.5},
    {"id": 1, "price": 1, "bedrooms": 1000},
    {"id": 1, "price": 1, "bedrooms": 1001},
    {"id": 1, "price": 1, "bathrooms": 0},
    {"id": 1, "price": 1, "latitude": -90, "longitude": 180},
    {"id": 1, "price": 1, "longitude": -180.5},
    {"id": 1, "price": 1, "size_sqft": 0},
    {"id": 1, "price": 1, "commute_time": 0},
    {"id": 1, "price": 1, "year_built": 999},
    {"id": 1, "price": 1, "year_built": 1000},
    {"id": 1, "price": 1, "title": " "},
    {"id": 1, "price": 1, "title": "Tab\there"},
    {"id": 1, "price": 1, "location": None, "amenities": None},
    {"id": 1, "price": 1, "amenities": []},
    {"id": 1, "price": 1, "amenities": [" "]},
    {"id": 1, "price": 1, "property_type": "Single-Family"},
    {"id": 1, "price": 1, "property_type": " house "},
    {"id": 1, "price": 1, "property_type": "CONDO"},
    {"id": 1, "price": 1, "property_type": "castle"},
    {"id": 1, "price": 1, "listing_type": "vacation rental"},
    {"id": 1, "price": 1, "listing_type": "lease"},
    {"id": 1, "price": 1, "image_url": "http://x/1.jpg"},
    {"id": 1, "price": 1, "image_url": "http://x/1.jpg", "image_urls": None},
    {"id": 1, "price": 1, "image_url": None, "image_urls": ["http://x/1.jpg"]},
    {"id": 1, "price": 1, "image_url": "http://x/1.jpg", "image_urls": []},
    {"id": 1, "price": 1, "attributes": {"zip": "98004", "nested": {"a": [1, None]}}},
    {"id": 1, "price": 1, "attributes": {"bad\nkey": 1}},
    {"id": 1, "price": None},
    {"id": None, "price": 1},
    {"id": True, "price": 1},
    {"id": 1, "price": 1, "school_rating": 10.0},
    {"id": 1, "price": 1, "school_rating": -0.1},
]

PREFERENCE_PROBES: list[dict[str, Any]] = [
    {},
    {"budget": None, "location": None, "weights": None, "property_types": None},
    {"budget": 0},
    {"budget": 1},
    {"min_bedrooms": 0},
    {"min_bedrooms": -1},
    {"min_bathrooms": 1000},
    {"min_bathrooms": 1000.5},
    {"min_size_sqft": 0},
    {"max_commute_time": 0.5},
    {"min_school_rating": 0},
    {"min_school_rating": 10.5},
    {"location": "  "},
    {"location": "Bellevue, WA"},
    {"preferred_amenities": ["pool", "Garden"]},
    {"must_have_amenities": ["pool", ""]},
    {"property_types": ["sfh", "Town House", "flat"]},
    {"property_types": ["sfh", "igloo"]},
    {"property_types": ["sfh"] * 16},
    {"listing_type": "For-Sale"},
    {"listing_type": "rent to own"},
    {"weights": {"price_match": 0, "commute": 2}},
    {"weights": {"price_match": 1, "prise_match": 1}},
    {"weights": {"value": -0.5}},
    {"budjet": 1},
    {"min_bedrooms": "3"},
]


@pytest.mark.parametrize("record", LISTING_PROBES, ids=[str(p) for p in LISTING_PROBES])
def test_listing_schema_agrees_with_the_core(record: dict[str, Any]) -> None:
    schema_ok = errors(LISTING, record) == []
    assert schema_ok == core_accepts_listing(record), errors(LISTING, record)


@pytest.mark.parametrize("prefs", PREFERENCE_PROBES, ids=[str(p) for p in PREFERENCE_PROBES])
def test_preferences_schema_agrees_with_the_core(prefs: dict[str, Any]) -> None:
    schema_ok = errors(PREFERENCES, prefs) == []
    assert schema_ok == core_accepts_preferences(prefs), errors(PREFERENCES, prefs)
