//! Request compilation: a buyer's preferences and a profile resolved
//! against a catalog's columns into a [`Plan`] (weights with the request's
//! overrides, the wanted location, filter masks, amenity bits).

use std::collections::BTreeMap;

use super::{Active, Invest, LocationPlan, Plan, Stay};
use crate::catalog::{location_key, location_matches, unit_vector, Catalog, Columns};
use crate::error::{MiraError, RecordRef, Result};
use crate::investment::Payment;
use crate::listing::{Currency, Furnishing, ListingType, PropertyType, RentPeriod};
use crate::preferences::Preferences;
use crate::scoring::prepared::Prepared;
use crate::scoring::profile::{ComponentName, Curve, Filter, Profile};
use crate::scoring::similarity::{unit, Query, VectorRows};

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
        if let Some(similar) = &prefs.similar_to {
            if !profile
                .components
                .iter()
                .any(|c| c.name == ComponentName::Similarity)
            {
                return Err(MiraError::invalid(
                    RecordRef::Preferences,
                    "similar_to",
                    format!("{} ids", similar.ids.len()),
                    format!(
                        "nothing: the profile `{}` has no similarity component (the `balanced` profile has one)",
                        profile.name
                    ),
                ));
            }
        }
        if prefs.listing_type.is_some() && !has_filter(Filter::ListingType) {
            return refuse(
                "listing_type",
                format!("{:?}", prefs.listing_type),
                "listing_type",
            );
        }

        let (currency, currency_code) = currency(cols, prefs.currency)?;
        let location = match prefs.location.as_deref() {
            Some(wanted) => Some(locate(cols, wanted)?),
            None => None,
        };
        let stay = prefs.move_in.map(|day| Stay {
            move_in: day.days_since_epoch(),
            end: prefs
                .lease_months
                .map_or(day, |months| day.add_months(months))
                .days_since_epoch(),
        });
        let renter = prefs.listing_type.is_some_and(ListingType::is_rental);
        let terms = prefs.investment_terms()?;
        let invest = Invest {
            assumptions: terms.assumptions,
            mortgage: terms.mortgage,
            payment: terms.mortgage.as_ref().map(Payment::of),
            min_gross_yield: prefs.min_gross_yield,
            min_cap_rate: prefs.min_cap_rate,
            min_cash_flow: prefs.min_cash_flow,
        };

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
            currency,
            currency_code,
            stay,
            lease: prefs.lease_months,
            pets: prefs.pets == Some(true),
            budget_period: renter.then(|| prefs.budget_period.unwrap_or(RentPeriod::Month)),
            furnishing: prefs
                .furnishing
                .and_then(|f| Furnishing::ALL.iter().position(|x| *x == f))
                .map(|i| i as u8),
            invest,
            investable_only: has_filter(Filter::Investable),
            similar: None,
        })
    }

    /// Resolve the buyer's `similar_to` against `catalog` (the catalog
    /// whose columns this plan reads): the liked listings' rows, the
    /// vectors scored (the catalog's embeddings, or the structured
    /// embedding for a catalog without any) and the query, the normalised
    /// mean of the liked listings' unit vectors and the given vector's
    /// unit vector (one liked listing alone: its vector as stored; a
    /// vector alone: it scaled to unit length). Refused by name: an id not
    /// in the catalog, a liked listing without a vector, a vector of
    /// another dimension than the catalog's (or given to a catalog without
    /// embeddings), vectors that cancel out.
    pub fn with_similarity(mut self, catalog: &'a Catalog) -> Result<Self> {
        let Some(wanted) = self.prefs.similar_to.as_ref() else {
            return Ok(self);
        };
        let bad = |field: String, value: String, expected: String| {
            Err(MiraError::invalid(
                RecordRef::Preferences,
                field,
                value,
                expected,
            ))
        };
        let mut liked = Vec::with_capacity(wanted.ids.len());
        for (i, id) in wanted.ids.iter().enumerate() {
            match catalog.row_of(id) {
                Some(row) => liked.push(row),
                None => {
                    return bad(
                        format!("similar_to.ids[{i}]"),
                        id.to_json().to_string(),
                        "the id of a listing in the catalog".into(),
                    )
                }
            }
        }
        let embeddings = catalog.embeddings();
        let vectors: &'a dyn VectorRows = if embeddings.dim() > 0 {
            embeddings
        } else if let Some(v) = wanted.vector.as_ref() {
            return bad(
                "similar_to.vector".into(),
                format!("{} numbers", v.len()),
                "no vector: this catalog's listings have no embeddings".into(),
            );
        } else {
            self.prep.structured(self.cols)
        };
        for (i, &row) in liked.iter().enumerate() {
            if vectors.row(row).is_none() {
                let why = if embeddings.dim() > 0 {
                    "a listing with an embedding (this one has none)"
                } else {
                    "a listing with a vector (this one has none of the fields the structured embedding reads)"
                };
                return bad(
                    format!("similar_to.ids[{i}]"),
                    wanted.ids[i].to_json().to_string(),
                    why.into(),
                );
            }
        }
        if let Some(v) = wanted.vector.as_ref() {
            if v.len() != vectors.dim() {
                return bad(
                    "similar_to.vector".into(),
                    format!("{} numbers", v.len()),
                    format!("{} numbers, the catalog's dimension", vectors.dim()),
                );
            }
        }
        liked.sort_unstable();
        liked.dedup();
        // Scaled to unit length as the catalog stores listings' vectors
        // (not all zeros: `Preferences::validate` refused that).
        let given = wanted.vector.as_ref().map(|v| {
            let mut v = v.clone();
            crate::embedding::normalize(&mut v);
            v
        });
        let query = match (liked.as_slice(), given) {
            ([row], None) => vectors.row(*row).map(<[f32]>::to_vec),
            ([], Some(v)) => Some(v),
            (rows, given) => {
                let mut sum = vec![0.0f64; vectors.dim()];
                for v in rows
                    .iter()
                    .filter_map(|&r| vectors.row(r))
                    .chain(given.as_deref())
                {
                    for (s, x) in sum.iter_mut().zip(v) {
                        *s += f64::from(*x);
                    }
                }
                unit(sum.into_iter())
            }
        };
        let Some(query) = query else {
            let vector = if wanted.vector.is_some() {
                " and a vector"
            } else {
                ""
            };
            return bad(
                "similar_to".into(),
                format!("{} listings{vector}", liked.len()),
                "listings whose vectors do not cancel out (their mean has no direction)".into(),
            );
        };
        self.similar = Some(Query {
            vectors,
            query,
            liked,
        });
        Ok(self)
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
}

/// The request's currency and, when the catalog prices listings in more
/// than one, the index of the listings it keeps. Without a named currency
/// the catalog's only one is taken (USD for an empty catalog); a catalog
/// that mixes currencies refuses a request that names none, and any
/// non-empty catalog refuses a currency no listing is priced in.
fn currency(cols: &Columns, named: Option<Currency>) -> Result<(Currency, Option<u16>)> {
    let mixed = cols.currencies.len() > 1;
    let listed = |with_counts: bool| {
        cols.currencies
            .iter()
            .map(|(c, n)| {
                if with_counts {
                    format!("{c} {n}")
                } else {
                    c.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match named {
        Some(c) if cols.currencies.is_empty() => Ok((c, None)),
        Some(c) => match cols.currency_index(c) {
            Some(i) => Ok((c, mixed.then_some(i))),
            None => Err(MiraError::invalid(
                RecordRef::Preferences,
                "currency",
                format!("{:?}", c.code()),
                format!("a currency some listing is priced in: {}", listed(false)),
            )),
        },
        None if mixed => Err(MiraError::invalid(
            RecordRef::Preferences,
            "currency",
            "(absent)",
            format!(
                "one of the catalog's currencies ({}): the catalog mixes currencies, so name one",
                listed(true)
            ),
        )),
        None => Ok((
            cols.currencies.first().map_or(Currency::USD, |(c, _)| *c),
            None,
        )),
    }
}

/// The wanted place resolved against the catalog's places. A place no
/// listing is in is refused, with the closest known place when one is
/// close enough: a misspelt place must not score every listing 0. An
/// empty catalog refuses no place.
fn locate(cols: &Columns, wanted: &str) -> Result<LocationPlan> {
    let key = location_key(wanted);
    let matches: Vec<bool> = cols
        .location_keys
        .iter()
        .map(|k| location_matches(k, &key))
        .collect();
    // An empty catalog has nothing to score wrongly: it checks the form of
    // a request only (as an engine built to validate preferences does).
    if !matches.contains(&true) && !cols.price.is_empty() {
        let expected = match closest_place(cols, &key) {
            Some(place) => format!("a place in the catalog (did you mean {place}?)"),
            None if cols.locations.is_empty() => {
                "no location: no listing in the catalog has one".to_string()
            }
            None => {
                "a place in the catalog (none is close to it; `mira stats` lists them)".to_string()
            }
        };
        return Err(MiraError::invalid(
            RecordRef::Preferences,
            "location",
            format!("{wanted:?}"),
            expected,
        ));
    }
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
    Ok(LocationPlan {
        matches,
        centre,
        centre_vector: unit_vector(centre.0, centre.1),
        codes,
        codes_lo,
        codes_hi,
    })
}

/// The catalog's place closest to `key` (within a third of its letters,
/// at least two edits), among the places [`location_matches`] would
/// accept: each run of consecutive comma-separated parts of a listing's
/// place (`"Mumbai"`, `"Bandra West"`, `"Bandra West, Mumbai"`), and the
/// leading words of a place written without commas (`"bellevue"` of
/// `"bellevue wa"`). It is named from the run's first part to the end of
/// the listing's place: `"Seatle"` → `Seattle, WA`, `"Mumbay"` → `Mumbai`.
fn closest_place(cols: &Columns, key: &str) -> Option<String> {
    let limit = (key.chars().count() / 3).max(2);
    let mut best: Option<(usize, String)> = None;
    let mut consider = |candidate: &str, name: &dyn Fn() -> String| {
        let d = strsim::damerau_levenshtein(key, candidate);
        if d <= limit && best.as_ref().is_none_or(|(b, _)| d < *b) {
            best = Some((d, name()));
        }
    };
    for (name, place) in cols.locations.iter().zip(&cols.location_keys) {
        let keys: Vec<&str> = place.split('|').collect();
        if keys.len() == 1 {
            let prefixes = place
                .match_indices(' ')
                .map(|(at, _)| &place[..at])
                .chain(std::iter::once(place.as_str()));
            for prefix in prefixes {
                consider(prefix, &|| name.clone());
            }
            continue;
        }
        // The parts as written, in step with their keys.
        let written: Vec<&str> = name
            .split(',')
            .filter(|part| !location_key(part).is_empty())
            .map(str::trim)
            .collect();
        for start in 0..keys.len() {
            for end in start + 1..=keys.len() {
                let run = keys[start..end].join(" ");
                // Said from the run's first part to the end of the name
                // ("Seattle, WA" for "seatle"; "Mumbai" for "mumbay").
                consider(&run, &|| written[start.min(written.len())..].join(", "));
            }
        }
    }
    best.map(|(_, name)| name)
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
