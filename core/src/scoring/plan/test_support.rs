//! Test catalogs and buyers shared by the plan's tests.

use crate::catalog::Catalog;
use crate::listing::Property;
use crate::preferences::Preferences;

/// `n` listings with pseudo-random prices, places, rooms, sizes, ages,
/// schools, commutes and amenities, each sometimes missing.
pub(crate) fn catalog(n: usize) -> Catalog {
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
pub(crate) fn family_buyer() -> Preferences {
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
