//! The closed vocabularies of a listing: property type and listing type.

use std::fmt;
use std::str::FromStr;

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};

/// Doc comment lines as one paragraph.
fn doc_text(lines: &[&str]) -> String {
    lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
}

macro_rules! vocabulary {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $what:literal {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $canonical:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant ),+
        }

        /// Written by hand beside the hand-written `Deserialize`: the
        /// canonical names with their descriptions, and the other
        /// spellings `from_str` accepts as one `deprecated` branch.
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                crate::json_schema::vocabulary(
                    &doc_text(&[$($doc),*]),
                    &[$(($canonical, &doc_text(&[$($vdoc),*]))),+],
                    &[$($($alias,)*)+],
                )
            }
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical snake_case name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $canonical),+ }
            }

            /// The canonical names, for error messages.
            pub fn names() -> Vec<&'static str> {
                vec![$($canonical),+]
            }
        }

        impl FromStr for $name {
            type Err = String;
            /// Parses the canonical name or a common alias, ignoring case,
            /// spaces and hyphens.
            fn from_str(s: &str) -> Result<Self, String> {
                let key: String = s
                    .trim()
                    .chars()
                    .map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() })
                    .collect();
                match key.as_str() {
                    $( $canonical $(| $alias)* => Ok($name::$variant), )+
                    _ => Err(format!("one of {} ({})", Self::names().join(", "), $what)),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        serde_as_text!($name);
    };
}

vocabulary! {
    /// What kind of building or plot a listing is.
    PropertyType, "property type" {
        /// Single-family house.
        Sfh = "sfh" | "single_family" | "single_family_home" | "house" | "detached",
        /// Condominium unit.
        Condo = "condo" | "condominium",
        /// Townhouse / row house.
        Townhouse = "townhouse" | "town_house" | "rowhouse",
        /// Apartment (flat) in a building.
        Apartment = "apartment" | "flat",
        /// Villa.
        Villa = "villa",
        /// Bare land.
        Land = "land" | "lot",
        /// Commercial property.
        Commercial = "commercial",
    }
}

vocabulary! {
    /// How a listing is offered.
    ListingType, "listing type" {
        /// For sale.
        Sale = "sale" | "for_sale",
        /// Long-term rental (months or years).
        LongTermRent = "long_term_rent" | "rent" | "rental",
        /// Short-term rental (nights or weeks).
        ShortTermRent = "short_term_rent" | "vacation_rental",
        /// Investment property.
        Investment = "investment",
    }
}

vocabulary! {
    /// The period a rent is quoted for.
    RentPeriod, "rent period" {
        /// Per calendar month.
        Month = "month" | "monthly" | "per_month" | "pcm",
        /// Per week.
        Week = "week" | "weekly" | "per_week",
        /// Per night.
        Night = "night" | "nightly" | "per_night",
    }
}

impl RentPeriod {
    /// How many of this period make a month, by the documented rule: a
    /// week is 52/12 of a month's worth, a night 365/12.
    ///
    /// ```
    /// use agent_mira::RentPeriod;
    /// // ₹9,000 a week is ₹39,000 a month.
    /// assert_eq!(9000.0 * RentPeriod::Week.per_month(), 39000.0);
    /// assert_eq!(RentPeriod::Night.per_month(), 365.0 / 12.0);
    /// ```
    pub fn per_month(self) -> f64 {
        match self {
            RentPeriod::Month => 1.0,
            RentPeriod::Week => 52.0 / 12.0,
            RentPeriod::Night => 365.0 / 12.0,
        }
    }

    /// A rent quoted per `self`, expressed per `target` period.
    pub fn convert(self, rent: f64, target: RentPeriod) -> f64 {
        if self == target {
            rent
        } else {
            rent * self.per_month() / target.per_month()
        }
    }
}

vocabulary! {
    /// How a rental comes furnished.
    Furnishing, "furnishing" {
        /// Furnished.
        Furnished = "furnished" | "fully_furnished",
        /// Partly furnished.
        SemiFurnished = "semi_furnished" | "semifurnished" | "partly_furnished" | "part_furnished",
        /// Unfurnished.
        Unfurnished = "unfurnished" | "not_furnished",
    }
}

impl ListingType {
    /// Whether the listing is rented rather than sold.
    pub fn is_rental(self) -> bool {
        matches!(self, ListingType::LongTermRent | ListingType::ShortTermRent)
    }
}

impl PropertyType {
    /// The type in words, with its article, as reasons say it: "a
    /// single-family home", "an apartment".
    ///
    /// ```
    /// use agent_mira::PropertyType;
    /// assert_eq!(PropertyType::Sfh.in_words(), "a single-family home");
    /// ```
    pub fn in_words(self) -> &'static str {
        match self {
            PropertyType::Sfh => "a single-family home",
            PropertyType::Condo => "a condo",
            PropertyType::Townhouse => "a townhouse",
            PropertyType::Apartment => "an apartment",
            PropertyType::Villa => "a villa",
            PropertyType::Land => "a plot of land",
            PropertyType::Commercial => "a commercial property",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_canonical_names_and_aliases() {
        assert_eq!("sfh".parse::<PropertyType>().unwrap(), PropertyType::Sfh);
        assert_eq!(
            "Single-Family".parse::<PropertyType>().unwrap(),
            PropertyType::Sfh
        );
        assert_eq!(
            "Long term rent".parse::<ListingType>().unwrap(),
            ListingType::LongTermRent
        );
    }

    #[test]
    fn rejects_unknown_values_listing_the_choices() {
        let err = "castle".parse::<PropertyType>().unwrap_err();
        assert_eq!(
            err,
            "one of sfh, condo, townhouse, apartment, villa, land, commercial (property type)"
        );
    }

    /// The hand-written schema: the canonical names as constants, and a
    /// `deprecated` pattern that matches exactly what `from_str` accepts.
    fn schema_agrees_with_from_str<T: JsonSchema + FromStr>(canonical: &[&str], aliases: &[&str]) {
        let schema = T::json_schema(&mut crate::json_schema::generator()).to_value();
        let branches = schema["anyOf"].as_array().unwrap();
        let consts: Vec<&str> = branches
            .iter()
            .filter_map(|b| b["const"].as_str())
            .collect();
        assert_eq!(consts, canonical);
        let other = branches.last().unwrap();
        assert_eq!(other["deprecated"], true);
        let pattern = regex::Regex::new(other["pattern"].as_str().unwrap()).unwrap();
        let mut probes: Vec<String> = vec![
            "".into(),
            "castle".into(),
            "s f h".into(),
            "sfh_".into(),
            "_sale".into(),
            "single__family".into(),
            "for sale!".into(),
        ];
        for name in canonical.iter().chain(aliases) {
            probes.push(name.to_string());
            probes.push(name.to_uppercase());
            probes.push(format!("  {}\t", name.replace('_', "-")));
            probes.push(name.replace('_', " "));
            probes.push(format!("{name}x"));
        }
        for probe in &probes {
            assert_eq!(
                pattern.is_match(probe),
                probe.parse::<T>().is_ok(),
                "{probe:?}"
            );
        }
    }

    #[test]
    fn hand_written_schemas_match_from_str() {
        schema_agrees_with_from_str::<PropertyType>(
            &[
                "sfh",
                "condo",
                "townhouse",
                "apartment",
                "villa",
                "land",
                "commercial",
            ],
            &[
                "single_family",
                "house",
                "detached",
                "condominium",
                "town_house",
                "rowhouse",
                "flat",
                "lot",
            ],
        );
        schema_agrees_with_from_str::<ListingType>(
            &["sale", "long_term_rent", "short_term_rent", "investment"],
            &["for_sale", "rent", "rental", "vacation_rental"],
        );
        let schema = PropertyType::json_schema(&mut crate::json_schema::generator()).to_value();
        assert_eq!(
            schema["description"],
            "What kind of building or plot a listing is."
        );
        assert_eq!(schema["anyOf"][0]["description"], "Single-family house.");
    }

    #[test]
    fn serde_uses_the_canonical_names() {
        let v = serde_json::to_string(&ListingType::ShortTermRent).unwrap();
        assert_eq!(v, "\"short_term_rent\"");
        let t: PropertyType = serde_json::from_str("\"Condo\"").unwrap();
        assert_eq!(t, PropertyType::Condo);
    }
}
