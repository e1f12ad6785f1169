//! Numbers for people: `$412,000`, `1,850`, `2.5`.

use std::fmt;

/// Whole dollars with thousands separators: `412000.4` → `"$412,000"`.
///
/// ```
/// assert_eq!(agent_mira::format::dollars(412_000.4), "$412,000");
/// assert_eq!(agent_mira::format::dollars(-1_250.0), "-$1,250");
/// ```
pub fn dollars(amount: f64) -> String {
    Dollars(amount).to_string()
}

/// An integer with thousands separators: `1850` → `"1,850"`.
pub fn thousands(n: u64) -> String {
    Thousands(n).to_string()
}

/// A quantity with at most two decimals, no trailing zeros, thousands
/// separated: `2.5` → `"2.5"`, `3.75` → `"3.75"`, `3.0` → `"3"`,
/// `1850.0` → `"1,850"`.
pub fn number(x: f64) -> String {
    Number(x).to_string()
}

/// A score for a reason: `80` → `"80/100"`, `93.33` → `"93/100"`.
pub fn score(s: f64) -> String {
    Score(s).to_string()
}

/// A fraction as a whole percentage: `0.0712` → `"7%"`.
pub fn percent(fraction: f64) -> String {
    Percent(fraction).to_string()
}

/// [`dollars`] as a `Display` value: writes straight into the text it is
/// formatted into, with no string of its own.
///
/// ```
/// use agent_mira::format::Dollars;
/// assert_eq!(format!("{} over", Dollars(1_250.0)), "$1,250 over");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Dollars(pub f64);

impl fmt::Display for Dollars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rounded = self.0.round();
        if rounded < 0.0 {
            f.write_str("-")?;
        }
        f.write_str("$")?;
        Thousands(rounded.abs() as u64).fmt(f)
    }
}

/// [`thousands`] as a `Display` value.
#[derive(Debug, Clone, Copy)]
pub struct Thousands(pub u64);

impl fmt::Display for Thousands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Digits into a buffer from the right, a comma every three.
        let mut buf = [0u8; 26];
        let mut at = buf.len();
        let mut n = self.0;
        let mut count = 0;
        loop {
            if count > 0 && count % 3 == 0 {
                at -= 1;
                buf[at] = b',';
            }
            at -= 1;
            buf[at] = b'0' + (n % 10) as u8;
            n /= 10;
            count += 1;
            if n == 0 {
                break;
            }
        }
        // Only ASCII digits and commas were written.
        f.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)
    }
}

/// [`number`] as a `Display` value.
#[derive(Debug, Clone, Copy)]
pub struct Number(pub f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = (self.0 * 100.0).round();
        if hundredths < 0.0 {
            f.write_str("-")?;
        }
        let abs = hundredths.abs() as u64;
        let (whole, frac) = (abs / 100, abs % 100);
        Thousands(whole).fmt(f)?;
        match frac {
            0 => Ok(()),
            d if d % 10 == 0 => write!(f, ".{}", d / 10),
            d => write!(f, ".{d:02}"),
        }
    }
}

/// [`score`] as a `Display` value.
#[derive(Debug, Clone, Copy)]
pub struct Score(pub f64);

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/100", self.0.round() as i64)
    }
}

/// [`percent`] as a `Display` value.
#[derive(Debug, Clone, Copy)]
pub struct Percent(pub f64);

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", (self.0 * 100.0).round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(dollars(0.0), "$0");
        assert_eq!(dollars(999.5), "$1,000");
        assert_eq!(dollars(1_234_567.0), "$1,234,567");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(12_500.0), "12,500");
        assert_eq!(number(3.75), "3.75");
        assert_eq!(number(0.05), "0.05");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(1_234.5), "1,234.5");
        assert_eq!(score(93.333), "93/100");
        assert_eq!(percent(0.0712), "7%");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(number(-0.001), "0");
        assert_eq!(dollars(-0.4), "$0");
    }
}
