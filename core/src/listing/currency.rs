//! [`Currency`]: the ISO 4217 code a listing's prices (and a buyer's budget)
//! are written in.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator};

/// An ISO 4217 currency code (`USD`, `INR`, `EUR`…), from the list of
/// active codes. Read in any case, written upper-case.
///
/// Prices in different currencies are never compared: a catalog that mixes
/// currencies needs the request to name one (see
/// [`Preferences::currency`](crate::Preferences::currency)).
///
/// ```
/// use agent_mira::Currency;
/// let inr: Currency = "inr".parse().unwrap();
/// assert_eq!(inr.code(), "INR");
/// assert_eq!(inr.format_amount(38000.0), "₹38,000");
/// assert_eq!("Rs".parse::<Currency>().unwrap_err(),
///            "a three-letter ISO 4217 currency code such as USD, EUR or INR");
/// assert_eq!("XYZ".parse::<Currency>().unwrap_err(),
///            "an ISO 4217 currency code in use (XYZ is not one), such as USD, EUR or INR");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Active ISO 4217 codes (list of the ISO 4217 maintenance agency, 2024),
/// sorted for binary search.
const CODES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS",
    "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD",
    "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND",
    "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

/// Symbols written before an amount; other currencies are written with
/// their code ("CHF 1,200").
const SYMBOLS: &[(&str, &str)] = &[
    ("AUD", "A$"),
    ("CAD", "C$"),
    ("CNY", "CN¥"),
    ("EUR", "€"),
    ("GBP", "£"),
    ("HKD", "HK$"),
    ("ILS", "₪"),
    ("INR", "₹"),
    ("JPY", "¥"),
    ("KRW", "₩"),
    ("MXN", "MX$"),
    ("NZD", "NZ$"),
    ("PHP", "₱"),
    ("THB", "฿"),
    ("TRY", "₺"),
    ("USD", "$"),
    ("VND", "₫"),
];

const EXPECTED: &str = "a three-letter ISO 4217 currency code such as USD, EUR or INR";

impl Currency {
    /// US dollars, the currency of a listing that names none in a catalog
    /// where no listing names one.
    pub const USD: Currency = Currency(*b"USD");

    /// The upper-case code.
    pub fn code(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The symbol written before amounts (`$`, `₹`, `€`…), when the
    /// currency has a well-known one.
    pub fn symbol(&self) -> Option<&'static str> {
        SYMBOLS
            .binary_search_by(|(code, _)| (*code).cmp(self.code()))
            .ok()
            .map(|i| SYMBOLS[i].1)
    }

    /// An amount as a person writes it: whole units with thousands
    /// separators, after the symbol (`₹38,000`) or the code (`CHF 1,200`).
    pub fn format_amount(&self, amount: f64) -> String {
        let rounded = amount.round();
        let sign = if rounded < 0.0 { "-" } else { "" };
        let number = crate::format::thousands(rounded.abs() as u64);
        match self.symbol() {
            Some(symbol) => format!("{sign}{symbol}{number}"),
            None => format!("{sign}{} {number}", self.code()),
        }
    }
}

impl FromStr for Currency {
    type Err = String;

    /// Parses a code in any case; the error is what was expected.
    fn from_str(s: &str) -> Result<Currency, String> {
        let upper = s.trim().to_ascii_uppercase();
        let bytes = upper.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return Err(EXPECTED.to_string());
        }
        if CODES.binary_search(&upper.as_str()).is_err() {
            return Err(format!(
                "an ISO 4217 currency code in use ({upper} is not one), such as USD, EUR or INR"
            ));
        }
        Ok(Currency([bytes[0], bytes[1], bytes[2]]))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

serde_as_text!(Currency);

impl JsonSchema for Currency {
    fn schema_name() -> Cow<'static, str> {
        "Currency".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "description": "An ISO 4217 currency code in use (USD, EUR, INR…), any case.",
            "type": "string",
            "pattern": "^[A-Za-z]{3}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(SYMBOLS.windows(2).all(|w| w[0].0 < w[1].0));
        for (code, _) in SYMBOLS {
            assert!(CODES.contains(code), "{code}");
        }
    }

    #[test]
    fn parses_any_case_and_writes_upper_case() {
        assert_eq!(" usd ".parse::<Currency>().unwrap(), Currency::USD);
        assert_eq!(serde_json::to_string(&Currency::USD).unwrap(), "\"USD\"");
        let eur: Currency = serde_json::from_str("\"Eur\"").unwrap();
        assert_eq!(eur.format_amount(1234.6), "€1,235");
        let chf: Currency = "CHF".parse().unwrap();
        assert_eq!(chf.format_amount(1200.0), "CHF 1,200");
    }

    #[test]
    fn refuses_symbols_and_retired_codes() {
        for bad in ["$", "₹", "US", "USDD", "DEM", "FRF", "12A", ""] {
            assert!(bad.parse::<Currency>().is_err(), "{bad}");
        }
    }
}
