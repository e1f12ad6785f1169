//! Numbers for people: `$412,000`, `1,850`, `2.5`.

/// Whole dollars with thousands separators: `412000.4` → `"$412,000"`.
///
/// ```
/// assert_eq!(agent_mira::format::dollars(412_000.4), "$412,000");
/// assert_eq!(agent_mira::format::dollars(-1_250.0), "-$1,250");
/// ```
pub fn dollars(amount: f64) -> String {
    let rounded = amount.round();
    let sign = if rounded < 0.0 { "-" } else { "" };
    format!("{sign}${}", thousands(rounded.abs() as u64))
}

/// An integer with thousands separators: `1850` → `"1,850"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A quantity with at most two decimals, no trailing zeros, thousands
/// separated: `2.5` → `"2.5"`, `3.75` → `"3.75"`, `3.0` → `"3"`,
/// `1850.0` → `"1,850"`.
pub fn number(x: f64) -> String {
    let hundredths = (x * 100.0).round();
    let sign = if hundredths < 0.0 { "-" } else { "" };
    let abs = hundredths.abs() as u64;
    let (whole, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{}", thousands(whole)),
        f if f % 10 == 0 => format!("{sign}{}.{}", thousands(whole), f / 10),
        f => format!("{sign}{}.{f:02}", thousands(whole)),
    }
}

/// A score for a reason: `80` → `"80/100"`, `93.33` → `"93/100"`.
pub fn score(s: f64) -> String {
    format!("{}/100", s.round() as i64)
}

/// A fraction as a whole percentage: `0.0712` → `"7%"`.
pub fn percent(fraction: f64) -> String {
    format!("{}%", (fraction * 100.0).round() as i64)
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
    }
}
