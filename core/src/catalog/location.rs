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

/// A listing's place as a key that keeps its parts: each comma-separated
/// part of `name` keyed by [`location_key`], empty parts dropped, joined by
/// `|` (`"Bandra West, Mumbai"` → `"bandra west|mumbai"`). Two spellings
/// with the same key are the same place.
pub fn place_key(name: &str) -> String {
    name.split(',')
        .map(location_key)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("|")
}

/// The place key of two spellings of one place (equal [`location_key`]s):
/// a part boundary wherever either has one (`"seattle wa"` and
/// `"seattle|wa"` give `"seattle|wa"`). Keys of different places are
/// returned as `a`.
///
/// ```
/// use agent_mira::catalog::{merge_place_keys, place_key};
/// let merged = merge_place_keys(&place_key("seattle wa"), &place_key("Seattle, WA"));
/// assert_eq!(merged, "seattle|wa");
/// ```
pub fn merge_place_keys(a: &str, b: &str) -> String {
    if a.len() != b.len() {
        return a.to_string();
    }
    a.chars()
        .zip(b.chars())
        .map(|(x, y)| if x == '|' || y == '|' { '|' } else { x })
        .collect()
}

/// Does a listing's place (its [`place_key`]) satisfy a wanted location
/// (its [`location_key`])? The wanted place matches when it is a run of
/// consecutive comma-separated parts of the listing's place: `"mumbai"`,
/// `"bandra west"` and `"bandra west mumbai"` all match `"bandra
/// west|mumbai"`; `"seattle"`, `"seattle wa"` and the state alone, `"wa"`,
/// match `"seattle|wa"`. A place written without commas matches as a
/// whole or by its leading words (`"seattle"` matches `"seattle wa"`).
///
/// ```
/// use agent_mira::catalog::{location_key, location_matches, place_key};
/// let here = place_key("Bandra West, Mumbai");
/// for wanted in ["Mumbai", "Bandra West", "bandra west, MUMBAI"] {
///     assert!(location_matches(&here, &location_key(wanted)), "{wanted}");
/// }
/// assert!(!location_matches(&here, &location_key("West")));
/// assert!(!location_matches(&here, &location_key("Pune")));
/// ```
pub fn location_matches(listing_place: &str, wanted_key: &str) -> bool {
    if wanted_key.is_empty() {
        return false;
    }
    // A run of parts starts at the start or after a `|`, and ends at the
    // end or before a `|`; inside it, `|` reads as the space between words.
    let starts = std::iter::once(0).chain(listing_place.match_indices('|').map(|(at, _)| at + 1));
    for start in starts {
        let rest = &listing_place.as_bytes()[start..];
        if rest.len() < wanted_key.len() {
            break;
        }
        let same = rest
            .iter()
            .zip(wanted_key.as_bytes())
            .all(|(&have, &want)| have == want || (have == b'|' && want == b' '));
        if !same {
            continue;
        }
        match rest.get(wanted_key.len()) {
            None | Some(b'|') => return true,
            // Leading words of a place written without commas.
            Some(b' ') if start == 0 && !listing_place.contains('|') => return true,
            _ => {}
        }
    }
    false
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
    fn place_keys_keep_the_parts() {
        assert_eq!(place_key("Bandra West,  Mumbai"), "bandra west|mumbai");
        assert_eq!(place_key("Seattle, WA"), "seattle|wa");
        assert_eq!(place_key("seattle wa"), "seattle wa");
        assert_eq!(place_key(" , Pune,"), "pune");
    }

    #[test]
    fn a_wanted_place_matches_a_run_of_parts() {
        let here = place_key("Bandra West, Mumbai");
        for wanted in ["mumbai", "bandra west", "bandra west mumbai"] {
            assert!(location_matches(&here, wanted), "{wanted}");
        }
        for wanted in [
            "bandra",
            "west",
            "west mumbai",
            "mumbai bandra west",
            "",
            "bandra west mumbai x",
        ] {
            assert!(!location_matches(&here, wanted), "{wanted}");
        }
        let three = place_key("Koramangala, Bangalore, KA");
        assert!(location_matches(&three, "bangalore ka"));
        assert!(location_matches(&three, "koramangala bangalore"));
        assert!(!location_matches(&three, "koramangala ka"));
    }

    #[test]
    fn city_without_state_matches_and_so_does_the_state() {
        let seattle = place_key("Seattle, WA");
        assert!(location_matches(&seattle, "seattle"));
        assert!(location_matches(&seattle, "seattle wa"));
        assert!(location_matches(&seattle, "wa"));
        assert!(!location_matches(&seattle, "seat"));
        assert!(!location_matches(&place_key("Bellevue, WA"), "seattle wa"));
        // Written without a comma: as a whole or by its leading words.
        assert!(location_matches("seattle wa", "seattle"));
        assert!(location_matches("seattle wa", "seattle wa"));
        assert!(!location_matches("seattle wa", "wa"));
        assert!(!location_matches("seattle wa", "seat"));
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
