//! A request compiled against a catalog: preferences resolved to column
//! codes, bit masks and weights once, so that scoring a listing is a few
//! array reads and arithmetic — no strings, no allocation.

use std::collections::BTreeMap;

use super::case_study;
use super::decay::CompiledDecay;
use super::prepared::{Prepared, PriceSource, StaticScore};
use super::profile::{ComponentName, Curve, Filter, Profile};
use super::rows::{Picked, RowSet, Span};
use crate::catalog::{
    chord_distance_km, location_key, location_matches, unit_vector, Columns, EARTH_RADIUS_KM,
    MISSING_CODE, MISSING_LOCATION,
};
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{ListingType, PropertyType};
use crate::preferences::Preferences;
use rayon::prelude::*;

/// What a component found for one listing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
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
    /// The matching location ids for [`Bound::distance_km`], which
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
}

/// Run `$body` for each row of `$rows` (a [`RowSet`]), with `$i` its
/// position in the set and `$v` component `$a`'s score for it (0..=100,
/// NaN when the listing lacks the data). `$m` ([`Precision`]) says whether
/// `$v` is the score itself ([`Exact`]) or an upper bound on it that
/// vectorises ([`Bound`], for screening). The rule is written into the
/// loop, not called as a closure: a closure holding a polynomial `exp` is
/// past the inliner's budget and would cost a call per row. The rule is chosen once per set of
/// rows, and each column is viewed through the set up front, so for a
/// [`Span`] the compiler sees loops over `0..n` on sliced columns with no
/// bounds checks and can vectorise the branch-free rules. This table is
/// the only place each component's arithmetic is written: the full scan,
/// the pruned scan and the one-listing breakdown all use it.
macro_rules! with_scorer {
    (@each $rows:ident, $i:ident, $v:ident, $body:expr, $rule:expr) => {
        for $i in 0..$rows.len() {
            let $v: f64 = $rule;
            $body;
        }
    };
    ($plan:expr, $a:expr, $rows:expr, $m:ty, |$i:ident, $v:ident| $body:expr) => {{
        use ComponentName::*;
        let plan = $plan;
        let c = plan.cols;
        let p = plan.prefs;
        let prep = plan.prep;
        let nan = f64::NAN;
        let rows = $rows;
        if let Some(column) = plan.static_column($a) {
            let column = rows.view(column);
            with_scorer!(@each rows, $i, $v, $body, column[rows.at($i)])
        } else {
            match ($a.name, $a.decay) {
                (PriceMatch, None) => {
                    let budget = p.budget.unwrap_or(nan);
                    let price = rows.view(&prep.predicted_price);
                    with_scorer!(@each rows, $i, $v, $body, case_study::price_match(price[rows.at($i)], budget))
                }
                (PriceMatch, Some(d)) => {
                    let budget = p.budget.unwrap_or(nan);
                    let price = rows.view(&prep.predicted_price);
                    with_scorer!(@each rows, $i, $v, $body, {
                        100.0 * <$m as Precision>::factor(&d, <$m as Precision>::ratio(price[rows.at($i)] - budget, budget).max(0.0))
                    })
                }
                (Bedrooms, None) => {
                    let min = p.min_bedrooms.map_or(nan, f64::from);
                    let bedrooms = rows.view(&c.bedrooms);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let have = bedrooms[rows.at($i)];
                        if have.is_nan() {
                            nan
                        } else {
                            case_study::bedrooms(have, min)
                        }
                    })
                }
                (Bedrooms, Some(d)) => {
                    let min = p.min_bedrooms.map_or(nan, f64::from);
                    let bedrooms = rows.view(&c.bedrooms);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let have = bedrooms[rows.at($i)];
                        if have.is_nan() {
                            nan
                        } else {
                            100.0 * <$m as Precision>::factor(&d, (min - have).max(0.0))
                        }
                    })
                }
                (Bathrooms, Some(d)) => {
                    let min = p.min_bathrooms.unwrap_or(nan);
                    let bathrooms = rows.view(&c.bathrooms);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let have = bathrooms[rows.at($i)];
                        if have.is_nan() {
                            nan
                        } else {
                            100.0 * <$m as Precision>::factor(&d, (min - have).max(0.0))
                        }
                    })
                }
                (Size, Some(d)) => {
                    let min = p.min_size_sqft.unwrap_or(nan);
                    let size = rows.view(&c.size_sqft);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let have = size[rows.at($i)];
                        if have.is_nan() {
                            nan
                        } else {
                            100.0 * <$m as Precision>::factor(&d, <$m as Precision>::ratio(min - have, min).max(0.0))
                        }
                    })
                }
                (SchoolRating, None) => {
                    let rating = rows.view(&c.school_rating);
                    with_scorer!(@each rows, $i, $v, $body, case_study::school_rating(rating[rows.at($i)]))
                }
                (SchoolRating, Some(d)) => {
                    let target = p.min_school_rating.unwrap_or(10.0);
                    let rating = rows.view(&c.school_rating);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let r = rating[rows.at($i)];
                        if r.is_nan() {
                            nan
                        } else {
                            100.0 * <$m as Precision>::factor(&d, (target - r).max(0.0))
                        }
                    })
                }
                (Commute, None) => {
                    let minutes = rows.view(&c.commute_time);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let m = minutes[rows.at($i)];
                        if m.is_nan() {
                            nan
                        } else {
                            case_study::commute(m)
                        }
                    })
                }
                (Commute, Some(d)) => {
                    let limit = p.max_commute_time.unwrap_or(DEFAULT_COMMUTE_MIN);
                    let minutes = rows.view(&c.commute_time);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let m = minutes[rows.at($i)];
                        if m.is_nan() {
                            nan
                        } else {
                            100.0 * <$m as Precision>::factor(&d, (m - limit).max(0.0))
                        }
                    })
                }
                (PropertyAge, None) => {
                    let ages = rows.view(&prep.age_years);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let age = ages[rows.at($i)];
                        if age.is_nan() {
                            nan
                        } else {
                            case_study::property_age(age)
                        }
                    })
                }
                (PropertyAge, Some(d)) => {
                    let ages = rows.view(&prep.age_years);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let age = ages[rows.at($i)];
                        if age.is_nan() {
                            nan
                        } else {
                            100.0 * <$m as Precision>::factor(&d, age.max(0.0))
                        }
                    })
                }
                (Amenities, None) => {
                    let scores = rows.view(&prep.case_study_amenities);
                    with_scorer!(@each rows, $i, $v, $body, scores[rows.at($i)])
                }
                (Amenities, Some(d)) => {
                    with_scorer!(@each rows, $i, $v, $body, {
                        let missing = plan.missing_preferred_share(rows.row($i));
                        if missing.is_nan() {
                            nan
                        } else {
                            100.0 * <$m as Precision>::factor(&d, missing)
                        }
                    })
                }
                (Location, Some(d)) => match plan.location.as_ref() {
                    Some(wanted) => {
                        let codes = rows.view(&c.location);
                        let [x, y, z] = &c.unit_vectors;
                        let (x, y, z) = (rows.view(x), rows.view(y), rows.view(z));
                        with_scorer!(@each rows, $i, $v, $body, {
                            let at = rows.at($i);
                            let km = <$m as Precision>::distance_km(
                                wanted,
                                codes[at],
                                [x[at], y[at], z[at]],
                            );
                            let score = 100.0 * <$m as Precision>::factor(&d, km);
                            if km.is_nan() {
                                nan
                            } else {
                                score
                            }
                        })
                    }
                    None => with_scorer!(@each rows, $i, $v, $body, nan),
                },
                (Value, Some(d)) => {
                    let predicted = rows.view(&prep.predicted_price);
                    let listed = rows.view(&c.price);
                    with_scorer!(@each rows, $i, $v, $body, {
                        100.0
                            * <$m as Precision>::factor(&d,
                                ((listed[rows.at($i)] - predicted[rows.at($i)])
                                    / predicted[rows.at($i)])
                                .max(0.0),
                            )
                    })
                }
                // Profile validation allows the case-study rule only where the
                // case study defined one; nothing reaches these.
                (Bathrooms | Size | Location | Value, None) => {
                    with_scorer!(@each rows, $i, $v, $body, nan)
                }
            }
        }
    }};
}

/// Whether component `name` under `curve` scores the same for every buyer
/// who leaves the related preference unset (school and commute decays
/// depend on a stated minimum/maximum; the rest never depend on the buyer).
fn buyer_independent(name: ComponentName, curve: &Curve) -> bool {
    use ComponentName::*;
    matches!(
        (name, curve),
        (
            SchoolRating | Commute | PropertyAge | Amenities,
            Curve::CaseStudy
        ) | (
            PropertyAge | SchoolRating | Commute | Value,
            Curve::Decay(_)
        )
    )
}

/// Score the buyer-independent components of `profile` for every listing
/// (see [`Prepared::with_static_scores`](super::Prepared::with_static_scores)).
pub(crate) fn static_scores(
    profile: &Profile,
    cols: &Columns,
    prep: &Prepared,
) -> Vec<StaticScore> {
    let prefs = Preferences::default();
    let Ok(plan) = Plan::new(profile, cols, prep, &prefs) else {
        return Vec::new();
    };
    plan.active
        .iter()
        .filter(|a| buyer_independent(a.name, &a.curve) && plan.asked(a))
        .map(|a| {
            let mut values = vec![0.0; cols.len()];
            values
                .par_chunks_mut(BLOCK_ROWS)
                .enumerate()
                .for_each(|(b, out)| {
                    let rows = Span {
                        start: b * BLOCK_ROWS,
                        len: out.len(),
                    };
                    with_scorer!(&plan, a, rows, Exact, |i, v| out[i] = v)
                });
            StaticScore {
                name: a.name,
                curve: a.curve,
                values,
            }
        })
        .collect()
}

impl<'a> Plan<'a> {
    /// Compile `prefs` against a catalog's columns under `profile`.
    pub fn new(
        profile: &Profile,
        cols: &'a Columns,
        prep: &'a Prepared,
        prefs: &'a Preferences,
    ) -> Result<Plan<'a>> {
        let active = weights(profile, prefs)?;
        let has_filter = |f: Filter| profile.filters.contains(&f);
        let refuse = |field: &str, value: String, filter: &str| {
            Err(MiraError::invalid(
                RecordRef::Preferences,
                field,
                value,
                format!(
                    "nothing: the profile `{}` has no {filter} filter",
                    profile.name
                ),
            ))
        };

        if !prefs.must_have_amenities.is_empty() && !has_filter(Filter::MustHaveAmenities) {
            return refuse(
                "must_have_amenities",
                format!("{:?}", prefs.must_have_amenities),
                "must_have_amenities",
            );
        }
        if !prefs.property_types.is_empty() && !has_filter(Filter::PropertyTypes) {
            return refuse(
                "property_types",
                format!("{:?}", prefs.property_types),
                "property_types",
            );
        }
        if prefs.listing_type.is_some() && !has_filter(Filter::ListingType) {
            return refuse(
                "listing_type",
                format!("{:?}", prefs.listing_type),
                "listing_type",
            );
        }

        let location = prefs.location.as_deref().map(|wanted| {
            let key = location_key(wanted);
            let matches: Vec<bool> = cols
                .location_keys
                .iter()
                .map(|k| location_matches(k, &key))
                .collect();
            let (mut lat, mut lon, mut n) = (0.0, 0.0, 0.0);
            for (i, m) in matches.iter().enumerate() {
                let (la, lo) = cols.location_centres[i];
                if *m && la.is_finite() {
                    lat += la;
                    lon += lo;
                    n += 1.0;
                }
            }
            let centre = if n > 0.0 {
                (lat / n, lon / n)
            } else {
                (f64::NAN, f64::NAN)
            };
            let matching: Vec<u32> = (0..matches.len() as u32)
                .filter(|&id| matches[id as usize])
                .collect();
            // No listing has this id (and it is not MISSING_LOCATION).
            let none = matches.len() as u32;
            let (codes, codes_lo, codes_hi) = match matching.as_slice() {
                few @ [_, ..] if few.len() <= 4 => {
                    (std::array::from_fn(|j| few[j.min(few.len() - 1)]), 1, 0)
                }
                [] => ([none; 4], 1, 0),
                many => ([none; 4], many[0], many[many.len() - 1]),
            };
            LocationPlan {
                matches,
                centre,
                centre_vector: unit_vector(centre.0, centre.1),
                codes,
                codes_lo,
                codes_hi,
            }
        });

        Ok(Plan {
            cols,
            prep,
            prefs,
            active,
            location,
            preferred_bits: Vec::new(),
            preferred: Vec::new(),
            preferred_mask: Vec::new(),
            must_have: None,
            impossible: false,
            type_mask: (!prefs.property_types.is_empty()).then(|| type_mask(&prefs.property_types)),
            listing_code: prefs.listing_type.map(listing_code),
        })
    }

    /// Resolve amenity names with the catalog's synonym table.
    pub fn with_amenities(mut self, normalize: impl Fn(&str) -> String) -> Self {
        // One entry per distinct canonical amenity ("pool" and "Swimming
        // Pool" are asked once), with its bit if any listing has it.
        let mut seen: Vec<String> = Vec::new();
        self.preferred = Vec::new();
        for raw in &self.prefs.preferred_amenities {
            let canonical = normalize(raw);
            if !seen.contains(&canonical) {
                self.preferred
                    .push((raw.trim().to_string(), self.cols.amenity_bit(&canonical)));
                seen.push(canonical);
            }
        }
        self.preferred_bits = self.preferred.iter().map(|(_, b)| *b).collect();
        let mut mask = vec![0u64; self.cols.amenity_words];
        for bit in self.preferred_bits.iter().flatten() {
            mask[bit / 64] |= 1u64 << (bit % 64);
        }
        self.preferred_mask = mask;
        if !self.prefs.must_have_amenities.is_empty() {
            let mut mask = vec![0u64; self.cols.amenity_words];
            for a in &self.prefs.must_have_amenities {
                match self.cols.amenity_bit(&normalize(a)) {
                    Some(bit) => mask[bit / 64] |= 1u64 << (bit % 64),
                    None => self.impossible = true,
                }
            }
            self.must_have = Some(mask);
        }
        self
    }

    /// Whether any hard filter applies to this request.
    fn filters_active(&self) -> bool {
        self.impossible
            || self.type_mask.is_some()
            || self.listing_code.is_some()
            || self.must_have.is_some()
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

    /// Totals of rows `start .. start + out.len()` into `out`; NaN for rows
    /// a filter removes.
    ///
    /// Why this is fast: it runs component by component over the block
    /// (struct of arrays in, one tight loop per component with the
    /// component's rule chosen once), not listing by listing through a
    /// `match`. Unknown values are NaN and are added as exactly `+0.0`, so
    /// every row's sum is the same sequence of additions, in profile order,
    /// as scoring that row alone would give: results are bit-identical.
    ///
    /// On x86-64 CPUs with AVX2 (checked once at run time) the same code is
    /// compiled a second time for AVX2, where the component loops run four
    /// rows per instruction. Rust never fuses a multiply and an add, so both
    /// builds do the same IEEE operations in the same order: identical
    /// totals (a test compares them bit for bit).
    pub fn score_block(&self, start: usize, out: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { self.score_block_avx2(start, out) };
            return;
        }
        self.score_block_portable(start, out);
    }

    /// [`Plan::score_block`] compiled for AVX2.
    ///
    /// # Safety
    /// Only on a CPU with AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_block_avx2(&self, start: usize, out: &mut [f64]) {
        self.score_block_portable(start, out);
    }

    /// [`Plan::score_block`] for any CPU (inlined into the AVX2 build).
    #[inline(always)]
    fn score_block_portable(&self, start: usize, out: &mut [f64]) {
        let n = out.len();
        let mut sums = [0.0f64; BLOCK_ROWS];
        let mut weights = [0.0f64; BLOCK_ROWS];
        self.score_rows(
            Span { start, len: n },
            out,
            &mut sums[..n],
            &mut weights[..n],
        );
    }

    /// Totals of the listed rows (at most [`BLOCK_ROWS`]) into `out`, with
    /// the same arithmetic as [`Plan::score_block`], so the same total for
    /// a row either way. `scratch` is reused across calls.
    pub fn score_picked(&self, rows: &[u32], out: &mut [f64], scratch: &mut Scratch) {
        let (sums, weights) = scratch.zeroed(rows.len());
        self.score_rows(Picked(rows), out, sums, weights);
    }

    /// The block scorer. `sums` and `weights` come in zeroed, one slot per
    /// row, as arguments: the compiler then knows they alias no column
    /// (and vectorises the component loops).
    #[inline(always)]
    fn score_rows<R: RowSet>(
        &self,
        rows: R,
        out: &mut [f64],
        sums: &mut [f64],
        weights: &mut [f64],
    ) {
        let n = rows.len();
        debug_assert!(n <= BLOCK_ROWS && out.len() == n);
        let (sums, weights) = (&mut sums[..n], &mut weights[..n]);
        for a in &self.active {
            if self.asked(a) {
                self.accumulate::<Exact, R>(a, rows, sums, weights);
            }
        }
        for ((slot, &sum), &weight) in out.iter_mut().zip(sums.iter()).zip(weights.iter()) {
            *slot = normalise(sum, weight);
        }
        if self.filters_active() {
            for (i, slot) in out.iter_mut().enumerate() {
                if !self.passes(rows.row(i)) {
                    *slot = f64::NAN;
                }
            }
        }
    }

    /// Add component `a`'s weighted score (or, with [`Bound`], a bound on
    /// it) of each row of `rows` to `sums`, and its weight to `weights`
    /// where the row knows it (an unknown value adds exactly `+0.0` to
    /// both).
    #[inline(always)]
    fn accumulate<M: Precision, R: RowSet>(
        &self,
        a: &Active,
        rows: R,
        sums: &mut [f64],
        weights: &mut [f64],
    ) {
        let n = rows.len();
        let (sums, weights) = (&mut sums[..n], &mut weights[..n]);
        let w = a.weight;
        with_scorer!(self, a, rows, M, |i, v| {
            let known = !v.is_nan();
            sums[i] += if known { w * v } else { 0.0 };
            weights[i] += if known { w } else { 0.0 };
        });
    }

    /// How a screened scan looks at this request, or `None` when screening
    /// cannot pay: fewer than three components depend on the buyer (the
    /// buyer-independent part is precomputed, so the full score costs
    /// little more than a first look).
    pub fn screen(&self) -> Option<Screen> {
        let asked: Vec<usize> = (0..self.active.len())
            .filter(|&pos| self.asked(&self.active[pos]))
            .collect();
        let mut dynamic: Vec<usize> = asked
            .iter()
            .copied()
            .filter(|&pos| self.static_column(&self.active[pos]).is_none())
            .collect();
        if dynamic.len() < 3 {
            return None;
        }
        // Heaviest first: they move the bound the most. (Stable: profile
        // order among equal weights.)
        dynamic.sort_by(|&a, &b| self.active[b].weight.total_cmp(&self.active[a].weight));
        let lead = &dynamic[..FIRST_LOOK_DYNAMIC];
        let first = asked
            .iter()
            .copied()
            .filter(|pos| lead.contains(pos) || !dynamic.contains(pos))
            .collect();
        // The weight still unscored after each look; the last component is
        // not a look of its own (after it, the rows left are scored in full).
        let first_rest: f64 = dynamic[FIRST_LOOK_DYNAMIC..]
            .iter()
            .map(|&pos| self.active[pos].weight)
            .sum();
        let mut rest = first_rest;
        let mut then = Vec::new();
        for &pos in &dynamic[FIRST_LOOK_DYNAMIC..dynamic.len() - 1] {
            rest -= self.active[pos].weight;
            then.push((pos, rest.max(0.0)));
        }
        Some(Screen {
            first,
            first_rest,
            then,
        })
    }

    /// Like [`Plan::score_block`], for a scan that keeps only scores of at
    /// least `floor` (finite): each row is first looked at on `screen`'s
    /// components alone, and only rows whose upper bound ([`may_reach`])
    /// can reach `floor` are scored in full — with the same arithmetic as
    /// `score_block`, so their totals are identical. The others are left
    /// NaN, as if filtered: their totals are below `floor`. The looks use
    /// [`Bound`]'s rules (never below the scores, and they vectorise).
    pub fn score_block_screened(&self, start: usize, out: &mut [f64], floor: f64, screen: &Screen) {
        debug_assert!(floor.is_finite(), "screening needs a finite floor");
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { self.score_block_screened_avx2(start, out, floor, screen) };
            return;
        }
        self.score_block_screened_portable(start, out, floor, screen);
    }

    /// [`Plan::score_block_screened`] compiled for AVX2.
    ///
    /// # Safety
    /// Only on a CPU with AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_block_screened_avx2(
        &self,
        start: usize,
        out: &mut [f64],
        floor: f64,
        screen: &Screen,
    ) {
        self.score_block_screened_portable(start, out, floor, screen);
    }

    #[inline(always)]
    fn score_block_screened_portable(
        &self,
        start: usize,
        out: &mut [f64],
        floor: f64,
        screen: &Screen,
    ) {
        let n = out.len();
        debug_assert!(n <= BLOCK_ROWS);
        out.fill(f64::NAN);
        // First look, every row of the block: one vectorised pass per
        // component.
        let mut sums = [0.0f64; BLOCK_ROWS];
        let mut weights = [0.0f64; BLOCK_ROWS];
        let span = Span { start, len: n };
        for &pos in &screen.first {
            self.accumulate::<Bound, _>(&self.active[pos], span, &mut sums[..n], &mut weights[..n]);
        }
        // Keep the rows whose bound reaches the floor, with their partial
        // sums (without a branch: every row is written, the count moves
        // only for the kept ones).
        let mut picked = [0u32; BLOCK_ROWS];
        let mut kept = 0;
        for i in 0..n {
            picked[kept] = (start + i) as u32;
            sums[kept] = sums[i];
            weights[kept] = weights[i];
            kept += usize::from(may_reach(sums[i], weights[i], screen.first_rest, floor));
        }
        // Further looks, heaviest component first, at the rows still in.
        // Once few are left, scoring them in full costs less than looking.
        for &(pos, rest) in &screen.then {
            if kept * SCREEN_STOP < n {
                break;
            }
            let rows = Picked(&picked[..kept]);
            self.accumulate::<Bound, _>(
                &self.active[pos],
                rows,
                &mut sums[..kept],
                &mut weights[..kept],
            );
            let mut still = 0;
            for i in 0..kept {
                picked[still] = picked[i];
                sums[still] = sums[i];
                weights[still] = weights[i];
                still += usize::from(may_reach(sums[i], weights[i], rest, floor));
            }
            kept = still;
        }
        if kept == 0 {
            return;
        }
        // The rows left, scored in full with the arithmetic of
        // `score_block` (partial sums above were in another order).
        let mut totals = [0.0f64; BLOCK_ROWS];
        sums[..kept].fill(0.0);
        weights[..kept].fill(0.0);
        self.score_rows(
            Picked(&picked[..kept]),
            &mut totals[..kept],
            &mut sums[..kept],
            &mut weights[..kept],
        );
        for (&row, &total) in picked[..kept].iter().zip(&totals[..kept]) {
            out[row as usize - start] = total;
        }
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

/// How the rule table ([`with_scorer!`]) evaluates the two steps that cost
/// the most: a decay curve and the distance from the wanted place.
pub(crate) trait Precision {
    /// `d`'s factor at `distance`.
    fn factor(d: &CompiledDecay, distance: f64) -> f64;
    /// `a / b`, for a `b` the same for every listing.
    fn ratio(a: f64, b: f64) -> f64;
    /// Kilometres from `wanted` of a listing with location id `code` and
    /// unit vector `here` (0 inside the wanted place); NaN when it has
    /// neither a location nor coordinates.
    fn distance_km(wanted: &LocationPlan, code: u32, here: [f64; 3]) -> f64;
}

/// Scores, to the last bit the same everywhere they are computed.
pub(crate) struct Exact;

impl Precision for Exact {
    #[inline(always)]
    fn factor(d: &CompiledDecay, distance: f64) -> f64 {
        d.factor(distance)
    }

    #[inline(always)]
    fn ratio(a: f64, b: f64) -> f64 {
        a / b
    }

    #[inline(always)]
    fn distance_km(wanted: &LocationPlan, code: u32, here: [f64; 3]) -> f64 {
        if code != MISSING_LOCATION && wanted.matches[code as usize] {
            return 0.0;
        }
        if here[0].is_finite() && wanted.centre.0.is_finite() {
            return chord_distance_km(&here, &wanted.centre_vector);
        }
        if code != MISSING_LOCATION {
            // Known to be elsewhere, distance unmeasurable: as far as it gets.
            return f64::INFINITY;
        }
        f64::NAN
    }
}

/// Upper bounds on scores, never below [`Exact`]'s and within 2e-8 of
/// them (relative) except where noted, computed without libm calls or
/// branches so that a screening look vectorises: the factor from
/// [`CompiledDecay::factor_at_least`], the distance as the straight chord
/// through the Earth (`R·c ≤ 2R·asin(c/2)`, the arc; shorter by a relative
/// `c²/24`, under 1e-5 within 100 km) — a shorter distance, a higher score.
pub(crate) struct Bound;

impl Precision for Bound {
    #[inline(always)]
    fn factor(d: &CompiledDecay, distance: f64) -> f64 {
        d.factor_at_least(distance)
    }

    /// Times the reciprocal (computed once per loop): a few units of
    /// 1e-16 off the quotient, which moves a factor far less than
    /// [`exp_at_least`](super::decay)'s headroom.
    #[inline(always)]
    fn ratio(a: f64, b: f64) -> f64 {
        a * (1.0 / b)
    }

    #[inline(always)]
    fn distance_km(wanted: &LocationPlan, code: u32, here: [f64; 3]) -> f64 {
        let [a, b, c, d] = wanted.codes;
        let inside = (code == a)
            | (code == b)
            | (code == c)
            | (code == d)
            | (wanted.codes_lo <= code) & (code <= wanted.codes_hi);
        let centre = &wanted.centre_vector;
        let (dx, dy, dz) = (
            here[0] - centre[0],
            here[1] - centre[1],
            here[2] - centre[2],
        );
        let chord_km = EARTH_RADIUS_KM * (dx * dx + dy * dy + dz * dz).sqrt();
        let unmeasured = if code == MISSING_LOCATION {
            f64::NAN
        } else {
            f64::INFINITY
        };
        if inside {
            0.0
        } else if chord_km.is_nan() {
            unmeasured
        } else {
            chord_km
        }
    }
}

/// Per-row running sums of one scoring pass, grown to the largest pass
/// (so a pass over a few picked rows zeroes a few slots, not a block's).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    sums: Vec<f64>,
    weights: Vec<f64>,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch::default()
    }

    /// Zeroed sums and weights for `n` rows.
    fn zeroed(&mut self, n: usize) -> (&mut [f64], &mut [f64]) {
        if self.sums.len() < n {
            self.sums.resize(n, 0.0);
            self.weights.resize(n, 0.0);
        }
        let (sums, weights) = (&mut self.sums[..n], &mut self.weights[..n]);
        sums.fill(0.0);
        weights.fill(0.0);
        (sums, weights)
    }
}

/// Listings scored together in one block (one pass per component over
/// this many rows; small enough that the block's sums stay in L1 cache).
pub const BLOCK_ROWS: usize = 1024;

/// A bound on a total is trusted only this far: far above the rounding
/// error of a weighted mean of ten 0..=100 scores (~1e-13), far below any
/// difference in score that matters. A row whose bound plus this margin
/// reaches the kept scores is always scored, so a row that could tie is
/// never skipped.
pub(crate) const MARGIN: f64 = 1e-6;

/// The most a listing can total when components of weight `sum_weight`
/// are known to add `sum`, and components of total weight `rest` are still
/// unscored: each of those scores at most 100 or is unknown (left out), and
/// `(sum + 100 d) / (weight + d)` is monotone in `d`, so over `0 ≤ d ≤ rest`
/// the total is at most the larger of the two ends.
#[inline(always)]
pub(crate) fn upper_bound(sum: f64, sum_weight: f64, rest: f64) -> f64 {
    normalise(sum, sum_weight).max(normalise(sum + 100.0 * rest, sum_weight + rest))
}

/// Whether a listing whose looked-at components add `sum` over weight
/// `sum_weight`, with components of weight `rest` still unscored, can
/// total `floor` or more: `upper_bound(sum, sum_weight, rest) + MARGIN >=
/// floor`, multiplied out (no division, no branch: it vectorises). For a
/// finite `floor ≤ 100` the bound's larger end is `(sum + 100 rest) /
/// (sum_weight + rest)`, up to rounding far below [`MARGIN`].
#[inline(always)]
fn may_reach(sum: f64, sum_weight: f64, rest: f64, floor: f64) -> bool {
    sum + 100.0 * rest >= (floor - MARGIN) * (sum_weight + rest)
}

/// How a screened scan looks at a request ([`Plan::score_block_screened`]).
#[derive(Debug, Clone)]
pub(crate) struct Screen {
    /// Positions in the plan's `active` components of those scored for
    /// every row: each asked buyer-independent one (precomputed columns)
    /// and the heaviest asked one that depends on the buyer.
    first: Vec<usize>,
    /// Total weight of the asked components left out of the first look.
    first_rest: f64,
    /// The next looks, at the rows still in: a component (heaviest first)
    /// and the weight of those still unscored after it.
    then: Vec<(usize, f64)>,
}

/// Buyer-dependent components in the first look (heaviest first). Two
/// (price and location for a typical buyer) was slower: the second one
/// over every row costs more than over the fifth or so of rows the first
/// leaves, picked out.
const FIRST_LOOK_DYNAMIC: usize = 1;

/// A screened block stops looking once fewer than one row in this many is
/// still in, and scores those in full.
const SCREEN_STOP: usize = 32;

/// With no maximum commute given, commutes up to this many minutes are ideal.
pub const DEFAULT_COMMUTE_MIN: f64 = 15.0;

/// `sum / weight`, except that weights summing to 1 (up to rounding) are
/// taken as exactly 1 so the case-study formula is reproduced to the last
/// digit; no weight at all gives 0. Never above 100: a weighted mean of
/// scores ≤ 100 can round above it (0.30 and 0.15 renormalised give
/// 100.00000000000001 for two perfect scores), and a total is 0..=100.
#[inline]
pub(crate) fn normalise(sum: f64, weight: f64) -> f64 {
    if weight <= 0.0 {
        0.0
    } else if (weight - 1.0).abs() <= 1e-12 {
        sum.min(100.0) + 0.0
    } else {
        (sum / weight).min(100.0) + 0.0
    }
}

fn type_mask(types: &[PropertyType]) -> u32 {
    types.iter().fold(0u32, |m, t| {
        m | 1 << PropertyType::ALL.iter().position(|x| x == t).unwrap_or(0)
    })
}

fn listing_code(t: ListingType) -> u8 {
    ListingType::ALL.iter().position(|x| *x == t).unwrap_or(0) as u8
}

/// The profile's components with the request's weight overrides applied.
fn weights(profile: &Profile, prefs: &Preferences) -> Result<Vec<Active>> {
    let overrides: BTreeMap<String, f64> = prefs.weights.clone().unwrap_or_default();
    let names: Vec<&str> = profile.components.iter().map(|c| c.name.as_str()).collect();
    for key in overrides.keys() {
        if !names.contains(&key.as_str()) {
            let mut err =
                MiraError::unknown_field(RecordRef::Preferences, &format!("weights.{key}"), &[]);
            if let MiraError::UnknownField {
                suggestion,
                allowed,
                ..
            } = &mut err
            {
                *suggestion = crate::error::closest(key, names.iter().copied())
                    .map(|s| format!("weights.{s}"));
                *allowed = names.iter().map(|s| format!("weights.{s}")).collect();
            }
            return Err(err);
        }
    }
    let active: Vec<Active> = profile
        .components
        .iter()
        .map(|c| Active {
            name: c.name,
            curve: c.curve,
            weight: overrides.get(c.name.as_str()).copied().unwrap_or(c.weight),
            decay: match c.curve {
                Curve::Decay(d) => Some(d.compile()),
                Curve::CaseStudy => None,
            },
        })
        .collect();
    if active.iter().all(|a| a.weight == 0.0) {
        return Err(MiraError::invalid(
            RecordRef::Preferences,
            "weights",
            format!("{overrides:?}"),
            "at least one component with a weight > 0",
        ));
    }
    Ok(active)
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::listing::Property;

    fn catalog(n: usize) -> Catalog {
        let cities = ["Seattle, WA", "Bellevue, WA", "Kent, WA"];
        let mut b = Catalog::builder();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for i in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut p = Property::new(i as u64, 90_000.0 + (x % 997) as f64 * 1_013.0);
            p.location = (!x.is_multiple_of(7)).then(|| cities[(x >> 3) as usize % 3].to_string());
            if !x.is_multiple_of(5) {
                p.latitude = Some(47.3 + ((x >> 8) % 600) as f64 / 1000.0);
                p.longitude = Some(-122.5 + ((x >> 18) % 500) as f64 / 1000.0);
            }
            p.bedrooms = (!x.is_multiple_of(11)).then_some(((x >> 28) % 7) as u32);
            p.bathrooms = (!x.is_multiple_of(13)).then_some(((x >> 31) % 9) as f64 / 2.0);
            p.size_sqft = (!x.is_multiple_of(17)).then_some(400.0 + ((x >> 35) % 4000) as f64);
            p.year_built = (!x.is_multiple_of(19)).then_some(1890 + ((x >> 40) % 136) as i32);
            p.school_rating = (!x.is_multiple_of(23)).then_some(((x >> 44) % 101) as f64 / 10.0);
            p.commute_time = (!x.is_multiple_of(29)).then_some(((x >> 48) % 120) as f64);
            p.amenities = (!x.is_multiple_of(31)).then(|| match (x >> 52) % 4 {
                0 => vec![],
                1 => vec!["pool".into()],
                2 => vec!["garage".into(), "garden".into()],
                _ => vec!["pool".into(), "gym".into(), "garden".into()],
            });
            b.push(p).unwrap();
        }
        b.build()
    }

    /// A buyer who asks for nearly everything.
    fn family_buyer() -> Preferences {
        Preferences {
            budget: Some(400_000.0),
            location: Some("Bellevue, WA".into()),
            min_bedrooms: Some(3),
            min_bathrooms: Some(2.0),
            min_size_sqft: Some(1_800.0),
            max_commute_time: Some(30.0),
            min_school_rating: Some(7.0),
            preferred_amenities: vec!["pool".into(), "garden".into()],
            ..Preferences::default()
        }
    }

    /// The AVX2 build of the block scorer gives the portable build's totals,
    /// bit for bit, for every profile and kind of buyer.
    #[test]
    fn avx2_and_portable_blocks_are_bit_identical() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let catalog = catalog(3 * BLOCK_ROWS + 77);
        let cols = catalog.columns();
        let predicted: Vec<f64> = cols.price.iter().map(|p| p * 1.07).collect();
        let buyers = [
            Preferences::default(),
            family_buyer(),
            Preferences {
                budget: Some(150_000.0),
                min_bedrooms: Some(5),
                must_have_amenities: vec!["garage".into()],
                weights: Some([("price_match".to_string(), 3.0)].into_iter().collect()),
                ..Preferences::default()
            },
        ];
        for profile in [Profile::balanced(), Profile::case_study()] {
            for model in [None, Some(predicted.clone())] {
                let prep = Prepared::new(&catalog, 2025, model).with_static_scores(&profile, cols);
                for prefs in &buyers {
                    let plan = match Plan::new(&profile, cols, &prep, prefs) {
                        Ok(plan) => plan.with_amenities(|a| a.trim().to_lowercase()),
                        Err(_) => continue, // a filter this profile lacks
                    };
                    let mut start = 0;
                    while start < cols.len() {
                        let n = BLOCK_ROWS.min(cols.len() - start);
                        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
                        plan.score_block_portable(start, &mut a);
                        // SAFETY: AVX2 detected above.
                        unsafe { plan.score_block_avx2(start, &mut b) };
                        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                            assert!(
                                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                                "{} row {}: {x} vs {y}",
                                profile.name,
                                start + i
                            );
                        }
                        start += n;
                    }
                }
            }
        }
    }

    /// A screened block scores the rows it keeps exactly as the full block
    /// does, and leaves out only rows whose total is below the floor (or
    /// that a filter removes), for floors from loose to tight.
    #[test]
    fn more_than_four_matching_places_are_bounded_by_their_range() {
        // Six places named Springfield, between other towns: the bound
        // takes the range of their ids (and the towns inside it as well).
        let towns = [
            "Springfield, IL",
            "Salem, OR",
            "Springfield, MO",
            "Springfield, MA",
            "Dover, DE",
            "Springfield, OR",
            "Springfield, OH",
            "Springfield, VT",
            "Austin, TX",
        ];
        let mut b = Catalog::builder();
        for i in 0..200u32 {
            let mut p = Property::new(u64::from(i), 300_000.0);
            p.location = (i % 10 != 9).then(|| towns[i as usize % towns.len()].to_string());
            if i % 3 != 0 {
                p.latitude = Some(37.0 + f64::from(i % 17) * 0.7);
                p.longitude = Some(-95.0 + f64::from(i % 13) * 1.9);
            }
            b.push(p).unwrap();
        }
        let catalog = b.build();
        let cols = catalog.columns();
        let prep = Prepared::new(&catalog, 2025, None);
        let prefs = Preferences {
            location: Some("Springfield".into()),
            ..Preferences::default()
        };
        let plan = Plan::new(&Profile::balanced(), cols, &prep, &prefs).unwrap();
        let wanted = plan.location.as_ref().unwrap();
        assert!(wanted.codes_lo < wanted.codes_hi, "{wanted:?}");
        let (mut inside, mut widened) = (0, 0);
        for row in 0..cols.len() {
            let (code, here) = (cols.location[row], cols.unit_vector(row));
            let exact = Exact::distance_km(wanted, code, here);
            let bound = Bound::distance_km(wanted, code, here);
            if exact.is_nan() {
                assert!(bound.is_nan(), "row {row}");
                continue;
            }
            assert!(bound <= exact, "row {row}: {bound} > {exact} km");
            inside += usize::from(exact == 0.0);
            widened += usize::from(bound == 0.0 && exact > 0.0);
        }
        assert!(
            inside > 50 && widened > 10,
            "{inside} inside, {widened} widened"
        );
    }

    #[test]
    fn bound_distances_never_exceed_the_exact_ones() {
        let catalog = catalog(3_000);
        let cols = catalog.columns();
        let prep = Prepared::new(&catalog, 2025, None);
        let profile = Profile::balanced();
        let (mut inside, mut measured, mut far, mut unknown) = (0, 0, 0, 0);
        for place in ["Bellevue, WA", "Kent", "Tacoma, WA"] {
            let prefs = Preferences {
                location: Some(place.into()),
                ..Preferences::default()
            };
            let plan = Plan::new(&profile, cols, &prep, &prefs).unwrap();
            let wanted = plan.location.as_ref().unwrap();
            for row in 0..cols.len() {
                let (code, here) = (cols.location[row], cols.unit_vector(row));
                let exact = Exact::distance_km(wanted, code, here);
                let bound = Bound::distance_km(wanted, code, here);
                if exact.is_nan() || exact == 0.0 || exact.is_infinite() {
                    // The same verdict where nothing is measured.
                    assert_eq!(bound.to_bits(), exact.to_bits(), "row {row} for {place}");
                    inside += usize::from(exact == 0.0);
                    far += usize::from(exact.is_infinite());
                    unknown += usize::from(exact.is_nan());
                } else {
                    assert!(bound <= exact, "row {row}: {bound} > {exact} km");
                    assert!(
                        bound >= exact * (1.0 - 1e-5),
                        "row {row}: {bound} ≪ {exact} km"
                    );
                    measured += 1;
                }
            }
        }
        assert!(inside > 100 && measured > 100 && far > 10 && unknown > 10);
    }

    #[test]
    fn screened_blocks_drop_only_rows_below_the_floor() {
        let catalog = catalog(2 * BLOCK_ROWS + 301);
        let cols = catalog.columns();
        let buyers = [
            family_buyer(),
            Preferences {
                budget: Some(150_000.0),
                min_bedrooms: Some(5),
                min_size_sqft: Some(2_500.0),
                must_have_amenities: vec!["garage".into()],
                weights: Some([("location".to_string(), 0.0)].into_iter().collect()),
                ..Preferences::default()
            },
        ];
        let profile = Profile::balanced();
        let prep = Prepared::new(&catalog, 2025, None).with_static_scores(&profile, cols);
        let (mut dropped, mut kept) = (0, 0);
        for prefs in &buyers {
            let plan = Plan::new(&profile, cols, &prep, prefs)
                .unwrap()
                .with_amenities(|a| a.trim().to_lowercase());
            let screen = plan
                .screen()
                .expect("several components depend on this buyer");
            let mut start = 0;
            while start < cols.len() {
                let n = BLOCK_ROWS.min(cols.len() - start);
                let mut full = vec![0.0; n];
                plan.score_block(start, &mut full);
                let mut sorted: Vec<f64> = full.iter().copied().filter(|x| !x.is_nan()).collect();
                sorted.sort_by(f64::total_cmp);
                let floors =
                    [0.0, 0.5, 0.9, 0.99].map(|q| sorted[(q * (sorted.len() - 1) as f64) as usize]);
                for floor in floors {
                    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
                    plan.score_block_screened(start, &mut a, floor, &screen);
                    plan.score_block_screened_portable(start, &mut b, floor, &screen);
                    for i in 0..n {
                        for got in [a[i], b[i]] {
                            if got.is_nan() {
                                assert!(
                                    full[i].is_nan() || full[i] < floor,
                                    "row {} dropped: {} ≥ {floor}",
                                    start + i,
                                    full[i]
                                );
                                dropped += usize::from(!full[i].is_nan());
                            } else {
                                assert_eq!(got.to_bits(), full[i].to_bits(), "row {}", start + i);
                                kept += 1;
                            }
                        }
                        if full[i] >= floor {
                            assert!(
                                !a[i].is_nan(),
                                "row {} at {} ≥ {floor} was dropped",
                                start + i,
                                full[i]
                            );
                        }
                    }
                }
                start += n;
            }
        }
        assert!(
            dropped > 1000 && kept > 1000,
            "the screen did something: {dropped} dropped, {kept} kept"
        );
    }
}
