//! A request compiled against a catalog: preferences resolved to column
//! codes, bit masks and weights once, so that scoring a listing is a few
//! array reads and arithmetic — no strings, no allocation.
//!
//! | file | what is inside |
//! |---|---|
//! | `mod.rs` | [`Plan`] and its parts, one component or one listing at a time ([`Plan::measure`], [`Plan::breakdown`]), the hard filters |
//! | `compile.rs` | request compilation: [`Plan::new`] (weights, location, filters), [`Plan::with_amenities`] |
//! | `rules.rs` | the rule table: each component's arithmetic, written once (`with_scorer!`), exact and as vectorising upper bounds |
//! | `static_scores.rs` | buyer-independent scores, precomputed per catalog version |
//! | `block.rs` | block scoring: totals of a span or a list of rows, component by component |
//! | `block_avx2.rs` | the block scorers' entry points, with the run-time switch to their AVX2 build |
//! | `screening.rs` | screening: a first look at part of each score, full scores only for rows that can reach a floor |

mod block;
mod block_avx2;
mod checks;
mod compile;
mod rules;
mod screening;
mod static_scores;
#[cfg(test)]
mod test_support;

use super::decay::CompiledDecay;
use super::prepared::{Prepared, PriceSource};
use super::profile::{ComponentName, Curve};
use super::rows::{RowSet, Span};
use crate::catalog::{Columns, MISSING_CODE, NO_START};
use crate::investment::{self, Assumptions, Mortgage, Payment};
use crate::listing::{Currency, RentPeriod};
use crate::preferences::Preferences;
use crate::scoring::similarity::Query;
use rules::{with_scorer, Exact, Precision};

pub(crate) use block::{normalise, Scratch};
pub(crate) use screening::{upper_bound, Screen, MARGIN};

/// What a component found for one listing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Measure {
    /// A score, 0..=100.
    Score(f64),
    /// The listing lacks the data this component needs.
    Unknown,
    /// The buyer did not ask for it (or, for value, there is no model).
    NotAsked,
}

/// One active component of a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Active {
    pub name: ComponentName,
    pub curve: Curve,
    pub weight: f64,
    /// The decay curve, compiled (`None` for case-study rules).
    pub decay: Option<CompiledDecay>,
}

/// The wanted location, resolved.
#[derive(Debug, Clone)]
pub(crate) struct LocationPlan {
    /// Per catalog location id: does it match the wanted place?
    pub matches: Vec<bool>,
    /// Mean coordinates of the matching listings (NaN when none have any).
    pub centre: (f64, f64),
    /// `centre` as a unit vector.
    pub centre_vector: [f64; 3],
    /// The matching location ids for [`Bound::distance_km`](rules::Bound), which
    /// compares instead of looking up (a table lookup per listing is a
    /// gather, and stops a loop from vectorising): up to four ids exactly
    /// (padded with repeats, or with an id no listing has), and when more
    /// match, the range from the smallest to the largest of them (a range
    /// may take in ids that do not match: a bound may do that). `codes_lo >
    /// codes_hi` when the four cover them all.
    pub codes: [u32; 4],
    pub codes_lo: u32,
    pub codes_hi: u32,
}

/// A compiled request.
#[derive(Debug)]
pub(crate) struct Plan<'a> {
    pub cols: &'a Columns,
    pub prep: &'a Prepared,
    pub prefs: &'a Preferences,
    pub active: Vec<Active>,
    pub location: Option<LocationPlan>,
    /// Bits of the preferred amenities (`None`: no listing has it).
    pub preferred_bits: Vec<Option<usize>>,
    /// The preferred amenities as the buyer wrote them (first spelling of
    /// each canonical amenity) with their bits.
    pub preferred: Vec<(String, Option<usize>)>,
    /// The preferred amenities that some listing has, as a bit mask.
    pub preferred_mask: Vec<u64>,
    /// Mask every listing must cover (`None`: filter off). `impossible` when
    /// a must-have amenity appears in no listing.
    pub must_have: Option<Vec<u64>>,
    pub impossible: bool,
    /// Allowed property-type codes as a bit mask (`None`: filter off).
    pub type_mask: Option<u32>,
    /// Wanted listing-type code (`None`: filter off).
    pub listing_code: Option<u8>,
    /// The request's currency (named, or the catalog's only one).
    pub currency: Currency,
    /// Index of `currency` among the catalog's currencies when some
    /// listing is priced in another (`None`: filter off).
    pub currency_code: Option<u16>,
    /// The stay, when a move-in day is given.
    pub stay: Option<Stay>,
    /// Wanted lease length in months (`None`: filter off).
    pub lease: Option<u32>,
    /// Whether the renter has pets (listings refusing them are out).
    pub pets: bool,
    /// For a renter (a rental `listing_type`): the period the budget is
    /// for, which rents are converted to. `None`: the budget is held
    /// against prices as listed.
    pub budget_period: Option<RentPeriod>,
    /// The wanted furnishing's code (`None`: not asked).
    pub furnishing: Option<u8>,
    /// The investor's terms and thresholds.
    pub invest: Invest,
    /// Whether only homes for sale with a rent estimate pass (the
    /// profile's [`Filter::Investable`](crate::scoring::Filter::Investable)).
    pub investable_only: bool,
    /// The buyer's `similar_to`, resolved ([`Plan::with_similarity`];
    /// `None`: not asked).
    pub similar: Option<Query<'a>>,
}

/// An investor's side of a request: the assumptions and mortgage that
/// metrics, the cash-flow score and the thresholds are computed on, and
/// the thresholds (hard filters; a listing without a rent estimate fails
/// each of them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Invest {
    pub assumptions: Assumptions,
    pub mortgage: Option<Mortgage>,
    /// The mortgage's payment per unit of price (`None` without one).
    pub payment: Option<Payment>,
    pub min_gross_yield: Option<f64>,
    pub min_cap_rate: Option<f64>,
    pub min_cash_flow: Option<f64>,
}

impl Invest {
    /// Whether any threshold applies.
    pub fn filters(&self) -> bool {
        self.min_gross_yield.is_some()
            || self.min_cap_rate.is_some()
            || self.min_cash_flow.is_some()
    }

    /// Whether a home listed at `price` renting for `rent` (NaN: no
    /// estimate) meets every threshold, computed as
    /// [`investment::metrics`] computes the figures a result reports.
    #[inline]
    pub fn meets(&self, price: f64, rent: f64) -> bool {
        if rent.is_nan() {
            return false;
        }
        // (Every figure is finite: price and rent are finite and > 0.)
        if let Some(min) = self.min_gross_yield {
            if investment::gross_yield(price, rent) < min {
                return false;
            }
        }
        let noi = investment::net_operating_income(rent, &self.assumptions);
        if let Some(min) = self.min_cap_rate {
            if noi / price < min {
                return false;
            }
        }
        match (self.min_cash_flow, self.payment) {
            (Some(min), Some(payment)) => investment::cash_flow(noi, payment.on(price)) >= min,
            _ => true,
        }
    }
}

/// The days of a stay, in days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stay {
    /// The move-in day: a listing must be available on it.
    pub move_in: i32,
    /// The day the stay ends (`move_in` plus the lease's months, or the
    /// move-in day itself without a lease): a listing must be available
    /// until then.
    pub end: i32,
}

impl<'a> Plan<'a> {
    /// Whether any hard filter applies to this request.
    fn filters_active(&self) -> bool {
        self.impossible
            || self.type_mask.is_some()
            || self.listing_code.is_some()
            || self.must_have.is_some()
            || self.currency_code.is_some()
            || self.stay.is_some()
            || self.lease.is_some()
            || self.pets
            || self.invest.filters()
            || self.investable_only
            || self.similar.as_ref().is_some_and(|s| !s.liked.is_empty())
    }

    /// Whether listing `row` passes the hard filters.
    #[inline]
    pub fn passes(&self, row: usize) -> bool {
        if self.impossible {
            return false;
        }
        if let Some(mask) = &self.type_mask {
            let code = self.cols.property_type[row];
            if code == MISSING_CODE || mask & (1 << code) == 0 {
                return false;
            }
        }
        if let Some(code) = self.listing_code {
            if self.cols.listing_type[row] != code {
                return false;
            }
        }
        let c = self.cols;
        if let Some(code) = self.currency_code {
            if c.currency[row] != code {
                return false;
            }
        }
        if let Some(stay) = self.stay {
            // Missing ends are open: no start is "available since ever", no
            // end "for as long as wanted" (both missing: availability
            // unknown, kept and said so).
            if c.available_from[row] > stay.move_in || c.available_until[row] < stay.end {
                return false;
            }
        }
        if let Some(months) = self.lease {
            if c.min_lease[row] > months || c.max_lease[row] < months {
                return false;
            }
        }
        if self.pets && c.pets_allowed[row] == 0 {
            return false;
        }
        if self.invest.filters() && !self.invest.meets(c.price[row], self.prep.rent[row]) {
            return false;
        }
        // Rentals have no rent estimate (NaN), as sales nobody estimated.
        if self.investable_only && self.prep.rent[row].is_nan() {
            return false;
        }
        // The listings the buyer liked are left out: they have seen them.
        if let Some(similar) = &self.similar {
            if similar.is_liked(row) {
                return false;
            }
        }
        if let Some(mask) = &self.must_have {
            if !self.cols.amenities_known[row] {
                return false;
            }
            let words = self.cols.amenity_words;
            let have = &self.cols.amenities[row * words..(row + 1) * words];
            if have.iter().zip(mask).any(|(h, m)| h & m != *m) {
                return false;
            }
        }
        true
    }

    /// The precomputed column for `a`, when it does not depend on this buyer.
    #[inline]
    pub(crate) fn static_column(&self, a: &Active) -> Option<&'a [f64]> {
        let depends_on_buyer = match (a.name, a.decay) {
            (ComponentName::SchoolRating, Some(_)) => self.prefs.min_school_rating.is_some(),
            (ComponentName::Commute, Some(_)) => self.prefs.max_commute_time.is_some(),
            _ => false,
        };
        if depends_on_buyer {
            return None;
        }
        self.prep.static_column(a.name, &a.curve)
    }

    /// Whether the buyer asked for what component `a` measures (no budget,
    /// no minimum bedrooms, no preferred amenities… leave it out entirely).
    pub fn asked(&self, a: &Active) -> bool {
        use ComponentName::*;
        let p = self.prefs;
        match a.name {
            PriceMatch => p.budget.is_some(),
            Bedrooms => p.min_bedrooms.is_some(),
            Bathrooms => p.min_bathrooms.is_some(),
            Size => p.min_size_sqft.is_some(),
            SchoolRating | Commute | PropertyAge => true,
            Amenities => a.decay.is_none() || !self.preferred_bits.is_empty(),
            Location => self.location.is_some(),
            Value => self.prep.price_source == PriceSource::Model,
            Availability => self.stay.is_some(),
            Furnishing => self.furnishing.is_some(),
            GrossYield => true,
            CashFlow => self.invest.payment.is_some(),
            Similarity => self.similar.is_some(),
        }
    }

    /// The listed prices the budget is held against: as listed, or for a
    /// renter each rent converted to the budget's period.
    #[inline]
    pub fn budget_prices(&self) -> &'a [f64] {
        match self.budget_period {
            Some(period) => &self.cols.price_per[period_index(period)],
            None => &self.cols.price,
        }
    }

    /// The predicted prices the case study's budget rule reads, converted
    /// like [`Plan::budget_prices`].
    #[inline]
    pub fn budget_predicted(&self) -> &'a [f64] {
        match self.budget_period {
            Some(period) => &self.prep.predicted_per[period_index(period)],
            None => &self.prep.predicted_price,
        }
    }

    /// Days listing `row` will have stood empty before the move-in day
    /// (NaN without a move-in day or without an `available_from`).
    #[inline]
    pub fn days_empty(&self, row: usize) -> f64 {
        match self.stay {
            Some(stay) if self.cols.available_from[row] != NO_START => f64::from(
                stay.move_in
                    .saturating_sub(self.cols.available_from[row])
                    .max(0),
            ),
            _ => f64::NAN,
        }
    }

    /// One component for one listing.
    pub fn measure(&self, a: &Active, row: usize) -> Measure {
        if !self.asked(a) {
            return Measure::NotAsked;
        }
        let mut v = f64::NAN;
        with_scorer!(self, a, Span { start: row, len: 1 }, Exact, |_i, score| v =
            score);
        if v.is_nan() {
            Measure::Unknown
        } else {
            Measure::Score(v)
        }
    }

    /// Every component's measure for listing `row`, in profile order.
    pub fn breakdown(&self, row: usize) -> Vec<(Active, Measure)> {
        self.active
            .iter()
            .map(|a| (*a, self.measure(a, row)))
            .collect()
    }

    /// The distance from the wanted place, in km (0 inside it); `None` when
    /// the listing has neither a location nor coordinates.
    pub fn distance_km(&self, row: usize) -> Option<f64> {
        let wanted = self.location.as_ref()?;
        let km = Exact::distance_km(wanted, self.cols.location[row], self.cols.unit_vector(row));
        (!km.is_nan()).then_some(km)
    }

    /// The share of preferred amenities listing `row` lacks (NaN when its
    /// amenities are unknown).
    #[inline]
    fn missing_preferred_share(&self, row: usize) -> f64 {
        let c = self.cols;
        if !c.amenities_known[row] {
            return f64::NAN;
        }
        let words = &c.amenities[row * c.amenity_words..(row + 1) * c.amenity_words];
        let have: u32 = words
            .iter()
            .zip(&self.preferred_mask)
            .map(|(w, m)| (w & m).count_ones())
            .sum();
        let total = self.preferred_bits.len();
        (total - have as usize) as f64 / total as f64
    }
}

/// The index of `period` in `RentPeriod::ALL` (the order of the per-period
/// price columns).
pub(crate) fn period_index(period: RentPeriod) -> usize {
    RentPeriod::ALL
        .iter()
        .position(|p| *p == period)
        .unwrap_or(0)
}

/// Listings scored together in one block (one pass per component over
/// this many rows; small enough that the block's sums stay in L1 cache).
pub(crate) const BLOCK_ROWS: usize = 1024;

/// With no maximum commute given, commutes up to this many minutes are ideal.
pub const DEFAULT_COMMUTE_MIN: f64 = 15.0;

#[cfg(test)]
mod tests {
    use super::Plan;
    use crate::catalog::Catalog;
    use crate::listing::{Date, ListingType, Property};
    use crate::preferences::Preferences;
    use crate::scoring::prepared::Prepared;
    use crate::scoring::profile::Profile;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// Rentals whose availability windows and lease limits sit on each
    /// side of a stay from 1 Jul 2022 for 11 months (ending 1 Jun 2023).
    fn rentals() -> Catalog {
        let mut b = Catalog::builder();
        // id, available from, until, min lease, max lease, pets allowed.
        type Case = (
            u64,
            Option<&'static str>,
            Option<&'static str>,
            Option<u32>,
            Option<u32>,
            Option<bool>,
        );
        let cases: [Case; 10] = [
            (0, Some("2022-07-01"), None, None, None, None), // free on the day: in
            (1, Some("2022-07-02"), None, None, None, None), // a day late: out
            (2, Some("2022-06-01"), Some("2023-06-01"), None, None, None), // ends with the stay: in
            (3, Some("2022-06-01"), Some("2023-05-31"), None, None, None), // a day short: out
            (4, None, Some("2023-06-01"), None, None, None), // no start: in
            (5, None, None, None, None, None),               // unknown: kept
            (6, None, None, Some(11), Some(11), None),       // exactly 11 months: in
            (7, None, None, Some(12), None, None),           // at least 12: out
            (8, None, None, None, Some(10), None),           // at most 10: out
            (9, None, None, None, None, Some(false)),        // no pets: out with pets
        ];
        for (id, from, until, min, max, pets) in cases {
            let mut p = Property::new(id, 1_000.0);
            p.listing_type = Some(ListingType::LongTermRent);
            p.available_from = from.map(day);
            p.available_until = until.map(day);
            p.min_lease_months = min;
            p.max_lease_months = max;
            p.pets_allowed = pets;
            b.push(p).unwrap();
        }
        b.build()
    }

    fn passing(prefs: &Preferences) -> Vec<usize> {
        let catalog = rentals();
        let prep = Prepared::new(&catalog, 2025, None);
        let plan = Plan::new(&Profile::balanced(), catalog.columns(), &prep, prefs).unwrap();
        (0..catalog.len()).filter(|&row| plan.passes(row)).collect()
    }

    #[test]
    fn the_stay_filters_are_exact_to_the_day() {
        let stay = Preferences {
            listing_type: Some(ListingType::LongTermRent),
            move_in: Some(day("2022-07-01")),
            lease_months: Some(11),
            ..Preferences::default()
        };
        assert_eq!(passing(&stay), [0, 2, 4, 5, 6, 9]);
        // Without a lease the stay is the move-in day alone.
        let day_only = Preferences {
            lease_months: None,
            ..stay.clone()
        };
        assert_eq!(passing(&day_only), [0, 2, 3, 4, 5, 6, 7, 8, 9]);
        // A lease without a move-in day checks the limits only.
        let lease_only = Preferences {
            move_in: None,
            ..stay.clone()
        };
        assert_eq!(passing(&lease_only), [0, 1, 2, 3, 4, 5, 6, 9]);
        let pets = Preferences {
            pets: Some(true),
            ..stay
        };
        assert_eq!(passing(&pets), [0, 2, 4, 5, 6]);
        let no_pets = Preferences {
            pets: Some(false),
            ..Preferences::default()
        };
        assert_eq!(passing(&no_pets), (0..10).collect::<Vec<_>>());
    }
}
