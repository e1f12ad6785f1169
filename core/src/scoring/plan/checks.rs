//! The hard filters of a request, one by one, for one listing: what
//! [`Plan::passes`] decides in one pass, spelled out so that an
//! explanation can say which filter removes a listing and why.

use serde_json::{json, Value};

use super::Plan;
use crate::catalog::MISSING_CODE;
use crate::investment;
use crate::listing::{Date, Property};

/// One hard filter applied to one listing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Check {
    /// The request field that turns the filter on (`listing_type`,
    /// `min_cap_rate`, …), or `investable` for the investment profile's
    /// own filter.
    pub name: &'static str,
    /// Whether the listing passes.
    pub passed: bool,
    /// The listing's value the filter reads (`null` when it has none).
    pub listing: Value,
    /// What the request asks.
    pub ask: Value,
    /// One sentence saying what was found.
    pub detail: String,
}

impl Plan<'_> {
    /// Every hard filter of this request applied to listing `row`
    /// (`property` is that listing), in a fixed order. The listing passes
    /// [`Plan::passes`] exactly when every check passes (a test holds them
    /// together).
    pub(crate) fn checks(&self, row: usize, property: &Property) -> Vec<Check> {
        let c = self.cols;
        let p = self.prefs;
        let mut out = Vec::new();
        let mut push = |name, passed, listing: Value, ask: Value, detail: String| {
            out.push(Check {
                name,
                passed,
                listing,
                ask,
                detail,
            })
        };
        if let Some(code) = self.listing_code {
            let passed = c.listing_type[row] == code;
            let wanted = p.listing_type.map(|t| t.as_str()).unwrap_or_default();
            let detail = match (passed, property.listing_type) {
                (true, _) => format!("Listed as {wanted}, as asked"),
                (false, Some(t)) => format!("Listed as {}, not {wanted}", t.as_str()),
                (false, None) => format!("Listing type not stated (wanted {wanted})"),
            };
            push(
                "listing_type",
                passed,
                json!(property.listing_type),
                json!(p.listing_type),
                detail,
            );
        }
        if let Some(mask) = self.type_mask {
            let code = c.property_type[row];
            let passed = code != MISSING_CODE && mask & (1 << code) != 0;
            let wanted: Vec<&str> = p.property_types.iter().map(|t| t.as_str()).collect();
            let wanted = wanted.join(", ");
            let detail = match (passed, property.property_type) {
                (true, Some(t)) => format!("{}, one of the types asked ({wanted})", capitalised(t)),
                (false, Some(t)) => {
                    format!("{}, not one of the types asked ({wanted})", capitalised(t))
                }
                _ => format!("Property type not stated (asked: {wanted})"),
            };
            push(
                "property_types",
                passed,
                json!(property.property_type),
                json!(p.property_types),
                detail,
            );
        }
        if let Some(code) = self.currency_code {
            let passed = c.currency[row] == code;
            let have = property.currency.unwrap_or(crate::listing::Currency::USD);
            let detail = if passed {
                format!("Priced in {have}, as asked")
            } else {
                format!("Priced in {have}, not {}", self.currency)
            };
            push(
                "currency",
                passed,
                json!(have),
                json!(self.currency),
                detail,
            );
        }
        if let Some(stay) = self.stay {
            let (from, until) = (c.available_from[row], c.available_until[row]);
            let passed = !(from > stay.move_in || until < stay.end);
            let move_in = Date::from_days_since_epoch(stay.move_in);
            let end = Date::from_days_since_epoch(stay.end);
            let detail = if passed {
                format!("Available for a stay from {move_in} to {end}")
            } else if from > stay.move_in {
                format!(
                    "Available only from {}, after the move-in day {move_in}",
                    Date::from_days_since_epoch(from)
                )
            } else {
                format!(
                    "Available only until {}, before the stay ends on {end}",
                    Date::from_days_since_epoch(until)
                )
            };
            push(
                "move_in",
                passed,
                json!({"available_from": property.available_from, "available_until": property.available_until}),
                json!({"move_in": move_in, "stay_ends": end}),
                detail,
            );
        }
        if let Some(months) = self.lease {
            let passed = !(c.min_lease[row] > months || c.max_lease[row] < months);
            let (min, max) = (property.min_lease_months, property.max_lease_months);
            let detail = match (passed, min, max) {
                (true, _, _) => format!("Takes a lease of {months} months"),
                (false, Some(min), _) if min > months => {
                    format!("Leases of at least {min} months, longer than the {months} asked")
                }
                (false, _, Some(max)) => {
                    format!("Leases of at most {max} months, shorter than the {months} asked")
                }
                _ => format!("Does not take a lease of {months} months"),
            };
            push(
                "lease_months",
                passed,
                json!({"min_lease_months": min, "max_lease_months": max}),
                json!(months),
                detail,
            );
        }
        if self.pets {
            let passed = c.pets_allowed[row] != 0;
            let detail = match property.pets_allowed {
                Some(true) => "Pets allowed".to_string(),
                Some(false) => "No pets allowed".to_string(),
                None => "Pets allowed: not stated (kept)".to_string(),
            };
            push(
                "pets",
                passed,
                json!(property.pets_allowed),
                json!(true),
                detail,
            );
        }
        self.investment_checks(row, &mut push);
        if self.investable_only {
            let rent = self.prep.rent[row];
            let passed = !rent.is_nan();
            let detail = if passed {
                "For sale, with a rent estimate".to_string()
            } else if property.is_rental() {
                "For rent, not for sale: the investment profile ranks homes for sale".to_string()
            } else {
                "No rent estimate (neither the listing's estimated_rent nor a rent model's)"
                    .to_string()
            };
            push(
                "investable",
                passed,
                json!(finite(rent)),
                json!("a home for sale with a rent estimate"),
                detail,
            );
        }
        if let Some(similar) = &self.similar {
            if !similar.liked.is_empty() {
                let passed = !similar.is_liked(row);
                let detail = if passed {
                    "Not one of the listings you liked".to_string()
                } else {
                    "One of the listings you liked (left out: you have seen it)".to_string()
                };
                let ids = p
                    .similar_to
                    .as_ref()
                    .map(|s| json!(s.ids))
                    .unwrap_or(Value::Null);
                push("similar_to", passed, json!(property.id), ids, detail);
            }
        }
        if self.must_have.is_some() || self.impossible {
            self.must_have_check(row, property, &mut push);
        }
        out
    }

    /// The investor's thresholds, one check each, on the arithmetic of
    /// [`super::Invest::meets`].
    fn investment_checks(
        &self,
        row: usize,
        push: &mut impl FnMut(&'static str, bool, Value, Value, String),
    ) {
        let invest = &self.invest;
        if !invest.filters() {
            return;
        }
        let price = self.cols.price[row];
        let rent = self.prep.rent[row];
        let unknown = "Rent unknown: no investment figure (a threshold needs one)";
        if let Some(min) = invest.min_gross_yield {
            let y = investment::gross_yield(price, rent);
            let passed = !rent.is_nan() && y >= min;
            let detail = if rent.is_nan() {
                unknown.to_string()
            } else {
                format!(
                    "Gross yield {:.2} % against the {:.2} % asked",
                    100.0 * y,
                    100.0 * min
                )
            };
            push(
                "min_gross_yield",
                passed,
                json!(finite(y)),
                json!(min),
                detail,
            );
        }
        let noi = investment::net_operating_income(rent, &invest.assumptions);
        if let Some(min) = invest.min_cap_rate {
            let cap = noi / price;
            let passed = !rent.is_nan() && cap >= min;
            let detail = if rent.is_nan() {
                unknown.to_string()
            } else {
                format!(
                    "Cap rate {:.2} % against the {:.2} % asked",
                    100.0 * cap,
                    100.0 * min
                )
            };
            push(
                "min_cap_rate",
                passed,
                json!(finite(cap)),
                json!(min),
                detail,
            );
        }
        if let (Some(min), Some(payment)) = (invest.min_cash_flow, invest.payment) {
            let flow = investment::cash_flow(noi, payment.on(price));
            let passed = !rent.is_nan() && flow >= min;
            let detail = if rent.is_nan() {
                unknown.to_string()
            } else {
                format!("Cash flow {flow:.2} a month against the {min:.2} asked")
            };
            push(
                "min_cash_flow",
                passed,
                json!(finite(flow)),
                json!(min),
                detail,
            );
        }
    }

    /// The must-have amenities: which the listing lacks.
    fn must_have_check(
        &self,
        row: usize,
        property: &Property,
        push: &mut impl FnMut(&'static str, bool, Value, Value, String),
    ) {
        let c = self.cols;
        let ask = json!(self.prefs.must_have_amenities);
        let listing = json!(property.amenities);
        if self.impossible {
            let detail = "No listing in the catalog has every must-have amenity".to_string();
            push("must_have_amenities", false, listing, ask, detail);
            return;
        }
        let Some(mask) = &self.must_have else { return };
        if !c.amenities_known[row] {
            let detail = "Amenities not stated".to_string();
            push("must_have_amenities", false, listing, ask, detail);
            return;
        }
        let words = c.amenity_words;
        let have = &c.amenities[row * words..(row + 1) * words];
        let missing: Vec<&str> = (0..words * 64)
            .filter(|&bit| mask[bit / 64] & (1 << (bit % 64)) != 0)
            .filter(|&bit| have[bit / 64] & (1 << (bit % 64)) == 0)
            .filter_map(|bit| c.amenity_names.get(bit).map(String::as_str))
            .collect();
        let passed = missing.is_empty();
        let detail = if passed {
            "Has every must-have amenity".to_string()
        } else {
            format!("Lacks {}", missing.join(", "))
        };
        push("must_have_amenities", passed, listing, ask, detail);
    }
}

/// "A single-family home": a property type in words, capitalised.
fn capitalised(t: crate::listing::PropertyType) -> String {
    let words = t.in_words();
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `x` as JSON, `null` when it is not a finite number.
fn finite(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}
