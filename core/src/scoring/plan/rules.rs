//! The rule table: every component's arithmetic, written once in
//! [`with_scorer!`] and used by the full scan, the pruned scan, screening,
//! the precomputed scores and the one-listing breakdown. [`Precision`]
//! says whether a rule computes the score itself ([`Exact`]) or an upper
//! bound on it that vectorises ([`Bound`], for screening).

use super::LocationPlan;
use crate::catalog::{chord_distance_km, EARTH_RADIUS_KM, MISSING_LOCATION};
use crate::scoring::decay::CompiledDecay;

/// Run `$body` for each row of `$rows` (a [`RowSet`](crate::scoring::rows::RowSet)), with `$i` its
/// position in the set and `$v` component `$a`'s score for it (0..=100,
/// NaN when the listing lacks the data). `$m` ([`Precision`]) says whether
/// `$v` is the score itself ([`Exact`]) or an upper bound on it that
/// vectorises ([`Bound`], for screening). The rule is written into the
/// loop, not called as a closure: a closure holding a polynomial `exp` is
/// past the inliner's budget and would cost a call per row. The rule is chosen once per set of
/// rows, and each column is viewed through the set up front, so for a
/// [`Span`](crate::scoring::rows::Span) the compiler sees loops over `0..n` on sliced columns with no
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
        use $crate::scoring::case_study;
        use $crate::scoring::plan::rules::Precision;
        use $crate::scoring::plan::DEFAULT_COMMUTE_MIN;
        use $crate::scoring::profile::ComponentName::*;
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
                    let price = rows.view(plan.budget_predicted());
                    with_scorer!(@each rows, $i, $v, $body, case_study::price_match(price[rows.at($i)], budget))
                }
                // Off the case study, the buyer pays the asking price: the
                // budget is held against the listed price (the model's
                // price drives `value` only).
                (PriceMatch, Some(d)) => {
                    let budget = p.budget.unwrap_or(nan);
                    let price = rows.view(plan.budget_prices());
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
                // Days the home stands empty before the move-in day (NaN
                // when it gives no start: unknown, left out).
                (Availability, Some(d)) => {
                    let move_in = plan.stay.map_or(0, |s| s.move_in);
                    let from = rows.view(&c.available_from);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let start = from[rows.at($i)];
                        if start == $crate::catalog::NO_START {
                            nan
                        } else {
                            let days = f64::from(move_in.saturating_sub(start).max(0));
                            100.0 * <$m as Precision>::factor(&d, days)
                        }
                    })
                }
                // Steps between the furnishing asked for and the listing's.
                (Furnishing, Some(d)) => {
                    let wanted = plan.furnishing.map_or(0, i32::from);
                    let have = rows.view(&c.furnishing);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let code = have[rows.at($i)];
                        if code == $crate::catalog::MISSING_CODE {
                            nan
                        } else {
                            let steps = f64::from((i32::from(code) - wanted).abs());
                            100.0 * <$m as Precision>::factor(&d, steps)
                        }
                    })
                }
                // Years of rent the price pays (price-to-rent ratio; NaN
                // without a rent estimate: unknown, left out).
                (GrossYield, Some(d)) => {
                    let price = rows.view(&c.price);
                    let rent = rows.view(&prep.rent);
                    with_scorer!(@each rows, $i, $v, $body, {
                        let r = rent[rows.at($i)];
                        if r.is_nan() {
                            nan
                        } else {
                            100.0 * <$m as Precision>::factor(&d, price[rows.at($i)] / (12.0 * r))
                        }
                    })
                }
                // Share by which the rent after vacancy and expenses falls
                // short of the mortgage payment (0 when it pays it).
                (CashFlow, Some(d)) => match plan.invest.payment {
                    Some(payment) => {
                        let price = rows.view(&c.price);
                        let rent = rows.view(&prep.rent);
                        let assumptions = plan.invest.assumptions;
                        with_scorer!(@each rows, $i, $v, $body, {
                            let r = rent[rows.at($i)];
                            if r.is_nan() {
                                nan
                            } else {
                                let noi = $crate::investment::net_operating_income(r, &assumptions);
                                let flow = $crate::investment::cash_flow(noi, payment.on(price[rows.at($i)]));
                                100.0 * <$m as Precision>::factor(&d, (-flow).max(0.0) / (noi / 12.0))
                            }
                        })
                    }
                    None => with_scorer!(@each rows, $i, $v, $body, nan),
                },
                // Cosine distance from the query, `1 − cos` (NaN for a
                // listing without a vector: unknown, left out). The cosine
                // is exact in both precisions (the one `dot`), so the
                // bound only differs by the factor.
                (Similarity, Some(d)) => match plan.similar.as_ref() {
                    Some(query) => {
                        with_scorer!(@each rows, $i, $v, $body, {
                            let cos = query.cosine(rows.row($i));
                            if cos.is_nan() {
                                nan
                            } else {
                                100.0 * <$m as Precision>::factor(&d, (1.0 - cos).max(0.0))
                            }
                        })
                    }
                    None => with_scorer!(@each rows, $i, $v, $body, nan),
                },
                // Profile validation allows the case-study rule only where the
                // case study defined one; nothing reaches these.
                (
                    Bathrooms | Size | Location | Value | Availability | Furnishing | GrossYield
                    | CashFlow | Similarity,
                    None,
                ) => {
                    with_scorer!(@each rows, $i, $v, $body, nan)
                }
            }
        }
    }};
}

pub(super) use with_scorer;

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
    /// [`exp_at_least`](crate::scoring::decay)'s headroom.
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

#[cfg(test)]
mod tests {
    use super::super::test_support::catalog;
    use super::{Bound, Exact, Precision};
    use crate::catalog::Catalog;
    use crate::listing::Property;
    use crate::preferences::Preferences;
    use crate::scoring::plan::Plan;
    use crate::scoring::prepared::Prepared;
    use crate::scoring::profile::Profile;

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
        // (A place no listing is in is refused before any distance.)
        for place in ["Bellevue, WA", "Kent"] {
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
}
