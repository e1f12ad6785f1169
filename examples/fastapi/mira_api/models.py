"""Request and response bodies (pydantic v2). They document the API in
OpenAPI; the engine itself validates preferences and listings, so its
messages (with "did you mean") reach the client unchanged."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool

PropertyId = Union[int, str]
PropertyType = Literal["sfh", "condo", "townhouse", "apartment", "villa", "land", "commercial"]
ListingType = Literal["sale", "long_term_rent", "short_term_rent", "investment"]
Profile = Literal["balanced", "case-study", "investment"]


class ErrorBody(BaseModel):
    detail: str = Field(description="What was wrong, naming the field and value")
    code: str = Field(description="Stable error code, e.g. MIRA_UNKNOWN_FIELD or REQUEST_INVALID")
    field: Optional[str] = None
    suggestion: Optional[str] = Field(None, description="'did you mean' for unknown keys")


class SimilarTo(BaseModel):
    """Homes like these: listings the buyer liked, by id, and/or a vector in
    the catalog's embedding space (agent_mira's `similar_to`). The liked
    listings' mean vector (with `vector`, if given) is the query; each
    listing's `similarity` component is 100 × max(0, cosine). Checked by
    the engine (ids in the catalog, the catalog's dimension, finite numbers
    not all zero; other keys refused)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"examples": [{"ids": [7129300520, "inv-01"]}]},
    )

    ids: Optional[list[PropertyId]] = Field(
        None, description="Listings the buyer liked (saved, viewed…); they are left out of the "
        "results")
    vector: Optional[list[float]] = Field(
        None, description="A query vector with the catalog's dimension (256 for the seeded toy "
        "embedding; your model's otherwise)")


class Preferences(BaseModel):
    """A buyer's or renter's preferences (agent_mira's preference dict).
    Every field is optional; unknown keys are passed on to the engine, which
    rejects them with a suggestion. Values are checked by the engine (its
    message names the field, the value and what was expected)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {"budget": 900000, "location": "Bellevue, WA", "min_bedrooms": 3,
                 "preferred_amenities": ["view"]},
                {"listing_type": "long_term_rent", "budget": 40000, "currency": "INR",
                 "location": "Bandra West, Mumbai", "min_bedrooms": 2,
                 "move_in": "2022-07-01", "lease_months": 11, "furnishing": "semi_furnished",
                 "pets": True},
                {"profile": "investment", "budget": 500000, "location": "Seattle, WA",
                 "min_gross_yield": 0.06, "mortgage_rate": 0.065, "down_payment": 0.25},
            ]
        },
    )

    budget: Optional[float] = Field(
        None, description="Most the buyer will pay, in `currency`; for a rental `listing_type`, "
        "the rent per `budget_period` (per month unless said otherwise)")
    location: Optional[str] = Field(None, max_length=200, examples=["Seattle, WA"])
    min_bedrooms: Optional[int] = None
    min_bathrooms: Optional[float] = None
    min_size_sqft: Optional[float] = None
    max_commute_time: Optional[float] = Field(None, description="minutes")
    min_school_rating: Optional[float] = Field(None, description="0–10")
    preferred_amenities: Optional[list[str]] = None
    must_have_amenities: Optional[list[str]] = None
    property_types: Optional[list[str]] = None
    listing_type: Optional[str] = Field(
        None, description="sale, long_term_rent, short_term_rent or investment (a filter)")
    budget_period: Optional[str] = Field(
        None, description="month (default), week or night: the period `budget` is rent for "
        "(rentals only)")
    move_in: Optional[str] = Field(
        None, description="Move-in date, YYYY-MM-DD (rentals)", examples=["2022-07-01"])
    lease_months: Optional[int] = Field(None, description="Length of the stay in months (rentals)")
    furnishing: Optional[str] = Field(
        None, description="Wanted furnishing: furnished, semi_furnished or unfurnished (scored)")
    pets: Optional[StrictBool] = Field(None, description="true: the listing must allow pets (a filter)")
    currency: Optional[str] = Field(
        None, description="ISO 4217 code of `budget`. When the catalog mixes currencies and it "
        "is left out, the app infers it from `location` (see the README)", examples=["INR"])
    weights: Optional[dict[str, float]] = None
    # Investors (issue 17): thresholds are hard filters (a listing without a
    # rent estimate is left out when one is asked), the rest are the terms
    # the metrics are computed on. Rates and shares are fractions.
    min_gross_yield: Optional[float] = Field(
        None, description="Least gross yield (12 × rent ÷ price), a fraction: 0.06 for 6 % (a filter)")
    min_cap_rate: Optional[float] = Field(
        None, description="Least cap rate (NOI ÷ price), a fraction (a filter)")
    min_cash_flow: Optional[float] = Field(
        None, description="Least monthly cash flow after the mortgage, in `currency` (a filter; "
        "needs `mortgage_rate`)")
    down_payment: Optional[float] = Field(
        None, description="Share of the price paid in cash (default 0.2); needs `mortgage_rate`")
    mortgage_rate: Optional[float] = Field(
        None, description="Yearly mortgage rate, a fraction (0.065 for 6.5 %): with it each "
        "result's metrics include the cash flow")
    mortgage_years: Optional[int] = Field(None, description="Mortgage term (default 30)")
    expense_ratio: Optional[float] = Field(
        None, description="Operating expenses as a share of the rent collected (default 0.35)")
    vacancy: Optional[float] = Field(None, description="Share of the year empty (default 0.05)")
    closing_costs: Optional[float] = Field(
        None, description="Closing costs as a share of the price (default 0.03)")
    similar_to: Optional[SimilarTo] = Field(
        None, description="Homes like these (ids and/or a vector): scored by the `similarity` "
        "component, weighted 0.20 in `balanced` (or by `weights.similarity`)")
    profile: Optional[Profile] = Field(
        None, description="Scoring profile for this session: `investment` ranks by yield, cash "
        "flow and value; default the app's (`MIRA_PROFILE`). Stored with the session, not "
        "passed to the engine as a preference")


class SessionCreated(BaseModel):
    session_id: uuid.UUID
    preferences: dict[str, Any]


class PropertyOut(BaseModel):
    """One listing (agent_mira Property fields)."""

    id: PropertyId
    title: Optional[str] = None
    price: float
    location: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    bedrooms: Optional[int] = None
    bathrooms: Optional[float] = None
    size_sqft: Optional[float] = None
    lot_sqft: Optional[float] = None
    year_built: Optional[int] = None
    property_type: Optional[str] = None
    listing_type: Optional[str] = None
    amenities: Optional[list[str]] = None
    school_rating: Optional[float] = None
    commute_time: Optional[float] = None
    rent_period: Optional[str] = Field(None, description="month, week or night: what `price` is rent for")
    available_from: Optional[dt.date] = Field(None, description="First day it can be moved into")
    available_until: Optional[dt.date] = Field(None, description="Last day it is available")
    min_lease_months: Optional[int] = None
    max_lease_months: Optional[int] = None
    deposit: Optional[float] = Field(None, description="In the listing's currency")
    furnishing: Optional[str] = None
    pets_allowed: Optional[bool] = None
    floor: Optional[int] = Field(None, description="0 is the ground floor")
    total_floors: Optional[int] = None
    estimated_rent: Optional[float] = Field(
        None, description="For a sale: the rent it would fetch per month, in `currency` "
        "(an investor's estimate)")
    currency: Optional[str] = Field(None, description="ISO 4217 code of price and deposit")
    image_urls: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    updated_at: Optional[dt.datetime] = None


class PropertyPage(BaseModel):
    total: int = Field(description="Listings matching the filters")
    limit: int
    offset: int
    items: list[PropertyOut]


class InvestmentMetricsOut(BaseModel):
    """agent_mira's investment metrics of one listing (formulas: the
    `agent_mira::investment` docs). Rates and shares are fractions."""

    estimated_rent: float = Field(description="The rent per month the metrics assume")
    rent_source: Literal["given", "model"] = Field(
        description="given: the listing's own `estimated_rent`; model: the rent model's")
    gross_yield: float = Field(description="12 × rent ÷ price")
    price_to_rent: float = Field(description="price ÷ (12 × rent)")
    net_operating_income: float = Field(
        description="Yearly: 12 × rent × (1 − vacancy) × (1 − expense_ratio)")
    cap_rate: float = Field(description="NOI ÷ price")
    monthly_cash_flow: Optional[float] = Field(
        None, description="NOI ÷ 12 − the mortgage payment (with a mortgage)")
    mortgage_payment: Optional[float] = Field(
        None, description="The fixed-rate amortised payment per month on price × (1 − "
        "down_payment) (with a mortgage)")
    cash_on_cash: Optional[float] = Field(
        None, description="12 × cash flow ÷ (price × (down_payment + closing_costs)) (with a mortgage)")
    value_gap: Optional[float] = Field(
        None, description="predicted price ÷ listed price − 1 (with a price model)")


class InvestmentAnalyzeIn(BaseModel):
    """One listing, by `id` (a listing of the catalog) or as a `listing`
    object (validated by the engine), and the investor's terms. Leave a term
    out for its default; the mortgage terms need `mortgage_rate`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"listing": {"id": "inv-example", "price": 400000, "estimated_rent": 2500,
                             "location": "Kent, WA"},
                 "mortgage_rate": 0.065, "down_payment": 0.2, "mortgage_years": 30},
            ]
        },
    )

    id: Optional[PropertyId] = Field(None, description="A listing of the catalog")
    listing: Optional[dict[str, Any]] = Field(
        None, description="A listing (agent_mira Property fields, with `price` and "
        "`estimated_rent`); `id` optional")
    down_payment: Optional[float] = Field(
        None, description="Share of the price paid in cash (default 0.2); needs `mortgage_rate`")
    mortgage_rate: Optional[float] = Field(
        None, description="Yearly rate, a fraction (0.065 for 6.5 %): with it, the cash flow")
    mortgage_years: Optional[int] = Field(None, description="Term (default 30); needs `mortgage_rate`")
    expense_ratio: Optional[float] = Field(
        None, description="Operating expenses as a share of the rent collected (default 0.35)")
    vacancy: Optional[float] = Field(None, description="Share of the year empty (default 0.05)")
    closing_costs: Optional[float] = Field(
        None, description="Closing costs as a share of the price (default 0.03)")


class InvestmentInputs(BaseModel):
    """What the metrics were computed from: the rent, and every term with
    the defaults filled in."""

    estimated_rent: float
    rent_source: Literal["given", "model"]
    vacancy: float
    expense_ratio: float
    closing_costs: float
    down_payment: Optional[float] = Field(None, description="null without a mortgage")
    mortgage_rate: Optional[float] = Field(None, description="null without a mortgage")
    mortgage_years: Optional[int] = Field(None, description="null without a mortgage")
    monthly_mortgage_payment: Optional[float] = Field(
        None, description="The fixed-rate amortised payment on price × (1 − down_payment); "
        "null without a mortgage")


class InvestmentAnalysis(BaseModel):
    listing_id: Optional[PropertyId] = Field(None, description="null for a listing sent without an id")
    price: float
    currency: str = Field(description="ISO 4217 code of the price, rent and cash flow")
    metrics: InvestmentMetricsOut
    inputs: InvestmentInputs


class RecommendationOut(BaseModel):
    """agent_mira.Recommendation.to_dict(), plus the listing itself."""

    id: PropertyId
    score: float = Field(description="0–100")
    components: dict[str, float]
    predicted_price: float
    listed_price: float
    price_source: str
    unknown: list[str]
    reasons: list[str]
    currency: Optional[str] = Field(None, description="ISO 4217 code of the prices (when the engine says)")
    rent_per_month: Optional[float] = Field(
        None, description="For a rental: its rent converted to a month (when the engine says)")
    metrics: Optional[InvestmentMetricsOut] = Field(
        None, description="A sale's investment metrics on the session's terms; null for a "
        "rental or a listing without a rent estimate")
    property: Optional[PropertyOut] = None


class SimilarOut(BaseModel):
    """Homes like listing `id`: agent_mira's `Engine.similar`, best first."""

    id: PropertyId = Field(description="The listing the results are like")
    catalog_version: int
    k: int
    results: list[RecommendationOut] = Field(
        description="Each with `score` = its `similarity` component (100 × max(0, cosine)) and "
        "reasons saying what makes the two alike")


class RecommendationsOut(BaseModel):
    session_id: uuid.UUID
    catalog_version: int
    currency: Optional[str] = Field(
        None, description="The currency the request was answered in (named or inferred)")
    other_currency: int = Field(
        0, description="Listings left out because they are priced in another currency")
    k: int
    offset: int
    results: list[RecommendationOut]


class ListingIn(BaseModel):
    """A listing to value. `id` and `price` are optional here (the price is
    what is predicted); other fields as in agent_mira's Property."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {"bedrooms": 3, "bathrooms": 2, "size_sqft": 1800, "lot_sqft": 5000,
                 "year_built": 1995, "location": "Bellevue, WA", "latitude": 47.61,
                 "longitude": -122.18, "property_type": "sfh", "listing_type": "sale",
                 "attributes": {"zipcode": 98004, "grade": 8, "condition": 3}}
            ]
        },
    )

    id: Optional[PropertyId] = None
    price: Optional[float] = None
    title: Optional[str] = None
    location: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    bedrooms: Optional[int] = None
    bathrooms: Optional[float] = None
    size_sqft: Optional[float] = None
    lot_sqft: Optional[float] = None
    year_built: Optional[int] = None
    property_type: Optional[str] = None
    listing_type: Optional[str] = None
    amenities: Optional[list[str]] = None
    school_rating: Optional[float] = None
    commute_time: Optional[float] = None
    rent_period: Optional[str] = None
    available_from: Optional[str] = Field(None, description="YYYY-MM-DD")
    available_until: Optional[str] = Field(None, description="YYYY-MM-DD")
    min_lease_months: Optional[int] = None
    max_lease_months: Optional[int] = None
    deposit: Optional[float] = None
    furnishing: Optional[str] = None
    pets_allowed: Optional[bool] = None
    floor: Optional[int] = None
    total_floors: Optional[int] = None
    estimated_rent: Optional[float] = None
    currency: Optional[str] = None
    image_urls: Optional[list[str]] = None
    attributes: Optional[dict[str, Any]] = None


class PricePrediction(BaseModel):
    predicted_price: float
    in_domain: bool = Field(description="False when the listing is outside the model's training domain")
    warnings: list[str]
    model: str = Field(description="The model card's name")


class ModelInfo(BaseModel):
    """The model card (name, description, features, metrics, training domain, …)."""

    model_config = ConfigDict(extra="allow")

    name: str
    description: Optional[str] = None
    target: Optional[str] = None
    origin: Optional[str] = None
    metrics: Optional[dict[str, Any]] = None


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: bool
    engine_ready: bool
    listening: bool
    catalog_version: Optional[int]
    database_catalog_version: Optional[int]
    listings: Optional[int]
    embedding_dim: Optional[int] = Field(
        None, description="Dimension of the serving catalog's vectors (null: none)")
    listings_with_embedding: Optional[int] = Field(
        None, description="Listings with a vector in the serving engine")
    model: Optional[str]
    agent_mira_version: str
