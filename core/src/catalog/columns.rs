//! The catalog's struct-of-arrays layout: one dense column per field, so a
//! request scans a few contiguous arrays instead of chasing records.

use std::collections::HashMap;

use crate::listing::{
    AmenityTable, Currency, Furnishing, ListingType, Property, PropertyType, RentPeriod,
};

use super::location::{location_key, merge_place_keys, place_key};

/// Marker for a missing small category (`property_type`, `listing_type`).
pub const MISSING_CODE: u8 = u8::MAX;
/// Marker for a missing location.
pub const MISSING_LOCATION: u32 = u32::MAX;
/// `available_from` of a listing that gives none (available since ever).
pub const NO_START: i32 = i32::MIN;
/// `available_until` of a listing that gives none (open-ended).
pub const NO_END: i32 = i32::MAX;
/// `max_lease_months` of a listing that gives none (no limit).
pub const NO_MAX_LEASE: u32 = u32::MAX;

/// Columns of a catalog. Numbers are `f64` with `NaN` for "missing";
/// categories are small codes with a `MISSING_*` marker; amenities are a
/// bitset over the catalog's amenity vocabulary.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Listed price, dollars.
    pub price: Vec<f64>,
    /// Bedrooms (NaN = unknown).
    pub bedrooms: Vec<f64>,
    /// Bathrooms (NaN = unknown).
    pub bathrooms: Vec<f64>,
    /// Living area, square feet (NaN = unknown).
    pub size_sqft: Vec<f64>,
    /// Lot area, square feet (NaN = unknown).
    pub lot_sqft: Vec<f64>,
    /// Year built (NaN = unknown).
    pub year_built: Vec<f64>,
    /// School rating 0–10 (NaN = unknown).
    pub school_rating: Vec<f64>,
    /// Commute, minutes (NaN = unknown).
    pub commute_time: Vec<f64>,
    /// Latitude, degrees (NaN = unknown).
    pub latitude: Vec<f64>,
    /// Longitude, degrees (NaN = unknown).
    pub longitude: Vec<f64>,
    /// `PropertyType` as its index in `PropertyType::ALL`, or `MISSING_CODE`.
    pub property_type: Vec<u8>,
    /// `ListingType` as its index in `ListingType::ALL`, or `MISSING_CODE`.
    pub listing_type: Vec<u8>,
    /// Index into `locations`, or `MISSING_LOCATION`.
    pub location: Vec<u32>,
    /// Distinct locations as first written.
    pub locations: Vec<String>,
    /// Place keys of `locations` (same order, see
    /// [`place_key`](super::location::place_key)): each comma-separated
    /// part keyed, joined by `|` (`"bandra west|mumbai"`). Spellings with
    /// the same [`location_key`] are one place, whose key has every part
    /// boundary any of its spellings has.
    pub location_keys: Vec<String>,
    /// Each listing's position as a unit vector (NaN when its coordinates
    /// are unknown), for distances without trigonometry per request: one
    /// column per axis (x, y, z), so that a loop over listings reads each
    /// with unit stride and vectorises.
    pub unit_vectors: [Vec<f64>; 3],
    /// Mean latitude/longitude of each location's listings that have
    /// coordinates (NaN when none do).
    pub location_centres: Vec<(f64, f64)>,
    /// Canonical amenity names; bit `i` of a listing's set means `amenity_names[i]`.
    pub amenity_names: Vec<String>,
    /// 64-bit words per listing in `amenities`.
    pub amenity_words: usize,
    /// Amenity bitsets, `amenity_words` words per listing.
    pub amenities: Vec<u64>,
    /// Whether the listing's amenities are known at all.
    pub amenities_known: Vec<bool>,
    /// The listed price expressed per each [`RentPeriod`] (indexed as
    /// `RentPeriod::ALL`: month, week, night) by [`RentPeriod::convert`]
    /// from the listing's `rent_period` (a month when it names none), so
    /// that a renter's budget meets rents of any period with no arithmetic
    /// per request.
    pub price_per: [Vec<f64>; 3],
    /// The listing's `rent_period` as its index in `RentPeriod::ALL`, or
    /// `MISSING_CODE`.
    pub rent_period: Vec<u8>,
    /// `available_from` in days since 1970-01-01, or [`NO_START`].
    pub available_from: Vec<i32>,
    /// `available_until` in days since 1970-01-01, or [`NO_END`].
    pub available_until: Vec<i32>,
    /// `min_lease_months`, 0 when none is given.
    pub min_lease: Vec<u32>,
    /// `max_lease_months`, or [`NO_MAX_LEASE`].
    pub max_lease: Vec<u32>,
    /// `pets_allowed`: 0 no, 1 yes, `MISSING_CODE` not stated.
    pub pets_allowed: Vec<u8>,
    /// `Furnishing` as its index in `Furnishing::ALL`, or `MISSING_CODE`.
    pub furnishing: Vec<u8>,
    /// Index into `currencies` of the listing's currency (USD when it
    /// names none).
    pub currency: Vec<u16>,
    /// The catalog's currencies, sorted by code, with how many listings
    /// each prices (computed once per catalog version).
    pub currencies: Vec<(Currency, usize)>,
}

impl Columns {
    /// Number of listings.
    pub fn len(&self) -> usize {
        self.price.len()
    }

    /// Listing `row`'s position as a unit vector (NaN when unknown).
    #[inline]
    pub fn unit_vector(&self, row: usize) -> [f64; 3] {
        let [x, y, z] = &self.unit_vectors;
        [x[row], y[row], z[row]]
    }

    /// The bit index of a canonical amenity, if any listing has it.
    pub fn amenity_bit(&self, canonical: &str) -> Option<usize> {
        self.amenity_names.iter().position(|n| n == canonical)
    }

    /// Whether listing `row` has amenity bit `bit`.
    #[inline]
    pub fn has_amenity(&self, row: usize, bit: usize) -> bool {
        let word = self.amenities[row * self.amenity_words + bit / 64];
        word & (1u64 << (bit % 64)) != 0
    }

    /// The canonical amenity names of listing `row`.
    pub fn amenities_of(&self, row: usize) -> Vec<&str> {
        (0..self.amenity_names.len())
            .filter(|&b| self.has_amenity(row, b))
            .map(|b| self.amenity_names[b].as_str())
            .collect()
    }

    /// The index in `currencies` of `currency`, if some listing uses it.
    pub fn currency_index(&self, currency: Currency) -> Option<u16> {
        self.currencies
            .binary_search_by(|(c, _)| c.cmp(&currency))
            .ok()
            .map(|i| i as u16)
    }

    /// Build the columns for `properties`.
    pub(crate) fn build(properties: &[std::sync::Arc<Property>], table: &AmenityTable) -> Columns {
        let n = properties.len();
        let mut c = Columns {
            price: Vec::with_capacity(n),
            bedrooms: Vec::with_capacity(n),
            bathrooms: Vec::with_capacity(n),
            size_sqft: Vec::with_capacity(n),
            lot_sqft: Vec::with_capacity(n),
            year_built: Vec::with_capacity(n),
            school_rating: Vec::with_capacity(n),
            commute_time: Vec::with_capacity(n),
            latitude: Vec::with_capacity(n),
            longitude: Vec::with_capacity(n),
            property_type: Vec::with_capacity(n),
            listing_type: Vec::with_capacity(n),
            location: Vec::with_capacity(n),
            amenities_known: Vec::with_capacity(n),
            ..Columns::default()
        };
        let mut location_ids: HashMap<String, u32> = HashMap::new();
        let mut amenity_ids: HashMap<String, usize> = HashMap::new();
        // Listings repeat the same few spellings: each distinct raw text is
        // keyed and normalised once (both are pure functions of the text).
        let mut location_of_raw: HashMap<&str, u32> = HashMap::new();
        let mut amenity_of_raw: HashMap<&str, usize> = HashMap::new();
        let mut per_row_amenities: Vec<Vec<usize>> = Vec::with_capacity(n);
        let nan = f64::NAN;
        for p in properties {
            c.price.push(p.price);
            c.bedrooms.push(p.bedrooms.map_or(nan, f64::from));
            c.bathrooms.push(p.bathrooms.unwrap_or(nan));
            c.size_sqft.push(p.size_sqft.unwrap_or(nan));
            c.lot_sqft.push(p.lot_sqft.unwrap_or(nan));
            c.year_built.push(p.year_built.map_or(nan, f64::from));
            c.school_rating.push(p.school_rating.unwrap_or(nan));
            c.commute_time.push(p.commute_time.unwrap_or(nan));
            c.latitude.push(p.latitude.unwrap_or(nan));
            c.longitude.push(p.longitude.unwrap_or(nan));
            c.property_type
                .push(code_of(p.property_type, PropertyType::ALL));
            c.listing_type
                .push(code_of(p.listing_type, ListingType::ALL));
            let period = p.rent_period.unwrap_or(RentPeriod::Month);
            for (column, target) in c.price_per.iter_mut().zip(RentPeriod::ALL) {
                column.push(period.convert(p.price, *target));
            }
            c.rent_period.push(code_of(p.rent_period, RentPeriod::ALL));
            c.available_from
                .push(p.available_from.map_or(NO_START, |d| d.days_since_epoch()));
            c.available_until
                .push(p.available_until.map_or(NO_END, |d| d.days_since_epoch()));
            c.min_lease.push(p.min_lease_months.unwrap_or(0));
            c.max_lease.push(p.max_lease_months.unwrap_or(NO_MAX_LEASE));
            c.pets_allowed
                .push(p.pets_allowed.map_or(MISSING_CODE, u8::from));
            c.furnishing.push(code_of(p.furnishing, Furnishing::ALL));
            let loc = match &p.location {
                Some(name) => *location_of_raw.entry(name).or_insert_with(|| {
                    let key = location_key(name);
                    let parts = place_key(name);
                    let next = location_ids.len() as u32;
                    let id = *location_ids.entry(key).or_insert_with(|| {
                        c.locations.push(name.trim().to_string());
                        c.location_keys.push(parts.clone());
                        next
                    });
                    // Spellings of one place ("Seattle, WA", "seattle wa")
                    // share it, with every part boundary any of them has.
                    let known = &mut c.location_keys[id as usize];
                    if *known != parts {
                        *known = merge_place_keys(known, &parts);
                    }
                    id
                }),
                None => MISSING_LOCATION,
            };
            c.location.push(loc);
            c.amenities_known.push(p.amenities.is_some());
            let mut bits = Vec::new();
            for raw in p.amenities.iter().flatten() {
                let bit = *amenity_of_raw.entry(raw).or_insert_with(|| {
                    let canonical = table.normalize(raw);
                    let next = amenity_ids.len();
                    *amenity_ids.entry(canonical.clone()).or_insert_with(|| {
                        c.amenity_names.push(canonical);
                        next
                    })
                });
                bits.push(bit);
            }
            per_row_amenities.push(bits);
        }
        c.amenity_words = c.amenity_names.len().div_ceil(64).max(1);
        c.amenities = vec![0u64; n * c.amenity_words];
        for (row, bits) in per_row_amenities.iter().enumerate() {
            for &bit in bits {
                c.amenities[row * c.amenity_words + bit / 64] |= 1u64 << (bit % 64);
            }
        }
        let mut currencies: Vec<Currency> = properties
            .iter()
            .map(|p| p.currency.unwrap_or(Currency::USD))
            .collect();
        let of_row = currencies.clone();
        currencies.sort_unstable();
        currencies.dedup();
        c.currencies = currencies.iter().map(|cur| (*cur, 0)).collect();
        c.currency = of_row
            .iter()
            .map(|cur| {
                let i = currencies.binary_search(cur).unwrap_or(0);
                c.currencies[i].1 += 1;
                i as u16
            })
            .collect();
        c.location_centres = centres(&c);
        let mut axes: [Vec<f64>; 3] = std::array::from_fn(|_| Vec::with_capacity(n));
        for (lat, lon) in c.latitude.iter().zip(&c.longitude) {
            let v = super::location::unit_vector(*lat, *lon);
            for (axis, value) in axes.iter_mut().zip(v) {
                axis.push(value);
            }
        }
        c.unit_vectors = axes;
        c
    }
}

fn code_of<T: PartialEq + Copy>(value: Option<T>, all: &[T]) -> u8 {
    value
        .and_then(|v| all.iter().position(|x| *x == v))
        .map_or(MISSING_CODE, |i| i as u8)
}

fn centres(c: &Columns) -> Vec<(f64, f64)> {
    let mut sums = vec![(0.0f64, 0.0f64, 0u64); c.locations.len()];
    for row in 0..c.len() {
        let loc = c.location[row];
        let (lat, lon) = (c.latitude[row], c.longitude[row]);
        if loc != MISSING_LOCATION && lat.is_finite() && lon.is_finite() {
            let s = &mut sums[loc as usize];
            s.0 += lat;
            s.1 += lon;
            s.2 += 1;
        }
    }
    sums.into_iter()
        .map(|(la, lo, k)| {
            if k == 0 {
                (f64::NAN, f64::NAN)
            } else {
                (la / k as f64, lo / k as f64)
            }
        })
        .collect()
}
