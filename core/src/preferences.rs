//! What a buyer or renter asks for, and its validation.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{MiraError, RecordRef, Result};
use crate::limits::{self, check_len, check_text};
use crate::listing::{
    Currency, Date, Furnishing, ListingType, PropertyId, PropertyType, RentPeriod,
};
use crate::record;

/// A buyer's (or renter's) preferences. Every field is optional: what is not
/// asked for is not scored.
///
/// ```
/// use agent_mira::Preferences;
/// let prefs = Preferences::from_json(serde_json::json!({
///     "budget": 450000, "location": "Bellevue, WA", "min_bedrooms": 3,
///     "preferred_amenities": ["pool", "Garden"]
/// })).unwrap();
/// assert_eq!(prefs.min_bedrooms, Some(3));
///
/// let err = Preferences::from_json(serde_json::json!({"budjet": 1})).unwrap_err();
/// assert_eq!(err.to_string(), "preferences: unknown field `budjet` (did you mean `budget`?)");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Preferences {
    /// Most the buyer wants to pay, in `currency` (dollars when none is
    /// named). With a rental `listing_type` it is the rent per
    /// `budget_period` (per month unless said otherwise).
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    /// Wanted location, matched against listings' `location` ("Seattle, WA",
    /// "Bandra West, Mumbai"), ignoring case, punctuation and spacing: it
    /// matches a listing whose location, split on commas, holds it as a run
    /// of consecutive parts, so a city without its state matches it in
    /// every state, a city matches its localities ("Mumbai"), a locality
    /// matches alone ("Bandra West") and a state alone matches its places
    /// ("WA"). A place no listing is in is refused
    /// (by a catalog with listings), with the closest known place ("did
    /// you mean Bellevue, WA?").
    #[schemars(schema_with = "crate::json_schema::location")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Fewest bedrooms wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_bedrooms: Option<u32>,
    /// Fewest bathrooms wanted.
    #[schemars(range(min = 0, max = 1000))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_bathrooms: Option<f64>,
    /// Smallest living area wanted, in square feet.
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_size_sqft: Option<f64>,
    /// Longest acceptable commute, in minutes.
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_commute_time: Option<f64>,
    /// Lowest acceptable school rating, 0–10.
    #[schemars(range(min = 0, max = 10))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_school_rating: Option<f64>,
    /// Amenities that make a listing better (scored).
    #[schemars(schema_with = "crate::json_schema::amenity_list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preferred_amenities: Vec<String>,
    /// Amenities a listing must have (a filter).
    #[schemars(schema_with = "crate::json_schema::amenity_list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub must_have_amenities: Vec<String>,
    /// Acceptable property types (a filter; empty = any).
    #[schemars(with = "Option<Vec<PropertyType>>", length(max = crate::limits::MAX_PROPERTY_TYPES))]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub property_types: Vec<PropertyType>,
    /// Wanted listing type (a filter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_type: Option<ListingType>,
    /// For a renter: the period `budget` is for (`month`, the default,
    /// `week` or `night`). Listing rents are converted to it by the rule of
    /// [`RentPeriod::per_month`] (a week is 52/12 of a month, a night
    /// 365/12). Needs a rental `listing_type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_period: Option<RentPeriod>,
    /// The day the renter (or buyer) wants to move in (`YYYY-MM-DD`): a
    /// listing must be available on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub move_in: Option<Date>,
    /// How many months the renter wants to stay, from `move_in`: a listing
    /// must stay available that long and its lease limits must allow it.
    /// Needs a rental `listing_type`.
    #[schemars(range(min = 1, max = 1200))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lease_months: Option<u32>,
    /// Wanted furnishing (scored, not a filter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub furnishing: Option<Furnishing>,
    /// `true`: the renter has pets, so the listing must allow them (a
    /// filter); `false` or absent: no requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pets: Option<bool>,
    /// ISO 4217 code of `budget`; listings in other currencies are left
    /// out (and counted in the answer's stats). Required when the catalog
    /// mixes currencies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// For an investor: the lowest gross yield (`12 × rent ÷ price`, a
    /// fraction: 0.06 for 6 %) a listing may have. A hard filter: a
    /// listing without a rent estimate is left out.
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_gross_yield: Option<f64>,
    /// For an investor: the lowest cap rate (net operating income ÷
    /// price, a fraction) a listing may have, on this request's `vacancy`
    /// and `expense_ratio`. A hard filter: a listing without a rent
    /// estimate is left out.
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_cap_rate: Option<f64>,
    /// For an investor: the lowest monthly cash flow (rent after vacancy
    /// and expenses minus the mortgage payment, in `currency`; may be
    /// negative) a listing may have. Needs `mortgage_rate`. A hard filter:
    /// a listing without a rent estimate is left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_cash_flow: Option<f64>,
    /// Share of the price paid in cash (default 0.2); needs `mortgage_rate`.
    #[schemars(range(min = 0, max = 1))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub down_payment: Option<f64>,
    /// Yearly interest rate of the investor's mortgage (0.065 for 6.5 %):
    /// with it, results carry the monthly cash flow and cash-on-cash
    /// return, and the `investment` profile scores cash flow.
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mortgage_rate: Option<f64>,
    /// Term of the mortgage in years (default 30); needs `mortgage_rate`.
    #[schemars(range(min = 1, max = 50))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mortgage_years: Option<u32>,
    /// Operating expenses as a share of the rent collected (default 0.35).
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expense_ratio: Option<f64>,
    /// Share of the year a rental stands empty (default 0.05).
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vacancy: Option<f64>,
    /// Closing costs as a share of the price, paid in cash (default 0.03).
    #[schemars(range(min = 0, max = 0.5))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closing_costs: Option<f64>,
    /// Homes like the ones the buyer liked: listing ids (`ids`) and/or a
    /// vector (`vector`, in the catalog's embedding space). Scored by the
    /// `similarity` component (cosine of the listing's vector and the
    /// query, mapped to 0–100); the liked listings themselves are left out
    /// of the results (the buyer has seen them). See [`SimilarTo`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similar_to: Option<SimilarTo>,
    /// Per-request component weights, overriding the profile's
    /// (`{"price_match": 0.5}`); unnamed components keep their weight.
    #[schemars(schema_with = "crate::json_schema::weight_overrides")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<BTreeMap<String, f64>>,
}

/// The field names of [`Preferences`].
pub const PREFERENCE_FIELDS: &[&str] = &[
    "budget",
    "location",
    "min_bedrooms",
    "min_bathrooms",
    "min_size_sqft",
    "max_commute_time",
    "min_school_rating",
    "preferred_amenities",
    "must_have_amenities",
    "property_types",
    "listing_type",
    "budget_period",
    "move_in",
    "lease_months",
    "furnishing",
    "pets",
    "currency",
    "min_gross_yield",
    "min_cap_rate",
    "min_cash_flow",
    "down_payment",
    "mortgage_rate",
    "mortgage_years",
    "expense_ratio",
    "vacancy",
    "closing_costs",
    "weights",
    "similar_to",
];

/// Most listing ids `similar_to.ids` may name.
pub const MAX_SIMILAR_IDS: usize = 1000;

/// What a buyer's homes should be like ([`Preferences::similar_to`]):
/// listings the buyer liked (saved, viewed…) by id in `ids`, a vector in
/// the catalog's embedding space in `vector` (a text query embedded by the
/// host's own model, say), or both.
///
/// The query is the mean of the liked listings' unit vectors and the given
/// vector scaled to unit length (each counts once), normalised again:
/// `q = normalise(Σ unit(v_i) + unit(vector))` (one liked listing alone:
/// its stored vector; a vector alone: its unit vector). A listing's
/// similarity is the cosine of its vector and `q`. In a catalog without embeddings,
/// `ids` use the built-in structured embedding (see
/// [`crate::embedding::structured`]) and a `vector` is refused.
///
/// ```
/// use agent_mira::Preferences;
/// let prefs = Preferences::from_json(serde_json::json!({
///     "similar_to": {"ids": [12, "kc-7"], "vector": [0.5, -1.0, 0.25]}
/// })).unwrap();
/// assert_eq!(prefs.similar_to.unwrap().ids.len(), 2);
/// let err = Preferences::from_json(serde_json::json!({"similar_to": {"vector": [0, 0]}})).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "preferences: field `similar_to.vector` = all zeros: expected a vector with a length > 0 (cosine needs a direction)"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SimilarTo {
    /// Ids of listings the buyer liked, each in the catalog (and, in a
    /// catalog with embeddings, with a vector).
    #[schemars(length(max = MAX_SIMILAR_IDS))]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<PropertyId>,
    /// A query vector with the catalog's embedding dimension: finite
    /// numbers, not all zero.
    #[schemars(length(min = 1, max = crate::embedding::MAX_EMBEDDING_DIM))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vector: Option<Vec<f32>>,
}

impl SimilarTo {
    /// Check what needs no catalog: something given, at most
    /// [`MAX_SIMILAR_IDS`] ids, a vector of 1..=4096 finite numbers, not
    /// all zero.
    pub fn validate(&self) -> Result<()> {
        let record = RecordRef::Preferences;
        let bad = |field: &str, value: String, expected: &str| {
            Err(MiraError::invalid(record.clone(), field, value, expected))
        };
        if self.ids.is_empty() && self.vector.is_none() {
            return bad(
                "similar_to",
                "{}".into(),
                "listing ids (`ids`) or a vector (`vector`), or both",
            );
        }
        check_len(
            &record,
            "similar_to.ids",
            self.ids.len(),
            MAX_SIMILAR_IDS,
            "listing ids",
        )?;
        if let Some(v) = &self.vector {
            crate::embedding::check(&record, "similar_to.vector", v)?;
        }
        Ok(())
    }
}

impl Preferences {
    /// Parse and validate preferences from a JSON object. `null` means "not
    /// asked"; unknown keys are rejected with a suggestion.
    pub fn from_json(value: Value) -> Result<Self> {
        let record = RecordRef::Preferences;
        let Value::Object(mut map) = value else {
            return Err(MiraError::invalid(
                record,
                "<preferences>",
                record::render(&value),
                "a JSON object",
            ));
        };
        map.retain(|_, v| !v.is_null());
        record::check_keys(&map, PREFERENCE_FIELDS, &record)?;
        limits::check_depth(&record, &map)?;
        let prefs: Preferences = record::from_object(map, &record)?;
        prefs.validate()?;
        Ok(prefs)
    }

    /// Check ranges: budget > 0, minimums ≥ 0, school rating 0–10, commute > 0,
    /// amenity names non-empty, weights finite and ≥ 0, lease 1–1200 months;
    /// `budget_period` and `lease_months` only with a rental `listing_type`.
    pub fn validate(&self) -> Result<()> {
        let record = RecordRef::Preferences;
        let bad = |field: &str, value: String, expected: &str| {
            Err(MiraError::invalid(record.clone(), field, value, expected))
        };
        if let Some(b) = self.budget {
            if !(b.is_finite() && b > 0.0) {
                return bad("budget", b.to_string(), "a finite number of dollars > 0");
            }
        }
        if let Some(l) = &self.location {
            if l.trim().is_empty() {
                return bad(
                    "location",
                    limits::shorten(l),
                    "a place such as \"Seattle, WA\" (or leave it out)",
                );
            }
            check_text(&record, "location", l, limits::MAX_LOCATION_BYTES, "text")?;
        }
        if let Some(b) = self.min_bathrooms {
            if !(b.is_finite() && (0.0..=1000.0).contains(&b)) {
                return bad(
                    "min_bathrooms",
                    b.to_string(),
                    "a number between 0 and 1000",
                );
            }
        }
        if let Some(s) = self.min_size_sqft {
            if !(s.is_finite() && s > 0.0) {
                return bad(
                    "min_size_sqft",
                    s.to_string(),
                    "a finite number of square feet > 0",
                );
            }
        }
        if let Some(c) = self.max_commute_time {
            if !(c.is_finite() && c > 0.0) {
                return bad(
                    "max_commute_time",
                    c.to_string(),
                    "a finite number of minutes > 0",
                );
            }
        }
        if let Some(r) = self.min_school_rating {
            if !(r.is_finite() && (0.0..=10.0).contains(&r)) {
                return bad(
                    "min_school_rating",
                    r.to_string(),
                    "a number between 0 and 10",
                );
            }
        }
        for (field, list) in [
            ("preferred_amenities", &self.preferred_amenities),
            ("must_have_amenities", &self.must_have_amenities),
        ] {
            check_len(
                &record,
                field,
                list.len(),
                limits::MAX_AMENITIES,
                "amenities",
            )?;
            if let Some(empty) = list.iter().find(|a| a.trim().is_empty()) {
                return bad(field, limits::shorten(empty), "non-empty amenity names");
            }
            for (i, a) in list.iter().enumerate() {
                // The field's name is written out only for an amenity that
                // fails (a string per amenity otherwise).
                let check = |field: &str| {
                    check_text(
                        &record,
                        field,
                        a,
                        limits::MAX_AMENITY_BYTES,
                        "an amenity name",
                    )
                };
                if check(field).is_err() {
                    check(&format!("{field}[{i}]"))?;
                }
            }
        }
        check_len(
            &record,
            "property_types",
            self.property_types.len(),
            limits::MAX_PROPERTY_TYPES,
            "property types",
        )?;
        let rental = self.listing_type.is_some_and(ListingType::is_rental);
        if let Some(period) = self.budget_period {
            if !rental {
                return bad(
                    "budget_period",
                    format!("\"{period}\""),
                    "listing_type long_term_rent or short_term_rent beside it (a rent period is for renters)",
                );
            }
        }
        if let Some(months) = self.lease_months {
            if !rental {
                return bad(
                    "lease_months",
                    months.to_string(),
                    "listing_type long_term_rent or short_term_rent beside it (a lease is for renters)",
                );
            }
            if !(1..=crate::listing::MAX_LEASE_MONTHS).contains(&months) {
                return bad(
                    "lease_months",
                    months.to_string(),
                    "a whole number of months between 1 and 1200",
                );
            }
        }
        self.investment_terms()?;
        for (field, min) in [
            ("min_gross_yield", self.min_gross_yield),
            ("min_cap_rate", self.min_cap_rate),
        ] {
            if let Some(m) = min {
                if !(m.is_finite() && (0.0..1.0).contains(&m)) {
                    return bad(
                        field,
                        m.to_string(),
                        "a fraction from 0 below 1 (0.06 for 6 %)",
                    );
                }
            }
        }
        if let Some(m) = self.min_cash_flow {
            if !m.is_finite() {
                return bad(
                    "min_cash_flow",
                    m.to_string(),
                    "a finite amount of money per month (may be negative)",
                );
            }
            if self.mortgage_rate.is_none() {
                return bad(
                    "min_cash_flow",
                    m.to_string(),
                    "a mortgage_rate beside it (cash flow is the rent left after the mortgage payment; 0 with down_payment 1 for a cash purchase)",
                );
            }
        }
        if let Some(similar) = &self.similar_to {
            similar.validate()?;
        }
        if let Some(weights) = &self.weights {
            check_len(
                &record,
                "weights",
                weights.len(),
                limits::MAX_WEIGHTS,
                "weights",
            )?;
            for (name, w) in weights {
                if !(w.is_finite() && *w >= 0.0) {
                    return bad(
                        &format!("weights.{name}"),
                        w.to_string(),
                        "a finite weight ≥ 0",
                    );
                }
            }
        }
        Ok(())
    }
}

impl Preferences {
    /// The investor's terms this request states: its assumptions (the
    /// defaults where it names none) and its mortgage when it names a
    /// `mortgage_rate` — checked as
    /// [`InvestmentTerms::from_json`](crate::investment::InvestmentTerms::from_json)
    /// checks them.
    ///
    /// ```
    /// use agent_mira::Preferences;
    /// let prefs = Preferences { mortgage_rate: Some(0.065), vacancy: Some(0.08), ..Default::default() };
    /// let terms = prefs.investment_terms().unwrap();
    /// assert_eq!(terms.mortgage.unwrap().down_payment, 0.2);
    /// assert_eq!(terms.assumptions.vacancy, 0.08);
    /// ```
    pub fn investment_terms(&self) -> Result<crate::investment::InvestmentTerms> {
        crate::investment::InvestmentTerms::from_input(
            &crate::investment::TermsInput {
                down_payment: self.down_payment,
                mortgage_rate: self.mortgage_rate,
                mortgage_years: self.mortgage_years,
                expense_ratio: self.expense_ratio,
                vacancy: self.vacancy,
                closing_costs: self.closing_costs,
            },
            &RecordRef::Preferences,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(v: Value) -> String {
        Preferences::from_json(v).unwrap_err().to_string()
    }

    #[test]
    fn empty_preferences_are_valid() {
        assert_eq!(
            Preferences::from_json(json!({})).unwrap(),
            Preferences::default()
        );
    }

    #[test]
    fn full_preferences_parse() {
        let p = Preferences::from_json(json!({
            "budget": 500000, "location": "Seattle, WA", "min_bedrooms": 2, "min_bathrooms": 1.5,
            "min_size_sqft": 900, "max_commute_time": 30, "min_school_rating": 7,
            "preferred_amenities": ["Pool"], "must_have_amenities": ["garage"],
            "property_types": ["sfh", "condo"], "listing_type": "sale", "weights": {"price_match": 2}
        }))
        .unwrap();
        assert_eq!(
            p.property_types,
            vec![PropertyType::Sfh, PropertyType::Condo]
        );
        assert_eq!(p.weights.unwrap()["price_match"], 2.0);
    }

    #[test]
    fn budget_must_be_positive() {
        assert_eq!(
            message(json!({"budget": -1})),
            "preferences: field `budget` = -1: expected a finite number of dollars > 0"
        );
        assert_eq!(
            message(json!({"budget": "lots"})),
            "preferences: field `budget` = \"lots\": expected a number"
        );
    }

    #[test]
    fn school_rating_and_commute_ranges() {
        assert_eq!(
            message(json!({"min_school_rating": 12})),
            "preferences: field `min_school_rating` = 12: expected a number between 0 and 10"
        );
        assert_eq!(
            message(json!({"max_commute_time": 0})),
            "preferences: field `max_commute_time` = 0: expected a finite number of minutes > 0"
        );
    }

    #[test]
    fn typos_get_suggestions() {
        assert_eq!(
            message(json!({"min_bedroom": 3})),
            "preferences: unknown field `min_bedroom` (did you mean `min_bedrooms`?)"
        );
    }

    #[test]
    fn negative_weights_are_rejected() {
        assert_eq!(
            message(json!({"weights": {"commute": -1}})),
            "preferences: field `weights.commute` = -1: expected a finite weight ≥ 0"
        );
    }

    #[test]
    fn investor_terms_are_checked_by_name() {
        assert_eq!(
            message(json!({"min_gross_yield": 7})),
            "preferences: field `min_gross_yield` = 7: expected a fraction from 0 below 1 (0.06 for 6 %)"
        );
        assert_eq!(
            message(json!({"min_cash_flow": 100})),
            "preferences: field `min_cash_flow` = 100: expected a mortgage_rate beside it (cash flow is the rent left after the mortgage payment; 0 with down_payment 1 for a cash purchase)"
        );
        assert_eq!(
            message(json!({"mortgage_years": 30})),
            "preferences: field `mortgage_years` = 30: expected a mortgage_rate beside it (the yearly rate of the mortgage, e.g. 0.065)"
        );
        assert_eq!(
            message(json!({"mortgage_rate": 6.5})),
            "preferences: field `mortgage_rate` = 6.5: expected a yearly rate as a fraction between 0 and 1 (0.065 for 6.5 %)"
        );
        assert_eq!(
            message(json!({"vacancy": 1})),
            "preferences: field `vacancy` = 1: expected a share from 0 below 1 (0.05 for 5 %)"
        );
        let ok = Preferences::from_json(json!({
            "min_gross_yield": 0.06, "min_cap_rate": 0.04, "min_cash_flow": -150,
            "mortgage_rate": 0.065, "down_payment": 0.25, "mortgage_years": 15
        }))
        .unwrap();
        let terms = ok.investment_terms().unwrap();
        assert_eq!(terms.mortgage.map(|m| m.years), Some(15));
    }

    #[test]
    fn bad_list_items_name_their_position() {
        assert_eq!(
            message(json!({"property_types": ["sfh", "igloo"]})),
            "preferences: field `property_types[1]` = \"igloo\": expected one of sfh, condo, townhouse, apartment, villa, land, commercial (property type)"
        );
    }
}
