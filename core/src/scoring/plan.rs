//! A request compiled against a catalog: preferences resolved to column
//! codes, bit masks and weights once, so that scoring a listing is a few
//! array reads and arithmetic — no strings, no allocation.

use std::collections::BTreeMap;

use super::case_study;
use super::decay::CompiledDecay;
use super::prepared::{Prepared, PriceSource};
use super::profile::{ComponentName, Curve, Filter, Profile};
use crate::catalog::{
    haversine_km, location_key, location_matches, Columns, MISSING_CODE, MISSING_LOCATION,
};
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{ListingType, PropertyType};
use crate::preferences::Preferences;

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
    /// Mask every listing must cover (`None`: filter off). `impossible` when
    /// a must-have amenity appears in no listing.
    pub must_have: Option<Vec<u64>>,
    pub impossible: bool,
    /// Allowed property-type codes as a bit mask (`None`: filter off).
    pub type_mask: Option<u32>,
    /// Wanted listing-type code (`None`: filter off).
    pub listing_code: Option<u8>,
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
            LocationPlan { matches, centre }
        });

        Ok(Plan {
            cols,
            prep,
            prefs,
            active,
            location,
            preferred_bits: Vec::new(),
            must_have: None,
            impossible: false,
            type_mask: (!prefs.property_types.is_empty()).then(|| type_mask(&prefs.property_types)),
            listing_code: prefs.listing_type.map(listing_code),
        })
    }

    /// Resolve amenity names with the catalog's synonym table.
    pub fn with_amenities(mut self, normalize: impl Fn(&str) -> String) -> Self {
        self.preferred_bits = self
            .prefs
            .preferred_amenities
            .iter()
            .map(|a| self.cols.amenity_bit(&normalize(a)))
            .collect();
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

    /// The total score (0..=100) of listing `row`: the weighted mean of the
    /// components that could be scored. 0 when none could.
    #[inline]
    pub fn total(&self, row: usize) -> f64 {
        let (mut sum, mut weight) = (0.0, 0.0);
        for a in &self.active {
            if let Measure::Score(s) = self.measure(a, row) {
                sum += a.weight * s;
                weight += a.weight;
            }
        }
        normalise(sum, weight)
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
        let plan = self.location.as_ref()?;
        let loc = self.cols.location[row];
        if loc != MISSING_LOCATION && plan.matches[loc as usize] {
            return Some(0.0);
        }
        let (lat, lon) = (self.cols.latitude[row], self.cols.longitude[row]);
        if lat.is_finite() && lon.is_finite() && plan.centre.0.is_finite() {
            return Some(haversine_km(lat, lon, plan.centre.0, plan.centre.1));
        }
        if loc != MISSING_LOCATION {
            // Known to be elsewhere, distance unmeasurable: as far as it gets.
            return Some(f64::INFINITY);
        }
        None
    }

    /// One component for one listing.
    #[inline]
    pub fn measure(&self, a: &Active, row: usize) -> Measure {
        use ComponentName::*;
        use Measure::*;
        let c = self.cols;
        let p = self.prefs;
        let decay = a.decay;
        let scored = |distance: f64| Score(decay.map_or(0.0, |d| 100.0 * d.factor(distance)));
        match a.name {
            PriceMatch => {
                let Some(budget) = p.budget else {
                    return NotAsked;
                };
                let price = self.prep.predicted_price[row];
                match decay {
                    None => Score(case_study::price_match(price, budget)),
                    Some(_) => scored(((price - budget) / budget).max(0.0)),
                }
            }
            Bedrooms => {
                let Some(min) = p.min_bedrooms else {
                    return NotAsked;
                };
                let have = c.bedrooms[row];
                if have.is_nan() {
                    return Unknown;
                }
                match decay {
                    None => Score(case_study::bedrooms(have, f64::from(min))),
                    Some(_) => scored((f64::from(min) - have).max(0.0)),
                }
            }
            Bathrooms => {
                let Some(min) = p.min_bathrooms else {
                    return NotAsked;
                };
                let have = c.bathrooms[row];
                if have.is_nan() {
                    return Unknown;
                }
                scored((min - have).max(0.0))
            }
            Size => {
                let Some(min) = p.min_size_sqft else {
                    return NotAsked;
                };
                let have = c.size_sqft[row];
                if have.is_nan() {
                    return Unknown;
                }
                scored(((min - have) / min).max(0.0))
            }
            SchoolRating => {
                let r = c.school_rating[row];
                if r.is_nan() {
                    return Unknown;
                }
                match decay {
                    None => Score(case_study::school_rating(r)),
                    Some(_) => scored((p.min_school_rating.unwrap_or(10.0) - r).max(0.0)),
                }
            }
            Commute => {
                let m = c.commute_time[row];
                if m.is_nan() {
                    return Unknown;
                }
                match decay {
                    None => Score(case_study::commute(m)),
                    Some(_) => {
                        scored((m - p.max_commute_time.unwrap_or(DEFAULT_COMMUTE_MIN)).max(0.0))
                    }
                }
            }
            PropertyAge => {
                let age = self.prep.age_years[row];
                if age.is_nan() {
                    return Unknown;
                }
                match decay {
                    None => Score(case_study::property_age(age)),
                    Some(_) => scored(age.max(0.0)),
                }
            }
            Amenities => match decay {
                None => {
                    let s = self.prep.case_study_amenities[row];
                    if s.is_nan() {
                        Unknown
                    } else {
                        Score(s)
                    }
                }
                Some(_) => {
                    if self.preferred_bits.is_empty() {
                        return NotAsked;
                    }
                    if !c.amenities_known[row] {
                        return Unknown;
                    }
                    let have = self
                        .preferred_bits
                        .iter()
                        .filter(|b| b.is_some_and(|b| c.has_amenity(row, b)))
                        .count();
                    let total = self.preferred_bits.len();
                    scored((total - have) as f64 / total as f64)
                }
            },
            Location => match self.distance_km(row) {
                _ if self.location.is_none() => NotAsked,
                Some(km) => scored(km),
                None => Unknown,
            },
            Value => {
                if self.prep.price_source == PriceSource::Listed {
                    return NotAsked;
                }
                let predicted = self.prep.predicted_price[row];
                scored(((c.price[row] - predicted) / predicted).max(0.0))
            }
        }
    }
}

/// With no maximum commute given, commutes up to this many minutes are ideal.
pub const DEFAULT_COMMUTE_MIN: f64 = 15.0;

/// `sum / weight`, except that weights summing to 1 (up to rounding) are
/// taken as exactly 1 so the case-study formula is reproduced to the last
/// digit; no weight at all gives 0.
#[inline]
pub(crate) fn normalise(sum: f64, weight: f64) -> f64 {
    if weight <= 0.0 {
        0.0
    } else if (weight - 1.0).abs() <= 1e-12 {
        sum + 0.0
    } else {
        sum / weight + 0.0
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
