//! Shared inputs for the agent-mira benches: deterministic synthetic
//! catalogs shaped like real listings (King County–like prices, places,
//! coordinates, rooms, ages, amenities), so that bench numbers do not depend
//! on a data file.

use agent_mira::{Catalog, Engine, Preferences, Property, PropertyId};

mod embeddings;
mod trees;
pub use embeddings::{synthetic_embeddings, synthetic_queries, synthetic_uniform_embeddings};
pub use trees::{synthetic_lightgbm_model, synthetic_rows};

const CITIES: [(&str, f64, f64); 8] = [
    ("Seattle, WA", 47.61, -122.33),
    ("Bellevue, WA", 47.61, -122.20),
    ("Kent, WA", 47.38, -122.23),
    ("Renton, WA", 47.48, -122.22),
    ("Redmond, WA", 47.67, -122.12),
    ("Kirkland, WA", 47.68, -122.21),
    ("Auburn, WA", 47.31, -122.23),
    ("Issaquah, WA", 47.53, -122.03),
];

const AMENITIES: [&[&str]; 6] = [
    &["pool", "garage"],
    &["garden"],
    &[],
    &["Swimming Pool", "Garden", "Two-Car Garage"],
    &["view", "gym"],
    &["garage"],
];

/// A xorshift generator: fast, deterministic, good enough for bench data
/// (the listings here, the trees and rows in `trees`).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `n` synthetic listings with every field set (a few percent missing, as
/// in real feeds), deterministic for a given `n`.
pub fn synthetic_catalog(n: usize) -> Catalog {
    let mut b = Catalog::builder().current_year(2025);
    b.reserve(n);
    for p in synthetic_properties(n) {
        b.push(p).expect("synthetic listings are valid");
    }
    b.build()
}

/// The listings of [`synthetic_catalog`], before validation.
pub fn synthetic_properties(n: usize) -> Vec<Property> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (city, lat, lon) = CITIES[(rng.next() % CITIES.len() as u64) as usize];
        let size = 600.0 + rng.unit() * 3400.0;
        // Dollars: about $250 per square foot, ±30%.
        let price = (size * 250.0 * (0.7 + rng.unit() * 0.6) / 1000.0).round() * 1000.0;
        let mut p = Property::new(i as u64, price);
        p.location = Some(city.to_string());
        p.latitude = Some(lat + (rng.unit() - 0.5) * 0.1);
        p.longitude = Some(lon + (rng.unit() - 0.5) * 0.1);
        p.bedrooms = Some(1 + (rng.next() % 5) as u32);
        p.bathrooms = Some(1.0 + (rng.next() % 6) as f64 / 2.0);
        p.size_sqft = Some(size.round());
        p.year_built = Some(1900 + (rng.next() % 125) as i32);
        if !rng.next().is_multiple_of(20) {
            p.school_rating = Some((rng.next() % 101) as f64 / 10.0);
        }
        if !rng.next().is_multiple_of(20) {
            p.commute_time = Some((5 + rng.next() % 80) as f64);
        }
        p.amenities = Some(
            AMENITIES[(rng.next() % AMENITIES.len() as u64) as usize]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
        out.push(p);
    }
    out
}

/// A typical buyer: budget, place, rooms, commute, school, amenities.
pub fn typical_buyer() -> Preferences {
    Preferences {
        budget: Some(650_000.0),
        location: Some("Bellevue, WA".into()),
        min_bedrooms: Some(3),
        min_bathrooms: Some(2.0),
        max_commute_time: Some(30.0),
        min_school_rating: Some(7.0),
        preferred_amenities: vec!["pool".into(), "garden".into()],
        ..Preferences::default()
    }
}

/// An engine over `data.len() / dim` listings (ids `0..n`, prices from
/// $300,000 to $1,299,000, nothing else) whose vectors are the rows of
/// `data`, attached with `Catalog::with_embeddings`: the "homes like this
/// one" path (`Engine::similar`) on the bench vectors.
///
/// # Panics
/// If `data` is not made of rows of `dim` numbers (the bench data are).
pub fn similar_engine(data: &[f32], dim: usize) -> Engine {
    let n = data.len() / dim;
    let mut b = Catalog::builder().current_year(2025);
    for i in 0..n {
        b.push(Property::new(
            i as u64,
            300_000.0 + (i % 1000) as f64 * 1000.0,
        ))
        .expect("valid listing");
    }
    let ids: Vec<PropertyId> = (0..n as u64).map(PropertyId::from).collect();
    let catalog = b
        .build()
        .with_embeddings(&ids, data, dim)
        .expect("unit vectors of one dimension");
    Engine::builder(catalog).current_year(2025).build()
}
