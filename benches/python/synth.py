"""The synthetic catalog of ``benches/src/lib.rs``, ported to Python.

A port of the Rust ``synthetic_catalog(n)``: the same xorshift generator,
seed, draw order and rounding (half away from zero), so the Python, Node and
criterion benches score the same listings (the Python and Node ports agree;
not yet compared listing by listing with the Rust output).
"""

from __future__ import annotations

import math
from typing import Any

CITIES = [
    ("Seattle, WA", 47.61, -122.33),
    ("Bellevue, WA", 47.61, -122.20),
    ("Kent, WA", 47.38, -122.23),
    ("Renton, WA", 47.48, -122.22),
    ("Redmond, WA", 47.67, -122.12),
    ("Kirkland, WA", 47.68, -122.21),
    ("Auburn, WA", 47.31, -122.23),
    ("Issaquah, WA", 47.53, -122.03),
]

AMENITIES = [
    ["pool", "garage"],
    ["garden"],
    [],
    ["Swimming Pool", "Garden", "Two-Car Garage"],
    ["view", "gym"],
    ["garage"],
]

# What agent_mira's synonym table makes of each AMENITIES entry (the
# alternatives get the canonical names, as a cleaned database would hold).
CANONICAL = [
    ["pool", "garage"],
    ["garden"],
    [],
    ["pool", "garden", "garage"],
    ["view", "gym"],
    ["garage"],
]

CURRENT_YEAR = 2025

# A typical buyer (benches/src/lib.rs `typical_buyer`).
BUYER: dict[str, Any] = {
    "budget": 650_000.0,
    "location": "Bellevue, WA",
    "min_bedrooms": 3,
    "min_bathrooms": 2.0,
    "max_commute_time": 30.0,
    "min_school_rating": 7.0,
    "preferred_amenities": ["pool", "garden"],
}

_MASK = (1 << 64) - 1


def _round(x: float) -> float:
    """Rust's f64::round for x >= 0 (half away from zero)."""
    f = math.floor(x)
    return float(f + 1) if x - f >= 0.5 else float(f)


def synthetic_listings(n: int) -> tuple[list[dict[str, Any]], list[int]]:
    """``n`` listings as dicts (raw amenity strings, None for missing) and,
    per listing, its index into AMENITIES / CANONICAL."""
    s = 0x9E3779B97F4A7C15
    out: list[dict[str, Any]] = []
    kinds: list[int] = []
    append = out.append
    append_kind = kinds.append
    for i in range(n):
        # Each draw inlined: s ^= s << 13; s ^= s >> 7; s ^= s << 17.
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        city, lat, lon = CITIES[s % 8]
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        size = 600.0 + (s >> 11) / 9007199254740992.0 * 3400.0
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        price = _round(size * 250.0 * (0.7 + (s >> 11) / 9007199254740992.0 * 0.6) / 1000.0) * 1000.0
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        latitude = lat + ((s >> 11) / 9007199254740992.0 - 0.5) * 0.1
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        longitude = lon + ((s >> 11) / 9007199254740992.0 - 0.5) * 0.1
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        bedrooms = 1 + s % 5
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        bathrooms = 1.0 + (s % 6) / 2.0
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        year_built = 1900 + s % 125
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        school = None
        if s % 20 != 0:
            s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
            school = (s % 101) / 10.0
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        commute = None
        if s % 20 != 0:
            s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
            commute = float(5 + s % 80)
        s ^= (s << 13) & _MASK; s ^= s >> 7; s ^= (s << 17) & _MASK
        a = s % 6
        append({
            "id": i,
            "price": price,
            "location": city,
            "latitude": latitude,
            "longitude": longitude,
            "bedrooms": bedrooms,
            "bathrooms": bathrooms,
            "size_sqft": _round(size),
            "year_built": year_built,
            "school_rating": school,
            "commute_time": commute,
            "amenities": AMENITIES[a],
        })
        append_kind(a)
    return out, kinds
