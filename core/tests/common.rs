//! Helpers shared by the integration tests (included with `mod common;`).
#![allow(dead_code)]

use std::path::PathBuf;

use agent_mira::{Catalog, Property, RecordRef};

/// The repository's `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// The hand-written sample listings, built without any file loader.
pub fn sample_catalog() -> Catalog {
    let text = std::fs::read_to_string(fixtures().join("listings/sample.json")).unwrap();
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut b = Catalog::builder().current_year(2025);
    for (i, v) in values.into_iter().enumerate() {
        b.push(Property::from_json(v, &RecordRef::Index(i), 2025).unwrap())
            .unwrap();
    }
    b.build()
}

/// `n` generated listings with every field set, deterministic.
pub fn generated_catalog(n: usize) -> Catalog {
    let cities = [
        "Seattle, WA",
        "Bellevue, WA",
        "Kent, WA",
        "Renton, WA",
        "Redmond, WA",
    ];
    let amenity_sets: [&[&str]; 4] = [
        &["pool", "garage"],
        &["garden"],
        &[],
        &["Swimming Pool", "Garden", "Garage"],
    ];
    let mut b = Catalog::builder().current_year(2025);
    b.reserve(n);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for i in 0..n {
        let r = next();
        let mut p = Property::new(i as u64, 200_000.0 + (r % 1_500) as f64 * 1_000.0);
        p.location = Some(cities[(r >> 12) as usize % cities.len()].to_string());
        p.latitude = Some(47.3 + ((r >> 16) % 600) as f64 / 1000.0);
        p.longitude = Some(-122.5 + ((r >> 26) % 500) as f64 / 1000.0);
        p.bedrooms = Some(((r >> 36) % 6) as u32);
        p.bathrooms = Some(((r >> 40) % 8) as f64 / 2.0);
        p.size_sqft = Some(500.0 + ((r >> 44) % 3000) as f64);
        p.year_built = Some(1900 + ((r >> 50) % 125) as i32);
        p.school_rating = Some(((r >> 20) % 101) as f64 / 10.0);
        p.commute_time = Some(((r >> 30) % 90) as f64);
        p.amenities = Some(
            amenity_sets[(r >> 58) as usize % 4]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
        b.push(p).unwrap();
    }
    b.build()
}
