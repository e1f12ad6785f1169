//! proptest strategies shared by `prop_scoring.rs` and `prop_roundtrip.rs`
//! (included with `mod prop_support;`): valid listings, catalogs and
//! preferences.
#![allow(dead_code)]

use std::collections::BTreeMap;

use agent_mira::listing::{ListingType, PropertyType};
use agent_mira::preferences::SimilarTo;
use agent_mira::{
    Catalog, Currency, Date, Furnishing, Preferences, Property, PropertyId, RentPeriod,
};
use proptest::prelude::*;
use serde_json::Value;

/// The year listings are validated and scored against.
pub const YEAR: i32 = 2025;

const CITIES: &[&str] = &[
    "Seattle, WA",
    "Bellevue, WA",
    "seattle wa",
    "Kent, WA",
    "Zürich, ZH",
    "Bandra West, Mumbai",
    "Mumbai",
    "WA",
];
const CURRENCIES: &[&str] = &["USD", "INR", "EUR"];

/// Days since 1970-01-01 of 2022-05-01, around which availability windows
/// and move-in days are generated.
fn base_day() -> i32 {
    Date::from_ymd(2022, 5, 1).unwrap().days_since_epoch()
}

fn day(offset: i32) -> Date {
    Date::from_days_since_epoch(base_day() + offset)
}

fn currency(code: &str) -> Currency {
    code.parse().unwrap()
}

/// The renting terms of a listing: rent period, availability window, lease
/// limits, pets, furnishing, currency (each sometimes missing).
#[derive(Debug, Clone)]
pub struct Terms {
    period: Option<RentPeriod>,
    from: Option<i32>,
    length: Option<i32>,
    min_lease: Option<u32>,
    extra_lease: Option<u32>,
    pets: Option<bool>,
    furnishing: Option<Furnishing>,
    currency: Option<&'static str>,
}

fn terms() -> BoxedStrategy<Terms> {
    (
        opt(proptest::sample::select(RentPeriod::ALL)),
        opt(0i32..120),
        opt(0i32..400),
        opt(1u32..=24),
        opt(0u32..=24),
        opt(any::<bool>()),
        opt(proptest::sample::select(Furnishing::ALL)),
        opt(proptest::sample::select(CURRENCIES)),
    )
        .prop_map(
            |(period, from, length, min_lease, extra_lease, pets, furnishing, currency)| Terms {
                period,
                from,
                length,
                min_lease,
                extra_lease,
                pets,
                furnishing,
                currency,
            },
        )
        .boxed()
}

/// Give `p` the renting terms `t` (a rent period only on a rental or a
/// listing of no type, an end never before the start, a maximum lease never
/// below the minimum).
pub fn apply_terms(p: &mut Property, t: &Terms) {
    p.rent_period = t
        .period
        .filter(|_| p.listing_type.is_none_or(ListingType::is_rental));
    p.available_from = t.from.map(day);
    p.available_until = t.length.map(|len| day(t.from.unwrap_or(0) + len));
    p.min_lease_months = t.min_lease;
    p.max_lease_months = t.extra_lease.map(|extra| t.min_lease.unwrap_or(1) + extra);
    p.pets_allowed = t.pets;
    p.furnishing = t.furnishing;
    p.currency = t.currency.map(currency);
}
const AMENITIES: &[&str] = &[
    "pool",
    "Swimming Pool",
    "garage",
    "Garden",
    "gym",
    "EV charger",
    "view",
    "waterfront",
];

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![1 => Just(None), 3 => s.prop_map(Some)].boxed()
}

/// A price in dollars: mostly realistic, sometimes tiny or huge.
pub fn price() -> BoxedStrategy<f64> {
    prop_oneof![
        8 => 10_000.0..5_000_000.0f64,
        1 => 0.01..10.0f64,
        1 => 1e9..1e12f64,
    ]
    .boxed()
}

fn amenity_list() -> BoxedStrategy<Vec<String>> {
    proptest::sample::subsequence(AMENITIES, 0..=4)
        .prop_map(|v| v.into_iter().map(str::to_string).collect())
        .boxed()
}

fn attribute_value() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        (-1e300..1e300f64).prop_map(Value::from),
        "[a-z0-9 ]{0,8}".prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ]
    .boxed()
}

/// A valid listing with id `id` (every optional field sometimes missing).
pub fn listing(id: u64) -> BoxedStrategy<Property> {
    let a = (
        price(),
        opt("[A-Za-z0-9 ,é]{1,20}".prop_filter("non-blank", |s| !s.trim().is_empty())),
        opt(proptest::sample::select(CITIES)),
        opt((-90.0..=90.0f64, -180.0..=180.0f64)),
        opt(0u32..=12),
        opt((0u32..=16).prop_map(|h| f64::from(h) / 2.0)),
        opt(100.0..20_000.0f64),
        opt(1.0..100_000.0f64),
    );
    let b = (
        opt(1800..=YEAR),
        opt(proptest::sample::select(PropertyType::ALL)),
        opt(proptest::sample::select(ListingType::ALL)),
        opt(amenity_list()),
        opt(0.0..=10.0f64),
        opt(0.0..240.0f64),
        proptest::collection::btree_map("[a-z_]{1,6}", attribute_value(), 0..3),
        opt(0.001..0.02f64),
    );
    (a, b, terms())
        .prop_map(
            move |(
                (price, title, city, coords, beds, baths, size, lot),
                (year, ptype, ltype, amenities, school, commute, attributes, rent_share),
                terms,
            )| {
                let mut p = Property::new(id, price);
                p.title = title;
                p.location = city.map(str::to_string);
                p.latitude = coords.map(|c| c.0);
                p.longitude = coords.map(|c| c.1);
                p.bedrooms = beds;
                p.bathrooms = baths;
                p.size_sqft = size;
                p.lot_sqft = lot;
                p.year_built = year;
                p.property_type = ptype;
                p.listing_type = ltype;
                p.amenities = amenities;
                p.school_rating = school;
                p.commute_time = commute;
                p.attributes = attributes.into_iter().collect::<BTreeMap<_, _>>();
                apply_terms(&mut p, &terms);
                // A rent of 0.1–2 % of the price a month (yields 1.2–24 %).
                p.estimated_rent = rent_share.map(|share| price * share);
                p
            },
        )
        .boxed()
}

/// `min..=max` valid listings with ids 0, 1, 2…
pub fn listings(min: usize, max: usize) -> BoxedStrategy<Vec<Property>> {
    (min..=max)
        .prop_flat_map(|n| (0..n as u64).map(listing).collect::<Vec<_>>())
        .boxed()
}

/// A catalog of the listings (year [`YEAR`]).
pub fn catalog_of(listings: &[Property]) -> Catalog {
    let mut b = Catalog::builder().current_year(YEAR);
    for p in listings {
        b.push(p.clone()).expect("generated listings are valid");
    }
    b.build()
}

/// Valid preferences: any subset of the fields, sometimes per-request
/// weights (of components both built-in profiles have).
pub fn preferences() -> BoxedStrategy<Preferences> {
    let a = (
        opt(price()),
        opt(proptest::sample::select(CITIES)),
        opt(0u32..=8),
        opt((0u32..=8).prop_map(|h| f64::from(h) / 2.0)),
        opt(0.0..5_000.0f64),
        opt(1.0..120.0f64),
        opt(0.0..=10.0f64),
    );
    let b = (
        amenity_list(),
        proptest::sample::subsequence(AMENITIES, 0..=1),
        proptest::sample::subsequence(PropertyType::ALL, 0..=2),
        opt(proptest::sample::select(ListingType::ALL)),
        opt(proptest::collection::btree_map(
            proptest::sample::select(
                &[
                    "price_match",
                    "bedrooms",
                    "school_rating",
                    "commute",
                    "property_age",
                    "amenities",
                ][..],
            ),
            prop_oneof![Just(0.0), 0.0..10.0f64, Just(1e6)],
            0..3,
        )),
    );
    let c = (
        opt(proptest::sample::select(RentPeriod::ALL)),
        opt(0i32..150),
        opt(1u32..=24),
        opt(proptest::sample::select(Furnishing::ALL)),
        opt(any::<bool>()),
        opt(proptest::sample::select(CURRENCIES)),
    );
    // An investor's thresholds and terms, each sometimes missing.
    let d = (
        opt(0.0..0.15f64),
        opt(0.0..0.10f64),
        opt(-2_000.0..2_000.0f64),
        opt((0.0..0.12f64, opt(0.0..=1.0f64), opt(1u32..=40))),
        opt(0.0..0.3f64),
        opt(0.0..0.6f64),
        opt(0.0..=0.5f64),
    );
    // Homes liked, by position among the listings (made ids of listings
    // by `known_place`), and a query vector (fitted to the catalog's
    // dimension by `known_place`).
    let e = (
        opt(proptest::collection::vec(0u64..10_000, 0..=3)),
        opt(proptest::collection::vec(-3i8..=3, 1..=8)),
    );
    (a, b, c, d, e)
        .prop_map(
            |(
                (budget, city, beds, baths, size, commute, school),
                (preferred, must, types, ltype, weights),
                (period, move_in, lease, furnishing, pets, currency),
                (min_yield, min_cap, min_flow, mortgage, vacancy, expenses, closing),
                (liked, vector),
            )| {
                // A budget period and a lease only with a rental type.
                let renter = ltype.is_some_and(ListingType::is_rental);
                Preferences {
                    budget,
                    location: city.map(str::to_string),
                    min_bedrooms: beds,
                    min_bathrooms: baths,
                    min_size_sqft: size,
                    max_commute_time: commute,
                    min_school_rating: school,
                    preferred_amenities: preferred,
                    must_have_amenities: must.into_iter().map(str::to_string).collect(),
                    property_types: types,
                    listing_type: ltype,
                    weights: weights
                        .map(|w| w.into_iter().map(|(k, v)| (k.to_string(), v)).collect()),
                    budget_period: period.filter(|_| renter),
                    move_in: move_in.map(day),
                    lease_months: lease.filter(|_| renter),
                    furnishing,
                    pets,
                    currency: currency.map(self::currency),
                    min_gross_yield: min_yield,
                    min_cap_rate: min_cap,
                    // Cash flow needs a mortgage.
                    min_cash_flow: min_flow.filter(|_| mortgage.is_some()),
                    mortgage_rate: mortgage.map(|m| m.0),
                    down_payment: mortgage.and_then(|m| m.1),
                    mortgage_years: mortgage.and_then(|m| m.2),
                    vacancy,
                    expense_ratio: expenses,
                    closing_costs: closing,
                    similar_to: (liked.is_some() || vector.is_some()).then(|| SimilarTo {
                        ids: liked
                            .unwrap_or_default()
                            .into_iter()
                            .map(PropertyId::Int)
                            .collect(),
                        vector: vector.map(|v| v.into_iter().map(f32::from).collect()),
                    }),
                }
            },
        )
        .boxed()
}

/// `prefs` as the engine accepts them over `listings`: without a wanted
/// place that no listing is in (the engine refuses such a place; these
/// tests are about the scores of places it knows), and with a currency
/// some listing is priced in (the first listing's when the listings mix
/// currencies and the request names none or one no listing uses).
pub fn known_place(prefs: &Preferences, listings: &[Property]) -> Preferences {
    use agent_mira::catalog::{location_key, location_matches, merge_place_keys, place_key};
    let mut p = prefs.clone();
    if let Some(wanted) = p.location.as_deref() {
        let wanted = location_key(wanted);
        // Spellings of one place share a key with every part boundary any
        // of them has (as the catalog's columns do).
        let mut places: BTreeMap<String, String> = BTreeMap::new();
        for here in listings.iter().filter_map(|l| l.location.as_deref()) {
            let parts = place_key(here);
            places
                .entry(location_key(here))
                .and_modify(|known| *known = merge_place_keys(known, &parts))
                .or_insert(parts);
        }
        if !places
            .values()
            .any(|place| location_matches(place, &wanted))
        {
            p.location = None;
        }
    }
    // Liked homes: positions among the listings with an embedding or,
    // when no listing has one, with something the structured embedding
    // reads beyond the price (a place or a type), as their ids. The
    // vector: padded or cut to the catalog's dimension (ones added, so
    // never all zeros), left out without embeddings. Nothing left: no
    // `similar_to`.
    if let Some(similar) = &mut p.similar_to {
        let dim = listings
            .iter()
            .find_map(|l| l.embedding.as_ref().map(Vec::len));
        let eligible: Vec<&Property> = listings
            .iter()
            .filter(|l| match dim {
                Some(_) => l.embedding.is_some(),
                None => l.location.is_some() || l.property_type.is_some(),
            })
            .collect();
        if eligible.is_empty() {
            similar.ids.clear();
        }
        for id in &mut similar.ids {
            if let PropertyId::Int(i) = id {
                *id = eligible[*i as usize % eligible.len()].id.clone();
            }
        }
        similar.vector = match (dim, similar.vector.take()) {
            (Some(dim), Some(mut v)) => {
                v.resize(dim, 1.0);
                if v.iter().all(|x| *x == 0.0) {
                    v[0] = 1.0;
                }
                Some(v)
            }
            _ => None,
        };
        // Liked listings whose directions cancel out (opposite vectors)
        // are refused: keep the first alone then, and no vector.
        if let Some(dim) = dim {
            let unit = |v: &[f32]| {
                let n = v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
                v.iter().map(|x| f64::from(*x) / n).collect::<Vec<f64>>()
            };
            let mut sum = vec![0.0f64; dim];
            let mut seen = Vec::new();
            for id in &similar.ids {
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                let l = listings.iter().find(|l| l.id == *id).unwrap();
                for (s, x) in sum.iter_mut().zip(unit(l.embedding.as_ref().unwrap())) {
                    *s += x;
                }
            }
            if let Some(v) = &similar.vector {
                for (s, x) in sum.iter_mut().zip(unit(v)) {
                    *s += x;
                }
            }
            if sum.iter().all(|s| s.abs() < 1e-6) {
                similar.ids.truncate(1);
                similar.vector = None;
            }
        }
        if similar.ids.is_empty() && similar.vector.is_none() {
            p.similar_to = None;
        }
    }
    let of = |l: &Property| l.currency.unwrap_or(Currency::USD);
    let used: Vec<Currency> = listings.iter().map(of).collect();
    if let Some(first) = used.first() {
        let mixed = used.iter().any(|c| c != first);
        let known = p.currency.is_some_and(|c| used.contains(&c));
        if (p.currency.is_some() && !known) || (p.currency.is_none() && mixed) {
            p.currency = Some(*first);
        }
    }
    p
}
