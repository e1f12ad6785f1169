"""The MCP tools' work: check a call's arguments, call the engine, and give
back the answer as JSON-ready data and a one-line summary.

Nothing here scores or filters: every number comes from an engine call
(``Engine.search``, ``recommend``, ``explain``, ``similar``,
``predict_price``, ``model_info``); this module only checks the shape of the
arguments (the engine checks their values, and its messages name the field
and the expectation) and lays the answers out.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, cast

from .. import MAX_RESULTS, Engine
from ..types import Preferences
from .schemas import MAX_COMPARE, MIN_COMPARE, tool_input_schemas

_Args = Mapping[str, Any]
_Json = dict[str, Any]


class ToolError(ValueError):
    """A tool call refused before it reached the engine: its message names
    the tool, the argument and what was expected."""


@dataclass(frozen=True)
class Answer:
    """A tool's answer: `data` (a JSON object) and a one-line `summary`."""

    data: _Json
    summary: str


@dataclass(frozen=True)
class Tool:
    """One tool: its name, what an LLM reads about it, its input schema and
    the function that answers a call (engine, arguments → Answer)."""

    name: str
    description: str
    input_schema: _Json
    run: Callable[[Engine, _Args], Answer]


def jsonable(value: Any) -> Any:
    """`value` with every non-finite float (NaN, ±inf) as None, which JSON
    cannot carry; lists, tuples and dicts are copied."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _money(amount: Any, currency: Any = None) -> str:
    if not isinstance(amount, (int, float)) or isinstance(amount, bool):
        return "unknown"
    sign = "$" if currency in (None, "USD") else f"{currency} "
    return f"{sign}{amount:,.0f}"


def _check_args(tool: str, args: _Args, allowed: list[str], required: list[str]) -> None:
    for key in args:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise ToolError(
                f"{tool}: unknown argument `{key}`{hint}; expected only "
                + ", ".join(f"`{a}`" for a in allowed)
            )
    for key in required:
        if args.get(key) is None:
            raise ToolError(f"{tool}: missing argument `{key}` (required)")


def _int_arg(tool: str, args: _Args, name: str, default: int, low: int, high: int) -> int:
    value = args.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ToolError(
            f"{tool}: argument `{name}` = {value!r}: expected an integer from {low} to {high}"
        )
    return value


def _object_arg(tool: str, args: _Args, name: str, what: str) -> dict[str, Any]:
    value = args.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ToolError(f"{tool}: argument `{name}` = {value!r}: expected an object ({what})")
    return dict(value)


def _prefs_arg(tool: str, args: _Args) -> Preferences:
    # The engine checks the keys and values (its messages name them).
    return cast("Preferences", _object_arg(tool, args, "preferences", "a buyer's preferences"))


def _id_arg(tool: str, name: str, value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ToolError(
            f"{tool}: argument `{name}` = {value!r}: expected a listing id (integer or string)"
        )
    return value


def _recommendations(recs: list[Any]) -> list[_Json]:
    return [jsonable(r.to_dict()) for r in recs]


def _best_line(results: list[_Json]) -> str:
    if not results:
        return ""
    best = results[0]
    reasons = best.get("reasons") or []
    why = f": {reasons[0]}" if reasons else ""
    return f"; best {best['id']} scored {best['score']:.1f}{why}"


def _homes(n: int) -> str:
    return f"{n} home" if n == 1 else f"{n} homes"


# --- search_properties ---------------------------------------------------------


def search_properties(engine: Engine, args: _Args) -> Answer:
    """``Engine.search(**args)``: `{total, offset, results}`."""
    page = jsonable(engine.search(**dict(args)))
    results = page["results"]
    if results:
        shown = f"; showing {page['offset'] + 1}–{page['offset'] + len(results)}"
        first = results[0]
        shown += f", first {first['id']} at {_money(first['price'], first.get('currency'))}"
        if first.get("location"):
            shown += f" in {first['location']}"
    else:
        shown = "; none on this page" if page["total"] else ""
    return Answer(page, f"{_homes(page['total'])} match{shown}")


# --- recommend -----------------------------------------------------------------


def recommend(engine: Engine, args: _Args) -> Answer:
    """``Engine.recommend(preferences, k, offset)``: `{results, k, offset}`."""
    tool = "recommend"
    _check_args(tool, args, ["preferences", "k", "offset"], ["preferences"])
    prefs = _prefs_arg(tool, args)
    k = _int_arg(tool, args, "k", 3, 1, MAX_RESULTS)
    offset = _int_arg(tool, args, "offset", 0, 0, 2**53)
    results = _recommendations(engine.recommend(prefs, k=k, offset=offset))
    data = {"results": results, "k": k, "offset": offset}
    return Answer(data, f"{_homes(len(results))}{_best_line(results)}")


# --- explain -------------------------------------------------------------------


def explain(engine: Engine, args: _Args) -> Answer:
    """``Engine.explain(preferences, id)``: the core's explanation as is."""
    tool = "explain"
    _check_args(tool, args, ["preferences", "id"], ["preferences", "id"])
    prefs = _prefs_arg(tool, args)
    listing = _id_arg(tool, "id", args["id"])
    data = jsonable(engine.explain(prefs, listing))
    parts = sorted(
        (c for c in data["components"] if c.get("known") and c.get("contribution")),
        key=lambda c: -c["contribution"],
    )
    top = ", ".join(f"{c['name']} +{c['contribution']:.1f}" for c in parts[:3])
    if data["passed"]:
        summary = f"Listing {data['id']} scores {data['total']:.1f}"
        summary += f": {top}" if top else ""
    else:
        failed = [f for f in data["filters"] if not f["passed"]]
        why = failed[0]["detail"] if failed else "a hard filter"
        summary = (
            f"Listing {data['id']} is filtered out ({why}); it would score {data['total']:.1f}"
        )
    return Answer(data, summary)


# --- compare_listings ------------------------------------------------------------

#: The listing fields set side by side by ``compare_listings`` (None when a
#: listing lacks one).
COMPARE_FIELDS = (
    "title",
    "price",
    "currency",
    "listing_type",
    "property_type",
    "location",
    "bedrooms",
    "bathrooms",
    "size_sqft",
    "lot_sqft",
    "year_built",
    "amenities",
    "school_rating",
    "commute_time",
)


def compare_listings(engine: Engine, args: _Args) -> Answer:
    """Listings side by side: each one's key fields and predicted price
    (``Engine.search(ids=...)``), and with preferences its score and
    components (``Engine.explain``)."""
    tool = "compare_listings"
    _check_args(tool, args, ["ids", "preferences"], ["ids"])
    ids = args["ids"]
    if not isinstance(ids, list) or not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        raise ToolError(
            f"{tool}: argument `ids` = {ids!r}: expected a list of "
            f"{MIN_COMPARE} to {MAX_COMPARE} listing ids"
        )
    ids = [_id_arg(tool, "ids", i) for i in ids]
    if len(set(ids)) != len(ids):
        raise ToolError(f"{tool}: argument `ids` = {ids!r}: expected distinct listing ids")
    hits = {h["id"]: h for h in engine.search(ids=ids, limit=len(ids))["results"]}
    missing = [i for i in ids if i not in hits]
    if missing:
        raise ToolError(
            f"{tool}: argument `ids`: {missing[0]!r} is not the id of a listing in the catalog"
        )
    prefs = None
    if args.get("preferences") is not None:
        prefs = _prefs_arg(tool, args)
    listings = []
    for i in ids:
        hit = hits[i]
        row: _Json = {"id": i}
        row.update({f: hit.get(f) for f in COMPARE_FIELDS})
        row["predicted_price"] = hit["predicted_price"]
        if prefs is not None:
            e = engine.explain(prefs, i)
            row["score"] = e["total"]
            row["passed"] = e["passed"]
            row["components"] = [
                {k: c[k] for k in ("name", "score", "weight", "contribution")}
                for c in e["components"]
            ]
            row["failed_filters"] = [f["name"] for f in e["filters"] if not f["passed"]]
        listings.append(jsonable(row))
    summary = f"Compared {len(listings)} listings: " + "; ".join(
        f"{r['id']} {_money(r['price'], r['currency'])}, predicted "
        f"{_money(r['predicted_price'], r['currency'])}"
        for r in listings
    )
    if prefs is not None:
        best = max(listings, key=lambda r: (r["passed"], r["score"] or 0.0))
        summary += f"; best for the buyer: {best['id']} ({best['score']:.1f})"
    return Answer({"listings": listings}, summary)


# --- predict_price -----------------------------------------------------------------


def predict_price(engine: Engine, args: _Args) -> Answer:
    """``Engine.predict_price(listing)``: `{price, in_domain, warnings}`."""
    tool = "predict_price"
    _check_args(tool, args, ["listing"], ["listing"])
    listing = _object_arg(tool, args, "listing", "a listing's fields, with `id` and `price`")
    data = jsonable(engine.predict_price(listing))
    where = (
        "within the model's training domain"
        if data.get("in_domain")
        else "outside the model's training domain: " + "; ".join(data.get("warnings") or [])
    )
    return Answer(data, f"Predicted price {_money(data.get('price'))} ({where})")


# --- similar_listings --------------------------------------------------------------


def similar_listings(engine: Engine, args: _Args) -> Answer:
    """``Engine.similar(id, k, **filters)``: `{results, k}`."""
    tool = "similar_listings"
    _check_args(tool, args, ["id", "k", "filters"], ["id"])
    listing = _id_arg(tool, "id", args["id"])
    k = _int_arg(tool, args, "k", 10, 1, MAX_RESULTS)
    filters = _object_arg(tool, args, "filters", "hard filters")
    results = _recommendations(engine.similar(listing, k=k, **filters))
    return Answer(
        {"results": results, "k": k},
        f"{_homes(len(results))} like {listing}{_best_line(results)}",
    )


# --- model_info ----------------------------------------------------------------------


def model_info(engine: Engine, args: _Args) -> Answer:
    """``Engine.model_info()`` and the price source: `{model, price_source}`."""
    _check_args("model_info", args, [], [])
    card = engine.model_info()
    source = engine.stats()["price_source"]
    data = jsonable({"model": card, "price_source": source})
    if card is None:
        return Answer(data, "No price model: predicted prices are the listed prices")
    name = card.get("name", "unnamed")
    return Answer(data, f"Price model `{name}` predicts every listing's price ({source})")


_DESCRIPTIONS = {
    "search_properties": (
        "Search the catalog's listings with plain filters (location, price range, "
        "bedrooms, bathrooms, size, listing and property type, required amenities, ids), "
        "sorted (price_asc by default, price_desc, newest, id) and paged (offset, limit "
        "up to {max}). No scoring: use it to find candidates or look listings up by id. "
        "Returns {{total, offset, results: [listing fields + predicted_price]}}; for the "
        "next page pass offset + limit."
    ),
    "recommend": (
        "Rank the catalog for a buyer: `preferences` (budget, location, min_bedrooms, "
        "min_bathrooms, min_size_sqft, amenities, property_types, listing_type, ...) "
        "→ the top `k` (default 3, at most {max}) listings, best first, each with its "
        "score (0–100), component scores, predicted and listed price, the reasons in "
        "plain words and the components left out as unknown. Quote the reasons and "
        "numbers; call `explain` for how a score adds up."
    ),
    "explain": (
        "Explain one listing's score for one buyer, with the numbers behind every "
        "claim: each scoring component's inputs (the listing's value, the buyer's ask), "
        "score, weight and contribution (the contributions add up to `total` exactly), "
        "every hard filter passed or failed and why, and the same reasons `recommend` "
        "gives. A listing a filter removes still gets the score it would have, with "
        "`passed` false."
    ),
    "compare_listings": (
        "Put {min} to {max_compare} listings (by id) side by side: title, price, type, "
        "location, bedrooms, bathrooms, size, lot, year built, amenities and the "
        "engine's predicted price; with a buyer's `preferences`, also each one's score, "
        "component contributions and any hard filter it fails."
    ),
    "predict_price": (
        "Predict a listing's price with the engine's price model from its fields "
        "(`listing`: id and price required; bedrooms, bathrooms, size_sqft, lot_sqft, "
        "year_built, location, latitude, longitude, ...). Returns the predicted price, "
        "whether the listing looks like the model's training data (in_domain) and "
        "warnings when it does not. Fails when the engine has no model."
    ),
    "similar_listings": (
        "Find the `k` listings (default 10, at most {max}) most like listing `id` "
        "(itself excluded), best first, with a similarity score and reasons saying what "
        "makes each alike; optional hard `filters` (listing_type, property_types, "
        "max_price, currency)."
    ),
    "model_info": (
        "Describe the price model behind predicted prices: its name, origin, "
        "features, training domain and held-out accuracy (null without a model), and "
        "the price source (`model` or `listed`). Takes no arguments."
    ),
}

_RUN: dict[str, Callable[[Engine, _Args], Answer]] = {
    "search_properties": search_properties,
    "recommend": recommend,
    "explain": explain,
    "compare_listings": compare_listings,
    "predict_price": predict_price,
    "similar_listings": similar_listings,
    "model_info": model_info,
}

#: The tools' names, in the order they are listed.
TOOL_NAMES = tuple(_RUN)


def tools() -> list[Tool]:
    """Every tool, in :data:`TOOL_NAMES` order."""
    schemas = tool_input_schemas()
    return [
        Tool(
            name=name,
            description=_DESCRIPTIONS[name].format(
                max=MAX_RESULTS, min=MIN_COMPARE, max_compare=MAX_COMPARE
            ),
            input_schema=schemas[name],
            run=_RUN[name],
        )
        for name in TOOL_NAMES
    ]
