//! Listings: [`Property`], its id and vocabularies, and amenity normalisation.

/// `Serialize` as the type's `Display` text and `Deserialize` through its
/// `FromStr`, whose error says what was expected: for the small text types
/// of a listing ([`Date`], [`Currency`]).
macro_rules! serde_as_text {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(|expected: String| {
                    serde::de::Error::invalid_value(
                        serde::de::Unexpected::Str(&s),
                        &expected.as_str(),
                    )
                })
            }
        }
    };
}

mod amenities;
mod currency;
mod date;
mod id;
mod kinds;
mod property;

pub use amenities::{AmenityEntry, AmenityTable};
pub use currency::Currency;
pub use date::{Date, DATE_EXPECTED};
pub use id::PropertyId;
pub use kinds::{Furnishing, ListingType, PropertyType, RentPeriod};
pub(crate) use property::{with_id, MAX_LEASE_MONTHS};
pub use property::{Property, PROPERTY_FIELDS};
