//! The Agent Mira case study's component formulas, written exactly as the
//! case study states them so that results match it to the last digit.

/// `100 if predicted <= budget else max(0, 100 - (predicted - budget) / budget * 100)`.
#[inline]
pub fn price_match(predicted_price: f64, budget: f64) -> f64 {
    if predicted_price <= budget {
        100.0
    } else {
        (100.0 - (predicted_price - budget) / budget * 100.0).max(0.0)
    }
}

/// `100 if bedrooms >= min_bedrooms else bedrooms / min_bedrooms * 100`.
#[inline]
pub fn bedrooms(bedrooms: f64, min_bedrooms: f64) -> f64 {
    if bedrooms >= min_bedrooms {
        100.0
    } else {
        bedrooms / min_bedrooms * 100.0
    }
}

/// `school_rating / 10 * 100`.
#[inline]
pub fn school_rating(rating: f64) -> f64 {
    rating / 10.0 * 100.0
}

/// `100 if <= 15 min, 80 if <= 30, 50 if <= 45, else 20`.
#[inline]
pub fn commute(minutes: f64) -> f64 {
    if minutes <= 15.0 {
        100.0
    } else if minutes <= 30.0 {
        80.0
    } else if minutes <= 45.0 {
        50.0
    } else {
        20.0
    }
}

/// Age `current_year - year_built`: `100 if <= 5, 80 if <= 15, 60 if <= 30, else 40`.
#[inline]
pub fn property_age(age_years: f64) -> f64 {
    if age_years <= 5.0 {
        100.0
    } else if age_years <= 15.0 {
        80.0
    } else if age_years <= 30.0 {
        60.0
    } else {
        40.0
    }
}

/// `(has_pool + has_garage + has_garden) / 3 * 100`.
#[inline]
pub fn amenities(has_pool: bool, has_garage: bool, has_garden: bool) -> f64 {
    (has_pool as u8 + has_garage as u8 + has_garden as u8) as f64 / 3.0 * 100.0
}

/// The three amenities the case study scores.
pub const SCORED_AMENITIES: [&str; 3] = ["pool", "garage", "garden"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_match_hand_values() {
        assert_eq!(price_match(450_000.0, 450_000.0), 100.0);
        assert_eq!(price_match(400_000.0, 450_000.0), 100.0);
        // 500k against 400k: 25% over → 75.
        assert_eq!(price_match(500_000.0, 400_000.0), 75.0);
        assert_eq!(price_match(1_000_000.0, 400_000.0), 0.0);
        assert_eq!(
            price_match(480_000.0, 450_000.0),
            100.0 - 30_000.0 / 450_000.0 * 100.0
        );
    }

    #[test]
    fn bedrooms_hand_values() {
        assert_eq!(bedrooms(3.0, 3.0), 100.0);
        assert_eq!(bedrooms(2.0, 4.0), 50.0);
        assert_eq!(bedrooms(0.0, 2.0), 0.0);
        assert_eq!(bedrooms(1.0, 0.0), 100.0);
    }

    #[test]
    fn steps_at_their_edges() {
        assert_eq!(
            [
                commute(15.0),
                commute(15.5),
                commute(30.0),
                commute(45.0),
                commute(45.1)
            ],
            [100.0, 80.0, 80.0, 50.0, 20.0]
        );
        assert_eq!(
            [
                property_age(5.0),
                property_age(6.0),
                property_age(15.0),
                property_age(30.0),
                property_age(31.0)
            ],
            [100.0, 80.0, 80.0, 60.0, 40.0]
        );
    }

    #[test]
    fn school_and_amenities() {
        assert_eq!(school_rating(8.0), 80.0);
        // Same order of operations as the case study: 1 / 3 * 100, not 100 / 3.
        assert_eq!(amenities(true, false, false), 1.0 / 3.0 * 100.0);
        assert_ne!(amenities(true, false, false), 100.0 / 3.0);
        assert_eq!(amenities(true, true, true), 100.0);
        assert_eq!(amenities(false, false, false), 0.0);
    }
}
