"""The HTTP API. Handlers are plain `def`s: FastAPI runs them on its thread
pool, and agent_mira releases the GIL while it scans, so requests run in
parallel."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any, Literal, Optional

import agent_mira
from fastapi import APIRouter, Path, Query, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from . import db
from .currency import DEFAULT_CURRENCY, CurrencyIndex
from .engine import EngineHolder
from .errors import ApiError, status_for
from .models import (
    ErrorBody,
    Health,
    InvestmentAnalysis,
    InvestmentAnalyzeIn,
    InvestmentInputs,
    InvestmentMetricsOut,
    ListingIn,
    ListingType,
    ModelInfo,
    PricePrediction,
    Preferences,
    PropertyOut,
    PropertyPage,
    PropertyType,
    RecommendationOut,
    RecommendationsOut,
    SessionCreated,
    SimilarOut,
)

MAX_K = 50
MAX_OFFSET = 1000
MAX_LIMIT = 100
MAX_PAGE_OFFSET = 100_000
MAX_ID_LENGTH = 200
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

router = APIRouter()
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad input (the engine's message)"},
    422: {"model": ErrorBody, "description": "Invalid value or type"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "Not found"}}


def _holder(request: Request) -> EngineHolder:
    return request.app.state.holder  # type: ignore[no-any-return]


def _pool(request: Request) -> Any:
    return request.app.state.pool


def _day(name: str, value: Optional[str]) -> Optional[dt.date]:
    """A `YYYY-MM-DD` query value as a date; anything else (another layout,
    a day the calendar lacks) is a 422 naming the parameter."""
    if value is None:
        return None
    if _ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ApiError(422, f'{name}: "{value}" is not a day: expected a real calendar date written '
                   "YYYY-MM-DD", "REQUEST_INVALID", name)


def _property_out(row: dict[str, Any]) -> PropertyOut:
    rec = db.row_to_record(row)
    return PropertyOut(**rec, updated_at=row.get("updated_at"))


# --- sessions and recommendations -------------------------------------------

@router.post(
    "/api/preferences", response_model=SessionCreated, status_code=201,
    responses=ERRORS, tags=["recommendations"],
    summary="Store a buyer session's preferences",
)
def create_preferences(prefs: Preferences, request: Request) -> SessionCreated:
    data = prefs.model_dump(exclude_unset=True)
    if data.get("profile", "") is None:
        del data["profile"]  # null: the app's profile
    if data.get("similar_to", "") is None:
        del data["similar_to"]  # null: not given
    holder = _holder(request)
    similar_to = data.get("similar_to")
    if isinstance(similar_to, dict) and isinstance(similar_to.get("ids"), list):
        # Ids as the API writes them: "7129300520" is listing 7129300520.
        similar_to["ids"] = [db.id_from_db(i) if isinstance(i, str) else i
                             for i in similar_to["ids"]]
    # The engine validates (unknown keys with "did you mean", ranges,
    # vocabularies, a lease without a rental listing_type, the investor's
    # terms) before anything is stored. The profile is the app's, not a
    # preference: checked by pydantic, stored with the session.
    # `similar_to` names listings and the catalog's dimension, so only the
    # live catalog can check it (below); the empty validator checks the rest.
    holder.validator.recommend(
        {k: v for k, v in _engine_prefs(data).items() if k != "similar_to"}, k=1)
    # A catalog mixing currencies needs the request's: named, or settled by
    # the location (stored, so the client sees which one was used).
    index = holder.state.currencies if holder.ready else CurrencyIndex()
    inferred = index.infer(data)
    if inferred is not None:
        data["currency"] = inferred
    problem = index.unsettled(data)
    if problem is not None:
        raise ApiError(422, problem, "CURRENCY_REQUIRED", "currency")
    if similar_to is not None and holder.ready:
        # Ids in the catalog, the vector's dimension: one request on the
        # serving engine (counted in its stats like any other). Its errors
        # reach the client as 422 naming the field (the global handler).
        holder.state.engine_for(data.get("profile")).recommend(_engine_prefs(data), k=1)
    with _pool(request).connection() as conn:
        session_id = db.store_preferences(conn, data)
    return SessionCreated(session_id=session_id, preferences=data)


@router.get(
    "/api/recommendations", response_model=RecommendationsOut,
    responses={**ERRORS, **NOT_FOUND}, tags=["recommendations"],
    summary="Top matches for a stored session, with reasons",
)
def recommendations(
    request: Request,
    session_id: Annotated[uuid.UUID, Query(description="From POST /api/preferences")],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 3,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    include_property: Annotated[bool, Query(description="Embed each listing")] = True,
) -> RecommendationsOut:
    with _pool(request).connection() as conn:
        prefs = db.load_preferences(conn, session_id)
    if prefs is None:
        raise ApiError(404, f"unknown session_id {session_id}", "SESSION_NOT_FOUND", "session_id")
    state = _holder(request).state  # this request's engine, whatever happens meanwhile
    # A session stored before its place had listings (or before the catalog
    # mixed currencies) gets its currency from the catalog as it is now.
    inferred = state.currencies.infer(prefs)
    if inferred is not None:
        prefs = {**prefs, "currency": inferred}
    engine = state.engine_for(prefs.get("profile"))
    answer = engine.recommend_with_stats(_engine_prefs(prefs), k=k, offset=offset)
    results = []
    for rec in answer["results"]:
        d = rec.to_dict()
        d.setdefault("metrics", None)
        if include_property:
            listing = state.engine.get(rec.id)
            d["property"] = PropertyOut(**listing) if listing is not None else None
        results.append(RecommendationOut(**d))
    stats = answer["stats"]
    return RecommendationsOut(
        session_id=session_id, catalog_version=state.catalog_version,
        currency=stats["currency"], other_currency=stats["other_currency"],
        k=k, offset=offset, results=results,
    )


def _engine_prefs(prefs: dict[str, Any]) -> dict[str, Any]:
    """The preferences the engine reads: all but the app's `profile`."""
    return {k: v for k, v in prefs.items() if k != "profile"}


# --- investors ------------------------------------------------------------------

# The defaults of agent_mira::investment (DEFAULT_VACANCY, …), shown in the
# analysis' `inputs`; tests/test_investment.py checks that the engine's
# metrics agree with them.
DEFAULT_TERMS: dict[str, Any] = {
    "vacancy": 0.05, "expense_ratio": 0.35, "closing_costs": 0.03,
    "down_payment": 0.20, "mortgage_years": 30,
}
TERM_NAMES = ("down_payment", "mortgage_rate", "mortgage_years", "expense_ratio", "vacancy",
              "closing_costs")


def _as_422(exc: agent_mira.MiraError) -> ApiError:
    """An engine error about this request's body as a 422 (keeping the
    engine's message, code and field); server-side failures stay 5xx."""
    status = status_for(exc)
    return ApiError(422 if status < 500 else status, str(exc), getattr(exc, "code", "MIRA_ERROR"),
                    getattr(exc, "field", None), getattr(exc, "suggestion", None))


@router.post(
    "/api/investment/analyze", response_model=InvestmentAnalysis,
    responses={422: ERRORS[422], **NOT_FOUND}, tags=["investment"],
    summary="Every investment metric of one listing, with its inputs",
)
def analyze_investment(body: InvestmentAnalyzeIn, request: Request) -> InvestmentAnalysis:
    """Gross yield, price-to-rent, NOI, cap rate, value gap and, with a
    `mortgage_rate`, the monthly cash flow and cash-on-cash return of one
    listing (agent_mira's `analyze_investment`), and what they were
    computed from: the rent and its source, and every term with the
    defaults filled in."""
    given = body.model_dump(exclude_unset=True)
    if (body.id is None) == (body.listing is None):
        which = "both" if body.id is not None else "neither"
        raise ApiError(422, f'id, listing: give either "id" (a listing in the catalog) or '
                       f'"listing" (a listing object), not {which}', "REQUEST_INVALID",
                       "listing" if which == "both" else "id")
    state = _holder(request).state
    engine = state.engine
    if body.id is not None:
        listing_id = db.id_from_db(str(body.id))
        listing = engine.get(listing_id)
        if listing is None:
            raise ApiError(404, f"no listing with id {str(body.id)!r}", "PROPERTY_NOT_FOUND", "id")
        target: Any = listing_id
    else:
        listing = dict(body.listing or {})
        listing_id = listing.get("id")
        # The id is not a metric input: a listing sent without one is analysed as "listing".
        target = {**listing, "id": listing_id if listing_id is not None else "listing"}
    terms = {k: given[k] for k in TERM_NAMES if given.get(k) is not None}
    try:
        m = engine.analyze_investment(target, **terms)
    except agent_mira.MiraError as exc:
        raise _as_422(exc) from exc
    financed = m.get("monthly_cash_flow") is not None
    inputs = InvestmentInputs(
        estimated_rent=m["estimated_rent"], rent_source=m["rent_source"],
        vacancy=terms.get("vacancy", DEFAULT_TERMS["vacancy"]),
        expense_ratio=terms.get("expense_ratio", DEFAULT_TERMS["expense_ratio"]),
        closing_costs=terms.get("closing_costs", DEFAULT_TERMS["closing_costs"]),
        down_payment=terms.get("down_payment", DEFAULT_TERMS["down_payment"]) if financed else None,
        mortgage_rate=terms.get("mortgage_rate") if financed else None,
        mortgage_years=terms.get("mortgage_years", DEFAULT_TERMS["mortgage_years"])
        if financed else None,
        monthly_mortgage_payment=m.get("mortgage_payment") if financed else None,
    )
    return InvestmentAnalysis(
        listing_id=listing_id, price=float(listing["price"]),
        currency=str(listing.get("currency") or DEFAULT_CURRENCY),
        metrics=InvestmentMetricsOut(**m), inputs=inputs,
    )


# --- listings ----------------------------------------------------------------

@router.get(
    "/api/properties", response_model=PropertyPage, responses=ERRORS, tags=["properties"],
    summary="Listings, filtered and paginated",
)
def list_properties(
    request: Request,
    location: Annotated[Optional[str], Query(
        max_length=200, description="'Bellevue, WA' or just 'Bellevue' (case-insensitive)")] = None,
    min_price: Annotated[Optional[float], Query(ge=0, allow_inf_nan=False)] = None,
    max_price: Annotated[Optional[float], Query(ge=0, allow_inf_nan=False)] = None,
    min_bedrooms: Annotated[Optional[int], Query(ge=0, le=1000)] = None,
    min_bathrooms: Annotated[Optional[float], Query(ge=0, le=1000, allow_inf_nan=False)] = None,
    property_type: Optional[PropertyType] = None,
    listing_type: Optional[ListingType] = None,
    available_on: Annotated[Optional[str], Query(
        max_length=32, examples=["2022-07-01"],
        description="YYYY-MM-DD: listings that can be moved into that day (available_from ≤ day "
        "≤ available_until, a missing end open); listings whose availability is unknown are "
        "left out")] = None,
    sort: Literal["id", "price", "-price", "newest"] = "id",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_PAGE_OFFSET)] = 0,
) -> PropertyPage:
    if min_price is not None and max_price is not None and min_price > max_price:
        raise ApiError(422, f"min_price {min_price:g} is above max_price {max_price:g}",
                       "REQUEST_INVALID", "min_price")
    with _pool(request).connection() as conn:
        total, rows = db.search_properties(
            conn, location=location, min_price=min_price, max_price=max_price,
            min_bedrooms=min_bedrooms, min_bathrooms=min_bathrooms,
            property_type=property_type, listing_type=listing_type,
            available_on=_day("available_on", available_on), sort=sort,
            limit=limit, offset=offset,
        )
    return PropertyPage(total=total, limit=limit, offset=offset,
                        items=[_property_out(r) for r in rows])


@router.get(
    "/api/properties/{property_id}/similar", response_model=SimilarOut,
    responses={**ERRORS, **NOT_FOUND}, tags=["properties"],
    summary="Homes like this one: the listings most like it, with reasons",
)
def similar_properties(
    request: Request,
    property_id: Annotated[str, Path(min_length=1, max_length=MAX_ID_LENGTH)],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
    listing_type: Annotated[Optional[str], Query(
        max_length=64, description="sale, long_term_rent, short_term_rent or investment: only "
        "listings of that type")] = None,
    property_types: Annotated[Optional[list[str]], Query(
        description="Acceptable property types, repeated (`property_types=sfh&property_types="
        "condo`) or comma-separated (`sfh,condo`)")] = None,
    max_price: Annotated[Optional[float], Query(
        description="Most a listing may cost (for a rental: rent per month), in `currency`",
    )] = None,
    currency: Annotated[Optional[str], Query(
        max_length=16, description="ISO 4217 code: only listings priced in it; needed beside "
        "`max_price` when the catalog mixes currencies")] = None,
    include_property: Annotated[bool, Query(description="Embed each listing")] = True,
) -> SimilarOut:
    """The `k` listings most like listing `property_id` (itself left out)
    that pass the filters, best first: agent_mira's `Engine.similar` on the
    serving engine. Similarity is the cosine of the listings' vectors (the
    `embedding` column); each result's `score` and `similarity` component
    are 100 × max(0, cosine), ties broken by id, and its reasons say what
    makes the two alike. A listing without a vector is never a result; asking
    about one is a 422 (the engine's message)."""
    state = _holder(request).state  # this request's engine, whatever happens meanwhile
    listing_id = db.id_from_db(property_id)
    if state.engine.get(listing_id) is None:
        raise ApiError(404, f"no listing with id {property_id!r}", "PROPERTY_NOT_FOUND",
                       "property_id")
    filters: dict[str, Any] = {}
    if listing_type is not None:
        filters["listing_type"] = listing_type
    if property_types is not None:
        filters["property_types"] = [t.strip() for v in property_types for t in v.split(",")
                                     if t.strip()]
    if max_price is not None:
        filters["max_price"] = max_price
    if currency is not None:
        filters["currency"] = currency
    try:
        found = state.engine.similar(listing_id, k=k, **filters)
    except agent_mira.MiraError as exc:
        raise _as_422(exc) from exc
    results = []
    for rec in found:
        d = rec.to_dict()
        d.setdefault("metrics", None)
        if include_property:
            listing = state.engine.get(rec.id)
            d["property"] = PropertyOut(**listing) if listing is not None else None
        results.append(RecommendationOut(**d))
    return SimilarOut(id=listing_id, catalog_version=state.catalog_version, k=k, results=results)


@router.get(
    "/api/properties/{property_id}", response_model=PropertyOut,
    responses={**ERRORS, **NOT_FOUND}, tags=["properties"], summary="One listing",
)
def get_property(
    request: Request,
    property_id: Annotated[str, Path(min_length=1, max_length=MAX_ID_LENGTH)],
) -> PropertyOut:
    with _pool(request).connection() as conn:
        row = db.get_property(conn, property_id)
    if row is None:
        raise ApiError(404, f"no listing with id {property_id!r}", "PROPERTY_NOT_FOUND", "property_id")
    return _property_out(row)


# --- price model ---------------------------------------------------------------

def _model_or_404(holder: EngineHolder) -> agent_mira.PriceModel:
    if holder.model is None:
        raise ApiError(404, "no price model is loaded (MIRA_MODEL_PATH is empty)", "NO_MODEL")
    return holder.model


@router.post(
    "/api/ml/predict-price", response_model=PricePrediction,
    responses={**ERRORS, **NOT_FOUND}, tags=["ml"], summary="Value a listing with the price model",
)
def predict_price(listing: ListingIn, request: Request) -> PricePrediction:
    holder = _holder(request)
    model = _model_or_404(holder)
    record = {k: v for k, v in listing.model_dump(exclude_unset=True).items() if v is not None}
    # agent_mira's predict_price takes a full listing; the price being
    # predicted is not a model feature, so placeholders do not change it.
    record.setdefault("id", "predict")
    record.setdefault("price", 1.0)
    out = holder.state.engine.predict_price(record)
    return PricePrediction(
        predicted_price=out["price"], in_domain=out["in_domain"], warnings=out["warnings"],
        model=str(model.card.get("name", "")),
    )


@router.get(
    "/api/ml/model-info", response_model=ModelInfo, responses=NOT_FOUND, tags=["ml"],
    summary="The price model's card",
)
def model_info(request: Request) -> dict[str, Any]:
    holder = _holder(request)
    _model_or_404(holder)
    info = holder.state.engine.model_info()
    if info is None:
        raise ApiError(404, "no price model is loaded", "NO_MODEL")
    return info


# --- operations --------------------------------------------------------------------

@router.get("/api/health", response_model=Health, tags=["ops"], summary="Liveness and readiness")
def health(request: Request, response: Response) -> Health:
    holder = _holder(request)
    db_ok = False
    db_version: Optional[int] = None
    try:
        with _pool(request).connection(timeout=2.0) as conn:
            db_version = db.catalog_version(conn)
            db_ok = True
    except Exception:
        db_ok = False
    state = holder._state
    ok = db_ok and state is not None
    if not ok:
        response.status_code = 503
    return Health(
        status="ok" if ok else "degraded",
        database=db_ok,
        engine_ready=state is not None,
        listening=holder.listening,
        catalog_version=state.catalog_version if state else None,
        database_catalog_version=db_version,
        listings=state.listings if state else None,
        embedding_dim=state.embedding_dim if state else None,
        listings_with_embedding=state.listings_with_embedding if state else None,
        model=str(holder.model.card.get("name")) if holder.model is not None else None,
        agent_mira_version=agent_mira.__version__,
    )


@router.get("/metrics", tags=["ops"], summary="Prometheus metrics", response_class=Response)
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
