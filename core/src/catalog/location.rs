//! Location names: normalised keys for matching and the centre of each place.

/// Normalise a place name for matching: lower-case, punctuation dropped,
/// whitespace collapsed (`"Seattle,  WA"` → `"seattle wa"`).
pub fn location_key(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Does a listing's location (key) satisfy a buyer's wanted location (key)?
/// Equal keys match, and a wanted place without a state matches every state's
/// place of that name: `"seattle"` matches `"seattle wa"`.
pub fn location_matches(listing_key: &str, wanted_key: &str) -> bool {
    listing_key == wanted_key
        || (listing_key.len() > wanted_key.len()
            && listing_key.starts_with(wanted_key)
            && listing_key.as_bytes()[wanted_key.len()] == b' ')
}

/// Mean Earth radius, kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A point on the unit sphere for a latitude/longitude in degrees (NaN
/// coordinates give NaN components).
pub fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (p, l) = (lat.to_radians(), lon.to_radians());
    [p.cos() * l.cos(), p.cos() * l.sin(), p.sin()]
}

/// Great-circle distance in kilometres between two unit vectors:
/// `2R·asin(|a − b| / 2)`, the same quantity as the haversine formula
/// (whose `a` term is `|a − b|² / 4`) but with no trigonometry per pair,
/// since the vectors are computed once per listing.
#[inline]
pub fn chord_distance_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let (dx, dy, dz) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    let half_chord = (dx * dx + dy * dy + dz * dz).sqrt() / 2.0;
    2.0 * EARTH_RADIUS_KM * half_chord.min(1.0).asin()
}

/// Great-circle distance in kilometres (haversine, mean Earth radius).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_punctuation() {
        assert_eq!(location_key("Seattle,  WA"), "seattle wa");
        assert_eq!(location_key("  new-york, ny "), "new york ny");
    }

    #[test]
    fn city_without_state_matches() {
        assert!(location_matches("seattle wa", "seattle"));
        assert!(location_matches("seattle wa", "seattle wa"));
        assert!(!location_matches("seattle wa", "seat"));
        assert!(!location_matches("seattle wa", "wa"));
        assert!(!location_matches("bellevue wa", "seattle wa"));
    }

    #[test]
    fn chord_distance_equals_haversine() {
        for (a, b) in [
            ((47.6062, -122.3321), (47.6101, -122.2015)),
            ((40.7, -74.0), (34.05, -118.24)),
            ((0.0, 0.0), (0.0, 180.0)),
        ] {
            let h = haversine_km(a.0, a.1, b.0, b.1);
            let c = chord_distance_km(&unit_vector(a.0, a.1), &unit_vector(b.0, b.1));
            assert!((h - c).abs() < 1e-6 * h.max(1.0), "{h} vs {c}");
        }
    }

    #[test]
    fn haversine_seattle_to_bellevue() {
        // Downtown Seattle to downtown Bellevue is about 10.5 km.
        let d = haversine_km(47.6062, -122.3321, 47.6101, -122.2015);
        assert!((d - 9.8).abs() < 0.3, "{d}");
    }
}
