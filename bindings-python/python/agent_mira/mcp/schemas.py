"""The tools' input schemas, built from the core's JSON Schemas.

Each tool's arguments are an object whose parts are the core's input types,
exactly as :func:`agent_mira.input_schema` gives them (``recommend``'s
``preferences`` is the ``Preferences`` schema, descriptions included: they
are what an LLM reads); the nested types' ``$defs`` are gathered at the
root, where their ``$ref`` s point.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import MAX_RESULTS, input_schema

#: The most ids ``compare_listings`` compares, and the fewest.
MAX_COMPARE = 5
MIN_COMPARE = 2

_Schema = dict[str, Any]


def embedded(name: str, defs: _Schema) -> _Schema:
    """The core's schema of input type `name`, to embed in another schema:
    without ``$schema``, its ``$defs`` moved into `defs`.

    Raises:
        ValueError: two types define one name differently (never for the
            core's types, whose shared definitions are one type each).
    """
    schema = copy.deepcopy(input_schema(name))
    schema.pop("$schema", None)
    for key, definition in schema.pop("$defs", {}).items():
        if key in defs and defs[key] != definition:
            raise ValueError(f"two definitions of {key} in the tool schemas")
        defs[key] = definition
    return schema


def _object(properties: _Schema, required: list[str], defs: _Schema) -> _Schema:
    schema: _Schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if defs:
        schema["$defs"] = defs
    return schema


def listing_id_schema(defs: _Schema) -> _Schema:
    """The schema of a listing id: the ``id`` of the core's ``ListingInput``
    (its definitions moved into `defs`)."""
    schema: _Schema = embedded("ListingInput", defs)["properties"]["id"]
    return schema


def _count(description: str, default: int, minimum: int = 1) -> _Schema:
    return {
        "type": "integer",
        "minimum": minimum,
        "maximum": MAX_RESULTS,
        "default": default,
        "description": description,
    }


def tool_input_schemas() -> dict[str, _Schema]:
    """Every tool's input schema, by tool name."""
    search = copy.deepcopy(input_schema("SearchQuery"))

    defs: _Schema = {}
    recommend = _object(
        {
            "preferences": embedded("Preferences", defs),
            "k": _count("How many listings to return, best first (default 3).", 3),
            "offset": {
                "type": "integer",
                "minimum": 0,
                "default": 0,
                "description": "How many of the best listings to skip (for the next page).",
            },
        },
        ["preferences"],
        defs,
    )

    defs = {}
    explain = _object(
        {
            "preferences": embedded("Preferences", defs),
            "id": {
                **listing_id_schema(defs),
                "description": "The id of the listing to explain (as search or recommend gave it).",
            },
        },
        ["preferences", "id"],
        defs,
    )

    defs = {}
    compare = _object(
        {
            "ids": {
                "type": "array",
                "items": listing_id_schema(defs),
                "minItems": MIN_COMPARE,
                "maxItems": MAX_COMPARE,
                "uniqueItems": True,
                "description": f"The ids of {MIN_COMPARE} to {MAX_COMPARE} listings to compare.",
            },
            "preferences": embedded("Preferences", defs),
        },
        ["ids"],
        defs,
    )

    defs = {}
    predict = _object(
        {
            "listing": embedded("ListingInput", defs),
        },
        ["listing"],
        defs,
    )

    defs = {}
    similar = _object(
        {
            "id": {
                **listing_id_schema(defs),
                "description": "The id of the listing to find homes like.",
            },
            "k": _count("How many similar listings to return (default 10).", 10),
            "filters": embedded("SimilarFilters", defs),
        },
        ["id"],
        defs,
    )

    model_info = _object({}, [], {})

    return {
        "search_properties": search,
        "recommend": recommend,
        "explain": explain,
        "compare_listings": compare,
        "predict_price": predict,
        "similar_listings": similar,
        "model_info": model_info,
    }
