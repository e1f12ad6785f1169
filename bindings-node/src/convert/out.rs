//! Results for JavaScript: plain objects with camelCase keys, typed in the
//! generated `index.d.ts`, JSON-serialisable as they are.

use agent_mira::{EngineStats, Property, PropertyId};
use napi::bindgen_prelude::Either;
use napi_derive::napi;
use serde_json::Value;

use super::json::MAX_SAFE_INTEGER;

/// A listing id as JavaScript sees it: an integer id is a number (a decimal
/// string above 2^53 − 1, which a number cannot hold exactly), a string id a
/// string.
pub fn id(id: &PropertyId) -> Either<f64, String> {
    match id {
        PropertyId::Int(n) if *n <= MAX_SAFE_INTEGER => Either::A(*n as f64),
        PropertyId::Int(n) => Either::B(n.to_string()),
        PropertyId::Str(s) => Either::B(s.clone()),
    }
}

// The type `index.d.ts` gives the objects `super::results` builds (same
// keys, same order); never built in Rust itself.
/// One recommended listing.
#[allow(dead_code)]
#[napi(object, object_from_js = false)]
pub struct Recommendation {
    /// The listing's id, as given (a number or a string).
    pub id: Either<f64, String>,
    /// Total score, 0..=100.
    pub score: f64,
    /// Score of each component that could be scored, 0..=100, keyed by the
    /// core's component names (`price_match`, `bedrooms`, `school_rating`,
    /// `commute`, `property_age`, `amenities`, `location`, `bathrooms`,
    /// `size`, `value`, `availability`, `furnishing`).
    #[napi(ts_type = "Record<string, number>")]
    pub components: Value,
    /// Predicted price in `currency` (the listed price when there is no
    /// model); for a rental, per its rent period.
    pub predicted_price: f64,
    /// The listed price in `currency`; for a rental, the rent per its rent
    /// period (see `rentPerMonth`).
    pub listed_price: f64,
    /// Where `predictedPrice` came from.
    #[napi(ts_type = "'listed' | 'model'")]
    pub price_source: String,
    /// Components left out because the listing lacks their data (core names).
    pub unknown: Vec<String>,
    /// Why, in plain words.
    pub reasons: Vec<String>,
    /// ISO 4217 code of `listedPrice` and `predictedPrice` (the listing's
    /// currency; USD when it names none).
    pub currency: String,
    /// A rental's rent per month (a week is 52/12 of a month, a night
    /// 365/12); `null` for a listing that is not a rental.
    #[napi(ts_type = "number | null")]
    pub rent_per_month: Option<f64>,
    /// A sale's investment metrics on the request's terms (its mortgage
    /// and assumptions), as `analyzeInvestment` gives them; absent for a
    /// rental or a sale without a rent estimate (no `estimatedRent` and no
    /// rent model), as in the core's JSON. Inside, `mortgagePayment`,
    /// `monthlyCashFlow` and `cashOnCash` are absent without
    /// `mortgageRate`, `valueGap` without a price model.
    #[napi(ts_type = "InvestmentMetrics")]
    pub metrics: Option<InvestmentMetrics>,
}

/// A listing, with camelCase keys; fields the listing lacks are absent.
#[napi(object, object_from_js = false)]
pub struct Listing {
    pub id: Either<f64, String>,
    pub title: Option<String>,
    /// Listed price in dollars.
    pub price: f64,
    pub location: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub bedrooms: Option<u32>,
    pub bathrooms: Option<f64>,
    /// Living area, square feet.
    pub size_sqft: Option<f64>,
    /// Lot area, square feet.
    pub lot_sqft: Option<f64>,
    pub year_built: Option<i32>,
    #[napi(ts_type = "PropertyType")]
    pub property_type: Option<String>,
    #[napi(ts_type = "ListingType")]
    pub listing_type: Option<String>,
    /// Amenities as the listing gave them (absent: unknown; empty: none).
    pub amenities: Option<Vec<String>>,
    /// 0–10.
    pub school_rating: Option<f64>,
    /// Minutes to the city centre.
    pub commute_time: Option<f64>,
    /// Period `price` is quoted for, for a rental.
    #[napi(ts_type = "RentPeriod")]
    pub rent_period: Option<String>,
    /// First day it can be moved into, `YYYY-MM-DD`.
    pub available_from: Option<String>,
    /// Last day it is available, `YYYY-MM-DD`.
    pub available_until: Option<String>,
    pub min_lease_months: Option<u32>,
    pub max_lease_months: Option<u32>,
    /// In the listing's currency.
    pub deposit: Option<f64>,
    #[napi(ts_type = "Furnishing")]
    pub furnishing: Option<String>,
    pub pets_allowed: Option<bool>,
    /// 0 is the ground floor; basements are negative.
    pub floor: Option<i32>,
    pub total_floors: Option<u32>,
    /// For a sale: the rent it would fetch per month.
    pub estimated_rent: Option<f64>,
    /// ISO 4217 code of `price` and `deposit`.
    pub currency: Option<String>,
    pub image_urls: Option<Vec<String>>,
    /// Free key/value data, returned as stored.
    #[napi(ts_type = "Record<string, unknown>")]
    pub attributes: Option<Value>,
}

pub fn listing(p: &Property) -> Listing {
    // Destructured so that a field added to the core fails to compile here.
    let Property {
        id: pid,
        title,
        price,
        location,
        latitude,
        longitude,
        bedrooms,
        bathrooms,
        size_sqft,
        lot_sqft,
        year_built,
        property_type,
        listing_type,
        amenities,
        school_rating,
        commute_time,
        rent_period,
        available_from,
        available_until,
        min_lease_months,
        max_lease_months,
        deposit,
        furnishing,
        pets_allowed,
        floor,
        total_floors,
        estimated_rent,
        currency,
        image_urls,
        attributes,
        // The catalog keeps vectors apart from listings (`Catalog::listing`
        // attaches them for export); results do not carry them.
        embedding: _,
    } = p;
    Listing {
        id: id(pid),
        title: title.clone(),
        price: *price,
        location: location.clone(),
        latitude: *latitude,
        longitude: *longitude,
        bedrooms: *bedrooms,
        bathrooms: *bathrooms,
        size_sqft: *size_sqft,
        lot_sqft: *lot_sqft,
        year_built: *year_built,
        property_type: property_type.map(|t| t.as_str().to_string()),
        listing_type: listing_type.map(|t| t.as_str().to_string()),
        amenities: amenities.clone(),
        school_rating: *school_rating,
        commute_time: *commute_time,
        rent_period: rent_period.map(|t| t.as_str().to_string()),
        available_from: available_from.map(|d| d.to_string()),
        available_until: available_until.map(|d| d.to_string()),
        min_lease_months: *min_lease_months,
        max_lease_months: *max_lease_months,
        deposit: *deposit,
        furnishing: furnishing.map(|t| t.as_str().to_string()),
        pets_allowed: *pets_allowed,
        floor: *floor,
        total_floors: *total_floors,
        estimated_rent: *estimated_rent,
        currency: currency.map(|c| c.code().to_string()),
        image_urls: (!image_urls.is_empty()).then(|| image_urls.clone()),
        attributes: (!attributes.is_empty()).then(|| {
            Value::Object(
                attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        }),
    }
}

/// Counters and facts about an engine.
#[napi(object, object_from_js = false, js_name = "EngineStats")]
pub struct Stats {
    /// Version of the catalog the engine serves.
    pub catalog_version: f64,
    /// Number of listings.
    pub listings: f64,
    /// Scoring profile name.
    pub profile: String,
    #[napi(ts_type = "'listed' | 'model'")]
    pub price_source: String,
    /// The year ages are computed from.
    pub current_year: i32,
    /// Requests answered (a batch counts each buyer).
    pub queries: f64,
    /// Batch calls answered.
    pub batches: f64,
    /// Results returned.
    pub results: f64,
    /// Input fields no listing in the catalog has (`'school_rating'`,
    /// `'commute_time'`…): left out of every score, and said here once
    /// instead of as "unknown" in every result's reasons.
    pub unknown_fields: Vec<String>,
    /// Sale listings with a rent estimate (their own `estimatedRent` or the
    /// rent model's).
    pub rent_estimates: f64,
    /// Of those, the ones the rent model estimated.
    pub rent_model_estimates: f64,
}

pub fn stats(s: EngineStats) -> Stats {
    let EngineStats {
        catalog_version,
        listings,
        profile,
        price_source,
        current_year,
        queries,
        batches,
        results,
        unknown_fields,
        rent_estimates,
        rent_model_estimates,
        // Issue 18's embedding figures: not in Node's `Stats` yet (the
        // binding's owner decides how to expose them).
        embedding_dim: _,
        listings_with_embedding: _,
        embedding_bytes_per_listing: _,
    } = s;
    Stats {
        catalog_version: catalog_version as f64,
        listings: listings as f64,
        profile,
        price_source: price_source.as_str().to_string(),
        current_year,
        queries: queries as f64,
        batches: batches as f64,
        results: results as f64,
        unknown_fields,
        rent_estimates: rent_estimates as f64,
        rent_model_estimates: rent_model_estimates as f64,
    }
}

/// What `recommendWithStats` answers: the results `recommend` would
/// return, and what the request was answered over.
#[napi(object, object_from_js = false, js_name = "Answer")]
pub struct Answer {
    /// The recommendations, best first.
    #[napi(ts_type = "Array<Recommendation>")]
    pub results: crate::convert::results::Packed,
    /// What the request was answered over.
    pub stats: AnswerStats,
}

/// What a request was answered over.
#[napi(object, object_from_js = false, js_name = "AnswerStats")]
pub struct AnswerStats {
    /// The request's currency: the one it named, or the catalog's only one.
    pub currency: String,
    /// Listings in the catalog.
    pub catalog_listings: f64,
    /// Listings left out because they are priced in another currency.
    pub other_currency: f64,
}

pub fn answer(a: &agent_mira::engine::Answer) -> Answer {
    Answer {
        results: crate::convert::results::Packed::recommendations(&a.results),
        stats: AnswerStats {
            currency: a.stats.currency.code().to_string(),
            catalog_listings: a.stats.catalog_listings as f64,
            other_currency: a.stats.other_currency as f64,
        },
    }
}

/// Every investment metric of one listing (rates as fractions).
#[napi(object, object_from_js = false, js_name = "InvestmentMetrics")]
pub struct InvestmentMetrics {
    /// The monthly rent the metrics assume.
    pub estimated_rent: f64,
    /// Where that rent came from.
    #[napi(ts_type = "'given' | 'model'")]
    pub rent_source: String,
    /// `12 × rent ÷ price`.
    pub gross_yield: f64,
    /// `price ÷ (12 × rent)`.
    pub price_to_rent: f64,
    /// Yearly rent after vacancy and operating expenses.
    pub net_operating_income: f64,
    /// Net operating income ÷ price.
    pub cap_rate: f64,
    /// The mortgage payment per month (with a mortgage).
    pub mortgage_payment: Option<f64>,
    /// Net operating income per month minus the mortgage payment (with a mortgage).
    pub monthly_cash_flow: Option<f64>,
    /// `12 × monthly cash flow ÷ cash invested` (with a mortgage).
    pub cash_on_cash: Option<f64>,
    /// `predicted price ÷ listed price − 1` (with a price model).
    pub value_gap: Option<f64>,
}

pub fn investment(m: &agent_mira::investment::InvestmentMetrics) -> InvestmentMetrics {
    // Destructured so that a field added to the core fails to compile here.
    let agent_mira::investment::InvestmentMetrics {
        estimated_rent,
        rent_source,
        gross_yield,
        price_to_rent,
        net_operating_income,
        cap_rate,
        mortgage_payment,
        monthly_cash_flow,
        cash_on_cash,
        value_gap,
    } = *m;
    InvestmentMetrics {
        estimated_rent,
        rent_source: rent_source.as_str().to_string(),
        gross_yield,
        price_to_rent,
        net_operating_income,
        cap_rate,
        mortgage_payment,
        monthly_cash_flow,
        cash_on_cash,
        value_gap,
    }
}
