//! [`Date`]: a calendar day written as ISO 8601 `YYYY-MM-DD`, for
//! availability windows and move-in days.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator};

/// A day of the proleptic Gregorian calendar, years 1–9999.
///
/// Written and read as `YYYY-MM-DD`; stored as the number of days since
/// 1970-01-01 so that comparing and subtracting days is integer arithmetic.
///
/// ```
/// use agent_mira::Date;
/// let move_in: Date = "2022-07-01".parse().unwrap();
/// let free: Date = "2022-06-28".parse().unwrap();
/// assert_eq!(move_in.days_since(free), 3);
/// assert_eq!(move_in.add_months(11).to_string(), "2023-06-01");
/// assert_eq!("2022-02-30".parse::<Date>().unwrap_err(),
///            "a real calendar date written YYYY-MM-DD (2022-02 has 28 days)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    days: i32,
}

/// What a date must look like, for error messages.
pub const DATE_EXPECTED: &str = "a date written YYYY-MM-DD";

impl Date {
    /// The day `year-month-day`, or `None` when it is not a real date
    /// (month 1–12, day within the month, year 1–9999).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    pub fn from_days_since_epoch(days: i32) -> Date {
        Date { days }
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.days
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        crate::clock::civil_of_unix_days(i64::from(self.days))
    }

    /// Whole days from `earlier` to `self` (negative when `self` is earlier).
    pub fn days_since(self, earlier: Date) -> i64 {
        i64::from(self.days) - i64::from(earlier.days)
    }

    /// The same day of the month `months` months later, clamped to the
    /// month's last day (31 Jan + 1 month = 28/29 Feb): the end of a lease
    /// of `months` months that starts on `self`.
    pub fn add_months(self, months: u32) -> Date {
        let (y, m, d) = self.ymd();
        let index = i64::from(y) * 12 + i64::from(m - 1) + i64::from(months);
        let year = (index.div_euclid(12)) as i32;
        let month = (index.rem_euclid(12) + 1) as u32;
        let day = d.min(days_in_month(year, month));
        Date {
            days: days_from_civil(year, month, day),
        }
    }

    /// "28 Jun" (the day and the month's short English name), as reasons
    /// write a date.
    pub fn day_month(self) -> String {
        let (_, m, d) = self.ymd();
        format!("{d} {}", MONTHS[(m - 1) as usize])
    }

    /// "28 Jun 2022".
    pub fn day_month_year(self) -> String {
        let (y, _, _) = self.ymd();
        format!("{} {y}", self.day_month())
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl FromStr for Date {
    type Err = String;

    /// Parses `YYYY-MM-DD` exactly (four-digit year, two-digit month and
    /// day). The error is what was expected, for a field error.
    fn from_str(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !digits(0..4)
            || !digits(5..7)
            || !digits(8..10)
        {
            return Err(DATE_EXPECTED.to_string());
        }
        let year: i32 = s[0..4].parse().map_err(|_| DATE_EXPECTED.to_string())?;
        let month: u32 = s[5..7].parse().map_err(|_| DATE_EXPECTED.to_string())?;
        let day: u32 = s[8..10].parse().map_err(|_| DATE_EXPECTED.to_string())?;
        Date::from_ymd(year, month, day).ok_or_else(|| {
            if (1..=12).contains(&month) && year >= 1 {
                format!(
                    "a real calendar date written YYYY-MM-DD ({:04}-{:02} has {} days)",
                    year,
                    month,
                    days_in_month(year, month)
                )
            } else {
                "a real calendar date written YYYY-MM-DD (month 01–12, year 0001–9999)".to_string()
            }
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

serde_as_text!(Date);

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "description": "A calendar day written YYYY-MM-DD (ISO 8601).",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let start = Date::from_ymd(1900, 1, 1).unwrap().days_since_epoch();
        let end = Date::from_ymd(2300, 12, 31).unwrap().days_since_epoch();
        for days in start..=end {
            let date = Date::from_days_since_epoch(days);
            let (y, m, d) = date.ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(date));
            assert_eq!(date.to_string().parse::<Date>(), Ok(date));
        }
    }

    #[test]
    fn known_days() {
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(
            Date::from_ymd(2000, 3, 1).unwrap().days_since_epoch(),
            11_017
        );
        assert_eq!(
            Date::from_ymd(2022, 7, 1).unwrap().days_since_epoch(),
            19_174
        );
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().day_month_year(),
            "29 Feb 2024"
        );
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for bad in [
            "2022-7-1",
            "01-07-2022",
            "2022/07/01",
            "2022-07-01T00:00",
            " 2022-07-01",
            "2022-13-01",
            "2022-00-10",
            "2022-06-31",
            "2023-02-29",
            "0000-01-01",
            "２０２２-07-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(
            "2022-06-31".parse::<Date>().unwrap_err(),
            "a real calendar date written YYYY-MM-DD (2022-06 has 30 days)"
        );
        assert_eq!("1 July".parse::<Date>().unwrap_err(), DATE_EXPECTED);
    }

    #[test]
    fn months_are_added_like_a_lease() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(d("2022-01-31").add_months(1), d("2022-02-28"));
        assert_eq!(d("2024-01-31").add_months(1), d("2024-02-29"));
        assert_eq!(d("2022-07-01").add_months(11), d("2023-06-01"));
        assert_eq!(d("2022-11-15").add_months(14), d("2024-01-15"));
        assert_eq!(d("2022-07-01").add_months(0), d("2022-07-01"));
    }
}
