//! The facts behind each component's score: the listing's value the
//! component read and what the buyer asked, as JSON an explanation
//! carries beside the sentence rendered from them.

use serde_json::{json, Value};

use crate::listing::Property;
use crate::scoring::{Active, ComponentName, Plan};

/// `(listing, ask)` for component `active` of listing `row` (`property`
/// is that listing): the value the component measured on the listing
/// (`null` when unknown) and the request's side (`null` when the
/// component asks nothing of the buyer, e.g. the property's age).
pub(crate) fn inputs(
    plan: &Plan<'_>,
    row: usize,
    active: &Active,
    property: &Property,
) -> (Value, Value) {
    let p = plan.prefs;
    let prep = plan.prep;
    match active.name {
        ComponentName::PriceMatch => {
            let predicted = prep.predicted_price[row];
            let listing = match (plan.budget_period, active.curve) {
                (Some(period), _) => json!({
                    "rent": finite(plan.budget_prices()[row]),
                    "per": period,
                }),
                (None, crate::scoring::Curve::CaseStudy) => json!({
                    "predicted_price": finite(predicted),
                    "listed_price": property.price,
                }),
                (None, _) => json!({"listed_price": property.price}),
            };
            let ask = match plan.budget_period {
                Some(period) => {
                    json!({"budget": p.budget, "per": period, "currency": plan.currency})
                }
                None => json!({"budget": p.budget, "currency": plan.currency}),
            };
            (listing, ask)
        }
        ComponentName::Location => (
            json!({
                "location": property.location,
                "distance_km": plan.distance_km(row).filter(|km| km.is_finite()),
            }),
            json!(p.location),
        ),
        ComponentName::Bedrooms => (json!(property.bedrooms), json!(p.min_bedrooms)),
        ComponentName::Bathrooms => (json!(property.bathrooms), json!(p.min_bathrooms)),
        ComponentName::Size => (json!(property.size_sqft), json!(p.min_size_sqft)),
        ComponentName::SchoolRating => (json!(property.school_rating), json!(p.min_school_rating)),
        ComponentName::Commute => (json!(property.commute_time), json!(p.max_commute_time)),
        ComponentName::PropertyAge => (
            json!(property.year_built),
            json!({"current_year": plan.prep.current_year}),
        ),
        ComponentName::Amenities => (
            json!(property.amenities),
            json!({"preferred_amenities": p.preferred_amenities, "must_have_amenities": p.must_have_amenities}),
        ),
        ComponentName::Value => (
            json!({
                "predicted_price": finite(prep.predicted_price[row]),
                "listed_price": property.price,
                "price_source": prep.price_source,
            }),
            Value::Null,
        ),
        ComponentName::Availability => (
            json!({"available_from": property.available_from, "available_until": property.available_until}),
            json!({"move_in": p.move_in, "lease_months": p.lease_months}),
        ),
        ComponentName::Furnishing => (json!(property.furnishing), json!(p.furnishing)),
        ComponentName::GrossYield | ComponentName::CashFlow => {
            let rent = prep.rent_at(row);
            let listing = json!({
                "price": property.price,
                "estimated_rent": rent.map(|(r, _)| r),
                "rent_source": rent.map(|(_, s)| s),
            });
            let invest = &plan.invest;
            let ask = match active.name {
                ComponentName::GrossYield => json!({"min_gross_yield": invest.min_gross_yield}),
                _ => json!({
                    "mortgage_rate": invest.mortgage.map(|m| m.annual_rate),
                    "down_payment": invest.mortgage.map(|m| m.down_payment),
                    "mortgage_years": invest.mortgage.map(|m| m.years),
                    "vacancy": invest.assumptions.vacancy,
                    "expense_ratio": invest.assumptions.expense_ratio,
                    "min_cash_flow": invest.min_cash_flow,
                }),
            };
            (listing, ask)
        }
        ComponentName::Similarity => {
            let cosine = plan
                .similar
                .as_ref()
                .map(|s| s.cosine(row))
                .filter(|c| c.is_finite());
            let ask = p.similar_to.as_ref().map_or(
                Value::Null,
                |s| json!({"ids": s.ids, "vector_dim": s.vector.as_ref().map(Vec::len)}),
            );
            (json!({"cosine": cosine}), ask)
        }
    }
}

/// `x` as JSON, `null` when it is not a finite number.
fn finite(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}
