//! The current calendar year, from the system clock (UTC).

use std::time::{SystemTime, UNIX_EPOCH};

/// This year by the system clock (UTC). Engines take an explicit
/// `current_year` for reproducible results; this is only the default.
pub fn this_year() -> i32 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    year_of_unix_days(secs.div_euclid(86_400))
}

/// Today's date by the system clock (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_of_unix_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The civil (proleptic Gregorian) year of a day count since 1970-01-01.
pub(crate) fn year_of_unix_days(days: i64) -> i32 {
    civil_of_unix_days(days).0
}

/// Year, month, day of a day count since 1970-01-01, by Howard Hinnant's
/// days-to-civil algorithm.
pub(crate) fn civil_of_unix_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        (yoe + era * 400 + i64::from(month <= 2)) as i32,
        month as u32,
        day as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(year_of_unix_days(0), 1970);
        assert_eq!(civil_of_unix_days(0), (1970, 1, 1));
        assert_eq!(civil_of_unix_days(19_723), (2024, 1, 1));
        assert_eq!(civil_of_unix_days(19_782), (2024, 2, 29));
        assert_eq!(civil_of_unix_days(20_818), (2026, 12, 31));
        assert_eq!(year_of_unix_days(-1), 1969);
        assert_eq!(year_of_unix_days(19_722), 2023); // 2023-12-31
        assert_eq!(year_of_unix_days(19_723), 2024); // 2024-01-01
        assert_eq!(year_of_unix_days(20_818), 2026); // 2026-12-31
        assert_eq!(year_of_unix_days(20_819), 2027); // 2027-01-01
    }
}
