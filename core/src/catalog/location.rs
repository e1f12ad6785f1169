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

/// Great-circle distance in kilometres (haversine, mean Earth radius).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
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
    fn haversine_seattle_to_bellevue() {
        // Downtown Seattle to downtown Bellevue is about 10.5 km.
        let d = haversine_km(47.6062, -122.3321, 47.6101, -122.2015);
        assert!((d - 9.8).abs() < 0.3, "{d}");
    }
}
