"""The FastAPI example's recommendation endpoints written in pure Python:
the baseline for benches/load/fastapi_load.sh.

The listings (fixtures/king_county/listings.csv, or $MIRA_LISTINGS_PATH) are
read into Python dicts at start-up; sessions live in a dict; GET
/api/recommendations scores every listing with the case-study formula in a
Python loop (as the public solutions do), sorts, and returns the top k with
their components and the listing, in the example's response shape (minus
the plain-word reasons). Same semantics as agent_mira's `case-study` profile
without a price model: predicted price = listed price, a component whose
data is missing is left out and the weights renormalised, order score desc,
price asc, id asc (integer ids before string ids).

Run: uvicorn --app-dir benches/load pure_python_app:app --port 8001
Env: MIRA_LISTINGS_PATH, MIRA_CURRENT_YEAR (default 2025).
"""

from __future__ import annotations

import csv
import json
import os
import uuid
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, ConfigDict

ROOT = Path(__file__).resolve().parents[2]
LISTINGS = Path(os.environ.get("MIRA_LISTINGS_PATH") or ROOT / "fixtures/king_county/listings.csv")
YEAR = int(os.environ.get("MIRA_CURRENT_YEAR") or 2025)

W_PRICE, W_BED, W_SCHOOL, W_COMMUTE, W_AGE, W_AMEN = 0.30, 0.20, 0.15, 0.15, 0.10, 0.10


def _num(v: str) -> float | None:
    return float(v) if v not in ("", None) else None


def _id(v: str) -> Any:
    return int(v) if v.isdigit() and (v == "0" or not v.startswith("0")) else v


def load(path: Path) -> list[dict[str, Any]]:
    out = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            raw = row.get("amenities", "")
            # "[]" (none), a JSON list, or "a|b" as the CSV loader reads them; "" = unknown.
            amenities = (json.loads(raw) if raw.startswith("[") else raw.split("|")) if raw else None
            p: dict[str, Any] = {
                "id": _id(row["id"]),
                "title": row.get("title") or None,
                "price": float(row["price"]),
                "location": row.get("location") or None,
                "latitude": _num(row.get("latitude", "")),
                "longitude": _num(row.get("longitude", "")),
                "bedrooms": _num(row.get("bedrooms", "")),
                "bathrooms": _num(row.get("bathrooms", "")),
                "size_sqft": _num(row.get("size_sqft", "")),
                "lot_sqft": _num(row.get("lot_sqft", "")),
                "year_built": _num(row.get("year_built", "")),
                "property_type": row.get("property_type") or None,
                "listing_type": row.get("listing_type") or None,
                "amenities": [a.lower() for a in amenities] if amenities is not None else None,
                "school_rating": _num(row.get("school_rating", "")),
                "commute_time": _num(row.get("commute_time", "")),
                "attributes": {k.split(".", 1)[1]: v for k, v in row.items()
                               if k.startswith("attributes.") and v != ""},
            }
            if p["bedrooms"] is not None:
                p["bedrooms"] = int(p["bedrooms"])
            if p["year_built"] is not None:
                p["year_built"] = int(p["year_built"])
            out.append(p)
    return out


def id_key(i: Any) -> tuple[int, Any]:
    return (0, i) if isinstance(i, int) else (1, i)


def score(p: dict[str, Any], budget: float | None, min_bed: float | None) -> tuple[float, dict[str, float]]:
    comps: dict[str, float] = {}
    if budget is not None:
        price = p["price"]
        comps["price_match"] = 100.0 if price <= budget else max(0.0, 100.0 - (price - budget) / budget * 100.0)
    beds = p["bedrooms"]
    if min_bed is not None and beds is not None:
        comps["bedrooms"] = 100.0 if beds >= min_bed else beds / min_bed * 100.0
    school = p["school_rating"]
    if school is not None:
        comps["school_rating"] = school / 10.0 * 100.0
    commute = p["commute_time"]
    if commute is not None:
        comps["commute"] = 100.0 if commute <= 15 else 80.0 if commute <= 30 else 50.0 if commute <= 45 else 20.0
    built = p["year_built"]
    if built is not None:
        age = YEAR - built
        comps["property_age"] = 100.0 if age <= 5 else 80.0 if age <= 15 else 60.0 if age <= 30 else 40.0
    amenities = p["amenities"]
    if amenities is not None:
        has = ("pool" in amenities) + ("garage" in amenities) + ("garden" in amenities)
        comps["amenities"] = has / 3.0 * 100.0
    weights = {"price_match": W_PRICE, "bedrooms": W_BED, "school_rating": W_SCHOOL,
               "commute": W_COMMUTE, "property_age": W_AGE, "amenities": W_AMEN}
    total = 0.0
    weight = 0.0
    for name, w in weights.items():  # profile order, as agent_mira adds them
        if name in comps:
            total += w * comps[name]
            weight += w
    if weight <= 0:
        return 0.0, comps
    return (total if abs(weight - 1.0) <= 1e-12 else total / weight), comps


class Preferences(BaseModel):
    model_config = ConfigDict(extra="forbid")
    budget: float | None = None
    location: str | None = None
    min_bedrooms: int | None = None
    min_bathrooms: float | None = None
    max_commute_time: float | None = None
    min_school_rating: float | None = None
    preferred_amenities: list[str] = []


app = FastAPI(title="pure-Python recommendations (bench baseline)")
PROPS = load(LISTINGS)
SESSIONS: dict[uuid.UUID, dict[str, Any]] = {}


@app.post("/api/preferences", status_code=201)
def create_preferences(prefs: Preferences) -> dict[str, Any]:
    data = prefs.model_dump(exclude_unset=True)
    sid = uuid.uuid4()
    SESSIONS[sid] = data
    return {"session_id": str(sid), "preferences": data}


@app.get("/api/recommendations")
def recommendations(
    session_id: uuid.UUID,
    k: int = Query(3, ge=1, le=50),
    offset: int = Query(0, ge=0, le=1000),
    include_property: bool = True,
) -> dict[str, Any]:
    prefs = SESSIONS.get(session_id)
    if prefs is None:
        raise HTTPException(404, f"unknown session_id {session_id}")
    budget = prefs.get("budget")
    min_bed = prefs.get("min_bedrooms")
    scored = []
    for p in PROPS:
        total, comps = score(p, budget, min_bed)
        scored.append((total, p, comps))
    scored.sort(key=lambda t: (-t[0], t[1]["price"], id_key(t[1]["id"])))
    results = []
    for total, p, comps in scored[offset:offset + k]:
        d = {"id": p["id"], "score": total, "components": comps,
             "predicted_price": p["price"], "listed_price": p["price"], "price_source": "listed"}
        if include_property:
            d["property"] = p
        results.append(d)
    return {"session_id": str(session_id), "k": k, "offset": offset, "results": results}


@app.get("/api/health")
def health() -> dict[str, Any]:
    return {"status": "ok", "listings": len(PROPS)}
