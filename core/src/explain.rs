//! Reasons in plain words, built from a result's component breakdown.

use crate::catalog::MISSING_LOCATION;
use std::fmt;

use crate::format::{Dollars, Number, Percent, Score};
use crate::scoring::{case_study, Active, ComponentName, Curve, Measure, Plan, PriceSource};

/// The reasons for listing `row`: one per scored component in profile
/// order, then what was unknown, then where the predicted price came from.
pub(crate) fn reasons(plan: &Plan<'_>, row: usize, breakdown: &[(Active, Measure)]) -> Vec<String> {
    let mut out = Vec::with_capacity(breakdown.len() + 2);
    let mut unknown = Vec::new();
    for (active, measure) in breakdown {
        match measure {
            Measure::Score(s) => out.push(scored(plan, row, active, *s)),
            // A field no listing has is said once per answer
            // (`EngineStats::unknown_fields`), not on every result.
            Measure::Unknown if plan.prep.absent(active.name) => {}
            Measure::Unknown => unknown.push(unknown_reason(active.name)),
            Measure::NotAsked => {}
        }
    }
    out.extend(unknown);
    if plan.prep.price_source == PriceSource::Listed
        && plan
            .active
            .iter()
            .any(|a| a.name == ComponentName::PriceMatch)
    {
        out.push("No price model: the predicted price is the listed price".to_string());
    }
    out
}

fn unknown_reason(name: ComponentName) -> String {
    let what = match name {
        ComponentName::PriceMatch => "Price",
        ComponentName::Location => "Location",
        ComponentName::Bedrooms => "Bedrooms",
        ComponentName::Bathrooms => "Bathrooms",
        ComponentName::Size => "Size",
        ComponentName::SchoolRating => "School rating",
        ComponentName::Commute => "Commute time",
        ComponentName::PropertyAge => "Year built",
        ComponentName::Amenities => "Amenities",
        ComponentName::Value => "Predicted value",
    };
    format!("{what} unknown (left out of the score)")
}

// The numbers of a reason are written straight into its text (`Display`
// values, no string each).
fn dollars(x: f64) -> Dollars {
    Dollars(x)
}
fn number(x: f64) -> Number {
    Number(x)
}
fn percent(x: f64) -> Percent {
    Percent(x)
}
fn score(x: f64) -> Score {
    Score(x)
}

/// `"1 bedroom"`, `"2.5 bathrooms"`.
struct Plural<'a> {
    n: f64,
    one: &'a str,
    many: &'a str,
}

impl fmt::Display for Plural<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = if self.n == 1.0 { self.one } else { self.many };
        write!(f, "{} {word}", Number(self.n))
    }
}

fn plural<'a>(n: f64, one: &'a str, many: &'a str) -> Plural<'a> {
    Plural { n, one, many }
}

fn scored(plan: &Plan<'_>, row: usize, active: &Active, s: f64) -> String {
    let c = plan.cols;
    let p = plan.prefs;
    let predicted = plan.prep.predicted_price[row];
    let label = match plan.prep.price_source {
        PriceSource::Listed => "Listed",
        PriceSource::Model => "Predicted",
    };
    match active.name {
        ComponentName::PriceMatch => {
            let budget = p.budget.unwrap_or(f64::NAN);
            let listed = c.price[row];
            match active.curve {
                // The case study's rule: the predicted price against the
                // budget (with a model, the listed price said as well).
                Curve::CaseStudy => {
                    let asking = match plan.prep.price_source {
                        PriceSource::Model => format!(" (listed at {})", dollars(listed)),
                        PriceSource::Listed => String::new(),
                    };
                    format!(
                        "{label} {}{}{asking}",
                        dollars(predicted),
                        BudgetFit {
                            price: predicted,
                            budget,
                            score: s
                        }
                    )
                }
                // Everywhere else the buyer's budget meets the asking price.
                Curve::Decay(_) => format!(
                    "Listed {}{}",
                    dollars(listed),
                    BudgetFit {
                        price: listed,
                        budget,
                        score: s
                    }
                ),
            }
        }
        ComponentName::Location => {
            let loc = c.location[row];
            let wanted = p.location.as_deref().unwrap_or_default();
            let here = if loc == MISSING_LOCATION {
                None
            } else {
                Some(c.locations[loc as usize].as_str())
            };
            match (plan.distance_km(row), here) {
                (Some(0.0), Some(name)) => format!("In {name}"),
                (Some(km), Some(name)) if km.is_finite() => {
                    format!("In {name}, {} km from {wanted} ({})", number(km), score(s))
                }
                (Some(km), None) if km.is_finite() => {
                    format!("{} km from {wanted} ({})", number(km), score(s))
                }
                (_, Some(name)) => format!("In {name}, not {wanted} ({})", score(s)),
                _ => format!("Not in {wanted} ({})", score(s)),
            }
        }
        ComponentName::Bedrooms => {
            let have = c.bedrooms[row];
            let min = f64::from(p.min_bedrooms.unwrap_or(0));
            rooms(have, min, "bedroom", "bedrooms", s)
        }
        ComponentName::Bathrooms => {
            let have = c.bathrooms[row];
            rooms(
                have,
                p.min_bathrooms.unwrap_or(0.0),
                "bathroom",
                "bathrooms",
                s,
            )
        }
        ComponentName::Size => {
            let have = c.size_sqft[row];
            let min = p.min_size_sqft.unwrap_or(0.0);
            if have >= min {
                format!(
                    "{} sqft (you asked for at least {})",
                    number(have),
                    number(min)
                )
            } else {
                format!(
                    "{} sqft, {} smaller than the {} you asked for ({})",
                    number(have),
                    percent((min - have) / min),
                    number(min),
                    score(s)
                )
            }
        }
        ComponentName::SchoolRating => {
            let r = c.school_rating[row];
            match p.min_school_rating {
                Some(min) if matches!(active.curve, Curve::Decay(_)) && r < min => format!(
                    "School rating {}/10, below your minimum of {} ({})",
                    number(r),
                    number(min),
                    score(s)
                ),
                _ => format!("School rating {}/10 ({})", number(r), score(s)),
            }
        }
        ComponentName::Commute => {
            let m = c.commute_time[row];
            match p.max_commute_time {
                Some(max) if m > max => format!(
                    "Commute {} min, {} min over your {} min limit ({})",
                    number(m),
                    number(m - max),
                    number(max),
                    score(s)
                ),
                _ => format!("Commute {} min ({})", number(m), score(s)),
            }
        }
        ComponentName::PropertyAge => {
            let year = c.year_built[row];
            let age = plan.prep.age_years[row].max(0.0);
            format!(
                "Built {} ({} old, {})",
                year as i64,
                plural(age, "year", "years"),
                score(s)
            )
        }
        ComponentName::Amenities => match active.curve {
            Curve::CaseStudy => {
                let names = case_study::SCORED_AMENITIES;
                let (has, lacks): (Vec<&str>, Vec<&str>) = names
                    .iter()
                    .partition(|a| c.amenity_bit(a).is_some_and(|b| c.has_amenity(row, b)));
                match (has.is_empty(), lacks.is_empty()) {
                    (true, _) => format!("No pool, garage or garden ({})", score(s)),
                    (false, true) => format!("Has pool, garage and garden ({})", score(s)),
                    (false, false) => format!(
                        "Has {}; no {} ({})",
                        has.join(", "),
                        lacks.join(" or "),
                        score(s)
                    ),
                }
            }
            Curve::Decay(_) => {
                let mut has = Vec::new();
                let mut lacks = Vec::new();
                for (name, bit) in &plan.preferred {
                    let canonical = bit.map(|b| c.amenity_names[b].as_str());
                    match (bit, canonical) {
                        (Some(b), Some(n)) if c.has_amenity(row, *b) => has.push(n.to_string()),
                        _ => lacks.push(name.trim().to_lowercase()),
                    }
                }
                let total = has.len() + lacks.len();
                if lacks.is_empty() && total == 1 {
                    format!(
                        "Has your preferred amenity: {} ({})",
                        has.join(", "),
                        score(s)
                    )
                } else if lacks.is_empty() {
                    format!(
                        "Has all {total} preferred amenities: {} ({})",
                        has.join(", "),
                        score(s)
                    )
                } else if has.is_empty() && total == 1 {
                    format!(
                        "Lacks your preferred amenity: {} ({})",
                        lacks.join(", "),
                        score(s)
                    )
                } else if has.is_empty() {
                    format!(
                        "Has none of your preferred amenities: {} ({})",
                        lacks.join(", "),
                        score(s)
                    )
                } else {
                    format!(
                        "Has {} of {total} preferred amenities: {}; missing {} ({})",
                        has.len(),
                        has.join(", "),
                        lacks.join(", "),
                        score(s)
                    )
                }
            }
        },
        ComponentName::Value => {
            let listed = c.price[row];
            let diff = (listed - predicted) / predicted;
            if diff.abs() < 0.005 {
                format!(
                    "Listed {}, about its estimated value ({})",
                    dollars(listed),
                    score(s)
                )
            } else {
                format!(
                    "Listed {}, about {} {} its estimated value of {} ({})",
                    dollars(listed),
                    percent(diff.abs()),
                    if diff < 0.0 { "below" } else { "above" },
                    dollars(predicted),
                    score(s)
                )
            }
        }
    }
}

/// How a price sits against the budget, as a person would say it:
/// `", within your $950,000 budget"`, `", $2,170 over your $950,000
/// budget (100/100)"` (no percentage under 1 %), `", $95,000 (10%) over
/// your $950,000 budget (61/100)"`.
struct BudgetFit {
    price: f64,
    budget: f64,
    score: f64,
}

impl fmt::Display for BudgetFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let over = (self.price - self.budget).round();
        if over <= 0.0 {
            return write!(f, ", within your {} budget", dollars(self.budget));
        }
        let share = over / self.budget;
        write!(f, ", {} ", dollars(over))?;
        if share >= 0.005 {
            write!(f, "({}) ", percent(share))?;
        }
        write!(
            f,
            "over your {} budget ({})",
            dollars(self.budget),
            score(self.score)
        )
    }
}

fn rooms(have: f64, min: f64, one: &str, many: &str, s: f64) -> String {
    if have >= min {
        format!(
            "{} (you asked for at least {})",
            plural(have, one, many),
            number(min)
        )
    } else {
        format!(
            "{}, {} fewer than the {} you asked for ({})",
            plural(have, one, many),
            number(min - have),
            number(min),
            score(s)
        )
    }
}
