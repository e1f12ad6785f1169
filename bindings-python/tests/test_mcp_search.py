"""Engine.search (the MCP server's search_properties) from Python: the
core's filters, order and paging, listing dicts with the engine's predicted
price, errors naming the field. Needs no `mcp` package."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

import agent_mira as mira
from conftest import FIXTURES

RECORDS: list[dict[str, Any]] = json.loads((FIXTURES / "listings" / "sample.json").read_text())


@pytest.fixture(scope="module")
def engine(sample_catalog: mira.Catalog) -> mira.Engine:
    return mira.Engine(sample_catalog, current_year=2025)


def brute_force(**f: Any) -> list[Any]:
    """The ids a filter keeps, from the raw records, cheapest first (ties by id)."""
    keep = [
        r
        for r in RECORDS
        if r["price"] <= f.get("max_price", float("inf"))
        and r.get("bedrooms", -1) >= f.get("min_bedrooms", -1)
        and ("min_bedrooms" not in f or "bedrooms" in r)
    ]
    return [r["id"] for r in sorted(keep, key=lambda r: (r["price"], r["id"]))]


def test_search_pages_listings_with_predicted_prices(engine: mira.Engine) -> None:
    everything = engine.search(limit=100)
    assert everything["total"] == len(RECORDS) and everything["offset"] == 0
    assert [r["id"] for r in everything["results"]] == brute_force()
    for hit in everything["results"]:
        listing = dict(hit)
        # Without a model, the prediction is the listed price.
        assert listing.pop("predicted_price") == hit["price"]
        assert listing == engine.get(hit["id"])
    page = engine.search(max_price=700_000, min_bedrooms=2, offset=1, limit=2)
    expected = brute_force(max_price=700_000, min_bedrooms=2)
    assert page["total"] == len(expected)
    assert [r["id"] for r in page["results"]] == expected[1:3]
    by_id = engine.search(ids=[RECORDS[3]["id"], RECORDS[0]["id"], "nope"], sort="id")
    assert [r["id"] for r in by_id["results"]] == sorted([RECORDS[3]["id"], RECORDS[0]["id"]])
    newest = engine.search(sort="newest", limit=1)["results"][0]
    assert newest["year_built"] == max(r["year_built"] for r in RECORDS if "year_built" in r)
    # A filter given as None is not applied.
    assert engine.search(location=None, limit=100) == everything


def test_search_errors_name_the_field(engine: mira.Engine) -> None:
    with pytest.raises(mira.UnknownFieldError, match="did you mean `max_price`"):
        engine.search(max_prise=1)
    with pytest.raises(mira.InvalidFieldError, match="`limit` = 0: expected between 1 and 10000"):
        engine.search(limit=0)
    with pytest.raises(mira.InvalidFieldError, match='`sort` = "cheap"'):
        engine.search(sort="cheap")
    with pytest.raises(
        mira.InvalidFieldError,
        match='search query: field `min_bedrooms` = "three": expected a whole number ≥ 0',
    ):
        engine.search(min_bedrooms="three")


def test_input_schema_documents_itself_and_its_example_runs() -> None:
    from test_docstrings import _check, test_docstring_examples_run

    fn = mira.input_schema
    _check(fn.__doc__, inspect.signature(fn), "input_schema")
    test_docstring_examples_run(fn.__doc__ or "")
