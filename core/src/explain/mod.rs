//! Reasons in plain words, built from a result's component breakdown,
//! and the facts behind them ([`inputs`]).

pub(crate) mod inputs;

use crate::catalog::{MISSING_CODE, MISSING_LOCATION, NO_END, NO_MAX_LEASE, NO_START};
use std::fmt;

use crate::format::{Number, Percent, Score};
use crate::listing::{Currency, Date, Furnishing, PropertyType, RentPeriod};
use crate::scoring::{case_study, Active, ComponentName, Curve, Measure, Plan, PriceSource};

/// The reasons for listing `row`: one per scored component in profile
/// order, then the stay's facts the profile does not score (availability
/// for a move-in day, the lease limits for a lease length, pets), then
/// what was unknown, then where the predicted price came from.
pub(crate) fn reasons(plan: &Plan<'_>, row: usize, breakdown: &[(Active, Measure)]) -> Vec<String> {
    let mut out = Vec::with_capacity(breakdown.len() + 2);
    let mut unknown = Vec::new();
    for (active, measure) in breakdown {
        let Some(sentence) = sentence(plan, row, active, measure) else {
            continue;
        };
        match measure {
            Measure::Score(_) => out.push(sentence),
            // Both investor components lack the same rent: said once.
            _ if !unknown.contains(&sentence) => unknown.push(sentence),
            _ => {}
        }
    }
    // The stay filters apply in every profile; a profile without an
    // availability component still says what it found.
    let scores_availability = plan
        .active
        .iter()
        .any(|a| a.name == ComponentName::Availability);
    if plan.stay.is_some() && !scores_availability {
        out.push(availability(plan, row).unwrap_or_else(|| "Availability unknown".to_string()));
    }
    if plan.lease.is_some() {
        let (min, max) = (plan.cols.min_lease[row], plan.cols.max_lease[row]);
        match (min > 0, max != NO_MAX_LEASE) {
            (true, true) if min == max => out.push(format!(
                "Takes leases of {}",
                plural(f64::from(min), "month", "months")
            )),
            (true, true) => out.push(format!("Takes leases of {min} to {max} months")),
            (true, false) => out.push(format!(
                "Takes leases of at least {}",
                plural(f64::from(min), "month", "months")
            )),
            (false, true) => out.push(format!(
                "Takes leases of up to {}",
                plural(f64::from(max), "month", "months")
            )),
            // No limits given: nothing to say.
            (false, false) => {}
        }
    }
    if plan.pets {
        out.push(match plan.cols.pets_allowed[row] {
            1 => "Pets allowed".to_string(),
            // Only an explanation shows a listing the pets filter removes.
            0 => "No pets allowed".to_string(),
            _ => "Pets allowed: not stated".to_string(),
        });
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

/// The sentence for one component of listing `row`: what it scored and
/// why, or why it is unknown; `None` when the buyer did not ask for it,
/// or when it is unknown because no listing has the field (said once per
/// answer, in `EngineStats::unknown_fields`, not on every result). The
/// reasons of a result and the sentences of an explanation both come
/// from here.
pub(crate) fn sentence(
    plan: &Plan<'_>,
    row: usize,
    active: &Active,
    measure: &Measure,
) -> Option<String> {
    match measure {
        Measure::Score(s) => Some(scored(plan, row, active, *s)),
        Measure::Unknown if plan.prep.absent(active.name) => None,
        Measure::Unknown => Some(unknown_reason(plan, row, active.name)),
        Measure::NotAsked => None,
    }
}

fn unknown_reason(plan: &Plan<'_>, row: usize, name: ComponentName) -> String {
    if name == ComponentName::Availability {
        if let Some(until) = availability(plan, row) {
            // An end but no start: available on the move-in day, for how
            // long before it nobody said.
            return format!("{until}, from a day not stated (left out of the score)");
        }
    }
    let investor = matches!(name, ComponentName::GrossYield | ComponentName::CashFlow);
    if investor && rental_period(plan.cols, row).is_some() {
        return "For rent, not for sale: no investment figures (left out of the score)".into();
    }
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
        ComponentName::Availability => "Availability",
        ComponentName::Furnishing => "Furnishing",
        ComponentName::GrossYield | ComponentName::CashFlow => "Rent estimate",
        ComponentName::Similarity => "Similarity (no embedding)",
    };
    format!("{what} unknown (left out of the score)")
}

/// What listing `row`'s availability window says about the stay, without
/// a score: `"Available from 28 Jun, 3 days before your move-in"`,
/// `"Available since 20 Apr, 72 days before your move-in"`, `"Available
/// until 31 Dec 2022"` (no start given); `None` when the listing gives
/// neither a start nor an end, or the request no move-in day.
fn availability(plan: &Plan<'_>, row: usize) -> Option<String> {
    let stay = plan.stay?;
    let (from, until) = (
        plan.cols.available_from[row],
        plan.cols.available_until[row],
    );
    let until_words =
        (until != NO_END).then(|| Date::from_days_since_epoch(until).day_month_year());
    if from == NO_START {
        return until_words.map(|u| format!("Available until {u}"));
    }
    let start = Date::from_days_since_epoch(from);
    let days = i64::from(stay.move_in) - i64::from(from);
    let mut text = match days {
        0 => format!("Available from {}, your move-in day", start.day_month()),
        1..=31 => format!(
            "Available from {}, {} before your move-in",
            start.day_month(),
            plural(days as f64, "day", "days")
        ),
        // Only an explanation shows a listing available after the
        // move-in day (the stay filter removes it).
        ..=-1 => format!(
            "Available from {}, {} after your move-in",
            start.day_month(),
            plural(-days as f64, "day", "days")
        ),
        _ => format!(
            "Available since {}, {} days before your move-in",
            start.day_month(),
            days
        ),
    };
    if let Some(u) = until_words {
        text.push_str(&format!(", until {u}"));
    }
    Some(text)
}

/// A furnishing as a person writes it at the start of a sentence.
fn furnishing_words(f: Furnishing) -> &'static str {
    match f {
        Furnishing::Furnished => "Furnished",
        Furnishing::SemiFurnished => "Semi-furnished",
        Furnishing::Unfurnished => "Unfurnished",
    }
}

// The numbers of a reason are written straight into its text (`Display`
// values, no string each).

/// An amount in a currency: `$725,000`, `₹38,000`.
struct Money(Currency, f64);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.format_amount(self.1))
    }
}

/// A rate or share as a person writes it, with at most `.1` decimals
/// and no trailing zeros: `7.5 %`, `20 %`, `6.25 %`.
struct Rate(f64, usize);

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:.*}", self.1, self.0 * 100.0);
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        // "-0" after rounding a tiny negative share is 0.
        let text = if text == "-0" { "0" } else { text };
        write!(f, "{text} %")
    }
}

/// A rent: `₹38,000/month`.
struct Rent(Currency, f64, RentPeriod);

impl fmt::Display for Rent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Money(self.0, self.1), self.2)
    }
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
    let dollars = |x: f64| Money(plan.currency, x);
    let predicted = plan.prep.predicted_price[row];
    let label = match plan.prep.price_source {
        PriceSource::Listed => "Listed",
        PriceSource::Model => "Predicted",
    };
    match active.name {
        ComponentName::PriceMatch if plan.budget_period.is_some() => rent(plan, row, active, s),
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
                            score: s,
                            currency: plan.currency,
                            rent: None,
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
                        score: s,
                        currency: plan.currency,
                        rent: None,
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
        ComponentName::Availability => {
            let words = availability(plan, row).unwrap_or_default();
            if plan.days_empty(row) > 31.0 {
                format!("{words} ({})", score(s))
            } else {
                words
            }
        }
        ComponentName::Furnishing => {
            let have = Furnishing::ALL[usize::from(c.furnishing[row])];
            let wanted = p.furnishing.unwrap_or(have);
            if have == wanted {
                format!("{}, as you asked", furnishing_words(have))
            } else {
                format!(
                    "{} (you asked for {})",
                    furnishing_words(have),
                    furnishing_words(wanted).to_lowercase()
                )
            }
        }
        ComponentName::Similarity => {
            let like = match p.similar_to.as_ref() {
                Some(s) if !s.ids.is_empty() => "Like the homes you saved",
                _ => "Like what you are looking for",
            };
            let cos = plan.similar.as_ref().map_or(f64::NAN, |q| q.cosine(row));
            format!("{like}: similarity {cos:.2} ({})", score(s))
        }
        ComponentName::GrossYield => {
            let (rent, source) = (plan.prep.rent[row], plan.prep.rent_source[row]);
            let from = match source {
                Some(crate::investment::RentSource::Model) => " from the rent model",
                _ => ", the listing's estimate",
            };
            format!(
                "Gross yield {} (rent ≈ {}/month{from}; {})",
                Rate(crate::investment::gross_yield(c.price[row], rent), 1),
                dollars(rent),
                score(s)
            )
        }
        ComponentName::CashFlow => {
            let invest = &plan.invest;
            let (price, rent) = (c.price[row], plan.prep.rent[row]);
            let noi = crate::investment::net_operating_income(rent, &invest.assumptions);
            let payment = invest.payment.map_or(0.0, |p| p.on(price));
            let flow = crate::investment::cash_flow(noi, payment);
            let sign = if flow < 0.0 { "-" } else { "+" };
            let terms = match invest.mortgage {
                Some(m) if m.down_payment < 1.0 => format!(
                    "at {} down, {} over {}",
                    Rate(m.down_payment, 2),
                    Rate(m.annual_rate, 2),
                    plural(f64::from(m.years), "year", "years")
                ),
                _ => "bought in cash".to_string(),
            };
            let text = format!("Cash flow {sign}{}/month {terms}", dollars(flow.abs()));
            if flow < 0.0 {
                format!("{text} ({})", score(s))
            } else {
                text
            }
        }
        ComponentName::Value => {
            let listed = c.price[row];
            let diff = (listed - predicted) / predicted;
            // A rental's price and estimate are rents for its own period.
            let rental = rental_period(c, row);
            let (asked, estimate) = match rental {
                Some(period) => (
                    format!("Rent {}", Rent(plan.currency, listed, period)),
                    "estimated rent",
                ),
                None => (format!("Listed {}", dollars(listed)), "estimated value"),
            };
            let estimated = match rental {
                Some(period) => Rent(plan.currency, predicted, period).to_string(),
                None => dollars(predicted).to_string(),
            };
            if diff.abs() < 0.005 {
                format!("{asked}, about its {estimate} ({})", score(s))
            } else {
                format!(
                    "{asked}, about {} {} its {estimate} of {estimated} ({})",
                    percent(diff.abs()),
                    if diff < 0.0 { "below" } else { "above" },
                    score(s)
                )
            }
        }
    }
}

/// The period a listing's price is quoted for when it is a rental (its
/// `rent_period`, or a month for a rental listing type without one), or
/// `None` for a listing that is not rented.
fn rental_period(c: &crate::catalog::Columns, row: usize) -> Option<RentPeriod> {
    match c.rent_period[row] {
        MISSING_CODE => {
            let code = c.listing_type[row];
            (code != MISSING_CODE
                && crate::listing::ListingType::ALL[usize::from(code)].is_rental())
            .then_some(RentPeriod::Month)
        }
        code => Some(RentPeriod::ALL[usize::from(code)]),
    }
}

/// A renter's budget fit: the rent converted to the budget's period (and
/// as listed, when quoted per another period) against the budget.
/// `"Rent ₹38,000/month is within your ₹40,000 budget"`, `"Rent
/// ₹39,000/month (₹9,000/week) is within your ₹40,000 budget"`, `"Rent
/// ₹42,000/month is ₹2,000 (5%) over your ₹40,000 budget (83/100)"`; the
/// case study's rule with a price model says the predicted rent first.
fn rent(plan: &Plan<'_>, row: usize, active: &Active, s: f64) -> String {
    let c = plan.cols;
    let period = plan.budget_period.unwrap_or(RentPeriod::Month);
    let quoted = match c.rent_period[row] {
        MISSING_CODE => RentPeriod::Month,
        code => RentPeriod::ALL[usize::from(code)],
    };
    let listed = plan.budget_prices()[row];
    let mut rent_words = Rent(plan.currency, listed, period).to_string();
    if quoted != period {
        rent_words.push_str(&format!(" ({})", Rent(plan.currency, c.price[row], quoted)));
    }
    let fit = |price| BudgetFit {
        price,
        budget: plan.prefs.budget.unwrap_or(f64::NAN),
        score: s,
        currency: plan.currency,
        rent: Some(period),
    };
    match (active.curve, plan.prep.price_source) {
        (Curve::CaseStudy, PriceSource::Model) => {
            let predicted = plan.budget_predicted()[row];
            format!(
                "Predicted rent {}{} (listed at {rent_words})",
                Rent(plan.currency, predicted, period),
                fit(predicted)
            )
        }
        _ => format!("Rent {rent_words}{}", fit(listed)),
    }
}

/// How a price sits against the budget, as a person would say it:
/// `", within your $950,000 budget"`, `", $2,170 over your $950,000
/// budget (100/100)"` (no percentage under 1 %), `", $95,000 (10%) over
/// your $950,000 budget (61/100)"`; for a rent (`rent`: the budget's
/// period) `" is within your ₹40,000 budget"`, `" is ₹2,000 (5%) over
/// your ₹40,000 budget (83/100)"`, the period named when it is not a
/// month (`"your ₹9,500/week budget"`).
struct BudgetFit {
    price: f64,
    budget: f64,
    score: f64,
    currency: Currency,
    rent: Option<RentPeriod>,
}

impl fmt::Display for BudgetFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let budget = match self.rent {
            Some(period) if period != RentPeriod::Month => {
                Rent(self.currency, self.budget, period).to_string()
            }
            _ => Money(self.currency, self.budget).to_string(),
        };
        let lead = if self.rent.is_some() { " is" } else { "," };
        let over = (self.price - self.budget).round();
        if over <= 0.0 {
            return write!(f, "{lead} within your {budget} budget");
        }
        let share = over / self.budget;
        write!(f, "{lead} {} ", Money(self.currency, over))?;
        if share >= 0.005 {
            write!(f, "({}) ", percent(share))?;
        }
        write!(f, "over your {budget} budget ({})", score(self.score))
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

/// What makes listing `row` like listing `from`, from their fields (for
/// [`Engine::similar`](crate::Engine::similar)): the same bedrooms and
/// bathrooms ("Same 3 bd / 2 ba", or either alone), how close ("0.8 km
/// away" within 10 km, else "Also in Bellevue, WA" for the same place),
/// the year built ("Built within 5 years (2003 vs 1998)", `row`'s first;
/// "Built the same year (2003)"), the price ("Price within 10 %
/// ($725,000)", `row`'s, same currency; a rental's rent per month), the
/// type ("Also a condo").
pub(crate) fn alike(c: &crate::catalog::Columns, from: usize, row: usize) -> Vec<String> {
    let mut out = Vec::new();
    let same = |col: &[f64]| col[row].is_finite() && col[row] == col[from];
    match (same(&c.bedrooms), same(&c.bathrooms)) {
        (true, true) => out.push(format!(
            "Same {} bd / {} ba",
            Number(c.bedrooms[row]),
            Number(c.bathrooms[row])
        )),
        (true, false) => out.push(format!("Same {} bd", Number(c.bedrooms[row]))),
        (false, true) => out.push(format!("Same {} ba", Number(c.bathrooms[row]))),
        (false, false) => {}
    }
    let (a, b) = (c.unit_vector(row), c.unit_vector(from));
    let km = crate::catalog::chord_distance_km(&a, &b);
    let place = c.location[row];
    if km.is_finite() && km <= 10.0 {
        out.push(format!("{} km away", Number((km * 10.0).round() / 10.0)));
    } else if place != MISSING_LOCATION && place == c.location[from] {
        out.push(format!("Also in {}", c.locations[place as usize]));
    }
    let (y, y0) = (c.year_built[row], c.year_built[from]);
    if y.is_finite() && y0.is_finite() {
        if y == y0 {
            out.push(format!("Built the same year ({y})"));
        } else if (y - y0).abs() <= 5.0 {
            out.push(format!("Built within 5 years ({y} vs {y0})"));
        }
    }
    let month = RentPeriod::ALL
        .iter()
        .position(|p| *p == RentPeriod::Month)
        .unwrap_or(0);
    let (p, p0) = (c.price_per[month][row], c.price_per[month][from]);
    if c.currency[row] == c.currency[from] && (p - p0).abs() <= 0.10 * p0 {
        let currency = c
            .currencies
            .get(usize::from(c.currency[row]))
            .map_or(Currency::USD, |(cur, _)| *cur);
        let per = if rental_period(c, row).is_some() {
            "/month"
        } else {
            ""
        };
        out.push(format!("Price within 10 % ({}{per})", Money(currency, p)));
    }
    let t = c.property_type[row];
    if t != MISSING_CODE && t == c.property_type[from] {
        out.push(format!(
            "Also {}",
            PropertyType::ALL[usize::from(t)].in_words()
        ));
    }
    out
}
